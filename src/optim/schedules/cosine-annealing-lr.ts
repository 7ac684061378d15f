// CosineAnnealingLR: cosine decay from each group's initial lr to etaMin over tMax epochs (then
// back up, periodically), as torch.optim.lr_scheduler.CosineAnnealingLR, with PyTorch's recursive
// form for step() (so it composes with other schedules) and the closed form for stepTo().
import { checkInt, checkNumber } from '../../check-option.js';
import { LRScheduler, type ScheduleConfig, type SchedulerOptimizer } from './lr-scheduler.js';

export interface CosineAnnealingLROptions {
  /** Half period, in epochs (integer ≥ 1): lr reaches etaMin at epoch tMax. */
  tMax: number;
  /** Minimum learning rate (default 0). */
  etaMin?: number;
}

/**
 * lr_t = etaMin + (base − etaMin)·(1 + cos(π·t/tMax))/2, computed recursively as PyTorch does.
 *
 * @example
 * const sched = new sg.optim.CosineAnnealingLR(opt, { tMax: 100, etaMin: 1e-5 });
 * for (let epoch = 0; epoch < 100; epoch++) { train(); sched.step(); }
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;

  constructor(optimizer: SchedulerOptimizer, { tMax, etaMin = 0 }: CosineAnnealingLROptions) {
    super(optimizer, 'CosineAnnealingLR');
    this.tMax = checkInt('CosineAnnealingLR', 'tMax', tMax, 1);
    this.etaMin = checkNumber('CosineAnnealingLR', 'etaMin', etaMin, { min: 0 });
    this.initialStep();
  }

  config(): ScheduleConfig { return { name: 'CosineAnnealingLR', options: { tMax: this.tMax, etaMin: this.etaMin } }; }

  protected getLr(): number[] {
    const { lastEpoch: t, tMax, etaMin } = this;
    const lrs = this.currentLrs();
    if (t === 0) return lrs;
    if (this.stepCount === 0 && t > 0) return this.closedFormLr(); // PyTorch's resumed first step
    if ((t - 1 - tMax) % (2 * tMax) === 0) {
      return lrs.map((lr, i) => lr + (this.baseLrs[i]! - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2);
    }
    return lrs.map((lr) => (1 + Math.cos(Math.PI * t / tMax)) / (1 + Math.cos(Math.PI * (t - 1) / tMax))
      * (lr - etaMin) + etaMin);
  }

  protected override closedFormLr(): number[] {
    const { lastEpoch: t, tMax, etaMin } = this;
    return this.baseLrs.map((b) => etaMin + (b - etaMin) * (1 + Math.cos(Math.PI * t / tMax)) / 2);
  }
}
