// Pruner: the interface of every pruner (Optuna's BasePruner) — whether a running trial, with its
// intermediate values so far, should stop now — and the context through which a pruner records
// state on the trial. Implementations live beside this file, one per file.
import type { FrozenTrial } from '../frozen-trial.js';
import type { StudyView } from '../study-view.js';

/** What a pruner may do to the running trial besides deciding (asynchronous halving records rungs). */
export interface PruneContext {
  /** Sets a system attribute of the running trial, in `trial.systemAttrs` and in storage. */
  setSystemAttr(key: string, value: unknown): void;
}

export interface Pruner {
  /** Called by createStudy before the study is created or loaded: throws (a RangeError naming the
   * pruner and why) if this pruner cannot serve the study, e.g. a median rule on several objectives. */
  checkStudy?(study: StudyView): void;
  /** Whether the trial (RUNNING, with its intermediate values so far) should stop now. */
  prune(study: StudyView, trial: FrozenTrial, ctx?: PruneContext): boolean;
}
