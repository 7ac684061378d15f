// ParzenEstimator: the kernel density TPE fits to the "below" and "above" trials (Optuna's
// _ParzenEstimator): a weighted mixture of product kernels, one per observation plus a prior
// kernel — truncated normals for numerical parameters (on the log scale for log domains,
// integrated over a step for discrete ones), smoothed one-hot weights for categoricals. Works in
// the internal space of toInternal(); sample() and logPdf() are loops over Float64Arrays.
import type { Distribution } from '../distributions.js';
import type { Rng } from '../rng.js';

export interface ParzenParams {
  priorWeight: number;
  considerMagicClip: boolean;
  considerEndpoints: boolean;
  multivariate: boolean;
  weights: (n: number) => ArrayLike<number>;
  /** true: kernels are true densities (height ∝ 1/σ); false: unit-height kernels, as Optuna 3.1
   *  scored them (its truncated-normal log-pdf omitted −log σ). Discrete masses are unaffected. */
  normalizeKernels: boolean;
}

/** How one parameter is modelled: bounds in internal space (widened by step/2 when discrete). */
interface Dim {
  cat: number;        // number of choices, 0 for numerical
  lo: number; hi: number;
  step: number;       // > 0: values on gridLow + k·step; 0: continuous
  gridLow: number; gridHigh: number;
  roundExp: boolean;  // log-scale integers: round exp(x) to an integer
  intLow: number; intHigh: number;
}

