// CMA: the covariance matrix adaptation evolution strategy with an ask-and-tell interface, as the
// `cmaes` library (0.9, which Optuna 3.1's CmaEsSampler wraps) implements it (Hansen's tutorial,
// arXiv:1604.00772, with its equation numbers): weighted recombination with negative weights,
// cumulative step-size adaptation, rank-one and rank-μ covariance updates; box bounds by
// resampling (then clipping); the library's termination tests (shouldStop, which IPOP restarts on).
// The state round-trips through toState/fromState as plain JSON (cma-base.ts), so that a study's
// storage can carry it between workers. Fed the same solutions, it reaches the library's mean, σ
// and C (tests/tune/cmaes.test.ts).
import type { Rng } from '../../rng.js';
import { CmaBase, chiN, defaultPopulationSize, type CmaBaseOptions, type CmaConstants, type CmaState } from './cma-base.js';
import { symmetricEigen } from './symmetric-eigen.js';

export { defaultPopulationSize, type CmaState } from './cma-base.js';

const EPS = 1e-8;

export interface CmaOptions extends CmaBaseOptions {
  /** Initial covariance, n × n row-major (default identity). */
  cov?: Float64Array | null;
}

/** Learning rates and weights of CMA-ES for n dimensions and λ samples (the library's, eq. 48–56). */
function constants(n: number, lambda: number): CmaConstants {
  const mu = Math.floor(lambda / 2);
  const wPrime = Float64Array.from({ length: lambda }, (_, i) => Math.log((lambda + 1) / 2) - Math.log(i + 1));
  let sp = 0, sp2 = 0, sn = 0, sn2 = 0;
  for (let i = 0; i < mu; i++) { sp += wPrime[i]!; sp2 += wPrime[i]! ** 2; }
  for (let i = mu; i < lambda; i++) { sn += wPrime[i]!; sn2 += wPrime[i]! ** 2; }
  const muEff = sp * sp / sp2, muEffMinus = sn * sn / sn2;
  const alphaCov = 2;
  const c1 = alphaCov / ((n + 1.3) ** 2 + muEff);
  const cmu = Math.min(1 - c1 - 1e-8, alphaCov * (muEff - 2 + 1 / muEff) / ((n + 2) ** 2 + alphaCov * muEff / 2));
  const minAlpha = Math.min(1 + c1 / cmu, 1 + (2 * muEffMinus) / (muEff + 2), (1 - c1 - cmu) / (n * cmu));
  let positive = 0, negative = 0;
  for (const w of wPrime) { if (w > 0) positive += w; else if (w < 0) negative -= w; }
  const weights = wPrime.map((w) => (w >= 0 ? w / positive : (minAlpha / negative) * w));
  const cSigma = (muEff + 2) / (n + muEff + 5);
  const dSigma = 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (n + 1)) - 1) + cSigma;
  const cc = (4 + muEff / n) / (n + 4 + 2 * muEff / n);
  return { mu, muEff, c1, cmu, weights, cSigma, dSigma, cc, chiN: chiN(n) };
}

/**
 * CMA-ES over n ≥ 2 dimensions.
 * @example
 * const es = new CMA({ mean: new Float64Array([0, 0]), sigma: 1 });
 * const xs = Array.from({ length: es.populationSize }, () => es.ask(rng));
 * es.tell(xs.map((x) => ({ x, value: x[0]! ** 2 + x[1]! ** 2 })));
 */
export class CMA extends CmaBase {
  protected readonly kind = 'cma';
  private readonly k: CmaConstants;
  private B: Float64Array | null = null;
  private D: Float64Array | null = null;

  constructor(o: CmaOptions) {
    const n = o.mean.length;
    if (o.cov && o.cov.length !== n * n) throw new RangeError(`CMA: cov must be ${n} × ${n}, got ${o.cov.length} numbers`);
    super('CMA', o, o.cov ? o.cov.slice() : Float64Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0)));
    this.k = constants(n, this.populationSize);
  }

  /** A CMA resumed from toState() (bounds and resampling are not part of the state). */
  static fromState(s: CmaState, bounds: Float64Array | null, nMaxResampling?: number): CMA {
    return new CMA({ mean: Float64Array.from(s.mean), sigma: s.tolx / 1e-12, bounds, populationSize: s.populationSize,
      ...(nMaxResampling !== undefined ? { nMaxResampling } : {}) }).restore(s);
  }

  /** B and D with C = B·diag(D²)·Bᵀ; C is symmetrised and rebuilt from them, as the library does. */
  private eigen(): { B: Float64Array; D: Float64Array } {
    if (this.B && this.D) return { B: this.B, D: this.D };
    const n = this.dim, { values, vectors: B } = symmetricEigen(this.C, n);
    const D = values.map((v) => Math.sqrt(v < 0 ? EPS : v));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += B[i * n + k]! * D[k]! * D[k]! * B[j * n + k]!;
        this.C[i * n + j] = s;
      }
    }
    this.B = B; this.D = D;
    return { B, D };
  }

  protected sample(rng: Rng): Float64Array {
    const n = this.dim, { B, D } = this.eigen(), z = new Float64Array(n), x = new Float64Array(n);
    for (let j = 0; j < n; j++) z[j] = rng.normal();
    for (let i = 0; i < n; i++) {
      let y = 0;
      for (let k = 0; k < n; k++) y += B[i * n + k]! * D[k]! * z[k]!;
      x[i] = this.mean[i]! + this.sigmaValue * y;
    }
    return x;
  }

  tell(solutions: ReadonlyArray<{ x: ArrayLike<number>; value: number }>): void {
    const y = this.rank('CMA', solutions);
    const n = this.dim, k = this.k, { B, D } = this.eigen();
    this.B = null; this.D = null;
    const yw = new Float64Array(n);
    for (let i = 0; i < k.mu; i++) for (let j = 0; j < n; j++) yw[j]! += k.weights[i]! * y[i]![j]!;
    // C^(-1/2) = B·D⁻¹·Bᵀ
    const C2 = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let q = 0; q < n; q++) s += B[i * n + q]! * B[j * n + q]! / D[q]!;
      C2[i * n + j] = s;
    }
    const whiten = (v: Float64Array) => Float64Array.from({ length: n }, (_, i) => { let s = 0; for (let j = 0; j < n; j++) s += C2[i * n + j]! * v[j]!; return s; });
    const deltaH = this.adapt(k, yw, whiten(yw));
    // Negative weights are rescaled by n/‖C^(−1/2)y‖² (eq. 46).
    const wio = y.map((yk, i) => {
      const w = k.weights[i]!;
      if (w >= 0) return w;
      let s = 0;
      for (const v of whiten(yk)) s += v * v;
      return w * (n / (s + EPS));
    });
    let wsum = 0;
    for (const w of k.weights) wsum += w;
    const decay = 1 + k.c1 * deltaH - k.c1 - k.cmu * wsum;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let rankMu = 0;
      for (let q = 0; q < this.populationSize; q++) rankMu += wio[q]! * y[q]![i]! * y[q]![j]!;
      this.C[i * n + j] = decay * this.C[i * n + j]! + k.c1 * this.pc[i]! * this.pc[j]! + k.cmu * rankMu;
    }
  }

  shouldStop(): boolean {
    const n = this.dim, { B, D } = this.eigen();
    if (this.stopShared(D, Float64Array.from({ length: n }, (_, i) => this.C[i * n + i]!))) return true;
    // No effect along the principal axis of this generation.
    const i = this.g % n;
    return this.mean.every((m, j) => m === m + 0.1 * this.sigmaValue * D[i]! * B[j * n + i]!);
  }
}
