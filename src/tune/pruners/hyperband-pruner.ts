// HyperbandPruner (Li et al. 2018) as Optuna runs it: several SuccessiveHalvingPruner brackets
// with minEarlyStoppingRate 0…B−1, B = ⌊log_η(maxResource / minResource)⌋ + 1. Each trial belongs
// to one bracket, chosen by CRC-32 of "<studyName>_<trialNumber>" modulo the total budget, bracket
// s getting ⌈B·η^(B−1−s) / (B−s)⌉ slots (Optuna's allocation), and competes only with the trials
// of its bracket. Contract: maxResource 'auto' = last step of the longest COMPLETE trial + 1,
// decided when the first trial has completed (no pruning before); needs a single objective.
import type { FrozenTrial } from '../frozen-trial.js';
import { lastStep } from '../frozen-trial.js';
import type { StudyView } from '../study-view.js';
import type { PruneContext, Pruner } from './pruner.js';
import { SuccessiveHalvingPruner } from './successive-halving-pruner.js';
import { checkInt } from '../../check-option.js';

export interface HyperbandPrunerOptions {
  /** Steps of the first rung of the most aggressive bracket (default 1). */
  minResource?: number;
  /** Steps of a full trial, or 'auto' (default). */
  maxResource?: number | 'auto';
  /** η (default 3). */
  reductionFactor?: number;
  /** As SuccessiveHalvingPruner's (default 0). */
  bootstrapCount?: number;
}

let crcTable: Uint32Array | undefined;
/** CRC-32 (IEEE, as zlib / Python's binascii.crc32) of a string's UTF-8 bytes. */
export function crc32(s: string): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (const b of new TextEncoder().encode(s)) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Hyperband: successive halving over several brackets of aggressiveness.
 * @example
 * const study = await sg.tune.createStudy({ pruner: new sg.tune.HyperbandPruner({ minResource: 1, maxResource: 27 }) });
 */
export class HyperbandPruner implements Pruner {
  readonly minResource: number;
  private maxResource: number | 'auto';
  readonly reductionFactor: number;
  readonly bootstrapCount: number;
  private pruners: SuccessiveHalvingPruner[] = [];
  private budgets: number[] = [];
  private total = 0;

  constructor({ minResource = 1, maxResource = 'auto', reductionFactor = 3, bootstrapCount = 0 }: HyperbandPrunerOptions = {}) {
    checkInt('HyperbandPruner', 'minResource', minResource, 1);
    if (maxResource !== 'auto') checkInt('HyperbandPruner', 'maxResource', maxResource, minResource);
    checkInt('HyperbandPruner', 'reductionFactor', reductionFactor, 2);
    checkInt('HyperbandPruner', 'bootstrapCount', bootstrapCount, 0);
    this.minResource = minResource; this.maxResource = maxResource;
    this.reductionFactor = reductionFactor; this.bootstrapCount = bootstrapCount;
  }

  /** Number of brackets (0 until maxResource is known). */
  get nBrackets(): number { return this.pruners.length; }

  /** Successive halving of one objective: a study with several directions is refused at createStudy. */
  checkStudy(study: StudyView): void {
    if (study.directions.length > 1) throw new RangeError(`HyperbandPruner does not support multi-objective studies (${study.directions.length} directions)`);
  }

  prune(study: StudyView, trial: FrozenTrial, ctx?: PruneContext): boolean {
    this.checkStudy(study);
    if (!this.pruners.length && !this.init(study)) return false;
    const id = this.bracketOf(study, trial.number);
    const trials = study.trials.filter((t) => this.bracketOf(study, t.number) === id);
    const view: StudyView = study.studyName === undefined ? { directions: study.directions, trials }
      : { directions: study.directions, trials, studyName: study.studyName };
    return this.pruners[id]!.prune(view, trial, ctx);
  }

  /** The bracket of trial `number` (0 = most aggressive), as Optuna assigns it. */
  bracketOf(study: StudyView, number: number): number {
    if (!this.pruners.length) return 0;
    let n = crc32(`${study.studyName ?? ''}_${number}`) % this.total;
    for (let b = 0; b < this.budgets.length; b++) {
      n -= this.budgets[b]!;
      if (n < 0) return b;
    }
    return this.budgets.length - 1;
  }

  private init(study: StudyView): boolean {
    if (this.maxResource === 'auto') {
      const steps = study.trials.filter((t) => t.state === 'COMPLETE').map(lastStep).filter((s): s is number => s !== undefined);
      if (!steps.length) return false;
      this.maxResource = Math.max(...steps) + 1;
    }
    const eta = this.reductionFactor;
    const nBrackets = Math.max(1, Math.floor(Math.log(this.maxResource / this.minResource) / Math.log(eta)) + 1);
    for (let b = 0; b < nBrackets; b++) {
      const s = nBrackets - 1 - b;
      const budget = Math.ceil((nBrackets * eta ** s) / (s + 1));
      this.budgets.push(budget);
      this.total += budget;
      this.pruners.push(new SuccessiveHalvingPruner({
        minResource: this.minResource, reductionFactor: eta, minEarlyStoppingRate: b, bootstrapCount: this.bootstrapCount,
      }));
    }
    return true;
  }
}
