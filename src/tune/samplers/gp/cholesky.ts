// Cholesky factorisation of a symmetric positive (semi-)definite matrix in f64, for the Gaussian
// process: C = L·Lᵀ with L lower triangular (row-major n × n; the upper triangle of L is zero).
// Near-duplicate points make a kernel matrix singular to rounding: choleskyJitter then adds a
// growing multiple of the mean diagonal (1e-10, 1e-9, …, 1) until the factorisation succeeds, and
// never throws; it fails (returns null) only for a matrix with non-finite entries. Triangular
// solves and the inverse C⁻¹ from L complete the set.

/** Factorises A (row-major, lower triangle read) into L in place of `L`; false if a pivot is ≤ 0 or not finite. */
export function cholesky(A: Float64Array, n: number, L: Float64Array, jitter = 0): boolean {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = A[ri + j]! + (i === j ? jitter : 0);
      let k = 0;
      // Four accumulators: the dot product of two row prefixes without one long dependency chain.
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (; k + 3 < j; k += 4) {
        s0 += L[ri + k]! * L[rj + k]!; s1 += L[ri + k + 1]! * L[rj + k + 1]!;
        s2 += L[ri + k + 2]! * L[rj + k + 2]!; s3 += L[ri + k + 3]! * L[rj + k + 3]!;
      }
      for (; k < j; k++) s0 += L[ri + k]! * L[rj + k]!;
      s -= (s0 + s1) + (s2 + s3);
      if (i === j) {
        if (!(s > 0) || !Number.isFinite(s)) return false;
        L[ri + i] = Math.sqrt(s);
      } else {
        L[ri + j] = s / L[rj + j]!;
      }
    }
    for (let j = i + 1; j < n; j++) L[ri + j] = 0;
  }
  return true;
}

/**
 * L with the smallest jitter (0, then 1e-10 … 1 times the mean diagonal) that factorises A + jitter·I.
 * Returns the jitter used, or null if A has non-finite entries.
 * @example const L = new Float64Array(4); choleskyJitter(new Float64Array([1, 1, 1, 1]), 2, L) // 1e-10: a duplicate point
 */
export function choleskyJitter(A: Float64Array, n: number, L: Float64Array): number | null {
  if (cholesky(A, n, L)) return 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += Math.abs(A[i * n + i]!);
  mean = n > 0 ? mean / n : 1;
  if (!Number.isFinite(mean)) return null;
  if (mean === 0) mean = 1;
  for (let e = -10; e <= 0; e++) {
    const jitter = mean * 10 ** e;
    if (cholesky(A, n, L, jitter)) return jitter;
  }
  return null;
}

/** Solves L·x = b (forward substitution); x may alias b. */
export function solveLower(L: Float64Array, n: number, b: Float64Array, x: Float64Array = new Float64Array(n)): Float64Array {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s0 = b[i]!, s1 = 0, s2 = 0, s3 = 0, k = 0;
    for (; k + 3 < i; k += 4) {
      s0 -= L[ri + k]! * x[k]!; s1 -= L[ri + k + 1]! * x[k + 1]!;
      s2 -= L[ri + k + 2]! * x[k + 2]!; s3 -= L[ri + k + 3]! * x[k + 3]!;
    }
    for (; k < i; k++) s0 -= L[ri + k]! * x[k]!;
    x[i] = ((s0 + s1) + (s2 + s3)) / L[ri + i]!;
  }
  return x;
}

/**
 * Solves L·V = B for eight right-hand sides at once, interleaved (B[i·8 + r] is entry i of
 * right-hand side r; V likewise): one pass over L with eight independent sums, which is what makes
 * scoring thousands of candidates affordable.
 */
export function solveLower8(L: Float64Array, n: number, B: Float64Array, V: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const ri = i * n, oi = i * 8;
    let s0 = B[oi]!, s1 = B[oi + 1]!, s2 = B[oi + 2]!, s3 = B[oi + 3]!;
    let s4 = B[oi + 4]!, s5 = B[oi + 5]!, s6 = B[oi + 6]!, s7 = B[oi + 7]!;
    for (let k = 0, ok = 0; k < i; k++, ok += 8) {
      const l = L[ri + k]!;
      s0 -= l * V[ok]!; s1 -= l * V[ok + 1]!; s2 -= l * V[ok + 2]!; s3 -= l * V[ok + 3]!;
      s4 -= l * V[ok + 4]!; s5 -= l * V[ok + 5]!; s6 -= l * V[ok + 6]!; s7 -= l * V[ok + 7]!;
    }
    const inv = 1 / L[ri + i]!;
    V[oi] = s0 * inv; V[oi + 1] = s1 * inv; V[oi + 2] = s2 * inv; V[oi + 3] = s3 * inv;
    V[oi + 4] = s4 * inv; V[oi + 5] = s5 * inv; V[oi + 6] = s6 * inv; V[oi + 7] = s7 * inv;
  }
}

/** Solves Lᵀ·x = b (backward substitution); x may alias b. */
export function solveUpper(L: Float64Array, n: number, b: Float64Array, x: Float64Array = new Float64Array(n)): Float64Array {
  if (x !== b) x.set(b.subarray(0, n));
  for (let i = n - 1; i >= 0; i--) {
    const xi = x[i]! / L[i * n + i]!;
    x[i] = xi;
    // Column i of Lᵀ is row i of L: subtract it from the entries above.
    const ri = i * n;
    for (let k = 0; k < i; k++) x[k]! -= L[ri + k]! * xi;
  }
  return x;
}

/** C⁻¹ = L⁻ᵀ·L⁻¹ (full symmetric n × n). `work` (n × n) holds L⁻¹ transposed. */
export function inverseFromCholesky(L: Float64Array, n: number, out: Float64Array = new Float64Array(n * n), work: Float64Array = new Float64Array(n * n)): Float64Array {
  // U = (L⁻¹)ᵀ, upper: row j of U is column j of L⁻¹, so both loops below read rows contiguously.
  const U = work;
  U.fill(0);
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    U[rj + j] = 1 / L[rj + j]!;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, k = j;
      for (; k + 3 < i; k += 4) {
        s0 += L[ri + k]! * U[rj + k]!; s1 += L[ri + k + 1]! * U[rj + k + 1]!;
        s2 += L[ri + k + 2]! * U[rj + k + 2]!; s3 += L[ri + k + 3]! * U[rj + k + 3]!;
      }
      for (; k < i; k++) s0 += L[ri + k]! * U[rj + k]!;
      U[rj + i] = -((s0 + s1) + (s2 + s3)) / L[ri + i]!;
    }
  }
  for (let a = 0; a < n; a++) {
    const ra = a * n;
    for (let b = 0; b <= a; b++) {
      const rb = b * n;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, i = a;
      for (; i + 3 < n; i += 4) {
        s0 += U[ra + i]! * U[rb + i]!; s1 += U[ra + i + 1]! * U[rb + i + 1]!;
        s2 += U[ra + i + 2]! * U[rb + i + 2]!; s3 += U[ra + i + 3]! * U[rb + i + 3]!;
      }
      for (; i < n; i++) s0 += U[ra + i]! * U[rb + i]!;
      const v = (s0 + s1) + (s2 + s3);
      out[ra + b] = v;
      out[rb + a] = v;
    }
  }
  return out;
}
