// Crossovers of NSGAIISampler (Optuna's nsgaii crossovers), on the numerical parameters in the
// sampler's internal space (log scale for log parameters; bounds widened by half a step for
// discrete ones): UniformCrossover (Optuna 3.1's default: each parameter from either parent) and
// SBXCrossover (simulated binary crossover, Deb & Agrawal 1995, kept inside the bounds as Optuna's:
// offered by Optuna since 3.0). Categorical parameters always take the uniform crossover (in the
// sampler). Contract: a child coordinate lies within [lo, hi] of its parameter.
import { checkNumber } from '../../check-option.js';
import type { Rng } from '../rng.js';

/** How NSGAIISampler makes one child's numerical parameters from its parents'. */
export interface Crossover {
  /** Parents per child. */
  readonly nParents: number;
  /**
   * One child: `parents[p][j]` is parameter j of parent p in internal space, `lo[j]..hi[j]` its
   * bounds; `multiObjective` tells whether the study has several objectives.
   */
  crossover(parents: readonly Float64Array[], rng: Rng, lo: Float64Array, hi: Float64Array, multiObjective: boolean): Float64Array;
}

/**
 * Uniform crossover (Syswerda 1989): each parameter from the second parent with probability
 * `swappingProb`, else from the first.
 * @example new sg.tune.NSGAIISampler({ crossover: new sg.tune.UniformCrossover(0.5) })
 */
export class UniformCrossover implements Crossover {
  readonly nParents = 2;
  readonly swappingProb: number;
  constructor(swappingProb = 0.5) {
    this.swappingProb = checkNumber('UniformCrossover', 'swappingProb', swappingProb, { min: 0, max: 1 });
  }
  crossover(parents: readonly Float64Array[], rng: Rng): Float64Array {
    const [a, b] = parents as [Float64Array, Float64Array];
    return a.map((x, j) => (rng.uniform() >= this.swappingProb ? b[j]! : x));
  }
}

/**
 * Simulated binary crossover: a child near either parent, spread by the distribution index `eta`
 * (default 20 for several objectives, 2 for one, as Optuna), kept inside the bounds; each
 * parameter is crossed with probability 0.5 and otherwise taken from either parent.
 * @example new sg.tune.NSGAIISampler({ crossover: new sg.tune.SBXCrossover({ eta: 15 }) })
 */
export class SBXCrossover implements Crossover {
  readonly nParents = 2;
  readonly eta: number | undefined;
  constructor({ eta }: { eta?: number } = {}) {
    this.eta = eta === undefined ? undefined : checkNumber('SBXCrossover', 'eta', eta, { gt: 0 });
  }
  crossover(parents: readonly Float64Array[], rng: Rng, lo: Float64Array, hi: Float64Array, multiObjective: boolean): Float64Array {
    const [a, b] = parents as [Float64Array, Float64Array];
    const eta = this.eta ?? (multiObjective ? 20 : 2), e = 1 / (eta + 1);
    const child = new Float64Array(a.length);
    for (let j = 0; j < a.length; j++) {
      const x1 = Math.min(a[j]!, b[j]!), x2 = Math.max(a[j]!, b[j]!), diff = Math.max(x2 - x1, 1e-10);
      // The spread on each side is capped so that the child stays within [lo, hi].
      const alpha1 = 2 - (1 + (2 * (x1 - lo[j]!)) / diff) ** -(eta + 1);
      const alpha2 = 2 - (1 + (2 * (hi[j]! - x2)) / diff) ** -(eta + 1);
      const u = rng.uniform();
      const betaq = (alpha: number) => (u > 1 / alpha ? (1 / (2 - u * alpha)) ** e : (u * alpha) ** e);
      const c1 = 0.5 * (x1 + x2 - betaq(alpha1) * diff), c2 = 0.5 * (x1 + x2 + betaq(alpha2) * diff);
      const v = rng.uniform() < 0.5 ? (rng.uniform() < 0.5 ? c1 : c2) : (rng.uniform() < 0.5 ? a[j]! : b[j]!);
      child[j] = Math.min(hi[j]!, Math.max(lo[j]!, v));
    }
    return child;
  }
}
