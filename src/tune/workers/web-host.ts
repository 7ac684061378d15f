// Spawning trial workers in browsers (module Web Workers): the browser twin of node-host.ts, behind
// the same WorkerHandle so the pool's slots, timeouts and replacement work unchanged. Contract:
// webSpawner refuses (with a clear error) a page that is not cross-origin isolated, since the
// trial protocol needs SharedArrayBuffer; each worker gets its WorkerData as its first message
// ('init'); after an uncaught error in the worker, a failed load of its script, or the objective
// closing it (self.close()), the handle terminates the worker and reports error/exit, like a dead
// Node worker thread. No Node builtin is imported here.
import type { FromWorker, WorkerData, WorkerOptions } from './protocol.js';
import type { SpawnWorker } from './node-host.js';

interface WebWorkerLike {
  postMessage(m: unknown, transfer?: unknown[]): void;
  addEventListener(type: string, fn: (e: { data?: unknown; message?: string; filename?: string; lineno?: number; preventDefault?(): void }) => void): void;
  terminate(): void;
}
type WebWorkerCtor = new (url: string | URL, opts: { type: 'module'; name?: string }) => WebWorkerLike;

/** The default worker script: dist/tune-worker.js beside this module (or beside the bundle that inlines it). */
export function webWorkerEntryUrl(): string {
  return new URL('./tune-worker.js', import.meta.url).href;
}

/**
 * A spawner of module Web Workers running the trial worker entry (`workerUrl`, default
 * tune-worker.js beside this module).
 * @example
 * // served with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp
 * await study.optimize({ module: new URL('./objective.js', import.meta.url), export: 'objective' }, { nTrials: 10, concurrency: 2 });
 */
export async function webSpawner(opts: Pick<WorkerOptions, 'workerUrl'> = {}): Promise<SpawnWorker> {
  const g = globalThis as { Worker?: WebWorkerCtor; crossOriginIsolated?: boolean; SharedArrayBuffer?: unknown };
  if (typeof g.Worker !== 'function') throw new Error('optimize with { module } needs Web Workers (or worker_threads), which this runtime lacks');
  if (g.crossOriginIsolated === false || typeof g.SharedArrayBuffer !== 'function') {
    throw new Error('optimize with { module } in a browser needs SharedArrayBuffer: serve the page cross-origin isolated ' +
      '(headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp); ' +
      'crossOriginIsolated is false here');
  }
  const Worker = g.Worker;
  const url = opts.workerUrl ? String(opts.workerUrl instanceof URL ? opts.workerUrl.href : opts.workerUrl) : webWorkerEntryUrl();
  let n = 0;
  return (data: WorkerData) => {
    const w = new Worker(url, { type: 'module', name: `simdgrad-trial-${n++}` });
    let alive = true;
    const kill = () => { alive = false; w.terminate(); };
    w.postMessage({ type: 'init', data });
    return {
      post: (msg) => { if (alive) w.postMessage(msg); },
      listen(on) {
        w.addEventListener('message', (e) => {
          if (!alive) return;
          const m = e.data as FromWorker;
          if (m.type === 'exit') { kill(); on.exit(m.code); } else on.message(m);
        });
        w.addEventListener('error', (e) => {
          e.preventDefault?.(); // handled here: not also an uncaught error of the page
          if (!alive) return;
          kill();
          const where = e.filename ? ` (${e.filename}:${e.lineno ?? 0})` : '';
          on.error(new Error(e.message ? `${e.message}${where}` : `worker script ${url} failed to load or threw`));
        });
        w.addEventListener('messageerror', () => {
          if (!alive) return;
          kill();
          on.error(new Error('a message from the worker could not be deserialized'));
        });
      },
      terminate: async () => { kill(); },
    };
  };
}
