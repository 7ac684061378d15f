// Spawning trial workers on Node (worker_threads). The pool only sees WorkerHandle; the browser
// host (Web Workers) is web-host.ts beside this file. Running from TypeScript sources (tests, tsx),
// the entry is worker-entry.ts: the worker then registers tsx itself before importing it (Node 20
// ignores `--import tsx` in a worker's execArgv for its entry). From the built package the entry
// is dist/tune-worker.js next to the bundle. Objective modules written in TypeScript also need tsx.
import type { FromWorker, ToWorker, WorkerData, WorkerOptions } from './protocol.js';

export interface WorkerHandle {
  post(msg: ToWorker): void;
  /** Listeners for the worker's messages, its uncaught error, and its exit (after either). */
  listen(on: { message(m: FromWorker): void; error(e: Error): void; exit(code: number): void }): void;
  terminate(): Promise<void>;
}

export type SpawnWorker = (data: WorkerData) => WorkerHandle;

/** Node and the runtimes that emulate it (Bun, Deno's process global): worker_threads, not Web Workers. */
export function isNodeLike(): boolean {
  return typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';
}

const isTs = (url: string) => /\.[mc]?ts$/.test(new URL(url).pathname);

/** The worker entry's URL for this build (sources or bundle). */
export function workerEntryUrl(): string {
  const here = import.meta.url;
  return isTs(here) ? new URL('./worker-entry.ts', here).href : new URL('./tune-worker.js', here).href;
}

/** A spawner of Node worker threads for this objective module (a file URL). */
export async function nodeSpawner(moduleUrl: string, opts: Pick<WorkerOptions, 'resourceLimits'>): Promise<SpawnWorker> {
  const { Worker } = await import('node:worker_threads');
  const entry = workerEntryUrl();
  let source: string | URL = new URL(entry);
  let evalSource = false;
  if (isTs(entry) || (moduleUrl.startsWith('file:') && isTs(moduleUrl))) {
    const tsx = await tsxApi();
    source = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
    evalSource = true;
  }
  return (workerData) => {
    const w = new Worker(source, { eval: evalSource, workerData, ...(opts.resourceLimits ? { resourceLimits: opts.resourceLimits } : {}) });
    return {
      post: (msg) => w.postMessage(msg),
      listen(on) {
        w.on('message', on.message);
        w.on('error', on.error);
        w.on('exit', on.exit);
      },
      terminate: async () => { await w.terminate(); },
    };
  };
}

/** The URL of tsx's ESM API (to run TypeScript in workers), resolved from here or the cwd. */
async function tsxApi(): Promise<string> {
  const { createRequire } = await import('node:module');
  const { pathToFileURL } = await import('node:url');
  for (const base of [import.meta.url, pathToFileURL(`${process.cwd()}/package.json`).href]) {
    try {
      const cjs = createRequire(base).resolve('tsx/esm/api');
      return pathToFileURL(cjs.replace(/index\.cjs$/, 'index.mjs')).href;
    } catch { /* try the next base */ }
  }
  throw new Error('running TypeScript objective modules in workers needs tsx (npm i -D tsx), or pass a compiled .js module');
}
