// fitSettings: what a fit() run was given, as plain JSON-able data — the optimizer and its
// hyperparameters, the schedule and its options, the loop's settings and the model's parameter
// counts when training started — recorded in History.settings so that a run remembers the
// hyperparameters that produced it. Contract: reads, never changes, the model and the objects.
import type { Module } from '../nn/module.js';
import type { Optimizer, OptimizerConfig } from '../optim/optimizer.js';
import type { ScheduleConfig } from '../optim/schedules/lr-scheduler.js';
import type { DataLoader, Targets } from '../data/data-loader.js';

/** The settings of a fit() run (History.settings). */
export interface FitSettings {
  /** The optimizer's hyperparameters when training started (optimizer.config()). */
  optimizer: OptimizerConfig;
  /** The schedule's config(); just its class name if it has none; null without a schedule. */
  schedule: ScheduleConfig | { name: string } | null;
  /** 'crossEntropy', 'mse', or a loss function's name ('custom' when it has none). */
  loss: string;
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  seed: number;
  dropLast: boolean;
  metrics: string[];
  /** Training samples (after a validation split). */
  samples: number;
  /** The held-out fraction, or the number of given validation samples; null without validation. */
  validation: { split: number } | { samples: number } | null;
  /** The model's parameters when training started: all, trainable (requiresGrad) and frozen. */
  params: { total: number; trainable: number; frozen: number };
}

/** What fit() hands over: its resolved options (before the DataLoader's, which win). */
export type RunSettings = Pick<FitSettings, 'epochs' | 'batchSize' | 'shuffle' | 'seed' | 'dropLast' | 'metrics' | 'samples'> & {
  optimizer: Optimizer;
  schedule: unknown;
  loss: unknown;
  validation: { split: number } | { x: { shape: readonly number[] } } | undefined;
  loader: DataLoader<Targets> | undefined;
};

/** A run's settings as data. @example fitSettings(model, { optimizer, epochs: 10, … }).optimizer.name // 'Adam' */
export function fitSettings(model: Module, s: RunSettings): FitSettings {
  const sched = s.schedule as { config?: () => ScheduleConfig } | undefined;
  const loss = typeof s.loss === 'function' ? (s.loss as { name: string }).name || 'custom' : String(s.loss ?? 'crossEntropy');
  let total = 0, trainable = 0;
  for (const p of model.parameters()) { total += p.size; if (p.requiresGrad) trainable += p.size; }
  const l = s.loader;
  return {
    optimizer: s.optimizer.config(),
    schedule: !sched ? null : typeof sched.config === 'function' ? sched.config() : { name: (sched as object).constructor.name },
    loss, epochs: s.epochs,
    batchSize: l ? l.batchSize : s.batchSize, shuffle: l ? l.shuffle : s.shuffle, seed: l ? l.seed : s.seed, dropLast: l ? l.dropLast : s.dropLast,
    metrics: [...s.metrics], samples: s.samples,
    validation: !s.validation ? null : 'split' in s.validation ? { split: s.validation.split } : { samples: s.validation.x.shape[0] ?? 0 },
    params: { total, trainable, frozen: total - trainable },
  };
}
