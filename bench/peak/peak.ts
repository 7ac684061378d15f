// This machine's f32x4 ceilings, for bench/gemm.ts (compiled at bench time into
// build/peak.{simd,relaxed}.wasm). Each loop has no memory traffic and returns a lane so nothing
// is dead. V8 sinks loop-invariant splats into loops (re-materializing constants at every use)
// and merges equal products, so operands are loop-carried and swapped every iteration (register
// moves): accumulators multiply themselves by s = 2⁻²⁷ (c + c·s rounds back to c: values stay
// put, no overflow, no subnormals); the 4×8 block rotates its A and B registers.

/** 12 independent chains c = c + c·s as f32x4.mul + f32x4.add: 96 flops per iteration. */
export function peak_muladd(iters: i32, seed: f32): f32 {
  let s = f32x4.splat(7.450580596923828e-9), t = f32x4.splat(seed * 7.450580596923828e-9 / seed);
  let c0 = f32x4.splat(seed), c1 = f32x4.splat(seed + 1), c2 = f32x4.splat(seed + 2);
  let c3 = f32x4.splat(seed + 3), c4 = f32x4.splat(seed + 4), c5 = f32x4.splat(seed + 5);
  let c6 = f32x4.splat(seed + 6), c7 = f32x4.splat(seed + 7), c8 = f32x4.splat(seed + 8);
  let c9 = f32x4.splat(seed + 9), c10 = f32x4.splat(seed + 10), c11 = f32x4.splat(seed + 11);
  for (let i = 0; i < iters; i++) {
    c0 = f32x4.add(c0, f32x4.mul(c0, s)); c1 = f32x4.add(c1, f32x4.mul(c1, s));
    c2 = f32x4.add(c2, f32x4.mul(c2, s)); c3 = f32x4.add(c3, f32x4.mul(c3, s));
    c4 = f32x4.add(c4, f32x4.mul(c4, s)); c5 = f32x4.add(c5, f32x4.mul(c5, s));
    c6 = f32x4.add(c6, f32x4.mul(c6, t)); c7 = f32x4.add(c7, f32x4.mul(c7, t));
    c8 = f32x4.add(c8, f32x4.mul(c8, t)); c9 = f32x4.add(c9, f32x4.mul(c9, t));
    c10 = f32x4.add(c10, f32x4.mul(c10, t)); c11 = f32x4.add(c11, f32x4.mul(c11, t));
    const u = s; s = t; t = u;
  }
  return sum12(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11);
}

/** 12 independent chains c = relaxed_madd(c, s, c) (mul + add in the simd build): 96 flops. */
export function peak_madd(iters: i32, seed: f32): f32 {
  let s = f32x4.splat(7.450580596923828e-9), t = f32x4.splat(seed * 7.450580596923828e-9 / seed);
  let c0 = f32x4.splat(seed), c1 = f32x4.splat(seed + 1), c2 = f32x4.splat(seed + 2);
  let c3 = f32x4.splat(seed + 3), c4 = f32x4.splat(seed + 4), c5 = f32x4.splat(seed + 5);
  let c6 = f32x4.splat(seed + 6), c7 = f32x4.splat(seed + 7), c8 = f32x4.splat(seed + 8);
  let c9 = f32x4.splat(seed + 9), c10 = f32x4.splat(seed + 10), c11 = f32x4.splat(seed + 11);
  for (let i = 0; i < iters; i++) {
    c0 = madd(c0, s, c0); c1 = madd(c1, s, c1); c2 = madd(c2, s, c2); c3 = madd(c3, s, c3);
    c4 = madd(c4, s, c4); c5 = madd(c5, s, c5); c6 = madd(c6, t, c6); c7 = madd(c7, t, c7);
    c8 = madd(c8, t, c8); c9 = madd(c9, t, c9); c10 = madd(c10, t, c10); c11 = madd(c11, t, c11);
    const u = s; s = t; t = u;
  }
  return sum12(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11);
}

/** The GEMM micro-kernel's register block without loads: c[r][j] += a_r·b_j for 4 A splats and
 * 2 B vectors into 8 accumulators (madd); the operand registers then rotate (moves) so V8 can
 * neither treat them as constants nor merge equal products: 64 flops per iteration. */
export function peak_block4x8(iters: i32, seed: f32): f32 {
  let a0 = f32x4.splat(seed), a1 = f32x4.splat(seed * 0.5), a2 = f32x4.splat(seed * 0.25);
  let a3 = f32x4.splat(seed * 0.125), b0 = f32x4.splat(seed * 0.75), b1 = f32x4.splat(seed * 0.375);
  let c0 = f32x4.splat(0), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
  for (let i = 0; i < iters; i++) {
    c0 = madd(a0, b0, c0); c1 = madd(a0, b1, c1); c2 = madd(a1, b0, c2); c3 = madd(a1, b1, c3);
    c4 = madd(a2, b0, c4); c5 = madd(a2, b1, c5); c6 = madd(a3, b0, c6); c7 = madd(a3, b1, c7);
    const t = a0; a0 = a1; a1 = a2; a2 = a3; a3 = t;
    const u = b0; b0 = b1; b1 = u;
  }
  return sum12(c0, c1, c2, c3, c4, c5, c6, c7, a0, a1, b0, b1);
}

@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

function sum12(c0: v128, c1: v128, c2: v128, c3: v128, c4: v128, c5: v128, c6: v128, c7: v128,
  c8: v128, c9: v128, c10: v128, c11: v128): f32 {
  const s = f32x4.add(f32x4.add(f32x4.add(c0, c1), f32x4.add(c2, c3)),
    f32x4.add(f32x4.add(c4, c5), f32x4.add(c6, c7)));
  return f32x4.extract_lane(f32x4.add(s, f32x4.add(f32x4.add(c8, c9), f32x4.add(c10, c11))), 0);
}
