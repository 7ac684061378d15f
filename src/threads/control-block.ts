// The kernel threads' control block: where, in the heap's reserved first 64 KiB (the allocator
// never hands it out), the calling thread publishes a job and every thread claims its shares.
//
// Contract. A job is one kernel split into n ≤ MAX_SHARES shares, each a complete call of that
// kernel with its own arguments (f64 slots: pointers, counts and f32 scalars are all exact in f64).
// The caller writes KERNEL and the arguments, then publishes the 64-bit CLAIM word
// [epoch (32 bits) | n (16) | next (16)] with next = 0, bumps WAKE and wakes sleepers. Any thread
// — the caller included — takes share `next` by compare-exchanging CLAIM to next + 1, runs it, and
// counts it in DONE; the last one notifies DONE. Because the epoch travels in the same word as
// the counter, a thread that read an old job can never claim a share of a newer one (its exchange
// fails), and arguments read before a successful exchange are the job's own: the caller rewrites
// them only after all n shares are done. Which thread runs which share does not matter — every
// share is the same computation wherever it runs — so a slow, busy or dead worker never changes a
// result, and the caller simply runs whatever is left.
// `claimShares` is stringified into the worker's source: it may use only its parameters and
// globals (no imports, no module constants).

/** Byte offset of the block in the heap (inside the reserved first page). */
export const CTRL = 8192;
/** Most shares in one job, and most threads in one pool. */
export const MAX_SHARES = 128;
export const MAX_THREADS = 64;
/** f64 argument slots per share (the widest kernel takes 21 arguments). */
export const ARG_STRIDE = 24;
/** Characters kept of a failed share's error message. */
export const MSG_CHARS = 240;

/** Int32 slots and byte offsets of the block (passed to workers as data). */
export const LAYOUT = {
  WAKE: 0, DONE: 1, KERNEL: 2, FAILED: 3, SLEEPERS: 4, READY: 5, QUIT: 6, BY_WORKERS: 7,
  INTS: 16, CLAIM_BYTE: 64, MSG_BYTE: 128, RESULTS_BYTE: 128 + 4 * (MSG_CHARS + 16),
  ARGS_BYTE: 128 + 4 * (MSG_CHARS + 16) + 8 * MAX_SHARES, ARG_STRIDE, MAX_SHARES, MSG_CHARS, CTRL,
} as const;
export type Layout = typeof LAYOUT;

/** Typed views of the block over a (shared) buffer. The block lies in the first page, which never
 * moves, so views made once stay valid however the memory grows. */
export interface ControlViews {
  i32: Int32Array;
  claim: BigInt64Array;
  msg: Int32Array;
  results: Float64Array;
  args: Float64Array;
}

export function controlViews(buffer: ArrayBufferLike, L: Layout): ControlViews {
  return {
    i32: new Int32Array(buffer, L.CTRL, L.INTS),
    claim: new BigInt64Array(buffer, L.CTRL + L.CLAIM_BYTE, 1),
    msg: new Int32Array(buffer, L.CTRL + L.MSG_BYTE, L.MSG_CHARS + 1),
    results: new Float64Array(buffer, L.CTRL + L.RESULTS_BYTE, L.MAX_SHARES),
    args: new Float64Array(buffer, L.CTRL + L.ARGS_BYTE, L.MAX_SHARES * L.ARG_STRIDE),
  };
}

type KernelFn = (...args: number[]) => unknown;

/**
 * Claims and runs shares of the published job until none is left; returns how many this thread
 * ran. A share that throws is counted as done and failed (its message kept in the block), so the
 * job still completes and the caller reports the failure.
 */
export function claimShares(L: Layout, v: ControlViews, fns: (KernelFn | undefined)[], a: number[]): number {
  let ran = 0;
  let w = Atomics.load(v.claim, 0);
  for (;;) {
    const next = Number(w & 0xffffn), n = Number((w >> 16n) & 0xffffn);
    if (next >= n) return ran;
    const f = fns[Atomics.load(v.i32, L.KERNEL)]; // trusted only once the exchange below succeeds
    const base = next * L.ARG_STRIDE, na = f ? f.length : 0;
    a.length = na;
    for (let j = 0; j < na; j++) a[j] = v.args[base + j]!;
    const got = Atomics.compareExchange(v.claim, 0, w, w + 1n);
    if (got !== w) { w = got; continue; }
    try {
      const r = f!.apply(null, a);
      if (typeof r === 'number') v.results[next] = r;
    } catch (e) {
      const text = String((e as Error)?.message ?? e).slice(0, L.MSG_CHARS);
      for (let k = 0; k < text.length; k++) v.msg[k + 1] = text.charCodeAt(k);
      v.msg[0] = text.length;
      Atomics.add(v.i32, L.FAILED, 1);
    }
    ran++;
    if (Atomics.add(v.i32, L.DONE, 1) + 1 === n) Atomics.notify(v.i32, L.DONE);
    w = Atomics.load(v.claim, 0);
  }
}
