// getWarmStartMgd: Warm Starting CMA-ES (Nomura et al., AAAI 2021, arXiv:2012.06932), as the
// `cmaes` library's get_warm_start_mgd: from solutions of a similar earlier task, the best
// ⌊γ·n⌋ define a promising Gaussian — their mean, and their covariance plus α²·I — returned as
// the initial mean, step size σ = det(Σ)^(1/2n) and covariance Σ/det(Σ)^(1/n) for a new CMA.
import { symmetricEigen } from './symmetric-eigen.js';

/**
 * The warm-start distribution of earlier solutions (values minimised).
 * @example const { mean, sigma, cov } = getWarmStartMgd(previous.map((t) => ({ x: t.x, value: t.value })));
 */
export function getWarmStartMgd(solutions: ReadonlyArray<{ x: ArrayLike<number>; value: number }>, gamma = 0.1, alpha = 0.1):
  { mean: Float64Array; sigma: number; cov: Float64Array } {
  if (!(gamma > 0 && gamma <= 1)) throw new RangeError(`getWarmStartMgd: gamma must be in (0, 1], got ${gamma}`);
  if (solutions.length === 0) throw new RangeError('getWarmStartMgd: no source solutions');
  const top = [...solutions].sort((a, b) => a.value - b.value).slice(0, Math.floor(solutions.length * gamma));
  if (top.length < 1) {
    throw new RangeError(`getWarmStartMgd: the best ${gamma * 100}% of ${solutions.length} solutions is none: give at least ${Math.ceil(1 / gamma)}`);
  }
  const n = top[0]!.x.length, m = top.length;
  const mean = new Float64Array(n), cov = new Float64Array(n * n);
  for (const s of top) for (let i = 0; i < n; i++) mean[i]! += s.x[i]! / m;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (const t of top) s += t.x[i]! * t.x[j]!;
      cov[i * n + j] = (i === j ? alpha * alpha : 0) + s / m - mean[i]! * mean[j]!;
    }
  }
  // det Σ as the product of its eigenvalues (Σ is symmetric positive definite: α²·I plus a covariance).
  let det = 1;
  for (const v of symmetricEigen(cov, n).values) det *= v;
  const sigma = det ** (1 / (2 * n)), norm = det ** (1 / n);
  return { mean, sigma, cov: cov.map((v) => v / norm) };
}