/** The internal-space model of a distribution (see toInternal). */
export function dimOf(d: Distribution): Dim {
  const base = { cat: 0, step: 0, gridLow: 0, gridHigh: 0, roundExp: false, intLow: 0, intHigh: 0 };
  if (d.kind === 'categorical') return { ...base, cat: d.choices.length, lo: 0, hi: d.choices.length - 1 };
  if (d.log) {
    if (d.kind === 'int') return { ...base, lo: Math.log(d.low - 0.5), hi: Math.log(d.high + 0.5), roundExp: true, intLow: d.low, intHigh: d.high };
    return { ...base, lo: Math.log(d.low), hi: Math.log(d.high) };
  }
  const step = d.kind === 'int' ? d.step : d.step ?? 0;
  return { ...base, lo: d.low - step / 2, hi: d.high + step / 2, step, gridLow: d.low, gridHigh: d.high };
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** The exponent of erfc(z) = t·exp(e) for z ≥ 0, t = 1/(1 + z/2) (Chebyshev fit, ~1e-7 relative). */
function erfcExponent(z: number, t: number): number {
  return -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
}
/** erfc(z). */
function erfc(z: number): number {
  const a = Math.abs(z), t = 1 / (1 + 0.5 * a), r = t * Math.exp(erfcExponent(a, t));
  return z < 0 ? 2 - r : r;
}
/** log erfc(z), without underflow for large z. */
function logErfc(z: number): number {
  if (z < 0) return Math.log(erfc(z));
  const t = 1 / (1 + 0.5 * z);
  return Math.log(t) + erfcExponent(z, t);
}
/** log Φ(x). */
function logNdtr(x: number): number { return Math.log(0.5) + logErfc(-x / Math.SQRT2); }
/** Φ(x). */
function ndtr(x: number): number { return 0.5 * erfc(-x / Math.SQRT2); }

/** log(Φ(b) − Φ(a)) for a ≤ b, stable in both tails. */
export function logGaussMass(a: number, b: number): number {
  if (b <= 0) { const lb = logNdtr(b); return lb + Math.log1p(-Math.exp(logNdtr(a) - lb)); }
  if (a >= 0) return logGaussMass(-b, -a);
  return Math.log1p(-ndtr(a) - ndtr(-b));
}

export class ParzenEstimator {
  private readonly logW: Float64Array;
  private readonly cumW: Float64Array;
  private readonly mus: Float64Array[] = [];
  private readonly sigmas: Float64Array[] = [];
  private readonly logNorm: Float64Array[] = [];   // per kernel: [−log σ] − log√2π − log mass(lo, hi)
  private readonly logMass: Float64Array[] = [];   // per kernel: log mass(lo, hi)
  private readonly catW: Float64Array[] = [];      // categorical: K × C row-major probabilities

  /** `obs[j]` are the internal values of parameter j for every observation, oldest first. */
  constructor(readonly dims: readonly Dim[], obs: readonly Float64Array[], p: ParzenParams, predetermined?: Float64Array) {
    if (!(p.priorWeight >= 0)) throw new RangeError(`priorWeight must be ≥ 0, got ${p.priorWeight}`);
    const n = obs[0]?.length ?? 0;
    const K = n + 1;
    const w = new Float64Array(K);
    if (n === 0) w[0] = 1;
    else {
      const raw = predetermined ?? p.weights(n);
      let s = 0;
      for (let i = 0; i < n; i++) {
        const v = raw[i]!;
        if (!(v >= 0) || !Number.isFinite(v)) throw new RangeError(`weights(${n}) returned ${v} at ${i}: weights must be finite and ≥ 0`);
        w[i] = v; s += v;
      }
      if (!(s > 0)) throw new RangeError(`weights(${n}) returned all zeros`);
      w[n] = p.priorWeight;
    }
    let total = 0;
    for (let k = 0; k < K; k++) total += w[k]!;
    this.logW = new Float64Array(K);
    this.cumW = new Float64Array(K);
    let c = 0;
    for (let k = 0; k < K; k++) { this.logW[k] = Math.log(w[k]! / total); c += w[k]! / total; this.cumW[k] = c; }
    this.cumW[K - 1] = 1;
    dims.forEach((d, j) => (d.cat ? this.fitCategorical(j, d, obs[j]!, n, p) : this.fitNumerical(j, d, obs[j]!, n, p)));
  }

  private fitCategorical(j: number, d: Dim, x: Float64Array, n: number, p: ParzenParams): void {
    const K = n + 1, C = d.cat, W = new Float64Array(K * C);
    if (n === 0) W.fill(1 / C);
    else {
      W.fill(p.priorWeight / K);
      for (let i = 0; i < n; i++) W[i * C + x[i]!]! += 1;
      for (let k = 0; k < K; k++) {
        let s = 0;
        for (let c = 0; c < C; c++) s += W[k * C + c]!;
        if (s > 0) for (let c = 0; c < C; c++) W[k * C + c]! /= s;
      }
    }
    this.catW[j] = W;
  }

  private fitNumerical(j: number, d: Dim, x: Float64Array, n: number, p: ParzenParams): void {
    const { lo, hi } = d, range = hi - lo, K = n + 1;
    const mu = new Float64Array(K), sg = new Float64Array(K);
    mu.set(x); mu[n] = 0.5 * (lo + hi);
    if (p.multivariate) {
      sg.fill(0.2 * Math.max(n, 1) ** (-1 / (this.dims.length + 4)) * range);
    } else {
      // Each kernel's width: the larger gap to its neighbours in sorted order (the bounds count
      // as neighbours, equal centres as distinct ones, as Optuna's argsort). Without
      // considerEndpoints, the outermost kernels use their inner gap only.
      const order = new Uint32Array(K).map((_, i) => i).sort((u, v) => mu[u]! - mu[v]! || u - v);
      const at = (r: number) => (r < 0 ? lo : r >= K ? hi : mu[order[r]!]!);
      for (let r = 0; r < K; r++) sg[order[r]!] = Math.max(at(r) - at(r - 1), at(r + 1) - at(r));
      if (!p.considerEndpoints && K >= 2) {
        sg[order[0]!] = at(1) - at(0);
        sg[order[K - 1]!] = at(K - 1) - at(K - 2);
      }
    }
    const maxS = range, minS = p.considerMagicClip ? range / Math.min(100, 1 + K) : 1e-12;
    for (let k = 0; k < n; k++) sg[k] = Math.min(maxS, Math.max(minS, sg[k]!));
    sg[n] = range;
    const ln = new Float64Array(K), lm = new Float64Array(K);
    for (let k = 0; k < K; k++) {
      lm[k] = logGaussMass((lo - mu[k]!) / sg[k]!, (hi - mu[k]!) / sg[k]!);
      ln[k] = (p.normalizeKernels ? -Math.log(sg[k]!) : 0) - LOG_SQRT_2PI - lm[k]!;
    }
    this.mus[j] = mu; this.sigmas[j] = sg; this.logNorm[j] = ln; this.logMass[j] = lm;
  }

  /** `size` draws from the mixture: one Float64Array per parameter (internal space, on the grid). */
  sample(rng: Rng, size: number): Float64Array[] {
    const out = this.dims.map(() => new Float64Array(size));
    for (let i = 0; i < size; i++) {
      const u = rng.uniform();
      let k = 0;
      while (k < this.cumW.length - 1 && this.cumW[k]! <= u) k++;
      this.dims.forEach((d, j) => {
        if (d.cat) {
          const W = this.catW[j]!, v = rng.uniform();
          let c = 0, acc = W[k * d.cat]!;
          while (c < d.cat - 1 && acc <= v) acc += W[k * d.cat + ++c]!;
          out[j]![i] = c;
          return;
        }
        const m = this.mus[j]![k]!, s = this.sigmas[j]![k]!;
        let x = NaN;
        for (let t = 0; t < 1000 && !(x >= d.lo && x <= d.hi); t++) x = m + s * rng.normal(); // mass ≥ 1/3: μ lies in [lo, hi]
        if (!(x >= d.lo && x <= d.hi)) x = d.lo + rng.uniform() * (d.hi - d.lo);
        out[j]![i] = roundToGrid(d, x);
      });
    }
    return out;
  }

  /** log density (log mass for discrete parameters) of each sample under the mixture. */
  logPdf(x: readonly Float64Array[]): Float64Array {
    const size = x[0]?.length ?? 0, K = this.logW.length;
    const res = new Float64Array(size), acc = new Float64Array(K);
    for (let i = 0; i < size; i++) {
      acc.set(this.logW);
      for (let j = 0; j < this.dims.length; j++) {
        const d = this.dims[j]!, xi = x[j]![i]!;
        if (d.cat) {
          const W = this.catW[j]!, C = d.cat;
          for (let k = 0; k < K; k++) acc[k]! += Math.log(W[k * C + xi]!);
          continue;
        }
        const mu = this.mus[j]!, sg = this.sigmas[j]!, ln = this.logNorm[j]!, lm = this.logMass[j]!;
        if (d.step > 0) {
          const a = Math.max(d.lo, xi - d.step / 2), b = Math.min(d.hi, xi + d.step / 2);
          for (let k = 0; k < K; k++) {
            const s = sg[k]!;
            acc[k]! += logGaussMass((a - mu[k]!) / s, (b - mu[k]!) / s) - lm[k]!;
          }
        } else {
          for (let k = 0; k < K; k++) { const z = (xi - mu[k]!) / sg[k]!; acc[k]! += ln[k]! - 0.5 * z * z; }
        }
      }
      let max = -Infinity;
      for (let k = 0; k < K; k++) if (acc[k]! > max) max = acc[k]!;
      if (max === -Infinity) { res[i] = -Infinity; continue; }
      let s = 0;
      for (let k = 0; k < K; k++) { const v = acc[k]! - max; if (v > -40) s += Math.exp(v); } // e^-40·K: below rounding
      res[i] = Math.log(s) + max;
    }
    return res;
  }
}

/** Snaps an internal-space value onto the parameter's grid (steps, or integers on a log scale). */
export function roundToGrid(d: Dim, x: number): number {
  if (d.step > 0) return Math.min(d.gridHigh, Math.max(d.gridLow, d.gridLow + Math.round((x - d.gridLow) / d.step) * d.step));
  if (d.roundExp) return Math.log(Math.min(d.intHigh, Math.max(d.intLow, Math.round(Math.exp(x)))));
  return x;
}
