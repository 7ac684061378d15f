// SepCMA: separable CMA-ES (Ros & Hansen 2008, "A Simple Modification in CMA-ES Achieving Linear
// Time and Space Complexity"), as the `cmaes` library's SepCMA: the covariance is kept diagonal,
// which allows a larger covariance learning rate ((n + 2)/3 × the full one) and suits separable
// objectives. Positive weights only. Same ask/tell/shouldStop/state interface as CMA.
import type { Rng } from '../../rng.js';
import { defaultPopulationSize, type CmaState } from './cma.js';

const EPS = 1e-8;
const SIGMA_MAX = 1e32;

export interface SepCmaOptions {
  mean: Float64Array;
  sigma: number;
  bounds?: Float64Array | null;
  nMaxResampling?: number;
  populationSize?: number;
}

function constants(n: number, lambda: number) {
  const mu = Math.floor(lambda / 2);
  const wPrime = Float64Array.from({ length: mu }, (_, i) => Math.log(mu + 1) - Math.log(i + 1));
  let sum = 0;
  for (const w of wPrime) sum += w;
  const weights = wPrime.map((w) => w / sum);
  let sq = 0;
  for (const w of weights) sq += w * w;
  const muEff = 1 / sq;
  const c1 = 2 / ((n + 1.3) ** 2 + muEff);
  const cmuFull = 2 / muEff / (n + Math.SQRT2) ** 2 + (1 - 1 / muEff) * Math.min(1, (2 * muEff - 1) / ((n + 2) ** 2 + muEff));
  const cmu = (n + 2) / 3 * cmuFull;
  const cSigma = (muEff + 2) / (n + muEff + 3);
  const dSigma = 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (n + 1)) - 1) + cSigma;
  const cc = 4 / (n + 4);
  const chiN = Math.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n));
  return { mu, muEff, c1, cmu, weights, cSigma, dSigma, cc, chiN };
}

/**
 * Separable CMA-ES over n ≥ 2 dimensions.
 * @example const es = new SepCMA({ mean: new Float64Array(10), sigma: 0.5 });
 */
export class SepCMA {
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
  private readonly bounds: Float64Array | null;
  private readonly nMaxResampling: number;

  constructor(o: SepCmaOptions) {
    const n = this.dim = o.mean.length;
    if (n < 2) throw new RangeError(`SepCMA: the mean must have at least 2 dimensions, got ${n}`);
    if (!(o.sigma > 0) || !Number.isFinite(o.sigma)) throw new RangeError(`SepCMA: sigma must be a finite number > 0, got ${o.sigma}`);
    if (!o.mean.every((v) => Math.abs(v) < 1e32)) throw new RangeError('SepCMA: every entry of the mean must be finite and below 1e32 in magnitude');
    this.populationSize = o.populationSize ?? defaultPopulationSize(n);
    if (!Number.isInteger(this.populationSize) || this.populationSize < 2) throw new RangeError(`SepCMA: populationSize must be an integer ≥ 2, got ${this.populationSize}`);
    if (o.bounds && o.bounds.length !== 2 * n) throw new RangeError(`SepCMA: bounds must hold ${n} [low, high] pairs, got ${o.bounds.length} numbers`);
    this.k = constants(n, this.populationSize);
    this.mean = o.mean.slice();
    this.sigmaValue = o.sigma;
    this.C = new Float64Array(n).fill(1);
    this.pSigma = new Float64Array(n);
    this.pc = new Float64Array(n);
    this.tolx = 1e-12 * o.sigma;
    this.funhistTerm = 10 + Math.ceil(30 * n / this.populationSize);
    this.funhist = new Float64Array(2 * this.funhistTerm);
    this.bounds = o.bounds ? o.bounds.slice() : null;
    this.nMaxResampling = o.nMaxResampling ?? 100;
  }

  static fromState(s: CmaState, bounds: Float64Array | null, nMaxResampling?: number): SepCMA {
    const es = new SepCMA({ mean: Float64Array.from(s.mean), sigma: s.tolx / 1e-12, bounds, populationSize: s.populationSize,
      ...(nMaxResampling !== undefined ? { nMaxResampling } : {}) });
    es.sigmaValue = s.sigma; es.C = Float64Array.from(s.C); es.pSigma = Float64Array.from(s.pSigma); es.pc = Float64Array.from(s.pc);
    es.g = s.generation; es.funhist = Float64Array.from(s.funhist);
    return es;
  }

  toState(): CmaState {
    return { kind: 'sepcma', mean: [...this.mean], sigma: this.sigmaValue, C: [...this.C], pSigma: [...this.pSigma], pc: [...this.pc],
      generation: this.g, populationSize: this.populationSize, tolx: this.tolx, funhist: [...this.funhist] };
  }

