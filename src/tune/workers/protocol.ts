// The protocol between the study (main thread) and trial workers. Design: the main thread keeps
// the study, sampler, pruner and storage; a worker only runs the objective, on a RemoteTrial whose
// suggest*/report/shouldPrune/setUserAttr/setConstraint are synchronous calls into the main thread's real Trial:
// the worker posts {type:'call'} and blocks in Atomics.wait on a SharedArrayBuffer until the main
// thread's message handler has written the JSON reply there and notified. So every sampler
// (Random, Grid, TPE with its constant liar over RUNNING trials) works unchanged and in one place,
// and a trial in a worker behaves exactly as one in-process. A call costs one message round trip
// (~0.1 ms), negligible next to training. Only standard APIs are used on the wire (postMessage,
// SharedArrayBuffer, Atomics, TextEncoder), so Web Workers can host the same protocol later
// (pages must then be cross-origin isolated for SharedArrayBuffer).
import type { InitOptions } from '../../runtime/context.js';
import type { HostURL } from '../../runtime/host-types.js';
import type { Distribution, ParamValue } from '../distributions.js';
import { parsePyJson, toPyJson } from '../storages/journal/journal-format.js';

/** An objective that lives in a module, run in worker threads: `export function objective(trial) { … }`. */
export interface ObjectiveModule {
  /** The module's URL (best: `new URL('./objective.ts', import.meta.url)`) or a file path. */
  module: string | HostURL;
  /** The export to call with the trial (default 'default'). It may return a number or a promise. */
  export?: string;
}

/** optimize's options for trials in workers, besides the loop's (Study's WorkerOptimizeOptions). */
export interface WorkerOptions {
  /** Heap caps of each worker (Node's worker resourceLimits; ignored by Web Workers); exceeding them fails the trial. */
  resourceLimits?: { maxOldGenerationSizeMb?: number; maxYoungGenerationSizeMb?: number; stackSizeMb?: number };
  /** Options for the init() each worker calls before its first trial. */
  init?: Omit<InitOptions, 'module'>;
  /** true (default): SIGINT stops starting trials and fails the running ones, then optimize returns. */
  handleSigint?: boolean;
  /** Browsers: the trial worker script (default: tune-worker.js beside simdgrad's module or bundle). */
  workerUrl?: string | HostURL;
  /** true: SIGTERM does the same as SIGINT (the `simdgrad worker` command sets it). */
  handleSigterm?: boolean;
}

/** What a worker needs of its trial to start. */
export interface TrialSeed {
  number: number;
  params: Record<string, ParamValue>;
  distributions: Record<string, Distribution>;
  userAttrs: Record<string, unknown>;
  intermediateValues: Record<number, number>;
}

export type CallMethod = 'suggestFloat' | 'suggestInt' | 'suggestCategorical' | 'report' | 'shouldPrune' | 'setUserAttr' | 'uploadArtifact' | 'setConstraint';
export const CALL_METHODS: readonly CallMethod[] = ['suggestFloat', 'suggestInt', 'suggestCategorical', 'report', 'shouldPrune', 'setUserAttr', 'uploadArtifact', 'setConstraint'];

/** `init.module` is the wasm the pool compiled once: every worker instantiates the same Module
 *  (no recompiling per worker, and code the engine optimised for one worker serves all). */
export interface WorkerData {
  channel: SharedArrayBuffer; init: Omit<InitOptions, 'module'> & { module?: WebAssembly.Module };
  /** What init({ threads: 'auto' }) — an objective's plain init() — means in this worker: its share
   *  of the cores, floor(cores / concurrent workers) (at least 1), or init.threads if a number. */
  threads: number;
  /** The objective: the worker imports it before saying 'ready' (a module that cannot load, or lacks
   *  the export, is reported as a fatal 'error' instead). */
  objective: { module: string; export: string };
}
export type ToWorker = { type: 'run'; trial: TrialSeed }
  /** Web Workers only: the first message, carrying what Node passes as workerData. */
  | { type: 'init'; data: WorkerData };
export interface RemoteError { name: string; message: string; stack?: string }
export type FromWorker =
  | { type: 'ready'; backend: string }
  | { type: 'call'; method: CallMethod; args: unknown[] }
  | { type: 'result'; value: number | number[] }
  /** fatal: the objective module could not be loaded (sent instead of 'ready'); the worker must end. */
  | { type: 'error'; error: RemoteError; pruned: boolean; fatal: boolean }
  /** Web Workers only: the worker is closing itself (self.close()); the host reports it as an exit. */
  | { type: 'exit'; code: number };

export type Reply = { ok: unknown; distribution?: Distribution } | { err: RemoteError };

// Channel layout: Int32 [0] = 0 while a call waits, 1 when its reply is ready; Int32 [1] = reply
// byte length; the reply's UTF-8 JSON from byte 8.
const HEADER = 8;
export const CHANNEL_BYTES = 1 << 20;

/** The main thread's half: writes a reply and wakes the worker. */
export function writeReply(channel: SharedArrayBuffer, reply: Reply): void {
  let bytes = new TextEncoder().encode(toPyJson(reply));
  if (bytes.length > channel.byteLength - HEADER) {
    bytes = new TextEncoder().encode(JSON.stringify({ err: { name: 'RangeError', message: `reply of ${bytes.length} bytes exceeds the worker channel (${channel.byteLength - HEADER})` } }));
  }
  new Uint8Array(channel, HEADER, bytes.length).set(bytes);
  const ctl = new Int32Array(channel, 0, 2);
  Atomics.store(ctl, 1, bytes.length);
  Atomics.store(ctl, 0, 1);
  Atomics.notify(ctl, 0);
}

/** The worker's half: posts a call and blocks until the reply is there. */
export function callSync(channel: SharedArrayBuffer, post: (m: FromWorker) => void, method: CallMethod, args: unknown[]): Reply {
  const ctl = new Int32Array(channel, 0, 2);
  Atomics.store(ctl, 0, 0);
  post({ type: 'call', method, args });
  while (Atomics.wait(ctl, 0, 0, 10_000) === 'timed-out') { /* the main thread is busy: keep waiting */ }
  const len = Atomics.load(ctl, 1);
  // Copy out of shared memory first: TextDecoder refuses shared views in browsers.
  return parsePyJson(new TextDecoder().decode(new Uint8Array(channel, HEADER, len).slice())) as Reply;
}

/** An Error (RangeError, TypeError, … by name) rebuilt on this side of the channel. */
export function rebuildError(e: RemoteError): Error {
  const Ctor = ({ RangeError, TypeError, SyntaxError, ReferenceError } as Record<string, ErrorConstructor>)[e.name] ?? Error;
  const err = new Ctor(e.message);
  if (err.name !== e.name) err.name = e.name;
  if (e.stack) err.stack = e.stack;
  return err;
}

/** An error (or anything thrown) as plain data for postMessage. */
export function toRemoteError(e: unknown): RemoteError {
  if (e instanceof Error || (typeof e === 'object' && e !== null && 'message' in e)) {
    const x = e as Error;
    return { name: String(x.name ?? 'Error'), message: String(x.message), ...(x.stack ? { stack: String(x.stack) } : {}) };
  }
  return { name: 'Error', message: String(e) };
}
