// LinearLR and LinearWarmup: scale every group's lr by a factor moving linearly from startFactor
// to endFactor over totalIters epochs, as torch.optim.lr_scheduler.LinearLR (chained form, so it
// composes with other schedules through SequentialLR / ChainedScheduler; closed form for stepTo).
import { checkInt, checkNumber } from '../../check-option.js';
import { LRScheduler, type ScheduleConfig, type SchedulerOptimizer } from './lr-scheduler.js';

export interface LinearLROptions {
  /** Factor at epoch 0, in (0, 1] (default 1/3). */
  startFactor?: number;
  /** Factor from epoch totalIters on, in [0, 1] (default 1). */
  endFactor?: number;
  /** Epochs over which the factor moves (integer ≥ 1, default 5). */
  totalIters?: number;
}

/**
 * lr = base·(startFactor + (endFactor − startFactor)·min(epoch, totalIters)/totalIters).
 *
 * @example
 * const sched = new sg.optim.LinearLR(opt, { startFactor: 0.5, totalIters: 4 });
 * // with lr 0.05: 0.025, 0.03125, 0.0375, 0.04375, 0.05, 0.05, …
 */
export class LinearLR extends LRScheduler {
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;

  /** `owner` (internal) names the class in error messages. */
  constructor(optimizer: SchedulerOptimizer, options: LinearLROptions = {}, owner = 'LinearLR') {
    super(optimizer, owner);
    const { startFactor = 1 / 3, endFactor = 1, totalIters = 5 } = options;
    this.startFactor = checkNumber(owner, 'startFactor', startFactor, { gt: 0, max: 1 });
    this.endFactor = checkNumber(owner, 'endFactor', endFactor, { min: 0, max: 1 });
    this.totalIters = checkInt(owner, owner === 'LinearWarmup' ? 'warmupSteps' : 'totalIters', totalIters, 1);
    this.initialStep();
  }

  config(): ScheduleConfig {
    return { name: 'LinearLR', options: { startFactor: this.startFactor, endFactor: this.endFactor, totalIters: this.totalIters } };
  }

  protected getLr(): number[] {
    const { lastEpoch: t, startFactor: s, endFactor: e, totalIters: n } = this;
    const lrs = this.currentLrs();
    if (t === 0) return lrs.map((lr) => lr * s);
    if (t > n) return lrs;
    return lrs.map((lr) => lr * (1 + (e - s) / (n * s + (t - 1) * (e - s))));
  }

  protected override closedFormLr(): number[] {
    const { lastEpoch: t, startFactor: s, endFactor: e, totalIters: n } = this;
    return this.baseLrs.map((b) => b * (s + (e - s) * Math.min(n, t) / n));
  }
}

export interface LinearWarmupOptions {
  /** Epochs (or steps) until lr reaches its initial value (integer ≥ 1). */
  warmupSteps: number;
  /** Factor at step 0, in (0, 1] (default 1/3, as LinearLR). */
  startFactor?: number;
}

/**
 * Linear warmup from startFactor·lr to lr over warmupSteps: LinearLR with endFactor 1. Put it in
 * front of another schedule with SequentialLR.
 *
 * @example
 * const warmup = new sg.optim.LinearWarmup(opt, { warmupSteps: 5, startFactor: 0.1 });
 * const cosine = new sg.optim.CosineAnnealingLR(opt, { tMax: 95 });
 * const sched = new sg.optim.SequentialLR(opt, { schedulers: [warmup, cosine], milestones: [5] });
 */
export class LinearWarmup extends LinearLR {
  constructor(optimizer: SchedulerOptimizer, { warmupSteps, startFactor = 1 / 3 }: LinearWarmupOptions) {
    super(optimizer, { startFactor, endFactor: 1, totalIters: warmupSteps }, 'LinearWarmup');
  }

  override config(): ScheduleConfig {
    return { name: 'LinearWarmup', options: { warmupSteps: this.totalIters, startFactor: this.startFactor } };
  }
}
