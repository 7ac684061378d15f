// Counter-based random numbers: Philox4x32-10 (Salmon et al. 2011), exactly as specified in
// backend.ts — key (seedLo, seedHi), counter (block, 0, 0, 0). Element j = offset + i (u32):
// uniforms/dropout use word j & 3 of block j >>> 2; normals use words 0, 1 of block j >>> 1
// (Box–Muller in f64: cos for even j, sin for odd j). Uniforms and masks are bit-identical to the
// JS reference on every backend; normals agree to last-bit rounding of log/cos/sin.
import { log64, sincos2pi } from './vmath';

@inline const M0: u64 = 0xD2511F53; @inline const M1: u64 = 0xCD9E8D57;
@inline const W0: u32 = 0x9E3779B9; @inline const W1: u32 = 0xBB67AE85;

// The current block's four output words (globals: no memory, no allocation).
let r0: u32 = 0, r1: u32 = 0, r2: u32 = 0, r3: u32 = 0;

function philox(block: u32, k0: u32, k1: u32): void {
  let c0 = block, c1: u32 = 0, c2: u32 = 0, c3: u32 = 0;
  for (let round = 0; round < 10; round++) {
    const p0 = M0 * <u64>c0, p1 = M1 * <u64>c2;
    const hi0 = <u32>(p0 >> 32), lo0 = <u32>p0, hi1 = <u32>(p1 >> 32), lo1 = <u32>p1;
    c0 = hi1 ^ c1 ^ k0; c1 = lo1; c2 = hi0 ^ c3 ^ k1; c3 = lo0;
    k0 += W0; k1 += W1;
  }
  r0 = c0; r1 = c1; r2 = c2; r3 = c3;
}
@inline function word(w: u32): u32 {
  return w == 0 ? r0 : w == 1 ? r1 : w == 2 ? r2 : r3;
}
@inline function unit(w: u32): f32 { return <f32>(w >>> 8) * 5.9604644775390625e-8; } // 2⁻²⁴

export function rand_uniform_f32(out: usize, n: i32, seedLo: u32, seedHi: u32, offset: u32, low: f32, high: f32): void {
  const span = high - low;
  for (let i = 0; i < n; i++) {
    const j = offset + <u32>i;
    if (i == 0 || (j & 3) == 0) philox(j >>> 2, seedLo, seedHi);
    store<f32>(out + (<usize>i << 2), low + span * unit(word(j & 3)));
  }
}

export function dropout_mask_f32(mask: usize, n: i32, seedLo: u32, seedHi: u32, offset: u32, p: f32): void {
  const scale: f32 = <f32>1 / (<f32>1 - p);
  for (let i = 0; i < n; i++) {
    const j = offset + <u32>i;
    if (i == 0 || (j & 3) == 0) philox(j >>> 2, seedLo, seedHi);
    store<f32>(mask + (<usize>i << 2), unit(word(j & 3)) >= p ? scale : 0);
  }
}

export function rand_normal_f32(out: usize, n: i32, seedLo: u32, seedHi: u32, offset: u32, mean: f32, std: f32): void {
  let r: f64 = 0, u2: f64 = 0;
  for (let i = 0; i < n; i++) {
    const j = offset + <u32>i;
    if (i == 0 || (j & 1) == 0) {
      philox(j >>> 1, seedLo, seedHi);
      const u1 = <f64>((r0 >>> 8) + 1) * 5.9604644775390625e-8;
      u2 = <f64>(r1 >>> 8) * 5.9604644775390625e-8;
      r = Math.sqrt(-2.0 * log64(u1));
    }
    const z = r * sincos2pi(u2, <i32>(j & 1));
    store<f32>(out + (<usize>i << 2), <f32>(<f64>mean + <f64>std * z));
  }
}
