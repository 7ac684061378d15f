// CmaBase: what the `cmaes` library's CMA and SepCMA share (cma.ts, sep-cma.ts) — the state (mean,
// σ, covariance, evolution paths, generation, recent best/worst values) and its JSON form,
// bounded sampling by resampling then clipping, the first steps of tell (checks, ranking, the
// value history), the cumulative step-size adaptation and the rank-one path, and the termination
// tests both run. Subclasses supply the covariance's shape: how to sample, whiten and update it.
import type { Rng } from '../../rng.js';

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

export interface CmaBaseOptions {
  mean: Float64Array;
  sigma: number;
  /** [lower, upper] per dimension, n × 2 row-major (default: unbounded). */
  bounds?: Float64Array | null;
  /** Draws until a sample falls inside the bounds, then the last one is clipped (default 100). */
  nMaxResampling?: number;
  /** Default 4 + ⌊3 ln n⌋. */
  populationSize?: number;
}

/** Learning rates and weights (the library's eq. 48–56, per variant). */
export interface CmaConstants { mu: number; muEff: number; c1: number; cmu: number; weights: Float64Array; cSigma: number; dSigma: number; cc: number; chiN: number }

/** The library's population size for n dimensions: 4 + ⌊3 ln n⌋. */
export const defaultPopulationSize = (n: number): number => 4 + Math.floor(3 * Math.log(n));

/** E‖N(0, I)‖ for n dimensions (the tutorial's approximation). */
export const chiN = (n: number): number => Math.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n));

export abstract class CmaBase {
  readonly dim: number;
  readonly populationSize: number;
  protected abstract readonly kind: 'cma' | 'sepcma';
  protected mean: Float64Array;
  protected sigmaValue: number;
  protected C: Float64Array;
  protected pSigma: Float64Array;
  protected pc: Float64Array;
  protected g = 0;
  protected readonly tolx: number;
  protected readonly funhistTerm: number;
  protected funhist: Float64Array;
  protected readonly bounds: Float64Array | null;
  protected readonly nMaxResampling: number;

  protected constructor(owner: string, o: CmaBaseOptions, C: Float64Array) {
    const n = this.dim = o.mean.length;
    if (n < 2) throw new RangeError(`${owner}: the mean must have at least 2 dimensions, got ${n}`);
    if (!(o.sigma > 0) || !Number.isFinite(o.sigma)) throw new RangeError(`${owner}: sigma must be a finite number > 0, got ${o.sigma}`);
    if (!o.mean.every((v) => Math.abs(v) < 1e32)) throw new RangeError(`${owner}: every entry of the mean must be finite and below 1e32 in magnitude`);
    this.populationSize = o.populationSize ?? defaultPopulationSize(n);
    if (!Number.isInteger(this.populationSize) || this.populationSize < 2) throw new RangeError(`${owner}: populationSize must be an integer ≥ 2, got ${this.populationSize}`);
    if (o.bounds && o.bounds.length !== 2 * n) throw new RangeError(`${owner}: bounds must hold ${n} [low, high] pairs, got ${o.bounds.length} numbers`);
    this.mean = o.mean.slice();
    this.sigmaValue = o.sigma;
    this.C = C;
    this.pSigma = new Float64Array(n);
    this.pc = new Float64Array(n);
    this.tolx = 1e-12 * o.sigma;
    this.funhistTerm = 10 + Math.ceil(30 * n / this.populationSize);
    this.funhist = new Float64Array(2 * this.funhistTerm);
    this.bounds = o.bounds ? o.bounds.slice() : null;
    this.nMaxResampling = o.nMaxResampling ?? 100;
  }

  /** Takes over a stored state's dynamic part (the subclass's fromState built the rest). */
  protected restore(s: CmaState): this {
    this.sigmaValue = s.sigma; this.C = Float64Array.from(s.C); this.pSigma = Float64Array.from(s.pSigma); this.pc = Float64Array.from(s.pc);
    this.g = s.generation; this.funhist = Float64Array.from(s.funhist);
    return this;
  }

  toState(): CmaState {
    return { kind: this.kind, mean: [...this.mean], sigma: this.sigmaValue, C: [...this.C], pSigma: [...this.pSigma], pc: [...this.pc],
      generation: this.g, populationSize: this.populationSize, tolx: this.tolx, funhist: [...this.funhist] };
  }

