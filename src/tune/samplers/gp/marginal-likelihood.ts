// The objective of the GP's kernel fit (Optuna's gp.fit_kernel_params): the log marginal
// likelihood of values y at points X under an ARD Matérn-5/2 kernel with noise, log N(y; 0, C)
// with C = K + noise·I, and Optuna's default log prior on the kernel parameters (heuristic terms
// −(0.1/islⱼ + 0.1·islⱼ) per inverse squared lengthscale, Gamma(2, 1) on the scale, Gamma(1.1, 30)
// on the noise: it keeps the fit stable on a handful of points). Both with exact gradients:
// ∂/∂θ log N = ½·tr((ααᵀ − C⁻¹)·∂C/∂θ), α = C⁻¹y, from one Cholesky factor and C⁻¹.
import { choleskyJitter, inverseFromCholesky, solveLower, solveUpper } from './cholesky.js';
import { matern52, matern52Grad, scaledSqDist } from './matern52.js';
import type { KernelParams } from './gp-regressor.js';

const LOG_2PI = Math.log(2 * Math.PI);

/** Scratch buffers for n points (reused across the evaluations of one fit). */
export class LikelihoodWork {
  readonly K: Float64Array; readonly R2: Float64Array; readonly L: Float64Array; readonly Cinv: Float64Array; readonly U: Float64Array;
  readonly alpha: Float64Array;
  constructor(readonly n: number) {
    const nn = n * n;
    this.K = new Float64Array(nn); this.R2 = new Float64Array(nn); this.L = new Float64Array(nn);
    this.Cinv = new Float64Array(nn); this.U = new Float64Array(nn); this.alpha = new Float64Array(n);
  }
}

/**
 * log N(y; 0, K + noise·I). With `grad` (length d + 2): ∂/∂log islⱼ for each j, ∂/∂log scale,
 * ∂/∂noise. NaN if the kernel matrix cannot be factorised (non-finite parameters).
 * @example marginalLogLikelihood(X, y, { isl, scale: 1, noise: 1e-3, isCat })
 */
export function marginalLogLikelihood(X: Float64Array, y: Float64Array, p: KernelParams, grad?: Float64Array,
  work = new LikelihoodWork(y.length)): number {
  const n = y.length, d = p.isl.length, { K, R2, L, alpha } = work;
  for (let i = 0; i < n; i++) {
    K[i * n + i] = p.scale + p.noise; R2[i * n + i] = 0;
    for (let j = 0; j < i; j++) {
      const r2 = scaledSqDist(p, X, i, X, j), v = p.scale * matern52(r2);
      K[i * n + j] = v; K[j * n + i] = v; R2[i * n + j] = r2;
    }
  }
  if (choleskyJitter(K, n, L) === null) return NaN;
  solveUpper(L, n, solveLower(L, n, y, alpha), alpha);
  let quad = 0, logDet = 0;
  for (let i = 0; i < n; i++) { quad += y[i]! * alpha[i]!; logDet += Math.log(L[i * n + i]!); }
  const mll = -0.5 * quad - logDet - 0.5 * n * LOG_2PI;
  if (!grad) return mll;
  const Cinv = inverseFromCholesky(L, n, work.Cinv, work.U);
  grad.fill(0);
  let gScale = 0, gNoise = 0;
  for (let i = 0; i < n; i++) {
    const ri = i * n, ai = alpha[i]!;
    gNoise += ai * ai - Cinv[ri + i]!;
    gScale += (ai * ai - Cinv[ri + i]!) * p.scale;
    const oi = i * d;
    for (let k = 0; k < i; k++) {
      const w = ai * alpha[k]! - Cinv[ri + k]!; // W = ααᵀ − C⁻¹, symmetric: each off-diagonal pair counts twice
      const r2 = R2[ri + k]!;
      gScale += 2 * w * p.scale * matern52(r2);
      const gk = 2 * w * p.scale * matern52Grad(r2), ok = k * d;
      for (let j = 0; j < d; j++) {
        const diff = X[oi + j]! - X[ok + j]!;
        grad[j]! += gk * (p.isCat[j] ? (diff !== 0 ? 1 : 0) : diff * diff);
      }
    }
  }
  for (let j = 0; j < d; j++) grad[j] = 0.5 * grad[j]! * p.isl[j]!;
  grad[d] = 0.5 * gScale;
  grad[d + 1] = 0.5 * gNoise;
  return mll;
}

/** Optuna's default log prior of the kernel parameters (up to a constant); `grad` as marginalLogLikelihood's. */
export function defaultLogPrior(p: KernelParams, grad?: Float64Array): number {
  const d = p.isl.length;
  let lp = 0;
  for (let j = 0; j < d; j++) {
    const s = p.isl[j]!;
    lp -= 0.1 / s + 0.1 * s;
    if (grad) grad[j] = 0.1 / s - 0.1 * s;
  }
  lp += Math.log(p.scale) - p.scale + 0.1 * Math.log(p.noise) - 30 * p.noise;
  if (grad) { grad[d] = 1 - p.scale; grad[d + 1] = 0.1 / p.noise - 30; }
  return lp;
}
