// The entry of a trial worker thread: initialises its own simdgrad (its own wasm instance), says
// 'ready', then runs one objective call per 'run' message on a RemoteTrial and posts its result or
// error. The objective module is imported once per worker; a module that fails to load (or lacks
// the export) fails the trial as 'fatal' and the pool replaces the worker. Runtime-specific parts
// are only the three lines getting the port and data (node:worker_threads here; `self` in a Web
// Worker).
import { init } from '../../index.js';
import { RemoteTrial } from './remote-trial.js';
import { toRemoteError, type FromWorker, type ToWorker, type WorkerData } from './protocol.js';

type ObjectiveFn = (trial: RemoteTrial) => unknown;

const { parentPort, workerData } = await import('node:worker_threads');
if (!parentPort) throw new Error('worker-entry must run in a worker thread');
const port = parentPort;
const data = workerData as WorkerData;
const post = (m: FromWorker) => port.postMessage(m);
const modules = new Map<string, Promise<Record<string, unknown>>>();

async function objectiveOf(msg: ToWorker): Promise<ObjectiveFn> {
  let mod = modules.get(msg.module);
  if (!mod) modules.set(msg.module, (mod = import(msg.module) as Promise<Record<string, unknown>>));
  const fn = (await mod)[msg.export];
  if (typeof fn !== 'function') {
    throw new TypeError(`module ${msg.module} has no function export '${msg.export}' (found: ${Object.keys(await mod).join(', ') || 'nothing'})`);
  }
  return fn as ObjectiveFn;
}

async function run(msg: ToWorker): Promise<void> {
  let fn: ObjectiveFn;
  try {
    fn = await objectiveOf(msg);
  } catch (e) {
    const error = toRemoteError(e);
    post({ type: 'error', error: { ...error, message: `objective module failed to load: ${error.message}` }, pruned: false, fatal: true });
    return;
  }
  try {
    const value = await fn(new RemoteTrial(msg.trial, data.channel, post));
    post({ type: 'result', value: value as number | number[] });
  } catch (e) {
    const error = toRemoteError(e);
    post({ type: 'error', error, pruned: error.name === 'TrialPruned', fatal: false });
  }
}

port.on('message', (msg: ToWorker) => { if (msg.type === 'run') void run(msg); });
post({ type: 'ready', backend: await init(data.init) });
