// RobustScaler: (x − median) / interquantile range per feature, scikit-learn's semantics.
//
// Contract: the median and the quantiles are numpy's nanmedian / nanpercentile with linear
// interpolation, in float64 ignoring NaNs; a zero range gets scale 1. unitVariance divides the
// range by the standard normal's range over the same quantiles (sklearn's unit_variance), so a
// normal feature ends with variance 1. See scaler.ts for fit / transform / toJSON.
import { Scaler, checkType, column, handleZeros, reviveState, type Columns, type ScalerJSON } from './scaler.js';
import { OptionError } from '../errors.js';

export interface RobustScalerOptions {
  /** Subtract the median (default true). */
  withCentering?: boolean;
  /** Divide by the interquantile range (default true). */
  withScaling?: boolean;
  /** Percentiles [qMin, qMax] with 0 ≤ qMin ≤ qMax ≤ 100 (default [25, 75]). */
  quantileRange?: readonly [number, number];
  /** Scale so normally distributed features get unit variance (default false). */
  unitVariance?: boolean;
}

export interface RobustScalerState {
  nFeatures: number;
  /** Per-feature median (null when withCentering is off). */
  center: number[] | null;
  /** Per-feature divisor (null when withScaling is off). */
  scale: number[] | null;
}

/** numpy's linear-interpolation percentile (0…100) of sorted, NaN-free values; NaN if empty. */
export function percentile(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = ((n - 1) * q) / 100, lo = Math.floor(h), t = h - lo;
  const a = sorted[lo]!, b = sorted[Math.min(lo + 1, n - 1)]!;
  // numpy's _lerp: the form that is exact at t = 1 for t ≥ 0.5.
  return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
}

/** The standard normal quantile function (Acklam's rational approximation, rel. error < 1.2e-9). */
export function normalPpf(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) => (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
    ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5, r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/**
 * Scales features with statistics that are robust to outliers.
 * @example
 * const s = new sg.data.RobustScaler({ quantileRange: [10, 90] });
 * const z = s.fitTransform(x);   // median 0, 10th–90th percentile range 1 per column
 */
export class RobustScaler extends Scaler<Required<RobustScalerOptions> & { quantileRange: [number, number] }, RobustScalerState> {
  protected readonly kind = 'RobustScaler';

  constructor({ withCentering = true, withScaling = true, quantileRange = [25, 75], unitVariance = false }: RobustScalerOptions = {}) {
    const [qMin, qMax] = quantileRange;
    if (!(qMin >= 0 && qMin <= qMax && qMax <= 100)) {
      throw new OptionError(`RobustScaler: quantileRange must satisfy 0 <= min <= max <= 100, got [${qMin}, ${qMax}]`);
    }
    super({ withCentering, withScaling, quantileRange: [qMin, qMax], unitVariance });
  }

  /** Fitted per-feature medians (sklearn's center_). */
  get center(): number[] | null { return this.stat('center'); }
  /** Fitted per-feature divisors (sklearn's scale_). */
  get scale(): number[] | null { return this.stat('scale'); }

  protected fitColumns(m: Columns): RobustScalerState {
    const { withCentering, withScaling, quantileRange: [qMin, qMax], unitVariance } = this.options;
    const center: number[] = [], range: number[] = [];
    for (let j = 0; j < m.features; j++) {
      const c = column(m, j).sort();
      center.push(percentile(c, 50));
      range.push(percentile(c, qMax) - percentile(c, qMin));
    }
    let scale: number[] | null = null;
    if (withScaling) {
      scale = handleZeros(range);
      if (unitVariance) {
        const k = normalPpf(qMax / 100) - normalPpf(qMin / 100);
        scale = scale.map((s) => s / k);
      }
    }
    return { nFeatures: m.features, center: withCentering ? center : null, scale };
  }

  protected forward(v: number, j: number, s: RobustScalerState): number {
    if (s.center) v -= s.center[j]!;
    if (s.scale) v /= s.scale[j]!;
    return v;
  }

  protected backward(v: number, j: number, s: RobustScalerState): number {
    if (s.scale) v *= s.scale[j]!;
    if (s.center) v += s.center[j]!;
    return v;
  }

  /** Rebuilds a scaler (options and fitted state) from toJSON()'s output. */
  static fromJSON(json: ScalerJSON<RobustScalerOptions, RobustScalerState>): RobustScaler {
    checkType(json, 'RobustScaler');
    return new RobustScaler(json.options).loadState(reviveState(json.state));
  }
}
