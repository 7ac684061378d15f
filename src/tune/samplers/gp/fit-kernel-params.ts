// fitKernelParams: the GP's kernel parameters by maximum a posteriori (Optuna's
// gp.fit_kernel_params): maximise log marginal likelihood + default log prior over raw parameters
// θ = [log islⱼ…, log scale, log(noise − minimumNoise)] (positivity by construction, noise kept
// above minimumNoise) with L-BFGS (gtol 1e-2, as Optuna), from the previous fit's parameters when
// given (a warm start: the fit of trial n + 1 starts where trial n's ended) and from the defaults
// (all ones) if that fails; the previous fit's L-BFGS curvature pairs can warm-start it too. A
// deterministic objective fixes the noise at minimumNoise.
import { lbfgs } from './lbfgs.js';
import { defaultLogPrior, LikelihoodWork, marginalLogLikelihood } from './marginal-likelihood.js';
import type { KernelParams } from './gp-regressor.js';

export interface FitOptions {
  /** Smallest noise variance (Optuna's 1e-6). */
  minimumNoise?: number;
  /** The objective has no noise: noise = minimumNoise, not fitted. */
  deterministic?: boolean;
  /** Start from these parameters (same dimension) instead of the defaults. */
  init?: KernelParams | null;
  /** Stop when the gradient's largest entry is below this (Optuna's 1e-2). */
  gtol?: number;
  /** L-BFGS correction pairs of the previous fit, used with `init` and replaced by this fit's:
   *  the fit after one more trial then needs about half the evaluations. */
  history?: { s: Float64Array[]; y: Float64Array[] };
}

function paramsOf(theta: Float64Array, isCat: Uint8Array, minimumNoise: number, deterministic: boolean): KernelParams {
  const d = isCat.length, isl = new Float64Array(d);
  for (let j = 0; j < d; j++) isl[j] = Math.exp(theta[j]!);
  return { isl, scale: Math.exp(theta[d]!), noise: deterministic ? minimumNoise : Math.exp(theta[d + 1]!) + minimumNoise, isCat };
}

/**
 * The MAP kernel parameters for values y (standardised) at normalised points X (row-major n × d).
 * @example const p = fitKernelParams(X, y, new Uint8Array([0, 0]))
 */
export function fitKernelParams(X: Float64Array, y: Float64Array, isCat: Uint8Array, opts: FitOptions = {}): KernelParams {
  const { minimumNoise = 1e-6, deterministic = false, init = null, gtol = 1e-2 } = opts;
  const d = isCat.length, n = y.length;
  const work = new LikelihoodWork(n), gl = new Float64Array(d + 2), gp = new Float64Array(d + 2);
  // Loss: −(log marginal likelihood + log prior), and its gradient with respect to θ.
  const loss = (theta: Float64Array, g: Float64Array): number => {
    const p = paramsOf(theta, isCat, minimumNoise, deterministic);
    const v = marginalLogLikelihood(X, y, p, gl, work) + defaultLogPrior(p, gp);
    if (!Number.isFinite(v)) return NaN;
    for (let j = 0; j <= d; j++) g[j] = -(gl[j]! + gp[j]!);
    g[d + 1] = deterministic ? 0 : -(gl[d + 1]! + gp[d + 1]!) * (p.noise - minimumNoise);
    return -v;
  };
  const start = (p: KernelParams | null): Float64Array => {
    const t = new Float64Array(d + 2);
    if (p) {
      for (let j = 0; j < d; j++) t[j] = Math.log(p.isl[j]!);
      t[d] = Math.log(p.scale);
      t[d + 1] = Math.log(Math.max(p.noise - 0.99 * minimumNoise, 1e-300)); // 0.01·minimumNoise of room, as Optuna
    }
    return t; // zeros: all ones (noise ≈ 1)
  };
  const warm = init !== null && init.isl.length === d;
  const starts = warm ? [start(init), start(null)] : [start(null)];
  const history = opts.history ?? { s: [], y: [] };
  for (const t0 of starts) {
    if (!(warm && t0 === starts[0])) { history.s = []; history.y = []; }
    const r = lbfgs(loss, t0, { pgtol: gtol, maxIter: 500, history });
    if (Number.isFinite(r.f)) return paramsOf(r.x, isCat, minimumNoise, deterministic);
  }
  return paramsOf(start(null), isCat, minimumNoise, deterministic);
}
