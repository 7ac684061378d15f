// GPSearchSpace: how the GP sampler sees a search space (Optuna's _gp/search_space.py). Each
// numerical parameter maps onto [0, 1] — on the log scale for log domains, with bounds widened by
// half a step for discrete ones (as dimOf), so that every grid point owns an equal share — and a
// categorical parameter is its choice index (the kernel compares it by equality). Points found in
// that space are snapped back onto each parameter's grid (steps, integers) before they are
// proposed, and mapped back to parameter values.
import { fromInternal, toInternal, type Distribution, type ParamValue } from '../../distributions.js';
import { dict } from '../../frozen-trial.js';
import { dimOf, roundToGrid } from '../parzen-estimator.js';

type Dim = ReturnType<typeof dimOf>;

export class GPSearchSpace {
  readonly names: string[];
  readonly dists: Distribution[];
  readonly dims: Dim[];
  /** 1 for a categorical parameter (its value is the choice index). */
  readonly isCat: Uint8Array;
  /** Number of choices of a categorical parameter, 0 otherwise. */
  readonly choices: Int32Array;
  /** 1 for a numerical parameter on a grid (step or integer), whose values are snapped. */
  readonly isDiscrete: Uint8Array;

  constructor(space: Readonly<Record<string, Distribution>>) {
    this.names = Object.keys(space);
    this.dists = this.names.map((k) => space[k]!);
    this.dims = this.dists.map(dimOf);
    const d = this.names.length;
    this.isCat = new Uint8Array(d); this.choices = new Int32Array(d); this.isDiscrete = new Uint8Array(d);
    this.dims.forEach((m, j) => {
      if (m.cat) { this.isCat[j] = 1; this.choices[j] = m.cat; } else if (m.step > 0 || m.roundExp) this.isDiscrete[j] = 1;
    });
  }

  get dim(): number { return this.names.length; }

  /** Writes the normalised coordinates of `params` into row `row` of X. */
  normalize(params: Readonly<Record<string, ParamValue>>, X: Float64Array, row: number): void {
    const d = this.dim;
    for (let j = 0; j < d; j++) {
      const dist = this.dists[j]!, v = toInternal(dist, params[this.names[j]!]!);
      X[row * d + j] = this.isCat[j] ? v : this.toUnit(j, v);
    }
  }

  /** Coordinate j of a normalised point snapped onto the parameter's grid (numerical) or to a valid index (categorical). */
  snap(j: number, u: number): number {
    if (this.isCat[j]) return Math.min(this.choices[j]! - 1, Math.max(0, Math.round(u)));
    const m = this.dims[j]!, v = m.lo + Math.min(1, Math.max(0, u)) * (m.hi - m.lo);
    return this.isDiscrete[j] ? this.toUnit(j, roundToGrid(m, v)) : this.toUnit(j, v);
  }

  /** The grid points next to the one nearest u, below and above (normalised; fewer at an end of the range). */
  adjacent(j: number, u: number): number[] {
    const m = this.dims[j]!, v = roundToGrid(m, m.lo + Math.min(1, Math.max(0, u)) * (m.hi - m.lo)), out: number[] = [];
    if (m.roundExp) {
      const e = Math.round(Math.exp(v));
      if (e - 1 >= m.intLow) out.push(this.toUnit(j, Math.log(e - 1)));
      if (e + 1 <= m.intHigh) out.push(this.toUnit(j, Math.log(e + 1)));
    } else {
      if (v - m.step >= m.gridLow - 1e-9 * m.step) out.push(this.toUnit(j, v - m.step));
      if (v + m.step <= m.gridHigh + 1e-9 * m.step) out.push(this.toUnit(j, v + m.step));
    }
    return out;
  }

  /** The parameter values of a normalised point (snapped, clipped into range). */
  unnormalize(x: Float64Array): Record<string, ParamValue> {
    const out: Record<string, ParamValue> = dict();
    this.names.forEach((k, j) => {
      const m = this.dims[j]!, dist = this.dists[j]!;
      out[k] = this.isCat[j] ? fromInternal(dist, this.snap(j, x[j]!)) : fromInternal(dist, m.lo + Math.min(1, Math.max(0, x[j]!)) * (m.hi - m.lo));
    });
    return out;
  }

  private toUnit(j: number, v: number): number {
    const m = this.dims[j]!;
    return m.hi === m.lo ? 0.5 : (v - m.lo) / (m.hi - m.lo);
  }
}
