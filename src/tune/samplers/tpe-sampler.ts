// TPESampler: Tree-structured Parzen Estimator (Optuna's TPESampler). After nStartupTrials random
// trials, the COMPLETE and PRUNED trials (pruned ones ranked by their last reported step, then
// value) are split by gamma(n) into "below" (good) and "above"; a Parzen estimator is fitted to
// each, nEiCandidates points are drawn from l(x) and the one maximising log l(x) − log g(x) wins.
// Univariate by default; multivariate models the intersection search space jointly. With
// constantLiar (the default), RUNNING trials count as the worst ones, so parallel workers spread
// out; a sequential study has no other RUNNING trial, so it is unchanged. Both defaults were chosen
// by measurement (bench/tune-defaults.ts; docs/ARCHITECTURE.md, "TPE defaults").
// Several objectives (MOTPE) and constraints change only the split (tpe-split.ts): below = the best
// non-domination ranks, weighted by hypervolume contribution; feasible trials before infeasible.
import { dict, type FrozenTrial } from '../frozen-trial.js';
import { contains, fromInternal, isSingle, toInternal, type Distribution, type ParamValue } from '../distributions.js';
import { dimOf, ParzenEstimator, type ParzenParams } from './parzen-estimator.js';
import { Rng, freshSeed } from '../rng.js';
import type { StudyView } from '../study-view.js';
import type { RelativeSample, Sampler } from './sampler.js';
import { sampleUniform } from './random-sampler.js';
import { checkInt, checkNumber, checkSeed } from '../../check-option.js';
import { splitTrials, type Split } from './tpe-split.js';
import { hasConstraints, type ConstraintsFunc } from '../constraints.js';
import { IntersectionSearchSpace } from './intersection-search-space.js';

export interface TPESamplerOptions {
  /** Default: a fresh seed per sampler (`sampler.seed` tells which); give one to reproduce a study. */
  seed?: number;
  /** Random trials before TPE starts (default 10). */
  nStartupTrials?: number;
  /** Candidates drawn from l(x) per sample (default 24). */
  nEiCandidates?: number;
  /** How many of n trials are "below" (default min(ceil(0.1·n), 25)). */
  gamma?: (n: number) => number;
  /** Weight of the prior kernel (default 1). */
  priorWeight?: number;
  considerMagicClip?: boolean;
  considerEndpoints?: boolean;
  /** Model the intersection search space jointly (default false: one parameter at a time, which
   * gave lower regret at 60 and 100 trials on the four test functions of bench/tune-defaults.ts). */
  multivariate?: boolean;
  /** Count RUNNING trials as the worst, so concurrent trials spread out (default true, as in Optuna 5:
   * lower or equal regret at concurrency 2 on the test functions; no effect on sequential studies). */
  constantLiar?: boolean;
  /** Observation weights, oldest first (default: Optuna's ramp — the newest 25 weigh 1). */
  weights?: (n: number) => ArrayLike<number>;
  /**
   * Score candidates with true kernel densities (height ∝ 1/σ), as Optuna ≥ 3.2 does. Default:
   * true when multivariate or the study has several objectives; false for one objective
   * univariate, which keeps Optuna 3.1's unit-height kernels — over 100 seeds they gave lower
   * regret on Branin, Hartmann-6 and Rosenbrock (bench/NOTES.md#samplers), while on ZDT1–3 and
   * DTLZ2 true densities gave the larger hypervolume on three of four (bench/mo.ts).
   */
  normalizeKernels?: boolean;
  /** Constraint values of a finished trial, each ≤ 0 when satisfied (Optuna's constraints_func):
   *  infeasible trials go to "above". Values set with trial.setConstraint count without it. */
  constraintsFunc?: ConstraintsFunc;
}

/** Optuna's default gamma: min(ceil(0.1·n), 25). */
export const defaultGamma = (n: number): number => Math.min(Math.ceil(0.1 * n), 25);

/** Optuna's default weights: 1 for n < 25, else a linear ramp 1/n…1 for the oldest n − 25, then 25 ones. */
export function defaultWeights(n: number): Float64Array {
  const w = new Float64Array(n).fill(1);
  if (n >= 25) {
    const m = n - 25;
    for (let i = 0; i < m; i++) w[i] = m === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (m - 1);
  }
  return w;
}

/**
 * The TPE sampler: one objective, several (Optuna's MOTPE) and constraints (infeasible trials
 * are never "below").
 * @example
 * const study = await sg.tune.createStudy({ sampler: new sg.tune.TPESampler({ seed: 1 }) });
 * await study.optimize((t) => (t.suggestFloat('x', -10, 10) - 2) ** 2, { nTrials: 100 });
 */
export class TPESampler implements Sampler {
  private rng: Rng;
  private readonly nStartup: number;
  private readonly nEi: number;
  private readonly gamma: (n: number) => number;
  private readonly constantLiar: boolean;
  /** The seed this sampler started from (drawn fresh when none was given). */
  readonly seed: number;
  private readonly multivariate: boolean;
  private readonly pe: ParzenParams;
  /** Several objectives, normalizeKernels not given: true densities. */
  private readonly peMulti: ParzenParams;
  private lastSplit: { trials: readonly FrozenTrial[]; number: number; result: Split } | null = null;
  /** The multivariate space: the parameters of every COMPLETE or PRUNED trial. */
  private readonly searchSpace = new IntersectionSearchSpace((t) => t.state === 'COMPLETE' || t.state === 'PRUNED');
  readonly constraintsFunc?: ConstraintsFunc;

