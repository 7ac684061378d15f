// fitConstraintModels: the GPs of a constrained study's constraints (Optuna's
// GPSampler._get_constraints_acqf_args). Constraint i's GP is fit, like the objective's (MAP kernel
// parameters, warm-started from this sampler's previous fit of constraint i), to the standardised
// −cᵢ of the COMPLETE trials that carry a value for it — the sign flipped because the acquisition
// maximises, so "cᵢ ≤ 0" becomes "above the standardised 0", the model's threshold. A trial without
// a value for constraint i (no values at all, or fewer than other trials) tells nothing about it and
// is left out of that GP only; it is still infeasible (constraints.ts). RUNNING trials join each
// constraint GP at its own posterior mean there (Optuna's Kriging believer), which narrows the
// variance around points other workers are already evaluating without moving the mean.
import type { ConstraintModel } from './constrained-log-ei-acquisition.js';
import { fitKernelParams } from './fit-kernel-params.js';
import { GPRegressor, type KernelParams } from './gp-regressor.js';
import { standardize } from './standardize.js';

/** Previous fits, per constraint, reused as warm starts while the search space (`key`) is unchanged. */
export interface ConstraintFitCache {
  key: string;
  fits: Array<{ params: KernelParams; history: { s: Float64Array[]; y: Float64Array[] } }>;
}

export interface ConstraintFitOptions {
  /** The search space's identity: a cache for another key is ignored. */
  key: string;
  cache: ConstraintFitCache | null;
  /** Fix the noise at its minimum (GPSampler's deterministicObjective, as Optuna applies it to constraints too). */
  deterministic: boolean;
}

/**
 * One model per constraint. `values[k]`: the constraint values of completed trial k (null: none);
 * X: the normalised points, row-major, the completed trials' rows first and then `nRunning` rows of
 * RUNNING trials. Returns the models and the cache for the next call.
 * @example const { models } = fitConstraintModels([[0.5], [-1]], X, 0, isCat, { key: 'x', cache: null, deterministic: false })
 */
export function fitConstraintModels(values: readonly (readonly number[] | null)[], X: Float64Array, nRunning: number, isCat: Uint8Array,
  opts: ConstraintFitOptions): { models: ConstraintModel[]; cache: ConstraintFitCache } {
  const d = isCat.length, n = values.length;
  if (X.length !== (n + nRunning) * d) throw new RangeError(`fitConstraintModels: X has ${X.length} values, expected (${n} + ${nRunning}) × ${d}`);
  const count = Math.max(0, ...values.map((c) => c?.length ?? 0));
  const previous = opts.cache?.key === opts.key ? opts.cache.fits : [];
  const models: ConstraintModel[] = [], fits: ConstraintFitCache['fits'] = [];
  const running = X.subarray(n * d);
  for (let i = 0; i < count; i++) {
    const rows: number[] = [];
    for (let k = 0; k < n; k++) if (values[k] && i < values[k]!.length) rows.push(k);
    const { values: y, mean, sd } = standardize(rows.map((k) => -values[k]![i]!));
    const Xi = new Float64Array((rows.length + nRunning) * d);
    rows.forEach((k, r) => Xi.set(X.subarray(k * d, k * d + d), r * d));
    Xi.set(running, rows.length * d);
    const history = previous[i]?.history ?? { s: [], y: [] };
    const params = fitKernelParams(Xi.subarray(0, rows.length * d), y, isCat, { deterministic: opts.deterministic, init: previous[i]?.params ?? null, history });
    fits.push({ params, history });
    let gp = new GPRegressor(params, Xi.subarray(0, rows.length * d), y);
    if (nRunning > 0) {
      const yAll = new Float64Array(rows.length + nRunning), variance = new Float64Array(nRunning);
      yAll.set(y);
      gp.posteriorBatch(running, nRunning, yAll.subarray(rows.length), variance);
      gp = new GPRegressor(params, Xi, yAll);
    }
    models.push({ gp, threshold: -mean / sd });
  }
  return { models, cache: { key: opts.key, fits } };
}
