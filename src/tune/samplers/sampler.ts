// Sampler: the interface of every sampler (Optuna's BaseSampler) — a relative sample of a joint
// search space when a trial starts, an independent value per parameter otherwise, and optional
// hooks (checkStudy, afterTrial, isExhausted, reseed, trialClaim, constraintsFunc). Implementations live
// beside this file, one per file (random-sampler.ts, tpe-sampler.ts, grid-sampler.ts, qmc-sampler.ts,
// nsgaii-sampler.ts).
import type { FrozenTrial } from '../frozen-trial.js';
import type { Distribution, ParamValue } from '../distributions.js';
import type { StudyView } from '../study-view.js';
import type { TrialClaim } from '../storages/storage.js';
import type { ConstraintsFunc } from '../constraints.js';

export interface RelativeSample {
  /** The joint search space the sampler chose values for. */
  space: Record<string, Distribution>;
  params: Record<string, ParamValue>;
  /** Attributes to record on the trial (in storage, so other workers see them), e.g. a grid id. */
  systemAttrs?: Record<string, unknown>;
}

export interface Sampler {
  /** Called by createStudy before the study is created or loaded: throws (a RangeError naming the
   * sampler and why) if this sampler cannot serve the study, e.g. a single-objective sampler on
   * several objectives. */
  checkStudy?(study: StudyView): void;
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
  /** Optuna 3.1's constraints_func: the study calls it when a trial ends COMPLETE or PRUNED, before
   * the storage records the end, and stores the values as the trial's system attr "constraints"
   * (constraints.ts; `trial.setConstraint` stores them the same way from inside the objective). A
   * sampler that models constraints reads them back with constraintsOf / violation / isFeasible,
   * and treats the study as constrained when it has this function or any trial has values. */
  readonly constraintsFunc?: ConstraintsFunc;
}