  constructor(opts: TPESamplerOptions = {}) {
    const { nStartupTrials = 10, nEiCandidates = 24, gamma = defaultGamma, priorWeight = 1 } = opts;
    const seed = this.seed = checkSeed('TPESampler', opts.seed) ?? freshSeed();
    checkInt('TPESampler', 'nStartupTrials', nStartupTrials, 0);
    checkInt('TPESampler', 'nEiCandidates', nEiCandidates, 1);
    checkNumber('TPESampler', 'priorWeight', priorWeight, { min: 0 });
    this.rng = new Rng(seed);
    this.nStartup = nStartupTrials;
    this.nEi = nEiCandidates;
    this.gamma = gamma;
    this.constantLiar = opts.constantLiar ?? true;
    this.multivariate = opts.multivariate ?? false;
    this.pe = {
      priorWeight, considerMagicClip: opts.considerMagicClip ?? true, considerEndpoints: opts.considerEndpoints ?? false,
      multivariate: this.multivariate, weights: opts.weights ?? defaultWeights,
      normalizeKernels: opts.normalizeKernels ?? this.multivariate,
    };
    this.peMulti = opts.normalizeKernels === undefined ? { ...this.pe, normalizeKernels: true } : this.pe;
    if (opts.constraintsFunc !== undefined) {
      if (typeof opts.constraintsFunc !== 'function') throw new TypeError(`TPESampler: constraintsFunc must be a function (trial) => number[], got ${String(opts.constraintsFunc)}`);
      this.constraintsFunc = opts.constraintsFunc;
    }
  }

  reseed(seed: number): void { this.rng = new Rng(seed); }

  sampleRelative(study: StudyView, trial: FrozenTrial): RelativeSample | null {
    if (!this.multivariate) return null;
    const space = this.searchSpace.calculate(study);
    for (const k of Object.keys(space)) if (isSingle(space[k]!)) delete space[k];
    if (Object.keys(space).length === 0) return null;
    const params = this.sample(study, trial, space);
    return params ? { space, params } : null;
  }

  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, d: Distribution): ParamValue {
    if (isSingle(d)) return sampleUniform(this.rng, d);
    return this.sample(study, trial, { [name]: d })?.[name] ?? sampleUniform(this.rng, d);
  }

  /** TPE values for `space`, or null while fewer than nStartupTrials trials are finished. */
  private sample(study: StudyView, trial: FrozenTrial, space: Record<string, Distribution>): Record<string, ParamValue> | null {
    const names = Object.keys(space);
    const { below, above, n, belowWeights } = this.split(study, trial);
    if (n < this.nStartup) return null;
    const dists = names.map((k) => space[k]!);
    const dims = dists.map(dimOf);
    // The trials that have every parameter of the space (within its distribution), and their values.
    const obs = (trials: FrozenTrial[]): { x: Float64Array[]; kept: number[] } => {
      const kept: number[] = [];
      trials.forEach((t, i) => {
        let ok = true;
        for (let j = 0; j < names.length && ok; j++) { const v = t.params[names[j]!]; ok = v !== undefined && contains(dists[j]!, v); }
        if (ok) kept.push(i);
      });
      const x = names.map((k, j) => { const d = dists[j]!, o = new Float64Array(kept.length); kept.forEach((i, r) => { o[r] = toInternal(d, trials[i]!.params[k]!); }); return o; });
      return { x, kept };
    };
    const lo = obs(below), pe = study.directions.length > 1 ? this.peMulti : this.pe;
    const l = new ParzenEstimator(dims, lo.x, pe, belowWeights ? Float64Array.from(lo.kept, (i) => belowWeights[i]!) : undefined);
    const g = new ParzenEstimator(dims, obs(above).x, pe);
    const cand = l.sample(this.rng, this.nEi);
    const ll = l.logPdf(cand), lg = g.logPdf(cand);
    let best = 0, bestScore = -Infinity;
    for (let i = 0; i < this.nEi; i++) {
      const s = ll[i]! - lg[i]!;
      if (s > bestScore) { bestScore = s; best = i; }
    }
    const out: Record<string, ParamValue> = dict();
    names.forEach((k, j) => { out[k] = fromInternal(dists[j]!, cand[j]![best]!); });
    return out;
  }

  /** The trials split for this trial (tpe-split.ts); both halves oldest first. */
  private split(study: StudyView, trial: FrozenTrial): Split {
    // One split per trial: its parameters are sampled one by one from the same snapshot.
    if (this.lastSplit && this.lastSplit.trials === study.trials && this.lastSplit.number === trial.number) return this.lastSplit.result;
    const constrained = this.constraintsFunc !== undefined || hasConstraints(study.trials);
    const result = splitTrials(study, trial, { gamma: this.gamma, constantLiar: this.constantLiar, constrained });
    this.lastSplit = { trials: study.trials, number: trial.number, result };
    return result;
  }
}

