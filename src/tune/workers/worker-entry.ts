// The entry of a trial worker (a Node worker thread or a browser module Web Worker): initialises
// its own simdgrad (its own wasm instance), imports the objective module, says 'ready', then runs
// one objective call per 'run' message on a RemoteTrial and posts its result or error. A module
// that fails to load (or lacks the export) is reported as a 'fatal' error instead of 'ready': the
// pool refuses to start (or, for a replacement worker, fails the trial) and ends the worker.
// Runtime-specific parts are only how the port and data are obtained:
// node:worker_threads' parentPort/workerData (imported only under Node), or `self` and a first
// 'init' message in a Web Worker, where self.close() is announced as an exit first.
import { init } from '../../index.js';
import { RemoteTrial } from './remote-trial.js';
import { toRemoteError, type FromWorker, type ToWorker, type WorkerData } from './protocol.js';
import { isNodeLike } from './node-host.js';

type ObjectiveFn = (trial: RemoteTrial) => unknown;
type RunMessage = Extract<ToWorker, { type: 'run' }>;

interface Port { post(m: FromWorker): void; onMessage(fn: (m: ToWorker) => void): void }

/** This worker's port to the pool, and the data it was started with. */
async function connect(): Promise<{ port: Port; data: WorkerData }> {
  if (isNodeLike()) {
    const { parentPort, workerData } = await import('node:worker_threads');
    if (!parentPort) throw new Error('worker-entry must run in a worker thread');
    return { port: { post: (m) => parentPort.postMessage(m), onMessage: (fn) => parentPort.on('message', fn) }, data: workerData as WorkerData };
  }
  const scope = globalThis as unknown as {
    postMessage(m: unknown): void; close(): void;
    addEventListener(t: 'message', fn: (e: { data: ToWorker }) => void): void;
  };
  const port: Port = { post: (m) => scope.postMessage(m), onMessage: (fn) => scope.addEventListener('message', (e) => fn(e.data)) };
  const data = await new Promise<WorkerData>((resolve) => {
    scope.addEventListener('message', (e) => { if (e.data.type === 'init') resolve(e.data.data); });
  });
  const close = scope.close.bind(scope);
  scope.close = () => { port.post({ type: 'exit', code: 0 }); close(); };
  return { port, data };
}

const { port, data } = await connect();
const post = (m: FromWorker) => port.post(m);

/** The objective function; errors name the module (and say whether it failed to load or lacks the export). */
async function loadObjective({ module, export: name }: WorkerData['objective']): Promise<ObjectiveFn> {
  let mod: Record<string, unknown>;
  try {
    mod = await import(module) as Record<string, unknown>;
  } catch (e) {
    const error = toRemoteError(e);
    throw Object.assign(new Error(`objective module ${module} failed to load: ${error.message}`), { name: error.name });
  }
  const fn = mod[name];
  if (typeof fn !== 'function') {
    throw new TypeError(`objective module ${module} has no function export '${name}' (found: ${Object.keys(mod).join(', ') || 'nothing'})`);
  }
  return fn as ObjectiveFn;
}

async function run(fn: ObjectiveFn, msg: RunMessage): Promise<void> {
  try {
    const value = await fn(new RemoteTrial(msg.trial, data.channel, post));
    post({ type: 'result', value: value as number | number[] });
  } catch (e) {
    const error = toRemoteError(e);
    post({ type: 'error', error, pruned: error.name === 'TrialPruned', fatal: false });
  }
}

// the objective's own init() ('auto' threads) takes this worker's share of the cores (src/threads/cores.ts)
(globalThis as Record<symbol, unknown>)[Symbol.for('simdgrad.autoThreads')] = data.threads;
const backend = await init(data.init);
try {
  const fn = await loadObjective(data.objective);
  port.onMessage((msg) => { if (msg.type === 'run') void run(fn, msg); });
  post({ type: 'ready', backend });
} catch (e) {
  post({ type: 'error', error: toRemoteError(e), pruned: false, fatal: true });
}
