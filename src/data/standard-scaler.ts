// StandardScaler: (x − mean) / std per feature, scikit-learn's semantics.
//
// Contract: population statistics (ddof 0) computed in float64 ignoring NaNs; a constant column
// (variance within rounding of zero, sklearn's _is_constant_feature) gets scale 1 so it maps to
// 0 instead of dividing by zero. withMean / withStd switch the two steps off. See scaler.ts for
// fit / transform / inverseTransform / toJSON.
import { Scaler, checkType, column, reviveState, type Columns, type ScalerJSON } from './scaler.js';

export interface StandardScalerOptions {
  /** Subtract the mean (default true). */
  withMean?: boolean;
  /** Divide by the standard deviation (default true). */
  withStd?: boolean;
}

export interface StandardScalerState {
  nFeatures: number;
  /** Non-NaN samples seen per feature. */
  nSamplesSeen: number[];
  /** Per-feature mean (null when withMean and withStd are both off). */
  mean: number[] | null;
  /** Per-feature population variance (null when withStd is off). */
  var: number[] | null;
  /** Per-feature divisor (null when withStd is off). */
  scale: number[] | null;
}

/** True where the variance is zero up to the rounding error of computing it (sklearn). */
function isConstant(v: number, mean: number, n: number): boolean {
  const eps = Number.EPSILON;
  return v <= n * eps * v + (n * mean * eps) ** 2;
}

/**
 * Standardises features: z = (x − mean) / std, with the population std (ddof 0) as scikit-learn.
 * @example
 * const scaler = new sg.data.StandardScaler();
 * const z = scaler.fitTransform(sg.tensor([[1, 10], [3, 30]]));   // [[-1, -1], [1, 1]]
 * scaler.inverseTransform(z);                                      // back to the input
 */
export class StandardScaler extends Scaler<Required<StandardScalerOptions>, StandardScalerState> {
  protected readonly kind = 'StandardScaler';

  constructor({ withMean = true, withStd = true }: StandardScalerOptions = {}) {
    super({ withMean, withStd });
  }

  /** Fitted per-feature means (sklearn's mean_). */
  get mean(): number[] | null { return this.stat('mean'); }
  /** Fitted per-feature population variances (sklearn's var_). */
  get var(): number[] | null { return this.stat('var'); }
  /** Fitted per-feature divisors (sklearn's scale_). */
  get scale(): number[] | null { return this.stat('scale'); }

  protected fitColumns(m: Columns): StandardScalerState {
    const { withMean, withStd } = this.options;
    const nSeen: number[] = [], means: number[] = [], vars: number[] = [];
    for (let j = 0; j < m.features; j++) {
      const c = column(m, j), n = c.length;
      nSeen.push(n);
      let s = 0;
      for (const v of c) s += v;
      const mu = s / n;
      // Two-pass variance with the rounding correction of sklearn's _incremental_mean_and_var.
      let sq = 0, corr = 0;
      for (const v of c) { const d = v - mu; sq += d * d; corr += d; }
      means.push(mu);
      vars.push((sq - (corr * corr) / n) / n);
    }
    const state: StandardScalerState = { nFeatures: m.features, nSamplesSeen: nSeen, mean: null, var: null, scale: null };
    if (withMean || withStd) state.mean = means;
    if (withStd) {
      state.var = vars;
      state.scale = vars.map((v, j) => (isConstant(v, means[j]!, nSeen[j]!) ? 1 : Math.sqrt(v)));
    }
    return state;
  }

  protected forward(v: number, j: number, s: StandardScalerState): number {
    if (this.options.withMean) v -= s.mean![j]!;
    if (s.scale) v /= s.scale[j]!;
    return v;
  }

  protected backward(v: number, j: number, s: StandardScalerState): number {
    if (s.scale) v *= s.scale[j]!;
    if (this.options.withMean) v += s.mean![j]!;
    return v;
  }

  /** Rebuilds a scaler (options and fitted state) from toJSON()'s output. */
  static fromJSON(json: ScalerJSON<StandardScalerOptions, StandardScalerState>): StandardScaler {
    checkType(json, 'StandardScaler');
    return new StandardScaler(json.options).loadState(reviveState(json.state));
  }
}
