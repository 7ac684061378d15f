// Starting kernel workers in each runtime. Node, Bun and Deno (every runtime with a `process`
// global that names a Node version): node:worker_threads with the source as `eval` code and the
// data in workerData, unref'd so a pool never keeps the process alive (Deno's Web Workers would).
// Browsers: a module Web Worker from a blob: URL, the data as its first message.
// Contract: spawnKernelWorkers(n, data) starts n workers; each handle's `ready` resolves once the
// worker instantiated the module, or rejects (its start failed: no workers allowed, the module
// does not link, the script was refused); after that, `onDeath` reports an error or exit once.
import { nodeWorkerSource, webWorkerSource, type KernelWorkerData } from './kernel-worker.js';

export interface KernelWorker {
  readonly ready: Promise<void>;
  /** Registers the one callback for the worker's death after it started. */
  onDeath(fn: (reason: string) => void): void;
  terminate(): void;
  /** Ends the worker as a crash would: its death is reported (tests). */
  crash(): void;
}

/** Node and the runtimes that emulate its worker_threads (Bun, Deno). */
export function hasNodeWorkers(): boolean {
  return typeof (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions?.node === 'string';
}

interface Events {
  ready(): void; failed(reason: string): void; died(reason: string): void;
}

/** Wires a worker's events to a handle; `start` returns how to stop the worker. */
function handle(start: (ev: Events) => () => void): KernelWorker {
  let started = false, dead = false, death: ((r: string) => void) | undefined;
  let resolve!: () => void, reject!: (e: Error) => void;
  const ready = new Promise<void>((res, rej) => { resolve = res; reject = rej; });
  ready.catch(() => undefined);
  const stop = start({
    ready: () => { started = true; resolve(); },
    failed: (r) => { dead = true; reject(new Error(r)); },
    died: (r) => {
      if (dead) return;
      dead = true;
      if (started) death?.(r); else reject(new Error(r));
    },
  });
  return {
    ready, onDeath: (fn) => { death = fn; }, terminate: () => { dead = true; stop(); },
    crash: () => { stop(); if (!hasNodeWorkers()) death?.('crashed'); }, // browsers report no exit
  };
}

/** Starts n kernel workers over `data` (one shared module and memory). */
export async function spawnKernelWorkers(n: number, data: KernelWorkerData): Promise<KernelWorker[]> {
  if (hasNodeWorkers()) {
    const { Worker } = await import('node:worker_threads');
    const source = nodeWorkerSource();
    return Array.from({ length: n }, () => handle((ev) => {
      const w = new Worker(source, { eval: true, workerData: data, name: 'simdgrad-kernels' } as ConstructorParameters<typeof Worker>[1]);
      w.on('message', (m: { type: string; message?: string }) => (m.type === 'ready' ? ev.ready() : ev.failed(`${m.message}`)));
      w.on('error', (e: Error) => ev.died(`${e.name}: ${e.message}`));
      w.on('exit', (code: number) => ev.died(`it exited with code ${code}`));
      w.unref(); // after the listeners: adding a 'message' listener refs the worker's port again
      return () => { void w.terminate(); };
    }));
  }
  const g = globalThis as unknown as {
    Worker: new (url: string, o: { type: 'module'; name: string }) => {
      postMessage(m: unknown): void; terminate(): void;
      addEventListener(t: string, fn: (e: { data?: { type: string; message?: string }; message?: string }) => void): void;
    };
  };
  const url = URL.createObjectURL(new Blob([webWorkerSource()], { type: 'text/javascript' }));
  return Array.from({ length: n }, () => handle((ev) => {
    const w = new g.Worker(url, { type: 'module', name: 'simdgrad-kernels' });
    w.addEventListener('message', (e) => (e.data?.type === 'ready' ? ev.ready() : ev.failed(`${e.data?.message}`)));
    w.addEventListener('error', (e) => ev.died(e.message ? `Error: ${e.message}` : 'its script failed to load or threw'));
    w.postMessage(data);
    return () => w.terminate();
  }));
}
