// ReduceLROnPlateau: multiplies every group's lr by `factor` once a metric has stopped improving
// for more than `patience` steps, as torch.optim.lr_scheduler.ReduceLROnPlateau (same threshold
// modes, cooldown, per-group minLr and eps rule). Driven by step(metric), not by epochs.
import { checkChoice, checkInt, checkNumber, perGroup } from '../../check-option.js';
import { groupsOf, loadState, perGroupValue, stateOf, type ScheduleConfig, type SchedulerOptimizer, type SchedulerState } from './lr-scheduler.js';
import { OptionError } from '../../errors.js';

export interface ReduceLROnPlateauOptions {
  /** 'min' (default): lower is better; 'max': higher is better. */
  mode?: 'min' | 'max';
  /** new lr = lr · factor, in [0, 1) (default 0.1). */
  factor?: number;
  /** Non-improving steps tolerated before reducing (integer ≥ 0, default 10). */
  patience?: number;
  /** Minimum significant change (default 1e-4), relative or absolute per thresholdMode. */
  threshold?: number;
  /** 'rel' (default): best·(1 ∓ threshold); 'abs': best ∓ threshold. */
  thresholdMode?: 'rel' | 'abs';
  /** Steps to wait after a reduction before counting bad steps again (default 0). */
  cooldown?: number;
  /** Lower bound on lr, one for all groups or one per group (default 0). */
  minLr?: number | readonly number[];
  /** Reductions smaller than eps are skipped (default 1e-8). */
  eps?: number;
}

/** Something whose value is a metric: a number or a one-element tensor. */
export type Metric = number | { item(): number };

/**
 * Reduces lr when a monitored metric plateaus.
 *
 * @example
 * const sched = new sg.optim.ReduceLROnPlateau(opt, { mode: 'min', factor: 0.5, patience: 3 });
 * for (let epoch = 0; epoch < 50; epoch++) { train(); sched.step(validationLoss()); }
 */
export class ReduceLROnPlateau {
  readonly optimizer: SchedulerOptimizer;
  mode: 'min' | 'max';
  factor: number;
  patience: number;
  threshold: number;
  thresholdMode: 'rel' | 'abs';
  cooldown: number;
  minLrs: number[];
  eps: number;
  /** Best metric so far (±Infinity before the first step). */
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  /** Steps taken. */
  lastEpoch = 0;
  private lastLr: number[];

  constructor(optimizer: SchedulerOptimizer, options: ReduceLROnPlateauOptions = {}) {
    const O = 'ReduceLROnPlateau';
    const groups = groupsOf(O, optimizer);
    const {
      mode = 'min', factor = 0.1, patience = 10, threshold = 1e-4, thresholdMode = 'rel', cooldown = 0,
      minLr = 0, eps = 1e-8,
    } = options;
    this.optimizer = optimizer;
    this.mode = checkChoice(O, 'mode', mode, ['min', 'max'] as const);
    this.factor = checkNumber(O, 'factor', factor, { min: 0, lt: 1 });
    this.patience = checkInt(O, 'patience', patience, 0);
    this.threshold = checkNumber(O, 'threshold', threshold, { min: 0 });
    this.thresholdMode = checkChoice(O, 'thresholdMode', thresholdMode, ['rel', 'abs'] as const);
    this.cooldown = checkInt(O, 'cooldown', cooldown, 0);
    this.minLrs = perGroup(O, 'minLr', minLr, groups.length, { min: 0 });
    this.eps = checkNumber(O, 'eps', eps, { min: 0 });
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.lastLr = groups.map((g) => g.lr);
  }

  /** The schedule's name and options (as LRScheduler.config). */
  config(): ScheduleConfig {
    const { mode, factor, patience, threshold, thresholdMode, cooldown, eps } = this;
    return { name: 'ReduceLROnPlateau', options: { mode, factor, patience, threshold, thresholdMode, cooldown, minLr: perGroupValue(this.minLrs), eps } };
  }

  /** Records one metric value and reduces the lr if it has plateaued. */
  step(metric: Metric): void {
    const hasItem = metric !== null && typeof metric === 'object' && typeof metric.item === 'function';
    const current: unknown = typeof metric === 'number' ? metric : hasItem ? metric.item() : undefined;
    if (typeof current !== 'number') {
      throw new OptionError(`ReduceLROnPlateau.step: metric must be a number or a one-element tensor, got ${String(metric)}`);
    }
    this.lastEpoch += 1;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0; // bad steps during cooldown do not count
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** Whether the last reduction's cooldown is still running. */
  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /** The rates after the last step, one per parameter group. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** The scheduler's state (every field but the optimizer), as plain data. */
  stateDict(): SchedulerState {
    return stateOf(this);
  }

  /** Restores a state from {@link stateDict}. */
  loadStateDict(state: SchedulerState): void {
    loadState(this, state);
  }

  private isBetter(a: number, best: number): boolean {
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? a < best * (1 - this.threshold) : a < best - this.threshold;
    return this.thresholdMode === 'rel' ? a > best * (this.threshold + 1) : a > best + this.threshold;
  }

  private reduceLr(): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      const newLr = Math.max(g.lr * this.factor, this.minLrs[i]!);
      if (g.lr - newLr > this.eps) g.lr = newLr;
    });
  }
}
