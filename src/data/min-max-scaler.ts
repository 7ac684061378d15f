// MinMaxScaler: maps each feature's [min, max] onto featureRange, scikit-learn's semantics.
//
// Contract: x·scale + min with scale = (hi − lo) / (dataMax − dataMin) and min = lo − dataMin·scale,
// statistics in float64 ignoring NaNs; a constant column (range 0) gets a range of 1 instead of
// dividing by zero. clip clamps transformed values into featureRange (not inverseTransform).
// See scaler.ts for fit / transform / inverseTransform / toJSON.
import { Scaler, checkType, column, handleZeros, reviveState, type Columns, type ScalerJSON } from './scaler.js';
import { OptionError } from '../errors.js';

export interface MinMaxScalerOptions {
  /** Target range [lo, hi], lo < hi (default [0, 1]). */
  featureRange?: readonly [number, number];
  /** Clamp transformed values into featureRange (default false). */
  clip?: boolean;
}

export interface MinMaxScalerState {
  nFeatures: number;
  dataMin: number[];
  dataMax: number[];
  dataRange: number[];
  /** Per-feature multiplier (sklearn's scale_). */
  scale: number[];
  /** Per-feature offset added after scaling (sklearn's min_). */
  min: number[];
}

/**
 * Rescales features to a range.
 * @example
 * const s = new sg.data.MinMaxScaler({ featureRange: [-1, 2] });
 * s.fitTransform(sg.tensor([[0], [5], [10]]));   // [[-1], [0.5], [2]]
 */
export class MinMaxScaler extends Scaler<{ featureRange: [number, number]; clip: boolean }, MinMaxScalerState> {
  protected readonly kind = 'MinMaxScaler';

  constructor({ featureRange = [0, 1], clip = false }: MinMaxScalerOptions = {}) {
    const [lo, hi] = featureRange;
    if (!(lo < hi)) {
      throw new OptionError(`MinMaxScaler: featureRange must have min < max, got [${lo}, ${hi}]`);
    }
    super({ featureRange: [lo, hi], clip });
  }

  /** Fitted per-feature minimum (sklearn's data_min_). */
  get dataMin(): number[] { return this.stat('dataMin'); }
  /** Fitted per-feature maximum (sklearn's data_max_). */
  get dataMax(): number[] { return this.stat('dataMax'); }
  /** Fitted per-feature dataMax − dataMin (sklearn's data_range_). */
  get dataRange(): number[] { return this.stat('dataRange'); }
  /** Fitted per-feature multiplier (sklearn's scale_). */
  get scale(): number[] { return this.stat('scale'); }
  /** Fitted per-feature offset (sklearn's min_). */
  get min(): number[] { return this.stat('min'); }

  protected fitColumns(m: Columns): MinMaxScalerState {
    const [lo, hi] = this.options.featureRange;
    const dataMin: number[] = [], dataMax: number[] = [];
    for (let j = 0; j < m.features; j++) {
      let mn = Infinity, mx = -Infinity;
      const c = column(m, j);
      for (const v of c) { if (v < mn) mn = v; if (v > mx) mx = v; }
      dataMin.push(c.length ? mn : NaN);
      dataMax.push(c.length ? mx : NaN);
    }
    const dataRange = dataMax.map((v, j) => v - dataMin[j]!);
    const scale = handleZeros(dataRange).map((r) => (hi - lo) / r);
    const min = scale.map((s, j) => lo - dataMin[j]! * s);
    return { nFeatures: m.features, dataMin, dataMax, dataRange, scale, min };
  }

  protected forward(v: number, j: number, s: MinMaxScalerState): number {
    const y = v * s.scale[j]! + s.min[j]!;
    if (!this.options.clip) return y;
    const [lo, hi] = this.options.featureRange;
    return y < lo ? lo : y > hi ? hi : y;
  }

  protected backward(v: number, j: number, s: MinMaxScalerState): number {
    return (v - s.min[j]!) / s.scale[j]!;
  }

  /** Rebuilds a scaler (options and fitted state) from toJSON()'s output. */
  static fromJSON(json: ScalerJSON<MinMaxScalerOptions, MinMaxScalerState>): MinMaxScaler {
    checkType(json, 'MinMaxScaler');
    return new MinMaxScaler(json.options).loadState(reviveState(json.state));
  }
}
