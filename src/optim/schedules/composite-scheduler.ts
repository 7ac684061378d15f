// CompositeScheduler: the base of the schedules made of other schedules (SequentialLR,
// ChainedScheduler). It checks the list (non-empty, LRSchedulers only, all on one optimizer),
// starts at epoch 0, reads the rate from the optimizer (the children set it), refuses stepTo and
// being placed in a SequentialLR, and keeps each child's state under `schedulers` in its own.
import { LRScheduler, type SchedulerOptimizer, type SchedulerState } from './lr-scheduler.js';
import { OptionError, DTypeError } from '../../errors.js';

/** The optimizer every schedule drives: `given` when passed, else the first schedule's. */
function commonOptimizer(owner: string, verb: string, schedulers: readonly LRScheduler[],
  given?: SchedulerOptimizer): SchedulerOptimizer {
  if (!Array.isArray(schedulers) || schedulers.length === 0) {
    throw new OptionError(`${owner}: schedulers must be a non-empty array of schedules`);
  }
  const ref = given ? 'the optimizer passed in' : 'schedulers[0]';
  schedulers.forEach((s, i) => {
    if (!(s instanceof LRScheduler)) throw new DTypeError(`${owner}: schedulers[${i}] is not a schedule (ReduceLROnPlateau cannot be ${verb})`);
    if (s.optimizer !== (given ?? schedulers[0]!.optimizer)) {
      throw new OptionError(`${owner}: schedulers[${i}] and ${ref} drive different optimizers`);
    }
  });
  return given ?? schedulers[0]!.optimizer;
}

export abstract class CompositeScheduler extends LRScheduler {
  protected readonly schedulers: LRScheduler[];

  /** `verb` says what the schedules are for error messages ('chained', 'sequenced'). */
  protected constructor(owner: string, verb: string, schedulers: readonly LRScheduler[], optimizer?: SchedulerOptimizer) {
    super(commonOptimizer(owner, verb, schedulers, optimizer), owner);
    this.schedulers = [...schedulers];
    this.lastEpoch = 0;
  }

  protected getLr(): number[] {
    return this.currentLrs();
  }

  override stepTo(epoch: number): void {
    throw new TypeError(`${this.constructor.name} cannot jump to an epoch (got stepTo(${epoch})); step it instead`);
  }

  override initialStep(): void {
    throw new TypeError(`${this.constructor.name} cannot be placed in a SequentialLR`);
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
