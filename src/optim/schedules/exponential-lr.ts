// ExponentialLR: multiplies every group's lr by `gamma` each epoch, as
// torch.optim.lr_scheduler.ExponentialLR (chained form; closed form base·gamma^epoch for stepTo).
import { checkNumber } from '../../check-option.js';
import { LRScheduler, type ScheduleConfig, type SchedulerOptimizer } from './lr-scheduler.js';

export interface ExponentialLROptions {
  /** Multiplicative factor per epoch (finite, ≥ 0; > 1 grows the rate). */
  gamma: number;
}

/**
 * Decays every group's lr by `gamma` every epoch.
 *
 * @example
 * const sched = new sg.optim.ExponentialLR(opt, { gamma: 0.95 });
 * sched.step(); // lr = 0.95 · initial lr
 */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;

  constructor(optimizer: SchedulerOptimizer, { gamma }: ExponentialLROptions) {
    super(optimizer, 'ExponentialLR');
    this.gamma = checkNumber('ExponentialLR', 'gamma', gamma, { min: 0 });
    this.initialStep();
  }

  config(): ScheduleConfig { return { name: 'ExponentialLR', options: { gamma: this.gamma } }; }

  protected getLr(): number[] {
    const lrs = this.currentLrs();
    if (this.lastEpoch === 0) return lrs;
    return lrs.map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** this.lastEpoch);
  }
}
