// LRScheduler: the base of the epoch-based schedules, as torch.optim.lr_scheduler._LRScheduler.
//
// Contract: a schedule drives `optimizer.paramGroups[i].lr` of any object with that shape (every
// sg.optim optimizer). On construction it sets each group's `initialLr` if absent (PyTorch's
// setdefault('initial_lr')), takes those as `baseLrs`, and steps once to epoch 0, which sets lr to
// the schedule's value at step 0. `step()` advances one epoch with PyTorch's chained (recursive)
// form, so schedules compose through the optimizer exactly as in PyTorch; `stepTo(epoch)` jumps
// with the closed form where one exists (PyTorch's deprecated step(epoch), used by SequentialLR).
// Subclasses set their options, then call `initialStep()` at the end of their constructor.
// A step that throws leaves the scheduler and the optimizer unchanged.

import { checkNumber } from '../../check-option.js';
import { OptionError, DTypeError } from '../../errors.js';

/** The part of a parameter group that schedules read and write. */
export interface LrGroup {
  lr: number;
  /** The rate the group started with (PyTorch's initial_lr). */
  initialLr?: number;
}

/** What a schedule drives: anything with parameter groups (every sg.optim optimizer). */
export interface SchedulerOptimizer {
  readonly paramGroups: readonly LrGroup[];
}

/** A schedule's kind and options as plain data (what built it): History.settings, saved models. */
export interface ScheduleConfig {
  name: string;
  options: Record<string, number | string | boolean | number[] | ScheduleConfig[]>;
}

/** One number for all groups, or one per group when they differ. */
export const perGroupValue = (v: readonly number[]): number | number[] => (v.every((x) => x === v[0]) ? v[0]! : [...v]);

/** A scheduler's state: plain data (numbers, strings, booleans, arrays, nested records). */
export type SchedulerState = Record<string, unknown>;

/** Deep copy of plain data (numbers, strings, arrays, plain objects); functions are dropped. */
export function cloneState<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => cloneState(v)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (typeof v !== 'function') out[k] = cloneState(v);
    return out as T;
  }
  return value;
}

/** Checks the optimizer's shape and returns its groups. */
export function groupsOf(owner: string, optimizer: SchedulerOptimizer): readonly LrGroup[] {
  const groups = (optimizer as { paramGroups?: unknown } | null | undefined)?.paramGroups;
  if (!Array.isArray(groups) || groups.length === 0) {
    throw new DTypeError(`${owner}: expected an optimizer with a non-empty paramGroups array`);
  }
  groups.forEach((g: LrGroup, i) => {
    if (typeof g?.lr !== 'number' || !Number.isFinite(g.lr)) {
      throw new OptionError(`${owner}: paramGroups[${i}].lr must be a finite number, got ${String(g?.lr)}`);
    }
  });
  return groups as readonly LrGroup[];
}

const NOT_STATE = new Set(['optimizer', 'schedulers']);

/** A schedule's own fields but its optimizer and child schedules, as plain data. */
export function stateOf(scheduler: object): SchedulerState {
  const out: SchedulerState = {};
  for (const [k, v] of Object.entries(scheduler)) if (!NOT_STATE.has(k) && typeof v !== 'function') out[k] = cloneState(v);
  return out;
}

/** Copies the fields of a {@link stateOf} state that the schedule has into it. */
export function loadState(scheduler: object, state: SchedulerState): void {
  const self = scheduler as Record<string, unknown>;
  for (const [k, v] of Object.entries(state)) if (!NOT_STATE.has(k) && k in self) self[k] = cloneState(v);
}

export abstract class LRScheduler {
  /** The optimizer whose groups this schedule drives. */
  readonly optimizer: SchedulerOptimizer;
  /** Each group's initialLr when the schedule was built (PyTorch's base_lrs). */
  baseLrs: number[];
  /** Index of the last epoch taken: 0 right after construction, +1 per step(). */
  lastEpoch = -1;
  /** Steps taken since construction (PyTorch's _step_count). */
  protected stepCount = 0;
  protected lastLr: number[] = [];

  protected constructor(optimizer: SchedulerOptimizer, owner: string) {
    const groups = groupsOf(owner, optimizer);
    for (const g of groups) if (g.initialLr === undefined) g.initialLr = g.lr;
    this.optimizer = optimizer;
    this.baseLrs = groups.map((g) => g.initialLr!);
  }

  /** The schedule's name and options. @example new sg.optim.StepLR(opt, { stepSize: 3 }).config() // { name: 'StepLR', options: { stepSize: 3, gamma: 0.1 } } */
  abstract config(): ScheduleConfig;

  /** The rates for the current `lastEpoch`, in the chained form (from the groups' current lr). */
  protected abstract getLr(): number[];

  /** The rates for the current `lastEpoch` from `baseLrs` alone, where a closed form exists. */
  protected closedFormLr(): number[] | undefined {
    return undefined;
  }

  /** Resets the step count and steps to the first epoch (PyTorch's _initial_step). */
  initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /** Advances one epoch (or one batch, for per-batch schedules) and sets every group's lr. */
  step(): void {
    this.lastEpoch += 1;
    let values: number[];
    try {
      values = this.getLr();
    } catch (e) {
      this.lastEpoch -= 1;
      throw e;
    }
    this.stepCount += 1;
    this.apply(values);
  }

  /**
   * Jumps to `epoch`, computing the rates in closed form where the schedule has one (else in the
   * chained form): PyTorch's deprecated `step(epoch)`. SequentialLR restarts schedules with it.
   */
  stepTo(epoch: number): void {
    checkNumber(`${this.constructor.name}.stepTo`, 'epoch', epoch, { min: 0 });
    const prev = this.lastEpoch;
    this.lastEpoch = epoch;
    let values: number[];
    try {
      values = this.closedFormLr() ?? this.getLr();
    } catch (e) {
      this.lastEpoch = prev;
      throw e;
    }
    this.stepCount += 1;
    this.apply(values);
  }

  /** The rates the last step set, one per parameter group. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** The scheduler's state (every field but the optimizer and child schedules), as plain data. */
  stateDict(): SchedulerState {
    return stateOf(this);
  }

  /** Restores a state from {@link stateDict} (the optimizer's lr is not touched, as in PyTorch). */
  loadStateDict(state: SchedulerState): void {
    loadState(this, state);
  }

  protected groups(): readonly LrGroup[] {
    return this.optimizer.paramGroups;
  }

  protected currentLrs(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** Writes the rates into the groups and records them. */
  protected apply(values: readonly number[]): void {
    const groups = this.optimizer.paramGroups;
    groups.forEach((g, i) => { g.lr = values[i]!; });
    this.lastLr = groups.map((g) => g.lr);
  }
}
