// The kernel thread pool: the calling thread plus N − 1 workers over one shared memory.
//
// Contract: `run(kernel, n)` runs the n shares whose arguments were written with `share()` and
// returns when all are done; the calling thread publishes the job (control-block.ts), wakes
// sleeping workers with one Atomics.notify, runs shares itself until none is left, then waits for
// the rest: Atomics.wait where the thread may block, a spin on a browser's main thread. Results
// never depend on which thread ran a share. A worker that dies (its error or exit event, seen
// between two kernels) makes the pool fall back to the calling thread alone, with one warning; a
// share still unfinished after `patience` (60 s plus 20× the calling thread's own share time) is
// given up on: the call throws BackendError and the pool falls back. Nothing here allocates per
// job but the claim word's BigInt.
import { BackendError } from '../errors.js';
import { LAYOUT as L, MAX_SHARES, claimShares, controlViews, type ControlViews } from './control-block.js';
import { spawnKernelWorkers, type KernelWorker } from './worker-host.js';

/** How long a worker spins for the next job before it sleeps (ms). */
const SPIN_MS = 0.3;
/** How long workers may take to start (ms). */
const START_MS = 30_000;
const PATIENCE_MS = 60_000;
/** Slot used once to learn whether this thread may block in Atomics.wait. */
const PROBE = 15;

export interface PoolStats { jobs: number; shares: number; sharesByWorkers: number }

export class KernelPool {
  private readonly v: ControlViews;
  private readonly a: number[] = [];
  private readonly canBlock: boolean;
  private epoch = 0;
  private live = true;
  private dead: string | undefined;
  private jobs = 0;
  private shares = 0;

  private constructor(
    readonly threads: number, private readonly workers: KernelWorker[], memory: WebAssembly.Memory,
    private readonly names: readonly string[], private readonly fns: ((...a: number[]) => unknown)[],
  ) {
    this.v = controlViews(memory.buffer, L);
    this.canBlock = mayBlock(this.v.i32);
    for (const w of workers) w.onDeath((reason) => { this.dead ??= reason; });
  }

  /** Starts threads − 1 workers instantiating `module` over `memory`; rejects if any cannot start. */
  static async start(module: WebAssembly.Module, memory: WebAssembly.Memory, exports: Record<string, unknown>,
    names: readonly string[], threads: number): Promise<KernelPool> {
    new Int32Array(memory.buffer, L.CTRL, L.INTS).fill(0);
    const workers = await spawnKernelWorkers(threads - 1, { module, memory, names: [...names], layout: L, spinMs: SPIN_MS });
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([Promise.all(workers.map((w) => w.ready)), new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`not ready after ${START_MS / 1000} s`)), START_MS);
      })]);
    } catch (e) {
      for (const w of workers) w.terminate();
      throw e;
    } finally {
      clearTimeout(timer);
    }
    const fns = names.map((n) => exports[n] as (...a: number[]) => unknown);
    return new KernelPool(threads, workers, memory, names, fns);
  }

  /** Threads that take part now: `threads`, or 1 once the pool fell back or closed. */
  get active(): number {
    this.checkWorkers();
    return this.live ? this.threads : 1;
  }

  /** The index of a kernel export in this pool's list (what run() takes). */
  kernelIndex(name: string): number {
    return this.names.indexOf(name);
  }

  /** Writes the arguments of share s of the next job. */
  share(s: number, ...args: number[]): void {
    this.v.args.set(args, s * L.ARG_STRIDE);
  }

  /** The value share s returned in the last job (kernels that return a number). */
  result(s: number): number {
    return this.v.results[s]!;
  }

  /** Runs shares 0 … n − 1 of kernel `k` (an index into the pool's names) and waits for them. */
  run(k: number, n: number): void {
    if (n > MAX_SHARES) throw new RangeError(`a job has at most ${MAX_SHARES} shares, got ${n}`);
    this.checkWorkers();
    const { i32, claim } = this.v;
    this.epoch = (this.epoch + 1) >>> 0;
    Atomics.store(i32, L.DONE, 0);
    Atomics.store(i32, L.FAILED, 0);
    Atomics.store(i32, L.KERNEL, k);
    Atomics.store(claim, 0, (BigInt(this.epoch) << 32n) | (BigInt(n) << 16n));
    this.jobs++;
    this.shares += n;
    if (this.live) {
      Atomics.add(i32, L.WAKE, 1);
      const sleepers = Atomics.load(i32, L.SLEEPERS);
      if (sleepers > 0) Atomics.notify(i32, L.WAKE, Math.min(sleepers, n - 1));
    }
    const t0 = performance.now();
    claimShares(L, this.v, this.fns, this.a);
    if (Atomics.load(i32, L.DONE) < n) this.waitDone(n, k, performance.now() - t0);
    if (Atomics.load(i32, L.FAILED) > 0) {
      const msg = this.v.msg;
      throw new BackendError(`kernel ${this.names[k]} failed: ${String.fromCharCode(...msg.subarray(1, 1 + msg[0]!))}`);
    }
  }

  /** Waits until n shares are done: spins a little, then blocks in slices (or spins on). */
  private waitDone(n: number, k: number, ownMs: number): void {
    const i32 = this.v.i32;
    const start = performance.now(), spinUntil = start + Math.min(0.2, 2 * ownMs);
    const giveUp = start + PATIENCE_MS + 20 * ownMs;
    for (let d = Atomics.load(i32, L.DONE), spins = 0; d < n; d = Atomics.load(i32, L.DONE)) {
      if ((++spins & 63) !== 0) continue;
      const now = performance.now();
      if (now > giveUp) {
        const why = `a kernel thread did not finish its share of ${this.names[k]} within ${((now - start) / 1000).toFixed(0)} s`;
        this.fallBack(why);
        throw new BackendError(`${why}; simdgrad continues on one thread`);
      }
      if (this.canBlock && now > spinUntil) Atomics.wait(i32, L.DONE, d, 20);
    }
  }

  private checkWorkers(): void {
    if (this.live && this.dead !== undefined) {
      this.fallBack(this.dead);
      console.warn(`simdgrad: a kernel thread stopped (${this.dead}); kernels continue on one thread`);
    }
  }

  private fallBack(reason: string): void {
    this.dead ??= reason;
    this.close();
  }

  /** Ends worker i as a crash would (tests: the pool must fall back). */
  crashWorker(i: number): void {
    this.workers[i]?.crash();
  }

  /** Shares run so far, and how many of them ran on workers. */
  stats(): PoolStats {
    return { jobs: this.jobs, shares: this.shares, sharesByWorkers: Atomics.load(this.v.i32, L.BY_WORKERS) };
  }

  /** Stops the workers; later jobs run on the calling thread alone. */
  close(): void {
    if (!this.live) return;
    this.live = false;
    const i32 = this.v.i32;
    Atomics.store(i32, L.QUIT, 1);
    Atomics.add(i32, L.WAKE, 1);
    Atomics.notify(i32, L.WAKE);
    for (const w of this.workers) w.terminate();
  }
}

/** Whether this thread may block in Atomics.wait (not a browser's main thread). */
function mayBlock(i32: Int32Array): boolean {
  try {
    Atomics.wait(i32, PROBE, 1, 0);
    return true;
  } catch {
    return false;
  }
}