  get generation(): number { return this.g; }
  get sigma(): number { return this.sigmaValue; }
  /** Copies of the mean and the covariance's diagonal. */
  get state(): { mean: Float64Array; C: Float64Array } { return { mean: this.mean.slice(), C: this.C.slice() }; }

  private sd(): Float64Array { return this.C.map((c) => Math.sqrt(c < 0 ? EPS : c)); }

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
    const D = this.sd();
    return Float64Array.from({ length: this.dim }, (_, j) => this.mean[j]! + this.sigmaValue * D[j]! * rng.normal());
  }

  private feasible(x: Float64Array): boolean {
    if (!this.bounds) return true;
    for (let j = 0; j < this.dim; j++) if (!(x[j]! >= this.bounds[2 * j]! && x[j]! <= this.bounds[2 * j + 1]!)) return false;
    return true;
  }

  tell(solutions: ReadonlyArray<{ x: ArrayLike<number>; value: number }>): void {
    const n = this.dim, lambda = this.populationSize, k = this.k;
    if (solutions.length !== lambda) throw new RangeError(`SepCMA.tell: expected ${lambda} solutions (the population size), got ${solutions.length}`);
    for (const s of solutions) {
      if (s.x.length !== n || !Array.from(s.x).every((v) => Math.abs(v) < 1e32)) throw new RangeError(`SepCMA.tell: every solution needs ${n} finite values below 1e32 in magnitude`);
    }
    this.g++;
    const sorted = [...solutions].sort((a, b) => a.value - b.value);
    const fi = 2 * (this.g % this.funhistTerm);
    this.funhist[fi] = sorted[0]!.value; this.funhist[fi + 1] = sorted[lambda - 1]!.value;
    const D = this.sd();
    const y = sorted.map((s) => Float64Array.from(s.x, (v, j) => (v - this.mean[j]!) / this.sigmaValue));
    const yw = new Float64Array(n);
    for (let i = 0; i < k.mu; i++) for (let j = 0; j < n; j++) yw[j]! += k.weights[i]! * y[i]![j]!;
    for (let j = 0; j < n; j++) this.mean[j]! += this.sigmaValue * yw[j]!;
    const ps = Math.sqrt(k.cSigma * (2 - k.cSigma) * k.muEff);
    let norm = 0;
    for (let j = 0; j < n; j++) { this.pSigma[j] = (1 - k.cSigma) * this.pSigma[j]! + ps * (yw[j]! / D[j]!); norm += this.pSigma[j]! ** 2; }
    norm = Math.sqrt(norm);
    this.sigmaValue = Math.min(this.sigmaValue * Math.exp((k.cSigma / k.dSigma) * (norm / k.chiN - 1)), SIGMA_MAX);
    const hLeft = norm / Math.sqrt(1 - (1 - k.cSigma) ** (2 * (this.g + 1))), hRight = (1.4 + 2 / (n + 1)) * k.chiN;
    const hSigma = hLeft < hRight ? 1 : 0;
    const pcs = hSigma * Math.sqrt(k.cc * (2 - k.cc) * k.muEff);
    for (let j = 0; j < n; j++) this.pc[j] = (1 - k.cc) * this.pc[j]! + pcs * yw[j]!;
    const deltaH = (1 - hSigma) * k.cc * (2 - k.cc);
    let wsum = 0;
    for (const w of k.weights) wsum += w;
    const decay = 1 + k.c1 * deltaH - k.c1 - k.cmu * wsum;
    for (let j = 0; j < n; j++) {
      // The library zips the μ weights with the λ sorted samples: the best μ contribute.
      let rankMu = 0;
      for (let q = 0; q < k.mu; q++) rankMu += k.weights[q]! * y[q]![j]! ** 2;
      this.C[j] = decay * this.C[j]! + k.c1 * this.pc[j]! ** 2 + k.cmu * rankMu;
    }
  }

  shouldStop(): boolean {
    const n = this.dim, D = this.sd();
    if (this.g > this.funhistTerm && Math.max(...this.funhist) - Math.min(...this.funhist) < 1e-12) return true;
    if (this.C.every((c) => this.sigmaValue * c < this.tolx) && this.pc.every((p) => this.sigmaValue * p < this.tolx)) return true;
    if (this.sigmaValue * Math.max(...D) > 1e4) return true;
    if (this.mean.some((m, j) => m === m + 0.2 * this.sigmaValue * Math.sqrt(this.C[j]!))) return true;
    const i = this.g % n;
    if (this.mean.every((m) => m === m + 0.1 * this.sigmaValue * D[i]!)) return true;
    return Math.max(...D) / Math.min(...D) > 1e14;
  }
}
