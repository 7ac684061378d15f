// SequentialLR: runs schedules one after another, switching at milestone epochs, as
// torch.optim.lr_scheduler.SequentialLR. On construction it resets every group's lr to its
// initialLr, undoes the constructors' steps and re-runs the first schedule's step 0; at each
// milestone the next schedule restarts at its epoch 0 (stepTo(0), closed form), so a warmup
// followed by a cosine starts the cosine from the initial lr.
import { checkInt } from '../../check-option.js';
import type { LRScheduler, ScheduleConfig, SchedulerOptimizer } from './lr-scheduler.js';
import { CompositeScheduler } from './composite-scheduler.js';
import { OptionError, DTypeError } from '../../errors.js';

export interface SequentialLROptions {
  /** The schedules, all built on this optimizer (their constructors' effects are undone). */
  schedulers: readonly LRScheduler[];
  /** Epochs at which to switch to the next schedule: increasing integers ≥ 1, one fewer than schedulers. */
  milestones: readonly number[];
}

/**
 * Switches between schedules at milestone epochs.
 *
 * @example
 * const warmup = new sg.optim.LinearLR(opt, { startFactor: 0.1, totalIters: 5 });
 * const cosine = new sg.optim.CosineAnnealingLR(opt, { tMax: 95 });
 * const sched = new sg.optim.SequentialLR(opt, { schedulers: [warmup, cosine], milestones: [5] });
 * for (let epoch = 0; epoch < 100; epoch++) { train(); sched.step(); }
 */
export class SequentialLR extends CompositeScheduler {
  readonly milestones: number[];

  constructor(optimizer: SchedulerOptimizer, { schedulers, milestones }: SequentialLROptions) {
    super('SequentialLR', 'sequenced', schedulers, optimizer);
    schedulers.forEach((s, i) => {
      if (s instanceof SequentialLR) throw new DTypeError(`SequentialLR: schedulers[${i}] is a SequentialLR, which cannot be nested`);
    });
    if (!Array.isArray(milestones) || milestones.length !== schedulers.length - 1) {
      throw new OptionError(`SequentialLR: expected ${schedulers.length - 1} milestones (one fewer than the ${schedulers.length} schedulers), got ${Array.isArray(milestones) ? milestones.length : String(milestones)}`);
    }
    milestones.forEach((m, i) => {
      checkInt('SequentialLR', `milestones[${i}]`, m, 1);
      if (i > 0 && m <= milestones[i - 1]!) {
        throw new OptionError(`SequentialLR: milestones must increase, got ${milestones[i - 1]} then ${m}`);
      }
    });
    this.milestones = [...milestones];
    for (const g of this.groups()) g.lr = g.initialLr!;
    for (const s of this.schedulers) s.lastEpoch -= 1;
    this.schedulers[0]!.initialStep();
    this.lastLr = this.schedulers[0]!.getLastLr();
  }

  config(): ScheduleConfig {
    return { name: 'SequentialLR', options: { schedulers: this.schedulers.map((s) => s.config()), milestones: [...this.milestones] } };
  }

  override step(): void {
    const epoch = this.lastEpoch + 1;
    let idx = 0;
    while (idx < this.milestones.length && this.milestones[idx]! <= epoch) idx++; // bisect_right
    const s = this.schedulers[idx]!;
    if (idx > 0 && this.milestones[idx - 1] === epoch) s.stepTo(0);
    else s.step();
    this.lastEpoch = epoch;
    this.lastLr = s.getLastLr();
  }
}
