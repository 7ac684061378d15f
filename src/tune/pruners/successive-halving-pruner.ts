// SuccessiveHalvingPruner: asynchronous successive halving (ASHA, Li et al. 2018) as Optuna does
// it. Rung r ends at step minResource·η^(s+r) (s = minEarlyStoppingRate); a trial reaching it
// records its value there in systemAttrs `completed_rung_r` (through the PruneContext, so other
// trials see it in storage) and goes on only if that value is in the top 1/η of every value
// recorded at that rung so far (the best one while fewer than η competed). Contract: the study
// direction decides "top"; a NaN value at a rung is pruned; with bootstrapCount b a trial is
// pruned at a rung unless more than b values (its own included) were recorded there; minResource 'auto' = max(1, ⌊last step of
// the longest COMPLETE trial / 100⌋), decided once the first trial completes (no pruning before).
import { lastStep, type FrozenTrial } from '../frozen-trial.js';
import type { Direction } from '../frozen-trial.js';
import type { StudyView } from '../study-view.js';
import type { PruneContext, Pruner } from './pruner.js';
import { checkInt } from '../../check-option.js';

export interface SuccessiveHalvingPrunerOptions {
  /** Steps of the first rung, or 'auto' (default). */
  minResource?: number | 'auto';
  /** η: the fraction 1/η of trials is promoted at each rung (default 4). */
  reductionFactor?: number;
  /** s: the first rung ends at minResource·η^s (default 0). */
  minEarlyStoppingRate?: number;
  /** Competitors needed at a rung before a trial can be promoted (default 0). */
  bootstrapCount?: number;
}

const rungKey = (r: number): string => `completed_rung_${r}`;

/** Whether `value` is in the top 1/η of `competing` (which includes it). */
export function promotable(value: number, competing: number[], eta: number, direction: Direction): boolean {
  let k = Math.floor(competing.length / eta) - 1;
  if (k === -1) k = 0; // fewer than η competitors: promote only the best so far
  const sorted = [...competing].sort((a, b) => a - b);
  return direction === 'maximize' ? value >= sorted[sorted.length - 1 - k]! : value <= sorted[k]!;
}

/**
 * Asynchronous successive halving.
 * @example
 * const study = await sg.tune.createStudy({ pruner: new sg.tune.SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 3 }) });
 */
export class SuccessiveHalvingPruner implements Pruner {
  private minResource: number | null;
  readonly reductionFactor: number;
  readonly minEarlyStoppingRate: number;
  readonly bootstrapCount: number;

  constructor({ minResource = 'auto', reductionFactor = 4, minEarlyStoppingRate = 0, bootstrapCount = 0 }: SuccessiveHalvingPrunerOptions = {}) {
    if (minResource !== 'auto') checkInt('SuccessiveHalvingPruner', 'minResource', minResource, 1);
    checkInt('SuccessiveHalvingPruner', 'reductionFactor', reductionFactor, 2);
    checkInt('SuccessiveHalvingPruner', 'minEarlyStoppingRate', minEarlyStoppingRate, 0);
    checkInt('SuccessiveHalvingPruner', 'bootstrapCount', bootstrapCount, 0);
    if (bootstrapCount > 0 && minResource === 'auto') {
      throw new RangeError(`bootstrapCount ${bootstrapCount} > 0 needs a fixed minResource, not 'auto'`);
    }
    this.minResource = minResource === 'auto' ? null : minResource;
    this.reductionFactor = reductionFactor;
    this.minEarlyStoppingRate = minEarlyStoppingRate;
    this.bootstrapCount = bootstrapCount;
  }

  /** Intermediate values of one objective only: a study with several directions is refused at createStudy. */
  checkStudy(study: StudyView): void {
    if (study.directions.length > 1) throw new RangeError(`${this.constructor.name} does not support multi-objective studies (${study.directions.length} directions)`);
  }

  prune(study: StudyView, trial: FrozenTrial, ctx?: PruneContext): boolean {
    this.checkStudy(study);
    const step = lastStep(trial);
    if (step === undefined) return false;
    if (this.minResource === null) {
      const steps = study.trials.filter((t) => t.state === 'COMPLETE').map(lastStep).filter((s): s is number => s !== undefined);
      if (!steps.length) return false;
      this.minResource = Math.max(Math.floor(Math.max(...steps) / 100), 1);
    }
    const set = ctx ? ctx.setSystemAttr : (k: string, v: unknown) => { trial.systemAttrs[k] = v; };
    const value = trial.intermediateValues[step]!;
    let rung = 0;
    while (rungKey(rung) in trial.systemAttrs) rung++;
    for (;;) {
      const promotionStep = this.minResource * this.reductionFactor ** (this.minEarlyStoppingRate + rung);
      if (step < promotionStep) return false;
      if (Number.isNaN(value)) return true;
      const key = rungKey(rung);
      set(key, value);
      const competing = study.trials.filter((t) => t.number !== trial.number && key in t.systemAttrs)
        .map((t) => t.systemAttrs[key] as number);
      competing.push(value);
      if (competing.length <= this.bootstrapCount) return true;
      if (!promotable(value, competing, this.reductionFactor, study.directions[0]!)) return true;
      rung++;
    }
  }
}
