// ChainedScheduler: steps several schedules together each epoch, so their chained forms multiply
// through the optimizer's lr, as torch.optim.lr_scheduler.ChainedScheduler.
import type { LRScheduler, ScheduleConfig } from './lr-scheduler.js';
import { CompositeScheduler } from './composite-scheduler.js';

/**
 * Steps every schedule in order on each step().
 *
 * @example
 * const warmup = new sg.optim.LinearLR(opt, { startFactor: 0.1, totalIters: 4 });
 * const decay = new sg.optim.ExponentialLR(opt, { gamma: 0.9 });
 * const sched = new sg.optim.ChainedScheduler([warmup, decay]);
 * sched.step(); // lr = base · (warmup factor) · 0.9
 */
export class ChainedScheduler extends CompositeScheduler {
  constructor(schedulers: readonly LRScheduler[]) {
    super('ChainedScheduler', 'chained', schedulers);
    this.lastLr = this.currentLrs();
  }

  config(): ScheduleConfig { return { name: 'ChainedScheduler', options: { schedulers: this.schedulers.map((s) => s.config()) } }; }

  override step(): void {
    for (const s of this.schedulers) s.step();
    this.lastEpoch += 1;
    this.lastLr = this.currentLrs();
  }
}
