// Sampler and Pruner interfaces (Optuna's), the read-only study view they get, and the two
// simplest implementations: RandomSampler and NopPruner.
import type { Direction, FrozenTrial } from '../frozen-trial.js';
import { fromInternal, isSingle, type Distribution, type ParamValue } from '../distributions.js';
import { Rng } from '../rng.js';
import type { TrialClaim } from '../storages/storage.js';

/** What samplers and pruners see of a study: its directions and a snapshot of its trials. */
export interface StudyView {
  readonly directions: readonly Direction[];
  /** Every trial (finished, running, waiting) as of the study's last refresh: after every trial this
   *  process started or finished, so concurrent trials of one process see each other's results. */
  readonly trials: readonly FrozenTrial[];
  /** The study's name (HyperbandPruner hashes it with the trial number to pick a bracket). */
  readonly studyName?: string;
}

export interface RelativeSample {
  /** The joint search space the sampler chose values for. */
  space: Record<string, Distribution>;
  params: Record<string, ParamValue>;
  /** Attributes to record on the trial (in storage, so other workers see them), e.g. a grid id. */
  systemAttrs?: Record<string, unknown>;
}

export interface Sampler {
  /** Called once when a trial starts: values for a joint search space (used when the trial
   * suggests those names with the same distributions), or null. */
  sampleRelative?(study: StudyView, trial: FrozenTrial): RelativeSample | null;
  /** A value for one parameter the relative sample did not cover. */
  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue;
  /** Called when a trial has finished (any state). */
  afterTrial?(study: StudyView, trial: FrozenTrial): void;
  /** Whether there is nothing left to sample (e.g. a finished grid): Study.optimize then stops.
   * `pendingStarts`: trials this process is starting whose parameters are not sampled yet. */
  isExhausted?(study: StudyView, pendingStarts: number): boolean;
  /** Copy for a worker (a fresh state, seeded from this one). */
  reseed?(seed: number): void;
  /** What each new trial claims in a storage with createClaimingTrial, so that processes sharing
   * it never take the same item (GridSampler: its grid point). */
  readonly trialClaim?: TrialClaim;
}

/** What a pruner may do to the running trial besides deciding (asynchronous halving records rungs). */
export interface PruneContext {
  /** Sets a system attribute of the running trial, in `trial.systemAttrs` and in storage. */
  setSystemAttr(key: string, value: unknown): void;
}

export interface Pruner {
  /** Whether the trial (RUNNING, with its intermediate values so far) should stop now. */
  prune(study: StudyView, trial: FrozenTrial, ctx?: PruneContext): boolean;
}

/** Uniform sampling of every distribution (log-uniform on log scales), seeded. */
export class RandomSampler implements Sampler {
  private rng: Rng;
  constructor({ seed = 0 }: { seed?: number } = {}) {
    this.rng = new Rng(seed);
  }
  reseed(seed: number): void { this.rng = new Rng(seed); }
  sampleIndependent(_s: StudyView, _t: FrozenTrial, _name: string, d: Distribution): ParamValue {
    return sampleUniform(this.rng, d);
  }
}

/** One uniform draw from d (internal representation, then mapped back). */
export function sampleUniform(rng: Rng, d: Distribution): ParamValue {
  if (isSingle(d)) return d.kind === 'categorical' ? d.choices[0]! : d.low;
  if (d.kind === 'categorical') return d.choices[rng.below(d.choices.length)]!;
  if (d.kind === 'int' && !d.log) return d.low + rng.below((d.high - d.low) / d.step + 1) * d.step;
  if (d.kind === 'float' && d.step !== null) return fromInternal(d, d.low + rng.below(Math.round((d.high - d.low) / d.step) + 1) * d.step);
  const lo = d.log ? Math.log(d.kind === 'int' ? d.low - 0.5 : d.low) : d.low;
  const hi = d.log ? Math.log(d.kind === 'int' ? d.high + 0.5 : d.high) : d.high;
  return fromInternal(d, lo + rng.uniform() * (hi - lo));
}

/** Never prunes. */
export class NopPruner implements Pruner {
  prune(): boolean { return false; }
}
