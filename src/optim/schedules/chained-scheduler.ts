// ChainedScheduler: steps several schedules together each epoch, so their chained forms multiply
// through the optimizer's lr, as torch.optim.lr_scheduler.ChainedScheduler.
import { LRScheduler, type SchedulerState } from './lr-scheduler.js';

/**
 * Steps every schedule in order on each step().
 *
 * @example
 * const warmup = new sg.optim.LinearLR(opt, { startFactor: 0.1, totalIters: 4 });
 * const decay = new sg.optim.ExponentialLR(opt, { gamma: 0.9 });
 * const sched = new sg.optim.ChainedScheduler([warmup, decay]);
 * sched.step(); // lr = base · (warmup factor) · 0.9
 */
export class ChainedScheduler extends LRScheduler {
  private readonly schedulers: LRScheduler[];

  constructor(schedulers: readonly LRScheduler[]) {
    if (!Array.isArray(schedulers) || schedulers.length === 0) {
      throw new RangeError('ChainedScheduler: schedulers must be a non-empty array of schedules');
    }
    schedulers.forEach((s, i) => {
      if (!(s instanceof LRScheduler)) throw new TypeError(`ChainedScheduler: schedulers[${i}] is not a schedule (ReduceLROnPlateau cannot be chained)`);
      if (s.optimizer !== schedulers[0]!.optimizer) {
        throw new RangeError(`ChainedScheduler: schedulers[0] and schedulers[${i}] drive different optimizers`);
      }
    });
    super(schedulers[0]!.optimizer, 'ChainedScheduler');
    this.schedulers = [...schedulers];
    this.lastEpoch = 0;
    this.lastLr = this.currentLrs();
  }

  protected getLr(): number[] {
    return this.currentLrs();
  }

  override step(): void {
    for (const s of this.schedulers) s.step();
    this.lastEpoch += 1;
    this.lastLr = this.currentLrs();
  }

  override stepTo(epoch: number): void {
    throw new TypeError(`ChainedScheduler cannot jump to an epoch (got stepTo(${epoch})); step it instead`);
  }

  override initialStep(): void {
    throw new TypeError('ChainedScheduler cannot be placed in a SequentialLR');
  }

  /** The state, with each schedule's state under `schedulers`. */
  override stateDict(): SchedulerState {
    const out = super.stateDict();
    out.schedulers = this.schedulers.map((s) => s.stateDict());
    return out;
  }

  override loadStateDict(state: SchedulerState): void {
    const { schedulers, ...rest } = state;
    super.loadStateDict(rest);
    if (Array.isArray(schedulers)) schedulers.forEach((s, i) => this.schedulers[i]?.loadStateDict(s as SchedulerState));
  }
}
