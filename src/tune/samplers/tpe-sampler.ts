// TPESampler: Tree-structured Parzen Estimator (Optuna's TPESampler). After nStartupTrials random
// trials, the COMPLETE and PRUNED trials (pruned ones ranked by their last reported step, then
// value) are split by gamma(n) into "below" (good) and "above"; a Parzen estimator is fitted to
// each, nEiCandidates points are drawn from l(x) and the one maximising log l(x) − log g(x) wins.
// Univariate by default; multivariate models the intersection search space jointly. With
// constantLiar (the default), RUNNING trials count as the worst ones, so parallel workers spread
// out; a sequential study has no other RUNNING trial, so it is unchanged. Both defaults were chosen
// by measurement (bench/tune-defaults.ts; docs/ARCHITECTURE.md, "TPE defaults").
import { dict, type FrozenTrial } from '../frozen-trial.js';
import { contains, fromInternal, isSingle, toInternal, type Distribution, type ParamValue } from '../distributions.js';
import { dimOf, ParzenEstimator, type ParzenParams } from './parzen-estimator.js';
import { Rng, freshSeed } from '../rng.js';
import type { StudyView } from '../study-view.js';
import type { RelativeSample, Sampler } from './sampler.js';
import { sampleUniform } from './random-sampler.js';
import { checkInt, checkNumber, checkSeed } from '../../check-option.js';

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
   * true when multivariate; false when univariate, which keeps Optuna 3.1's unit-height kernels —
   * over 100 seeds they gave lower regret on Branin, Hartmann-6 and Rosenbrock (bench/NOTES.md#samplers).
   */
  normalizeKernels?: boolean;
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
 * The TPE sampler.
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
  private lastSplit: { trials: readonly FrozenTrial[]; number: number; result: { below: FrozenTrial[]; above: FrozenTrial[]; n: number } } | null = null;

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
  }

  reseed(seed: number): void { this.rng = new Rng(seed); }

  sampleRelative(study: StudyView, trial: FrozenTrial): RelativeSample | null {
    if (!this.multivariate) return null;
    const space = intersectionSearchSpace(study.trials.filter((t) => t.state === 'COMPLETE' || t.state === 'PRUNED'));
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
    const { below, above, n } = this.split(study, trial);
    if (n < this.nStartup) return null;
    const dists = names.map((k) => space[k]!);
    const dims = dists.map(dimOf);
    const obs = (trials: FrozenTrial[]): Float64Array[] => {
      const kept: FrozenTrial[] = [];
      for (const t of trials) {
        let ok = true;
        for (let j = 0; j < names.length && ok; j++) { const v = t.params[names[j]!]; ok = v !== undefined && contains(dists[j]!, v); }
        if (ok) kept.push(t);
      }
      return names.map((k, j) => { const d = dists[j]!, o = new Float64Array(kept.length); kept.forEach((t, i) => { o[i] = toInternal(d, t.params[k]!); }); return o; });
    };
    const l = new ParzenEstimator(dims, obs(below), this.pe);
    const g = new ParzenEstimator(dims, obs(above), this.pe);
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

  /** Ranks the usable trials (Optuna's order) and splits them by gamma; both halves oldest first. */
  private split(study: StudyView, trial: FrozenTrial): { below: FrozenTrial[]; above: FrozenTrial[]; n: number } {
    // One split per trial: its parameters are sampled one by one from the same snapshot.
    if (this.lastSplit && this.lastSplit.trials === study.trials && this.lastSplit.number === trial.number) return this.lastSplit.result;
    const result = this.computeSplit(study, trial);
    this.lastSplit = { trials: study.trials, number: trial.number, result };
    return result;
  }

  /** TPE here models one objective: a study with several directions is refused at createStudy. */
  checkStudy(study: StudyView): void {
    if (study.directions.length > 1) {
      throw new RangeError(`TPESampler supports single-objective studies only; this study has ${study.directions.length} ` +
        'directions: use RandomSampler, QMCSampler or GridSampler');
    }
  }

  private computeSplit(study: StudyView, trial: FrozenTrial): { below: FrozenTrial[]; above: FrozenTrial[]; n: number } {
    this.checkStudy(study);
    const sign = study.directions[0] === 'maximize' ? -1 : 1;
    const scored: Array<{ t: FrozenTrial; k1: number; k2: number }> = [];
    let n = 0;
    for (const t of study.trials) {
      if (t.number === trial.number) continue;
      if (t.state === 'COMPLETE') {
        if (t.value === null) continue;
        scored.push({ t, k1: -Infinity, k2: sign * t.value }); n++;
      } else if (t.state === 'PRUNED') {
        const steps = Object.keys(t.intermediateValues).map(Number);
        if (steps.length) {
          const step = Math.max(...steps), v = t.intermediateValues[step]!;
          scored.push({ t, k1: -step, k2: Number.isNaN(v) ? Infinity : sign * v });
        } else {
          scored.push({ t, k1: 1, k2: 0 });
        }
        n++;
      } else if (t.state === 'RUNNING' && this.constantLiar) {
        scored.push({ t, k1: Infinity, k2: Infinity });
      }
    }
    const order = scored.map((_, i) => i).sort((a, b) => {
      const x = scored[a]!, y = scored[b]!;
      return x.k1 !== y.k1 ? (x.k1 < y.k1 ? -1 : 1) : x.k2 !== y.k2 ? (x.k2 < y.k2 ? -1 : 1) : a - b;
    });
    const nBelow = Math.max(0, Math.min(scored.length, Math.floor(this.gamma(n))));
    const isBelow = new Uint8Array(scored.length);
    for (let r = 0; r < nBelow; r++) isBelow[order[r]!] = 1;
    const below: FrozenTrial[] = [], above: FrozenTrial[] = [];
    scored.forEach((s, i) => (isBelow[i] ? below : above).push(s.t));
    return { below, above, n };
  }
}

/** Parameters every given trial has, with the same distribution in all of them (names sorted). */
export function intersectionSearchSpace(trials: readonly FrozenTrial[]): Record<string, Distribution> {
  if (trials.length === 0) return {};
  const space: Record<string, Distribution> = dict();
  const first = trials[0]!.distributions;
  for (const k of Object.keys(first).sort()) {
    const key = JSON.stringify(first[k]);
    if (trials.every((t) => t.distributions[k] !== undefined && JSON.stringify(t.distributions[k]) === key)) space[k] = first[k]!;
  }
  return space;
}
