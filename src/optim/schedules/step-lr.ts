// StepLR and MultiStepLR: decay every group's lr by `gamma` every `stepSize` epochs, or at each
// milestone, as torch.optim.lr_scheduler.StepLR / MultiStepLR (chained form; closed form for stepTo).
import { checkInt, checkNumber } from '../../check-option.js';
import { LRScheduler, type ScheduleConfig, type SchedulerOptimizer } from './lr-scheduler.js';
import { OptionError } from '../../errors.js';

export interface StepLROptions {
  /** Period of the decay, in epochs (integer ≥ 1). */
  stepSize: number;
  /** Multiplicative factor of the decay (default 0.1). */
  gamma?: number;
}

/**
 * Multiplies every group's lr by `gamma` every `stepSize` epochs.
 *
 * @example
 * const opt = new sg.optim.SGD(model.parameters(), { lr: 0.1 });
 * const sched = new sg.optim.StepLR(opt, { stepSize: 30, gamma: 0.1 });
 * for (let epoch = 0; epoch < 100; epoch++) { train(); sched.step(); }
 * // lr = 0.1 for epochs 0–29, 0.01 for 30–59, 0.001 for 60–89, …
 */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;

  constructor(optimizer: SchedulerOptimizer, { stepSize, gamma = 0.1 }: StepLROptions) {
    super(optimizer, 'StepLR');
    this.stepSize = checkInt('StepLR', 'stepSize', stepSize, 1);
    this.gamma = checkNumber('StepLR', 'gamma', gamma, { min: 0 });
    this.initialStep();
  }

  config(): ScheduleConfig { return { name: 'StepLR', options: { stepSize: this.stepSize, gamma: this.gamma } }; }

  protected getLr(): number[] {
    const lrs = this.currentLrs();
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return lrs;
    return lrs.map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
}

export interface MultiStepLROptions {
  /** Epochs at which lr is multiplied by gamma (integers ≥ 0; a repeated milestone applies gamma twice). */
  milestones: readonly number[];
  /** Multiplicative factor of the decay (default 0.1). */
  gamma?: number;
}

/**
 * Multiplies every group's lr by `gamma` at each milestone epoch.
 *
 * @example
 * const sched = new sg.optim.MultiStepLR(opt, { milestones: [30, 80], gamma: 0.1 });
 * // lr = 0.1 for epochs 0–29, 0.01 for 30–79, 0.001 from 80 on (with lr 0.1)
 */
export class MultiStepLR extends LRScheduler {
  /** Sorted milestones (with repeats). */
  readonly milestones: number[];
  readonly gamma: number;

  constructor(optimizer: SchedulerOptimizer, { milestones, gamma = 0.1 }: MultiStepLROptions) {
    super(optimizer, 'MultiStepLR');
    if (!Array.isArray(milestones)) throw new OptionError(`MultiStepLR: milestones must be an array of integers, got ${String(milestones)}`);
    this.milestones = milestones.map((m, i) => checkInt('MultiStepLR', `milestones[${i}]`, m, 0)).sort((a, b) => a - b);
    this.gamma = checkNumber('MultiStepLR', 'gamma', gamma, { min: 0 });
    this.initialStep();
  }

  config(): ScheduleConfig { return { name: 'MultiStepLR', options: { milestones: [...this.milestones], gamma: this.gamma } }; }

  protected getLr(): number[] {
    const count = this.milestones.filter((m) => m === this.lastEpoch).length;
    const lrs = this.currentLrs();
    if (count === 0) return lrs;
    return lrs.map((lr) => lr * this.gamma ** count);
  }

  protected override closedFormLr(): number[] {
    const passed = this.milestones.filter((m) => m <= this.lastEpoch).length; // bisect_right
    return this.baseLrs.map((b) => b * this.gamma ** passed);
  }
}
