// Strided 4-D copy (backend.ts: copy_strided_f32): out[i0·o0 + i1·o1 + i2·o2 + i3·o3] =
// x[i0·x0 + i1·x1 + i2·x2 + i3·x3] for i < d (strides in elements; x strides may be 0).
// First squeezes size-1 dims and merges inner dims that are contiguous on both sides, then copies
// the inner 2-D block per (i0, i1) with the fastest path that applies: contiguous rows
// (memory.copy), broadcast rows (fill), 2-D transpose (4×4 f32x4 shuffles, tiled 32 wide), or a
// plain strided loop. Input and output must not overlap.

/** Contiguous row of n floats. */
@inline function copyRow(out: usize, x: usize, n: i32): void {
  if (n >= 32) { memory.copy(out, x, <usize>n << 2); return; }
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), v128.load(x + (<usize>i << 2)));
  }
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), load<f32>(x + (<usize>i << 2)));
}
@inline function fillRow(out: usize, v: f32, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vv = f32x4.splat(v);
    for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), vv);
  }
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), v);
}

/** out[a·oa + b] = x[a + b·xb] for a < na, b < nb: out rows along b, x rows along a. */
function transpose2d(out: usize, x: usize, na: i32, nb: i32, oa: i32, xb: i32): void {
  const na4 = na & ~3, nb4 = nb & ~3;
  const oaB = <usize>oa << 2, xbB = <usize>xb << 2;
  if (ASC_FEATURE_SIMD) {
    for (let t = 0; t < nb4; t += 32) {
      const te = min<i32>(t + 32, nb4);
      for (let a = 0; a < na4; a += 4) {
        for (let b = t; b < te; b += 4) {
          const src = x + <usize>b * xbB + (<usize>a << 2);
          const v0 = v128.load(src), v1 = v128.load(src + xbB);
          const v2 = v128.load(src + 2 * xbB), v3 = v128.load(src + 3 * xbB);
          const t0 = v128.shuffle<f32>(v0, v1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(v2, v3, 0, 4, 1, 5);
          const t2 = v128.shuffle<f32>(v0, v1, 2, 6, 3, 7), t3 = v128.shuffle<f32>(v2, v3, 2, 6, 3, 7);
          const dst = out + <usize>a * oaB + (<usize>b << 2);
          v128.store(dst, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
          v128.store(dst + oaB, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
          v128.store(dst + 2 * oaB, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5));
          v128.store(dst + 3 * oaB, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7));
        }
      }
    }
  } else {
    for (let t = 0; t < nb4; t += 32) {
      const te = min<i32>(t + 32, nb4);
      for (let a = 0; a < na4; a++) {
        for (let b = t; b < te; b++) {
          store<f32>(out + <usize>a * oaB + (<usize>b << 2), load<f32>(x + <usize>b * xbB + (<usize>a << 2)));
        }
      }
    }
  }
  // edges: columns b ≥ nb4 for a < na4, then rows a ≥ na4 for all b
  for (let a = 0; a < na; a++) {
    for (let b = a < na4 ? nb4 : 0; b < nb; b++) {
      store<f32>(out + <usize>a * oaB + (<usize>b << 2), load<f32>(x + <usize>b * xbB + (<usize>a << 2)));
    }
  }
}

/** Inner 2-D block [n2, n3]. */
@inline function copy2d(out: usize, x: usize, n2: i32, n3: i32, o2: i32, o3: i32, x2: i32, x3: i32): void {
  const o2B = <isize>o2 << 2, x2B = <isize>x2 << 2;
  if (o3 == 1 && x3 == 1) {
    for (let i = 0; i < n2; i++) copyRow(out + <usize>(<isize>i * o2B), x + <usize>(<isize>i * x2B), n3);
  } else if (o3 == 1 && x3 == 0) {
    for (let i = 0; i < n2; i++) fillRow(out + <usize>(<isize>i * o2B), load<f32>(x + <usize>(<isize>i * x2B)), n3);
  } else if (o3 == 1 && x2 == 1 && n2 >= 4 && n3 >= 4) {
    transpose2d(out, x, n2, n3, o2, x3);
  } else if (o2 == 1 && x3 == 1 && n2 >= 4 && n3 >= 4) {
    transpose2d(out, x, n3, n2, o3, x2);
  } else {
    const o3B = <isize>o3 << 2, x3B = <isize>x3 << 2;
    for (let i = 0; i < n2; i++) {
      const op = out + <usize>(<isize>i * o2B), xp = x + <usize>(<isize>i * x2B);
      for (let j = 0; j < n3; j++) {
        store<f32>(op + <usize>(<isize>j * o3B), load<f32>(xp + <usize>(<isize>j * x3B)));
      }
    }
  }
}

export function copy_strided_f32(
  out: usize, x: usize, d0: i32, d1: i32, d2: i32, d3: i32,
  o0: i32, o1: i32, o2: i32, o3: i32, x0: i32, x1: i32, x2: i32, x3: i32,
): void {
  if (d0 <= 0 || d1 <= 0 || d2 <= 0 || d3 <= 0) return;
  for (let k = 0; k < 4; k++) {
    if (d3 == 1) {          // drop dim 3
      d3 = d2; o3 = o2; x3 = x2;
    } else if (d2 == 1) {   // drop dim 2
    } else if (o2 == o3 * d3 && x2 == x3 * d3) { // merge dims 2 and 3
      d3 *= d2;
    } else if (d1 == 1) {   // drop dim 1
      d1 = d0; o1 = o0; x1 = x0; d0 = 1;
      continue;
    } else break;
    d2 = d1; o2 = o1; x2 = x1;
    d1 = d0; o1 = o0; x1 = x0;
    d0 = 1;
  }
  const o0B = <isize>o0 << 2, o1B = <isize>o1 << 2, x0B = <isize>x0 << 2, x1B = <isize>x1 << 2;
  for (let i0 = 0; i0 < d0; i0++) {
    for (let i1 = 0; i1 < d1; i1++) {
      copy2d(out + <usize>(<isize>i0 * o0B + <isize>i1 * o1B), x + <usize>(<isize>i0 * x0B + <isize>i1 * x1B),
        d2, d3, o2, o3, x2, x3);
    }
  }
}
