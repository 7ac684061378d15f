// The kernel set on a pool: each kernel that pays for splitting is replaced by a wrapper that cuts
// the call into shares (partition.ts), each a complete call of the same export with its own
// pointers and counts, and runs them on the pool; a call too small to pay stays one call on the
// calling thread. Every other kernel is the export itself.
// Contract: the wrapped set computes exactly the bits of the single-threaded kernels at any thread
// count — each output is written by one share, computed in the same order as in one call
// (partition.ts says why) — and satisfies the same Kernels interface, workspaces included
// (gemm_workspace_f32 sizes one workspace per share).
// Not split: sum_squares_f32 (an f64 sum whose order a split would change), embedding backward
// (rows scatter into shared gradient rows), batch-norm statistics and backward (per-channel sums
// over the images, and a channel range is not contiguous in [n, c, hw]), and reductions and
// softmax rows only along their independent outer axis.
import type { Kernels } from '../backend/backend.js';
import type { KernelPool } from './kernel-pool.js';
import { rangeSplit } from './partition.js';
import { COST, MIN_SHARE_NS, type Grain } from './cost.js';
import { parallelGemm } from './parallel-gemm.js';
import type { GemmSharing } from './gemm-sharing.js';
import { parallelMaskedSoftmax } from './parallel-masked-softmax.js';
import { parallelConv } from './parallel-conv.js';

type Fn = (...a: number[]) => unknown;

/** Which argument counts the units a kernel is split along, and how far each pointer moves per unit. */
interface RangeSpec {
  /** Index of the unit count (elements or rows). */
  count: number;
  /** [argument index, bytes per unit] for every pointer that moves with the range (0 stays 0). */
  ptrs: [number, (a: number[]) => number][];
  /** ns of one thread per unit (for the split decision). */
  cost: (a: number[]) => number;
  /** Units a share starts at a multiple of. */
  align: number;
  /** An argument that counts elements from the start (random offsets): moved by the start, mod 2³². */
  offset?: number;
}

const f4 = () => 4;
const elementwise = (count: number, ptrs: number[], ns: number, offset?: number): RangeSpec =>
  ({ count, ptrs: ptrs.map((p) => [p, f4]), cost: () => ns, align: 16, ...(offset === undefined ? {} : { offset }) });
/** A kernel over rows: pointer p moves `per` floats per row — a multiple of width(args), or one (a
 * value per row) when written as [p, 0]. */
const rowwise = (count: number, ptrs: [number, number][], width: (a: number[]) => number, nsPerFloat: number): RangeSpec =>
  ({ count, ptrs: ptrs.map(([p, per]) => [p, (a) => 4 * (per ? per * width(a) : 1)]), cost: (a) => nsPerFloat * width(a), align: 1 });

/** A kernel over independent units (planes, images): pointer p moves floats(args) floats per unit. */
const units = (count: number, ptrs: [number, (a: number[]) => number][], cost: (a: number[]) => number): RangeSpec =>
  ({ count, ptrs: ptrs.map(([p, floats]) => [p, (a) => 4 * floats(a)]), cost, align: 1 });

