// CMA: the covariance matrix adaptation evolution strategy with an ask-and-tell interface, as the
// `cmaes` library (0.9, which Optuna 3.1's CmaEsSampler wraps) implements it (Hansen's tutorial,
// arXiv:1604.00772, with its equation numbers): weighted recombination with negative weights,
// cumulative step-size adaptation, rank-one and rank-μ covariance updates; box bounds by
// resampling (then clipping); the library's termination tests (shouldStop, which IPOP restarts on).
// The state (mean, σ, C, evolution paths, generation, recent best/worst values) round-trips through
// toState/fromState as plain JSON, so that a study's storage can carry it between workers.
// Feeding it the same solutions gives the library's mean, σ and C (tests/tune/cmaes.test.ts).
import type { Rng } from '../../rng.js';
import { symmetricEigen } from './symmetric-eigen.js';

const EPS = 1e-8;
const SIGMA_MAX = 1e32;

/** What a CMA (or SepCMA) needs to resume: plain numbers, JSON-safe. */
export interface CmaState {
  kind: 'cma' | 'sepcma';
  mean: number[];
  sigma: number;
  /** Full covariance, row-major (cma), or its diagonal (sepcma). */
  C: number[];
  pSigma: number[];
  pc: number[];
  generation: number;
  populationSize: number;
  /** 1e-12 × the initial σ. */
  tolx: number;
  /** Best and worst value of the last generations (2 per generation, ring buffer). */
  funhist: number[];
}

export interface CmaOptions {
  mean: Float64Array;
  sigma: number;
  /** [lower, upper] per dimension, n × 2 row-major (default: unbounded). */
  bounds?: Float64Array | null;
  /** Draws until a sample falls inside the bounds, then the last one is clipped (default 100). */
  nMaxResampling?: number;
  /** Default 4 + ⌊3 ln n⌋. */
  populationSize?: number;
  /** Initial covariance, n × n row-major (default identity). */
  cov?: Float64Array | null;
}

/** Learning rates and weights of CMA-ES for n dimensions and λ samples (the library's, eq. 48–56). */
function constants(n: number, lambda: number) {
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
  const chiN = Math.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n));
  return { mu, muEff, c1, cmu, weights, cSigma, dSigma, cc, chiN };
}

/** The library's population size for n dimensions: 4 + ⌊3 ln n⌋. */
export const defaultPopulationSize = (n: number): number => 4 + Math.floor(3 * Math.log(n));

/**
 * CMA-ES over n ≥ 2 dimensions.
 * @example
 * const es = new CMA({ mean: new Float64Array([0, 0]), sigma: 1 });
 * const xs = Array.from({ length: es.populationSize }, () => es.ask(rng));
 * es.tell(xs.map((x) => ({ x, value: x[0]! ** 2 + x[1]! ** 2 })));
 */
export class CMA {
  readonly dim: number;
  readonly populationSize: number;
  private readonly k: ReturnType<typeof constants>;
  private mean: Float64Array;
  private sigmaValue: number;
  private C: Float64Array;
  private pSigma: Float64Array;
  private pc: Float64Array;
  private g = 0;
  private readonly tolx: number;
  private readonly funhistTerm: number;
  private funhist: Float64Array;
  private B: Float64Array | null = null;
  private D: Float64Array | null = null;
  private readonly bounds: Float64Array | null;
  private readonly nMaxResampling: number;

