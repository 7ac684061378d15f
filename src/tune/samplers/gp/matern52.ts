// The Matérn-5/2 kernel with automatic relevance determination (ARD), as Optuna's GPSampler
// uses it: k(x, x') = scale · m(r²) with r² = Σⱼ islⱼ · d²ⱼ, islⱼ the inverse squared lengthscale
// of parameter j, d²ⱼ = (xⱼ − x'ⱼ)² for a numerical parameter and [xⱼ ≠ x'ⱼ] for a categorical one
// (its index: one-hot vectors compared by Hamming distance, one kernel term per parameter).
// m(r²) = (1 + √(5r²) + 5r²/3)·exp(−√(5r²)); its derivative is taken with respect to r², where it
// is finite at 0 (−5/6), so gradients never divide by a zero distance. Inputs are Float64Arrays,
// points row-major (n × d).

/** m(r²) = (1 + √(5r²) + 5r²/3)·exp(−√(5r²)). @example matern52(0) // 1 */
export function matern52(d2: number): number {
  const s = Math.sqrt(5 * d2);
  return (1 + s + (5 / 3) * d2) * Math.exp(-s);
}

/** dm/d(r²) = −5/6·(1 + √(5r²))·exp(−√(5r²)). @example matern52Grad(0) // -5/6 */
export function matern52Grad(d2: number): number {
  const s = Math.sqrt(5 * d2);
  return (-5 / 6) * (1 + s) * Math.exp(-s);
}

/** The kernel's shape: one inverse squared lengthscale per parameter, which parameters are categorical. */
export interface ArdKernel {
  /** Inverse squared lengthscales, one per parameter (> 0). */
  isl: Float64Array;
  /** Kernel scale (the prior variance of f, > 0). */
  scale: number;
  /** 1 where the parameter is categorical (Hamming distance), 0 where numerical. */
  isCat: Uint8Array;
}

/** r² between row a of A and row b of B (both with d columns). */
export function scaledSqDist(k: ArdKernel, A: Float64Array, a: number, B: Float64Array, b: number): number {
  const d = k.isl.length, oa = a * d, ob = b * d;
  let r2 = 0;
  for (let j = 0; j < d; j++) {
    const diff = A[oa + j]! - B[ob + j]!;
    r2 += k.isl[j]! * (k.isCat[j] ? (diff !== 0 ? 1 : 0) : diff * diff);
  }
  return r2;
}

/** The n × n kernel matrix of the rows of X (row-major, symmetric, diagonal = scale). */
export function kernelMatrix(k: ArdKernel, X: Float64Array, n: number, out: Float64Array = new Float64Array(n * n)): Float64Array {
  for (let i = 0; i < n; i++) {
    out[i * n + i] = k.scale;
    for (let j = 0; j < i; j++) {
      const v = k.scale * matern52(scaledSqDist(k, X, i, X, j));
      out[i * n + j] = v;
      out[j * n + i] = v;
    }
  }
  return out;
}