const U = COST;
/** (out, x, outer, len, inner): by outer rows, out moving `inner` floats and x `len·inner`. */
const reduce: RangeSpec = { count: 2, ptrs: [[0, (a) => 4 * a[4]!], [1, (a) => 4 * a[3]! * a[4]!]], cost: (a) => U.reduce * a[3]! * a[4]!, align: 1 };
const SPECS: Partial<Record<keyof Kernels, RangeSpec>> = {
  affine_f32: elementwise(2, [0, 1], U.light), fill_f32: elementwise(1, [0], U.fill),
  clamp_f32: elementwise(2, [0, 1], U.light),
  abs_f32: elementwise(2, [0, 1], U.light), neg_f32: elementwise(2, [0, 1], U.light),
  relu_f32: elementwise(2, [0, 1], U.light), sqrt_f32: elementwise(2, [0, 1], U.light),
  exp_f32: elementwise(2, [0, 1], U.transcendental), log_f32: elementwise(2, [0, 1], U.transcendental),
  tanh_f32: elementwise(2, [0, 1], U.transcendental), sigmoid_f32: elementwise(2, [0, 1], U.transcendental),
  gelu_f32: elementwise(2, [0, 1], U.heavy), silu_f32: elementwise(2, [0, 1], U.transcendental),
  leaky_relu_f32: elementwise(2, [0, 1], U.light), pow_scalar_f32: elementwise(2, [0, 1], U.pow),
  rnn_cell_f32: elementwise(2, [0, 1], U.transcendental), rnn_cell_backward_f32: elementwise(3, [0, 1, 2], U.light),
  rand_uniform_f32: elementwise(1, [0], U.random, 4), dropout_mask_f32: elementwise(1, [0], U.random, 4),
  rand_normal_f32: elementwise(1, [0], U.normal, 4),
  sgd_f32: elementwise(3, [0, 1, 2], U.optimizer), adam_f32: elementwise(5, [0, 1, 2, 3, 4], U.adaptive),
  rmsprop_f32: elementwise(5, [0, 1, 2, 3, 4], U.adaptive), adagrad_f32: elementwise(3, [0, 1, 2], U.optimizer),
  sum_f32: reduce, mean_f32: reduce, max_f32: reduce, argmax_f32: reduce,
  softmax_f32: rowwise(2, [[0, 1], [1, 1]], (a) => a[3]!, U.softmax),
  log_softmax_f32: rowwise(2, [[0, 1], [1, 1]], (a) => a[3]!, U.softmax),
  softmax_backward_f32: rowwise(3, [[0, 1], [1, 1], [2, 1]], (a) => a[4]!, U.light),
  log_softmax_backward_f32: rowwise(3, [[0, 1], [1, 1], [2, 1]], (a) => a[4]!, U.transcendental),
  softmax_xent_f32: rowwise(3, [[0, 0], [1, 1], [2, 0]], (a) => a[4]!, U.softmax),
  softmax_xent_backward_f32: rowwise(4, [[0, 1], [1, 1], [2, 0], [3, 0]], (a) => a[5]!, U.softmax),
  lstm_cell_f32: rowwise(4, [[0, 1], [1, 1], [2, 4], [3, 1]], (a) => a[5]!, U.cell),
  lstm_cell_backward_f32: rowwise(7, [[0, 4], [1, 1], [2, 4], [3, 1], [4, 1], [5, 1], [6, 1]], (a) => a[8]!, U.cell),
  gru_cell_f32: rowwise(5, [[0, 1], [1, 1], [2, 3], [3, 3], [4, 1]], (a) => a[6]!, U.cell),
  gru_cell_backward_f32: rowwise(7, [[0, 3], [1, 3], [2, 1], [3, 3], [4, 1], [5, 1], [6, 1]], (a) => a[8]!, U.cell),
  // pooling by planes, batch normalisation by images (its statistics and backward sum over images:
  // not split); convolutions: parallel-conv.ts
  max_pool2d_f32: units(3, [[0, (a) => a[6]! * a[7]!], [1, (a) => a[6]! * a[7]!], [2, (a) => a[4]! * a[5]!]],
    (a) => U.light * a[6]! * a[7]! * a[8]! * a[9]!),
  max_pool2d_backward_f32: units(3, [[0, (a) => a[4]! * a[5]!], [1, (a) => a[6]! * a[7]!], [2, (a) => a[6]! * a[7]!]],
    (a) => U.light * a[6]! * a[7]!),
  avg_pool2d_f32: units(2, [[0, (a) => a[5]! * a[6]!], [1, (a) => a[3]! * a[4]!]], (a) => U.light * a[5]! * a[6]! * a[7]! * a[8]!),
  avg_pool2d_backward_f32: units(2, [[0, (a) => a[3]! * a[4]!], [1, (a) => a[5]! * a[6]!]], (a) => U.light * a[5]! * a[6]! * a[7]! * a[8]!),
  batch_norm_f32: units(6, [[0, (a) => a[7]! * a[8]!], [1, (a) => a[7]! * a[8]!]], (a) => U.light * a[7]! * a[8]!),
  embedding_f32: { count: 3, ptrs: [[0, (a) => 4 * a[4]!], [2, f4]], cost: (a) => U.light * a[4]!, align: 1 },
  softmax_masked_backward_f32: undefined, // split by parallelMaskedSoftmax (causal rows)
};
// The unary backward kernels: (dx, x, y, dy, n[, p]).
for (const op of ['neg', 'abs', 'relu', 'sqrt', 'leaky_relu', 'exp', 'log', 'tanh', 'sigmoid', 'silu', 'gelu', 'pow_scalar'] as const) {
  const heavy = op === 'gelu' || op === 'silu' ? U.heavy : op === 'pow_scalar' ? U.pow : U.light;
  SPECS[`${op}_backward_f32`] = elementwise(4, [0, 1, 2, 3], heavy);
}

