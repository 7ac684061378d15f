// What a kernel call costs one thread, roughly, and the least work worth a share: the split
// decision of parallel-kernels.ts. A call is cut into shares of at least MIN_SHARE_NS of one
// thread's time, so a kernel below twice that stays whole on the calling thread (publishing a job
// and waking a spinning worker costs about 1–4 µs, measured by bench/threads.ts, which also
// re-measures these per-unit costs). The costs are per element (per float touched) unless said.

/** The least single-thread time (ns) one share must hold. */
export const MIN_SHARE_NS = 8000;

/** ns per unit of one thread (the simd build on an x86-64 core, in-cache operands; the values
 * bench/threads.ts measured on the quiet machine, its "Single-thread cost per unit" table). */
export const COST = {
  /** per f32 FMA pair (2 flops) of a GEMM: ~45 GFLOP/s */
  gemmFlop: 0.022,
  /** per element of op(A) packed into tiles (pre-splatted in the simd build: 16 bytes written) */
  gemmPackA: 0.3,
  /** per element of op(B) packed into panels */
  gemmPackB: 0.15,
  fill: 0.08,
  /** add, mul, relu, affine, clamp, copies: bound by loads and stores */
  light: 0.38,
  copy: 0.3,
  /** exp, log, tanh, sigmoid: a polynomial per element */
  transcendental: 0.77,
  /** gelu, silu and their derivatives */
  heavy: 2.3,
  /** f64 pow per element */
  pow: 12,
  /** Philox: a block of 10 rounds per four uniforms (two normals, with log and sin/cos) */
  random: 2.5,
  normal: 9,
  /** SGD and Adagrad updates: 3 streams per element */
  optimizer: 0.21,
  /** Adam and RMSprop updates: 5–7 streams, a square root and a division per element */
  adaptive: 0.6,
  /** reductions, per input element */
  reduce: 0.2,
  /** softmax-like rows (max, exp, sum, scale), per element */
  softmax: 1.2,
  /** fused recurrent cells, per hidden unit of a row (several gates) */
  cell: 9.5,
} as const;

/** How finely to split: 'measured' uses the costs above; 'finest' splits every call that can be
 * split (tests: every kernel's split paths at small sizes). */
export type Grain = 'measured' | 'finest';
