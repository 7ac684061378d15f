// SepCMA: separable CMA-ES (Ros & Hansen 2008, "A Simple Modification in CMA-ES Achieving Linear
// Time and Space Complexity"), as the `cmaes` library's SepCMA: the covariance is kept diagonal,
// which allows a larger covariance learning rate ((n + 2)/3 × the full one) and suits separable
// objectives. Positive weights only. Same ask/tell/shouldStop/state interface as CMA (cma-base.ts).
import type { Rng } from '../../rng.js';
import { CmaBase, chiN, type CmaBaseOptions, type CmaConstants, type CmaState } from './cma-base.js';

const EPS = 1e-8;

function constants(n: number, lambda: number): CmaConstants {
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
  return { mu, muEff, c1, cmu, weights, cSigma, dSigma, cc: 4 / (n + 4), chiN: chiN(n) };
}

/**
 * Separable CMA-ES over n ≥ 2 dimensions.
 * @example const es = new SepCMA({ mean: new Float64Array(10), sigma: 0.5 });
 */
export class SepCMA extends CmaBase {
  protected readonly kind = 'sepcma';
  private readonly k: CmaConstants;

  constructor(o: CmaBaseOptions) {
    super('SepCMA', o, new Float64Array(o.mean.length).fill(1));
    this.k = constants(this.dim, this.populationSize);
  }

  static fromState(s: CmaState, bounds: Float64Array | null, nMaxResampling?: number): SepCMA {
    return new SepCMA({ mean: Float64Array.from(s.mean), sigma: s.tolx / 1e-12, bounds, populationSize: s.populationSize,
      ...(nMaxResampling !== undefined ? { nMaxResampling } : {}) }).restore(s);
  }

  /** Standard deviations per axis (negative variances, from rounding, count as EPS). */
  private sd(): Float64Array { return this.C.map((c) => Math.sqrt(c < 0 ? EPS : c)); }

  protected sample(rng: Rng): Float64Array {
    const D = this.sd();
    return Float64Array.from({ length: this.dim }, (_, j) => this.mean[j]! + this.sigmaValue * D[j]! * rng.normal());
  }

  tell(solutions: ReadonlyArray<{ x: ArrayLike<number>; value: number }>): void {
    const y = this.rank('SepCMA', solutions);
    const n = this.dim, k = this.k, D = this.sd();
    const yw = new Float64Array(n);
    for (let i = 0; i < k.mu; i++) for (let j = 0; j < n; j++) yw[j]! += k.weights[i]! * y[i]![j]!;
    const deltaH = this.adapt(k, yw, yw.map((v, j) => v / D[j]!));
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
    const D = this.sd();
    if (this.stopShared(D, this.C)) return true;
    const i = this.g % this.dim;
    return this.mean.every((m) => m === m + 0.1 * this.sigmaValue * D[i]!);
  }
}