  constructor(o: CmaOptions) {
    const n = this.dim = o.mean.length;
    if (n < 2) throw new RangeError(`CMA: the mean must have at least 2 dimensions, got ${n}`);
    if (!(o.sigma > 0) || !Number.isFinite(o.sigma)) throw new RangeError(`CMA: sigma must be a finite number > 0, got ${o.sigma}`);
    if (!o.mean.every((v) => Math.abs(v) < 1e32)) throw new RangeError('CMA: every entry of the mean must be finite and below 1e32 in magnitude');
    this.populationSize = o.populationSize ?? defaultPopulationSize(n);
    if (!Number.isInteger(this.populationSize) || this.populationSize < 2) throw new RangeError(`CMA: populationSize must be an integer ≥ 2, got ${this.populationSize}`);
    if (o.bounds && o.bounds.length !== 2 * n) throw new RangeError(`CMA: bounds must hold ${n} [low, high] pairs, got ${o.bounds.length} numbers`);
    if (o.cov && o.cov.length !== n * n) throw new RangeError(`CMA: cov must be ${n} × ${n}, got ${o.cov.length} numbers`);
    this.k = constants(n, this.populationSize);
    this.mean = o.mean.slice();
    this.sigmaValue = o.sigma;
    this.C = o.cov ? o.cov.slice() : Float64Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0));
    this.pSigma = new Float64Array(n);
    this.pc = new Float64Array(n);
    this.tolx = 1e-12 * o.sigma;
    this.funhistTerm = 10 + Math.ceil(30 * n / this.populationSize);
    this.funhist = new Float64Array(2 * this.funhistTerm);
    this.bounds = o.bounds ? o.bounds.slice() : null;
    this.nMaxResampling = o.nMaxResampling ?? 100;
  }

  /** A CMA resumed from toState() (bounds and resampling are not part of the state). */
  static fromState(s: CmaState, bounds: Float64Array | null, nMaxResampling?: number): CMA {
    const es = new CMA({ mean: Float64Array.from(s.mean), sigma: s.tolx / 1e-12, bounds, populationSize: s.populationSize, cov: Float64Array.from(s.C),
      ...(nMaxResampling !== undefined ? { nMaxResampling } : {}) });
    es.sigmaValue = s.sigma; es.pSigma = Float64Array.from(s.pSigma); es.pc = Float64Array.from(s.pc);
    es.g = s.generation; es.funhist = Float64Array.from(s.funhist);
    return es;
  }

  toState(): CmaState {
    return { kind: 'cma', mean: [...this.mean], sigma: this.sigmaValue, C: [...this.C], pSigma: [...this.pSigma], pc: [...this.pc],
      generation: this.g, populationSize: this.populationSize, tolx: this.tolx, funhist: [...this.funhist] };
  }

  /** Generations told so far. */
  get generation(): number { return this.g; }
  get sigma(): number { return this.sigmaValue; }
  /** Copies of the mean and the covariance (n × n row-major). */
  get state(): { mean: Float64Array; C: Float64Array } { return { mean: this.mean.slice(), C: this.C.slice() }; }

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

  /** One sample x ~ N(m, σ²C) inside the bounds (resampled up to nMaxResampling times, then clipped). */
  ask(rng: Rng): Float64Array {
    for (let i = 0; i < this.nMaxResampling; i++) {
      const x = this.sample(rng);
      if (this.feasible(x)) return x;
    }
    const x = this.sample(rng);
    if (this.bounds) for (let j = 0; j < this.dim; j++) x[j] = Math.min(this.bounds[2 * j + 1]!, Math.max(this.bounds[2 * j]!, x[j]!));
    return x;
  }

  private sample(rng: Rng): Float64Array {
    const n = this.dim, { B, D } = this.eigen(), z = new Float64Array(n), x = new Float64Array(n);
    for (let j = 0; j < n; j++) z[j] = rng.normal();
    for (let i = 0; i < n; i++) {
      let y = 0;
      for (let k = 0; k < n; k++) y += B[i * n + k]! * D[k]! * z[k]!;
      x[i] = this.mean[i]! + this.sigmaValue * y;
    }
    return x;
  }

  private feasible(x: Float64Array): boolean {
    if (!this.bounds) return true;
    for (let j = 0; j < this.dim; j++) if (!(x[j]! >= this.bounds[2 * j]! && x[j]! <= this.bounds[2 * j + 1]!)) return false;
    return true;
  }

  /** Updates the distribution from exactly populationSize evaluated samples (values minimised). */
  tell(solutions: ReadonlyArray<{ x: ArrayLike<number>; value: number }>): void {
    const n = this.dim, lambda = this.populationSize, k = this.k;
    if (solutions.length !== lambda) throw new RangeError(`CMA.tell: expected ${lambda} solutions (the population size), got ${solutions.length}`);
    for (const s of solutions) {
      if (s.x.length !== n || !Array.from(s.x).every((v) => Math.abs(v) < 1e32)) throw new RangeError(`CMA.tell: every solution needs ${n} finite values below 1e32 in magnitude`);
    }
    this.g++;
    const sorted = [...solutions].sort((a, b) => a.value - b.value); // stable, as Python's sort
    const fi = 2 * (this.g % this.funhistTerm);
    this.funhist[fi] = sorted[0]!.value; this.funhist[fi + 1] = sorted[lambda - 1]!.value;
    const { B, D } = this.eigen();
    this.B = null; this.D = null;
    const y = sorted.map((s) => Float64Array.from(s.x, (v, j) => (v - this.mean[j]!) / this.sigmaValue));
    const yw = new Float64Array(n);
    for (let i = 0; i < k.mu; i++) for (let j = 0; j < n; j++) yw[j]! += k.weights[i]! * y[i]![j]!;
    for (let j = 0; j < n; j++) this.mean[j]! += this.sigmaValue * yw[j]!; // cm = 1
    // C^(-1/2) = B·D⁻¹·Bᵀ
    const C2 = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let q = 0; q < n; q++) s += B[i * n + q]! * B[j * n + q]! / D[q]!;
      C2[i * n + j] = s;
    }
    const mulC2 = (v: Float64Array) => Float64Array.from({ length: n }, (_, i) => { let s = 0; for (let j = 0; j < n; j++) s += C2[i * n + j]! * v[j]!; return s; });
    const c2yw = mulC2(yw), ps = Math.sqrt(k.cSigma * (2 - k.cSigma) * k.muEff);
    let norm = 0;
    for (let j = 0; j < n; j++) { this.pSigma[j] = (1 - k.cSigma) * this.pSigma[j]! + ps * c2yw[j]!; norm += this.pSigma[j]! ** 2; }
    norm = Math.sqrt(norm);
    this.sigmaValue = Math.min(this.sigmaValue * Math.exp((k.cSigma / k.dSigma) * (norm / k.chiN - 1)), SIGMA_MAX);
    const hLeft = norm / Math.sqrt(1 - (1 - k.cSigma) ** (2 * (this.g + 1))), hRight = (1.4 + 2 / (n + 1)) * k.chiN;
    const hSigma = hLeft < hRight ? 1 : 0;
    const pcs = hSigma * Math.sqrt(k.cc * (2 - k.cc) * k.muEff);
    for (let j = 0; j < n; j++) this.pc[j] = (1 - k.cc) * this.pc[j]! + pcs * yw[j]!;
    const wio = y.map((yk, i) => {
      const w = k.weights[i]!;
      if (w >= 0) return w;
      const c = mulC2(yk);
      let s = 0;
      for (const v of c) s += v * v;
      return w * (n / (s + EPS));
    });
    const deltaH = (1 - hSigma) * k.cc * (2 - k.cc);
    let wsum = 0;
    for (const w of k.weights) wsum += w;
    const decay = 1 + k.c1 * deltaH - k.c1 - k.cmu * wsum;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let rankMu = 0;
      for (let q = 0; q < lambda; q++) rankMu += wio[q]! * y[q]![i]! * y[q]![j]!;
      this.C[i * n + j] = decay * this.C[i * n + j]! + k.c1 * this.pc[i]! * this.pc[j]! + k.cmu * rankMu;
    }
  }

  /** The library's termination tests (flat values, tiny or exploding σ, no effect on the mean, ill-conditioning). */
  shouldStop(): boolean {
    const n = this.dim, { B, D } = this.eigen();
    const dC = Float64Array.from({ length: n }, (_, i) => this.C[i * n + i]!);
    if (this.g > this.funhistTerm && Math.max(...this.funhist) - Math.min(...this.funhist) < 1e-12) return true;
    if (dC.every((c) => this.sigmaValue * c < this.tolx) && this.pc.every((p) => this.sigmaValue * p < this.tolx)) return true;
    if (this.sigmaValue * Math.max(...D) > 1e4) return true;
    if (this.mean.some((m, j) => m === m + 0.2 * this.sigmaValue * Math.sqrt(dC[j]!))) return true;
    const i = this.g % n;
    if (this.mean.every((m, j) => m === m + 0.1 * this.sigmaValue * D[i]! * B[j * n + i]!)) return true;
    return Math.max(...D) / Math.min(...D) > 1e14;
  }
}
