// PercentilePruner (Optuna's): prunes a running trial when its best intermediate value so far is
// worse than the given percentile of the COMPLETE trials' values at the same step. Contract, as
// Optuna: no pruning before nStartupTrials trials completed, before step nWarmupSteps, between
// checks every intervalSteps (offset by the warmup), or when fewer than nMinTrials completed
// trials reported that step; an all-NaN trial is pruned; the percentile is taken from the good
// end (the top p % of a maximized study), with numpy's linear interpolation, ignoring NaN.
import { lastStep, type FrozenTrial } from '../frozen-trial.js';
import type { StudyView } from '../study-view.js';
import type { Pruner } from './pruner.js';
import { checkInt, checkNumber } from '../../check-option.js';

export interface PercentilePrunerOptions {
  /** Completed trials needed before any pruning (default 5). */
  nStartupTrials?: number;
  /** Steps of each trial never pruned: a trial is pruned only from step nWarmupSteps on (default 0). */
  nWarmupSteps?: number;
  /** Steps between pruning checks, counted from nWarmupSteps (default 1). */
  intervalSteps?: number;
  /** Completed trials that must have reported the step (default 1). */
  nMinTrials?: number;
}

/** numpy's nanpercentile with linear interpolation (NaN when nothing is left). */
export function nanPercentile(values: readonly number[], q: number): number {
  const v = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (!v.length) return NaN;
  const pos = (q / 100) * (v.length - 1), lo = Math.floor(pos), hi = Math.ceil(pos);
  return lo === hi ? v[lo]! : v[lo]! + (v[hi]! - v[lo]!) * (pos - lo);
}

/** Whether `step` is the first reported step at or after the latest pruning checkpoint. */
function isFirstInInterval(step: number, steps: number[], warmup: number, interval: number): boolean {
  const checkpoint = Math.floor((step - warmup) / interval) * interval + warmup;
  let secondLast = -1;
  for (const s of steps) if (s > secondLast && s !== step) secondLast = s;
  return secondLast < checkpoint;
}

/**
 * Prunes trials whose best intermediate value is outside the best `percentile` % of completed
 * trials at the same step.
 * @example
 * const study = await sg.tune.createStudy({ direction: 'maximize', pruner: new sg.tune.PercentilePruner(25) });
 */
export class PercentilePruner implements Pruner {
  readonly percentile: number;
  readonly nStartupTrials: number;
  readonly nWarmupSteps: number;
  readonly intervalSteps: number;
  readonly nMinTrials: number;

  constructor(percentile: number, { nStartupTrials = 5, nWarmupSteps = 0, intervalSteps = 1, nMinTrials = 1 }: PercentilePrunerOptions = {}) {
    checkNumber('PercentilePruner', 'percentile', percentile, { min: 0, max: 100 });
    checkInt('PercentilePruner', 'nStartupTrials', nStartupTrials, 0);
    checkInt('PercentilePruner', 'nWarmupSteps', nWarmupSteps, 0);
    checkInt('PercentilePruner', 'intervalSteps', intervalSteps, 1);
    checkInt('PercentilePruner', 'nMinTrials', nMinTrials, 1);
    this.percentile = percentile;
    this.nStartupTrials = nStartupTrials;
    this.nWarmupSteps = nWarmupSteps;
    this.intervalSteps = intervalSteps;
    this.nMinTrials = nMinTrials;
  }

  /** Intermediate values of one objective only: a study with several directions is refused at createStudy. */
  checkStudy(study: StudyView): void {
    if (study.directions.length > 1) throw new RangeError(`${this.constructor.name} does not support multi-objective studies (${study.directions.length} directions)`);
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    this.checkStudy(study);
    const done = study.trials.filter((t) => t.state === 'COMPLETE' && t.number !== trial.number);
    if (done.length === 0 || done.length < this.nStartupTrials) return false;
    const step = lastStep(trial);
    if (step === undefined || step < this.nWarmupSteps) return false;
    const steps = Object.keys(trial.intermediateValues).map(Number);
    if (!isFirstInInterval(step, steps, this.nWarmupSteps, this.intervalSteps)) return false;
    const maximize = study.directions[0] === 'maximize';
    const mine = Object.values(trial.intermediateValues).filter((x) => !Number.isNaN(x));
    if (!mine.length) return true;
    const best = maximize ? Math.max(...mine) : Math.min(...mine);
    const atStep = done.filter((t) => step in t.intermediateValues).map((t) => t.intermediateValues[step]!);
    if (atStep.length < this.nMinTrials) return false;
    const p = nanPercentile(atStep, maximize ? 100 - this.percentile : this.percentile);
    if (Number.isNaN(p)) return false;
    return maximize ? best < p : best > p;
  }
}