/** The pool's kernel set: exports, with the splittable ones wrapped. */
export function parallelKernels(exports: Kernels, pool: KernelPool, names: readonly string[], grain: Grain = 'measured',
  gemmSharing: GemmSharing = 'auto'): Kernels {
  const minShare = grain === 'measured' ? MIN_SHARE_NS : 0;
  const id = (name: string) => names.indexOf(name);
  const out: Record<string, unknown> = { ...exports };
  for (const [name, spec] of Object.entries(SPECS)) {
    if (spec) out[name] = ranged(pool, id(name), exports[name as keyof Kernels] as Fn, spec, minShare);
  }
  for (const name of ['add_f32', 'sub_f32', 'mul_f32', 'div_f32', 'maximum_f32', 'minimum_f32', 'pow_f32'] as const) {
    out[name] = binary(pool, id(name), exports[name] as Fn, name === 'pow_f32' ? U.pow : U.light, minShare);
  }
  out.abs_max_f32 = absMax(pool, id('abs_max_f32'), exports.abs_max_f32 as Fn, minShare);
  out.copy_strided_f32 = copyStrided(pool, id('copy_strided_f32'), exports.copy_strided_f32 as Fn, minShare);
  Object.assign(out, parallelGemm(exports, pool, id, minShare, gemmSharing),
    parallelMaskedSoftmax(exports, pool, id, minShare), parallelConv(exports, pool, id, minShare));
  return out as unknown as Kernels;
}

/** Writes share s of a range split: the call's arguments with its count and pointers moved. */
function putRange(pool: KernelPool, s: number, a: number[], spec: RangeSpec, start: number, units: number): void {
  const sub = a.slice();
  sub[spec.count] = units;
  for (const [p, bytes] of spec.ptrs) if (sub[p]) sub[p] += start * bytes(a);
  if (spec.offset !== undefined) sub[spec.offset] = (sub[spec.offset]! + start) >>> 0;
  pool.share(s, ...sub);
}

function ranged(pool: KernelPool, k: number, f: Fn, spec: RangeSpec, minShare: number): Fn {
  return (...a: number[]) => {
    const n = a[spec.count]!;
    const { shares, step } = rangeSplit(n, spec.cost(a), spec.align, pool.active, minShare);
    if (shares < 2) return f(...a);
    for (let s = 0; s < shares; s++) putRange(pool, s, a, spec, s * step, Math.min(step, n - s * step));
    pool.run(k, shares);
  };
}

/** Binary elementwise (out, a, b, outer, inner, aOuter, aInner, bOuter, bInner): by rows, or along
 * the one row. */
function binary(pool: KernelPool, k: number, f: Fn, ns: number, minShare: number): Fn {
  const rows: RangeSpec = { count: 3, ptrs: [[0, (a) => 4 * a[4]!], [1, (a) => 4 * a[5]!], [2, (a) => 4 * a[7]!]], cost: (a) => ns * a[4]!, align: 1 };
  const flat: RangeSpec = { count: 4, ptrs: [[0, f4], [1, (a) => 4 * a[6]!], [2, (a) => 4 * a[8]!]], cost: () => ns, align: 16 };
  const byRows = ranged(pool, k, f, rows, minShare), alongRow = ranged(pool, k, f, flat, minShare);
  return (...a: number[]) => (a[3] === 1 ? alongRow(...a) : byRows(...a));
}

/** max |x|: shares' maxima combined (NaN if any is NaN, as the kernel). */
function absMax(pool: KernelPool, k: number, f: Fn, minShare: number): Fn {
  return (x: number, n: number) => {
    const { shares, step } = rangeSplit(n, COST.light, 16, pool.active, minShare);
    if (shares < 2) return f(x, n);
    for (let s = 0; s < shares; s++) pool.share(s, x + 4 * s * step, Math.min(step, n - s * step));
    pool.run(k, shares);
    let m = 0;
    for (let s = 0; s < shares; s++) { const r = pool.result(s); m = r > m || r !== r ? r : m; }
    return m;
  };
}

/** copy_strided (out, x, d0..d3, o0..o3, x0..x3): along the first dimension above 1. */
function copyStrided(pool: KernelPool, k: number, f: Fn, minShare: number): Fn {
  return (...a: number[]) => {
    const d = a[2]! > 1 ? 0 : a[3]! > 1 ? 1 : a[4]! > 1 ? 2 : 3;
    const inner = a.slice(3 + d, 6).reduce((p, v) => p * v, 1);
    const { shares, step } = rangeSplit(a[2 + d]!, COST.copy * inner, 1, pool.active, minShare);
    if (shares < 2) return f(...a);
    for (let s = 0; s < shares; s++) {
      const sub = a.slice(), start = s * step;
      sub[2 + d] = Math.min(step, a[2 + d]! - start);
      sub[0] = a[0]! + 4 * start * a[6 + d]!;
      sub[1] = a[1]! + 4 * start * a[10 + d]!;
      pool.share(s, ...sub);
    }
    pool.run(k, shares);
  };
}
