// The kernel worker: what each of the N − 1 helper threads runs. It instantiates the shared-memory
// build (the Module the pool compiled once) against the pool's one shared WebAssembly.Memory, says
// ready, and loops for ever: spin briefly on the block's WAKE word, else sleep in Atomics.wait;
// on a new job claim and run shares (control-block.ts) until none is left. No postMessage per job.
// It ends when the pool sets QUIT (or terminates it).
// The source is built from these self-contained functions (stringified: they use only their
// parameters and globals), so no worker script has to be located next to the bundle: Node, Bun and
// Deno run it through worker_threads with `eval` (unref'd: a pool never keeps a process alive),
// browsers as a module Web Worker from a blob: URL.
import { claimShares, controlViews, type Layout } from './control-block.js';

/** What the pool hands each worker. */
export interface KernelWorkerData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** Kernel export names; a job's KERNEL is an index into this list. */
  names: string[];
  layout: Layout;
  /** How long a worker spins on WAKE after a job before it sleeps (ms). */
  spinMs: number;
}

type Claim = typeof claimShares;
type Views = typeof controlViews;

/** The worker's body. `post` reports 'ready' (or the failure) to the pool. */
export function kernelWorkerMain(d: KernelWorkerData, post: (m: unknown) => void, claim: Claim, views: Views): void {
  let fns: ((...a: number[]) => unknown)[];
  try {
    const ex = new WebAssembly.Instance(d.module, { env: { memory: d.memory } }).exports;
    fns = d.names.map((n) => ex[n] as (...a: number[]) => unknown);
  } catch (e) {
    post({ type: 'failed', message: String((e as Error)?.message ?? e) });
    return;
  }
  const L = d.layout, v = views(d.memory.buffer, L), i32 = v.i32, a: number[] = [];
  Atomics.add(i32, L.READY, 1);
  post({ type: 'ready' });
  let seen = Atomics.load(i32, L.WAKE);
  for (;;) {
    let s = Atomics.load(i32, L.WAKE);
    if (s === seen) {
      const until = performance.now() + d.spinMs;
      for (let k = 1; s === seen; k++) {
        if ((k & 255) === 0 && performance.now() > until) break;
        s = Atomics.load(i32, L.WAKE);
      }
      if (s === seen) {
        Atomics.add(i32, L.SLEEPERS, 1);
        Atomics.wait(i32, L.WAKE, seen);
        Atomics.sub(i32, L.SLEEPERS, 1);
        continue;
      }
    }
    seen = s;
    if (Atomics.load(i32, L.QUIT)) return;
    const ran = claim(L, v, fns, a);
    if (ran) Atomics.add(i32, L.BY_WORKERS, ran);
  }
}

const call = `(${String(kernelWorkerMain)})`;
const deps = `(${String(claimShares)}), (${String(controlViews)})`;

/** The worker's source for Node's worker_threads (`eval: true`; data in workerData). A dynamic
 * import, not require: the eval code is a module when the process runs with --input-type=module
 * (workers inherit execArgv, which also carries V8 flags such as relaxed SIMD on Node 20). */
export function nodeWorkerSource(): string {
  return `import('node:worker_threads').then(({ workerData, parentPort }) =>
${call}(workerData, (m) => parentPort.postMessage(m), ${deps}));`;
}

/** The worker's source for a module Web Worker (data in its first message). */
export function webWorkerSource(): string {
  return `self.onmessage = (e) => { self.onmessage = null;
${call}(e.data, (m) => self.postMessage(m), ${deps}); };`;
}
