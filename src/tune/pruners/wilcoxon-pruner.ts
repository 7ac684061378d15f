// WilcoxonPruner (Optuna ≥ 3.6): each step's intermediate value is the score of one instance or fold
// (not a running aggregate); a running trial is pruned when a paired Wilcoxon signed-rank test
// (signed-rank-test.ts, zero_method 'zsplit') of its values against the best COMPLETE trial's at
// the same steps says, at p < pThreshold, that it is worse. Contract, as Optuna's: no pruning when
// the trial has no values, when its values or the best trial's contain NaN/±Infinity, when no trial
// has completed, or while fewer than nStartupSteps steps are shared with the best trial; direction-
// aware (alternative 'greater' for minimize: the trial's values larger; 'less' for maximize); and a
// safety: a trial whose mean over all its values is at least as good as the best trial's value is
// never pruned. Trials whose system attribute `constraints` (Optuna's) has a value > 0 are
// infeasible and never the best. One objective only. Fits crossValidate({ report: 'score' }).
import type { FrozenTrial } from '../frozen-trial.js';
import type { StudyView } from '../study-view.js';
import type { Pruner } from './pruner.js';
import { wilcoxonSignedRank } from './signed-rank-test.js';
import { checkInt, checkNumber } from '../../check-option.js';

export interface WilcoxonPrunerOptions {
  /** Prune when the test's p-value is below this (default 0.1; larger prunes more). */
  pThreshold?: number;
  /** Steps the trial must share with the best trial before any pruning (default 0). */
  nStartupSteps?: number;
}

/** Whether a trial may be the best: COMPLETE and not infeasible by Optuna's `constraints` attribute. */
function feasible(t: FrozenTrial): boolean {
  const c = t.systemAttrs.constraints;
  return !Array.isArray(c) || c.every((v) => typeof v === 'number' && v <= 0);
}

/** The steps of `t` as numbers, ascending, with their values. */
function stepValues(t: FrozenTrial): Array<[number, number]> {
  return Object.entries(t.intermediateValues).map(([s, v]) => [Number(s), v] as [number, number]).sort((a, b) => a[0] - b[0]);
}

/**
 * Prunes a trial whose per-step (per-fold, per-instance) values are significantly worse than the
 * best trial's on the same steps.
 * @example
 * const study = await sg.tune.createStudy({ direction: 'maximize', pruner: new sg.tune.WilcoxonPruner({ pThreshold: 0.1 }) });
 * await study.optimize(async (trial) => (await sg.tune.crossValidate({ y, k: 10, trial, report: 'score', fit })).mean, { nTrials: 40 });
 */
export class WilcoxonPruner implements Pruner {
  readonly pThreshold: number;
  readonly nStartupSteps: number;

  constructor({ pThreshold = 0.1, nStartupSteps = 0 }: WilcoxonPrunerOptions = {}) {
    this.pThreshold = checkNumber('WilcoxonPruner', 'pThreshold', pThreshold, { min: 0, max: 1 });
    this.nStartupSteps = checkInt('WilcoxonPruner', 'nStartupSteps', nStartupSteps, 0);
  }

  checkStudy(study: StudyView): void {
    if (study.directions.length > 1) throw new RangeError(`WilcoxonPruner does not support multi-objective studies (${study.directions.length} directions)`);
  }

  /** The test's p-value for `trial` against the study's best trial, or null when there is no test to make. */
  pValue(study: StudyView, trial: FrozenTrial): number | null {
    this.checkStudy(study);
    const mine = stepValues(trial);
    if (!mine.length || mine.some(([, v]) => !Number.isFinite(v))) return null;
    const best = this.bestTrial(study, trial);
    if (!best) return null;
    const theirs = new Map(stepValues(best));
    if ([...theirs.values()].some((v) => !Number.isFinite(v))) return null;
    const diffs: number[] = [];
    for (const [s, v] of mine) if (theirs.has(s)) diffs.push(v - theirs.get(s)!);
    if (diffs.length === 0 || diffs.length < this.nStartupSteps) return null;
    const maximize = study.directions[0] === 'maximize';
    return wilcoxonSignedRank(diffs, maximize ? 'less' : 'greater').pvalue;
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    const p = this.pValue(study, trial);
    if (p === null || !(p < this.pThreshold)) return false;
    // Safety (Optuna's average_is_best): a trial whose mean is as good as the best's value stays.
    const values = Object.values(trial.intermediateValues), mean = values.reduce((a, b) => a + b, 0) / values.length;
    const bestValue = this.bestTrial(study, trial)!.value!;
    return study.directions[0] === 'maximize' ? !(bestValue <= mean) : !(bestValue >= mean);
  }

  private bestTrial(study: StudyView, trial: FrozenTrial): FrozenTrial | undefined {
    const sign = study.directions[0] === 'maximize' ? -1 : 1;
    let best: FrozenTrial | undefined;
    for (const t of study.trials) {
      if (t.state !== 'COMPLETE' || t.number === trial.number || t.value === null || !feasible(t)) continue;
      if (!best || sign * t.value < sign * best.value!) best = t;
    }
    return best;
  }
}