  /** Generations told so far. */
  get generation(): number { return this.g; }
  get sigma(): number { return this.sigmaValue; }
  /** Copies of the mean and the covariance (n × n row-major, or its diagonal). */
  get state(): { mean: Float64Array; C: Float64Array } { return { mean: this.mean.slice(), C: this.C.slice() }; }

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

  /** Updates the distribution from exactly populationSize evaluated samples (values minimised). */
  abstract tell(solutions: ReadonlyArray<{ x: ArrayLike<number>; value: number }>): void;
  /** The library's termination tests (flat values, tiny or exploding σ, no effect on the mean, ill-conditioning). */
  abstract shouldStop(): boolean;
  protected abstract sample(rng: Rng): Float64Array;

  private feasible(x: Float64Array): boolean {
    if (!this.bounds) return true;
    for (let j = 0; j < this.dim; j++) if (!(x[j]! >= this.bounds[2 * j]! && x[j]! <= this.bounds[2 * j + 1]!)) return false;
    return true;
  }

  /** tell's first steps: checks, the generation count, the value history; the steps y = (x − m)/σ, best first. */
  protected rank(owner: string, solutions: ReadonlyArray<{ x: ArrayLike<number>; value: number }>): Float64Array[] {
    const n = this.dim, lambda = this.populationSize;
    if (solutions.length !== lambda) throw new RangeError(`${owner}.tell: expected ${lambda} solutions (the population size), got ${solutions.length}`);
    for (const s of solutions) {
      if (s.x.length !== n || !Array.from(s.x).every((v) => Math.abs(v) < 1e32)) throw new RangeError(`${owner}.tell: every solution needs ${n} finite values below 1e32 in magnitude`);
    }
    this.g++;
    const sorted = [...solutions].sort((a, b) => a.value - b.value); // stable, as Python's sort
    const fi = 2 * (this.g % this.funhistTerm);
    this.funhist[fi] = sorted[0]!.value; this.funhist[fi + 1] = sorted[lambda - 1]!.value;
    return sorted.map((s) => Float64Array.from(s.x, (v, j) => (v - this.mean[j]!) / this.sigmaValue));
  }

  /**
   * Moves the mean by σ·yw and adapts σ and the paths (cumulative step-size adaptation, eq. 41–45):
   * `whitened` is C^(−1/2)·yw. Returns h_σ's correction term δ(h_σ) for the covariance update.
   */
  protected adapt(k: CmaConstants, yw: Float64Array, whitened: Float64Array): number {
    const n = this.dim;
    for (let j = 0; j < n; j++) this.mean[j]! += this.sigmaValue * yw[j]!; // cm = 1
    const ps = Math.sqrt(k.cSigma * (2 - k.cSigma) * k.muEff);
    let norm = 0;
    for (let j = 0; j < n; j++) { this.pSigma[j] = (1 - k.cSigma) * this.pSigma[j]! + ps * whitened[j]!; norm += this.pSigma[j]! ** 2; }
    norm = Math.sqrt(norm);
    this.sigmaValue = Math.min(this.sigmaValue * Math.exp((k.cSigma / k.dSigma) * (norm / k.chiN - 1)), SIGMA_MAX);
    const hLeft = norm / Math.sqrt(1 - (1 - k.cSigma) ** (2 * (this.g + 1))), hRight = (1.4 + 2 / (n + 1)) * k.chiN;
    const hSigma = hLeft < hRight ? 1 : 0;
    const pcs = hSigma * Math.sqrt(k.cc * (2 - k.cc) * k.muEff);
    for (let j = 0; j < n; j++) this.pc[j] = (1 - k.cc) * this.pc[j]! + pcs * yw[j]!;
    return (1 - hSigma) * k.cc * (2 - k.cc);
  }

  /** The tests both variants run, given the per-axis standard deviations D and the diagonal of C. */
  protected stopShared(D: Float64Array, diag: Float64Array): boolean {
    if (this.g > this.funhistTerm && Math.max(...this.funhist) - Math.min(...this.funhist) < 1e-12) return true;
    if (diag.every((c) => this.sigmaValue * c < this.tolx) && this.pc.every((p) => this.sigmaValue * p < this.tolx)) return true;
    if (this.sigmaValue * Math.max(...D) > 1e4) return true;
    if (this.mean.some((m, j) => m === m + 0.2 * this.sigmaValue * Math.sqrt(diag[j]!))) return true;
    return Math.max(...D) / Math.min(...D) > 1e14;
  }
}
