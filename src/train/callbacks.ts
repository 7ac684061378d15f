// Training callbacks: the hooks fit() calls, and earlyStopping (Keras's semantics: monitor a
// logged value, stop after `patience` epochs without an improvement of at least minDelta, and
// optionally restore the best weights — really restored, from a copy taken at the best epoch).
import type { Module } from '../nn/module.js';
import { checkInt, checkNumber } from '../check-option.js';
import { OptionError } from '../errors.js';

export type Logs = Record<string, number>;

export interface TrainContext {
  readonly model: Module;
  /** Ask fit() to stop after the current epoch. */
  stop(reason: string): void;
}

export interface Callback {
  onTrainBegin?(ctx: TrainContext): void;
  onBatchEnd?(step: number, logs: Logs, ctx: TrainContext): void;
  onEpochEnd?(epoch: number, logs: Logs, ctx: TrainContext): void;
  onTrainEnd?(logs: Logs, ctx: TrainContext): void;
}

export interface EarlyStoppingOptions {
  /** A key of the epoch logs: 'valLoss' (default), 'loss', 'valAccuracy', … */
  monitor?: string;
  patience?: number;
  minDelta?: number;
  /** 'min' for losses and errors, 'max' for accuracies and r2; 'auto' picks by the name. */
  mode?: 'min' | 'max' | 'auto';
  /** Put the weights of the best epoch back when training ends. */
  restoreBest?: boolean;
}

/**
 * Stops training when the monitored value stops improving.
 * @example sg.fit(model, { ..., callbacks: [sg.earlyStopping({ patience: 3, restoreBest: true })] })
 */
export function earlyStopping(opts: EarlyStoppingOptions = {}): Callback & { bestEpoch: number; best: number } {
  const { monitor = 'valLoss', patience = 0, minDelta = 0, restoreBest = false } = opts;
  checkInt('earlyStopping', 'patience', patience, 0);
  checkNumber('earlyStopping', 'minDelta', minDelta, { min: 0 });
  const mode = opts.mode === 'max' || (opts.mode !== 'min' && /acc|r2/i.test(monitor)) ? 'max' : 'min';
  let wait = 0;
  let snapshot: Array<[string, Float32Array]> | null = null;
  const cb = {
    best: mode === 'min' ? Infinity : -Infinity,
    bestEpoch: -1,
    onTrainBegin() { wait = 0; snapshot = null; cb.best = mode === 'min' ? Infinity : -Infinity; cb.bestEpoch = -1; },
    onEpochEnd(epoch: number, logs: Logs, ctx: TrainContext) {
      const v = logs[monitor];
      if (v === undefined) throw new OptionError(`earlyStopping: '${monitor}' is not logged (have ${Object.keys(logs).join(', ')})`);
      const better = mode === 'min' ? v < cb.best - minDelta : v > cb.best + minDelta;
      if (better) {
        cb.best = v; cb.bestEpoch = epoch; wait = 0;
        if (restoreBest) snapshot = Object.entries(ctx.model.stateDict()).map(([k, t]) => [k, t.toArray()]);
      } else if (++wait > patience) {
        ctx.stop(`${monitor} did not improve for ${wait} epochs (best ${cb.best} at epoch ${cb.bestEpoch})`);
      }
    },
    onTrainEnd(_logs: Logs, ctx: TrainContext) {
      if (restoreBest && snapshot) {
        ctx.model.loadStateDict(Object.fromEntries(snapshot.map(([k, d]) => {
          const t = ctx.model.stateDict()[k]!;
          return [k, { shape: t.shape, data: d }];
        })));
      }
    },
  };
  return cb;
}
