// fit(): the training loop — mini-batches (a DataLoader's: the one given, or one over x/y with a
// seeded shuffle per epoch), forward, loss, backward, optimizer step, schedules, validation,
// metrics, callbacks, and a history of every epoch.
//
// Contract: every batch runs inside a scope, so a training run leaks nothing. A loss that is
// NaN or infinite stops training with NonFiniteLossError naming the epoch and step, and the model
// keeps its last finite weights (a copy taken before each optimizer step is put back if the
// weights themselves went bad). Returns the history even when a callback stops early.
import { Tensor, tensorArg } from '../tensor.js';
import type { Module } from '../nn/module.js';
import type { Optimizer } from '../optim/optimizer.js';
import { crossEntropy, mseLoss } from '../nn/functional.js';
import { noGrad } from '../autograd.js';
import { scope, keep } from '../scope.js';
import { checkInt, checkSeed } from '../check-option.js';
import { DTypeError, NonFiniteLossError, OptionError, ShapeError, fmtShape, describeValue } from '../errors.js';
import type { Callback, Logs, TrainContext } from './callbacks.js';
import { MetricAccumulator, REGRESSION_METRICS, checkMetrics, type MetricName } from './metrics.js';
import { DataLoader, checkTargets, gatherRows, gatherTargets, rowsOf, type Targets } from '../data/data-loader.js';
import { fitTargets } from './fit-targets.js';
import { fitSettings, type FitSettings } from './fit-settings.js';

export type LossFn = (pred: Tensor, y: Targets) => Tensor;

export interface FitOptions {
  /** Inputs, samples along the first dimension (or give `data`). */
  x?: Tensor;
  /**
   * Class indices (Int32Array) or a target tensor with as many rows as x. With loss: 'mse', any
   * array of numbers (readCsv's Float32Array or Int32Array target) is one target per row ([n, 1]).
   */
  y?: Targets | Float32Array | readonly number[];
  /** A DataLoader with targets instead of x/y: its batches, order and transform are used as they are. */
  data?: DataLoader<Targets>;
  loss?: 'crossEntropy' | 'mse' | LossFn;
  optimizer: Optimizer;
  epochs?: number;
  batchSize?: number;
  shuffle?: boolean;
  seed?: number;
  /** Drop the last incomplete batch of an epoch. */
  dropLast?: boolean;
  /** Held-out data, or the fraction of the last samples of x/y to hold out (before shuffling). */
  validation?: { x: Tensor; y: Targets | Float32Array | readonly number[] } | { split: number };
  /** Logged per epoch (and with a val prefix on validation data): 'accuracy' for class indices; 'mse', 'mae', 'rmse', 'r2' for target tensors. */
  metrics?: MetricName[];
  callbacks?: Callback[];
  /** A learning-rate schedule stepped once per epoch (ReduceLROnPlateau gets the monitored loss). */
  schedule?: { step(metric?: number): void };
  /** Called after every batch with the progress so far. */
  onProgress?: (p: { epoch: number; step: number; stepsPerEpoch: number; loss: number }) => void;
}

/** Per-epoch values by name: loss, valLoss, lr, and each metric with its val twin (accuracy, valAccuracy, r2, valR2, …). */
export interface History {
  epochs: number;
  values: Record<string, number[]>;
  /** What the run was given: optimizer and schedule with their options, loop settings, parameter counts. */
  settings: FitSettings;
  /** Why training ended early, if it did. */
  stopReason?: string;
}

/** The loss function fit() uses for a `loss` option. */
export const lossOf = (l: FitOptions['loss']): LossFn =>
  typeof l === 'function' ? l
    : l === 'mse' ? (p, y) => mseLoss(p, y as Tensor)
      : (p, y) => crossEntropy(p, y);

/** from, from + 1, …, to − 1. */
const range = (from: number, to: number): Int32Array => Int32Array.from({ length: to - from }, (_, i) => from + i);

export interface EvaluateOptions {
  loss?: FitOptions['loss'];
  batchSize?: number;
  /** Default: ['accuracy'] for class indices, ['mse', 'mae', 'rmse', 'r2'] for target tensors with loss 'mse', none otherwise. */
  metrics?: readonly MetricName[];
}
/** evaluate()'s answer: the mean loss and the metrics that apply (never an accuracy for a regression). */
export type EvaluateResult = { loss: number } & Partial<Record<MetricName, number>>;
type Model = Module & { forward(x: Tensor): Tensor };

/**
 * The loss (mean over samples) and metrics of model on (x, y), in batches, without a graph, in
 * eval mode (the model's mode is put back). Reports only what applies: accuracy for class
 * indices, the regression metrics (sklearn's definitions) for real-valued targets.
 * @example
 * sg.evaluate(classifier, x, labels)                 // { loss, accuracy }
 * sg.evaluate(regressor, x, prices, { loss: 'mse' }) // { loss, mse, mae, rmse, r2 }
 */
export function evaluate(model: Model, x: Tensor, y: Int32Array | readonly number[], opts?: Omit<EvaluateOptions, 'metrics' | 'loss'> & { loss?: 'crossEntropy' }): { loss: number; accuracy: number };
export function evaluate<M extends MetricName>(model: Model, x: Tensor, y: Targets | Float32Array | readonly number[], opts: EvaluateOptions & { metrics: readonly M[] }): { loss: number } & Record<M, number>;
export function evaluate(model: Model, x: Tensor, y: Targets | Float32Array | readonly number[], opts: Omit<EvaluateOptions, 'metrics'> & { loss: 'mse' }): { loss: number; mse: number; mae: number; rmse: number; r2: number };
export function evaluate(model: Model, x: Tensor, y: Targets | Float32Array | readonly number[], opts?: EvaluateOptions): EvaluateResult;
export function evaluate(model: Model, x: Tensor, y: Targets | Float32Array | readonly number[], opts: EvaluateOptions = {}): EvaluateResult {
  const { loss = 'crossEntropy', batchSize = 256, metrics } = opts ?? {};
  tensorArg('evaluate', 'x', x);
  checkInt('evaluate', 'batchSize', batchSize, 1);
  const t = fitTargets('evaluate', y, loss);
  try {
    const yy = t.y, classes = !(yy instanceof Tensor);
    if (rowsOf(yy) !== x.shape[0]) throw new ShapeError(`evaluate: x ${fmtShape(x.shape)} has ${x.shape[0]} rows but y has ${rowsOf(yy)}`);
    const names = checkMetrics('evaluate', metrics ?? (classes ? ['accuracy'] : loss === 'mse' ? REGRESSION_METRICS : []), classes);
    return evaluateTargets(model, x, yy, loss, batchSize, names);
  } finally {
    if (t.owned) (t.y as Tensor).dispose();
  }
}

/** evaluate() on checked targets. */
function evaluateTargets(model: Model, x: Tensor, y: Targets, loss: FitOptions['loss'], batchSize: number, metrics: readonly MetricName[]): EvaluateResult {
  const fn = lossOf(loss), n = x.shape[0]!, batches = new DataLoader(x, y, { batchSize }).epochBatches(0);
  const acc = new MetricAccumulator(metrics);
  const was = model.training;
  model.eval();
  let total = 0;
  try {
    for (let i = 0; i < n; i += batchSize) {
      noGrad(() => scope(() => {
        const b = batches.next().value!, pred = model.forward(b.x);
        total += fn(pred, b.y).item() * b.indices.length;
        acc.add(pred, b.y);
      }));
    }
  } finally {
    model.train(was);
  }
  return { loss: total / n, ...acc.values() };
}

/**
 * fit()'s data: targets checked against the loss (fit-targets.ts), the validation split cut off
 * (rows n.. of x and y) or validation data checked; `owned` holds the tensors made here (freed by
 * fit, or here when a check fails).
 */
function prepare(x: Tensor, y: unknown, opts: FitOptions, n: number) {
  const owned: Tensor[] = [];
  const own = <T extends Targets | Tensor>(t: T): T => { if (t instanceof Tensor) owned.push(keep(t)); return t; };
  const take = (t: { y: Targets; owned: boolean }): Targets => (t.owned ? own(t.y) : t.y);
  try {
    let yy = opts.data ? (y as Targets) : take(fitTargets('fit', y, opts.loss));
    if (rowsOf(yy) !== x.shape[0]) throw new ShapeError(`fit: x ${fmtShape(x.shape)} has ${x.shape[0]} rows but y has ${rowsOf(yy)}`);
    // an epoch without a step would report a loss of 0 for training that never happened
    if (n === 0) throw new ShapeError(`fit: x ${fmtShape(x.shape)} has no rows to train on`);
    let valX: Tensor | undefined, valY: Targets | undefined;
    if (opts.validation && 'split' in opts.validation) {
      const train = range(0, n), held = range(n, x.shape[0]!);
      valX = own(gatherRows(x, held)); valY = own(gatherTargets(yy, held));
      x = own(gatherRows(x, train)); yy = own(gatherTargets(yy, train));
    } else if (opts.validation) {
      const v = opts.validation;
      valX = tensorArg('fit', 'validation.x', v.x); valY = take(fitTargets('fit', v.y, opts.loss));
      if (rowsOf(valY) !== valX.shape[0]) {
        throw new ShapeError(`fit: validation.x ${fmtShape(valX.shape)} has ${valX.shape[0]} rows but validation.y has ${rowsOf(valY)}`);
      }
      if ((valY instanceof Tensor) !== (yy instanceof Tensor)) throw new DTypeError('fit: y and validation.y must both be class indices or both target tensors');
    }
    return { x, y: yy, valX, valY, owned };
  } catch (e) {
    owned.forEach((t) => t.dispose());
    throw e;
  }
}

/**
 * Trains `model` and returns the per-epoch history.
 * @example
 * const h = sg.fit(model, { x, y, optimizer: new sg.optim.Adam(model.parameters()), epochs: 10,
 *                           batchSize: 64, validation: { split: 0.2 }, metrics: ['accuracy'] });
 * h.values.valAccuracy.at(-1)
 */
export function fit(model: Module & { forward(x: Tensor): Tensor }, opts: FitOptions): History {
  if (typeof opts !== 'object' || opts === null) throw new OptionError(`fit: expected options { x, y, optimizer, … }, got ${describeValue(opts)}`);
  const { optimizer, epochs = 1, batchSize = 32, shuffle = true, seed = 0, dropLast = false,
    metrics = [], callbacks = [], schedule, onProgress } = opts;
  checkInt('fit', 'epochs', epochs, 0);
  checkInt('fit', 'batchSize', batchSize, 1);
  checkSeed('fit', seed);
  if (opts.data && (opts.x || opts.y)) throw new OptionError('fit: give x/y or data, not both');
  if (opts.data && opts.validation && 'split' in opts.validation) throw new OptionError('fit: validation.split needs x/y; give validation: { x, y } with data');
  const loader = opts.data;
  const x0 = opts.x ?? loader?.x, y0 = opts.y ?? loader?.y;
  if (!x0 || !y0) throw new OptionError('fit: needs x and y (or a DataLoader with targets as data)');
  tensorArg('fit', 'x', x0);
  const split = opts.validation && 'split' in opts.validation ? opts.validation.split : undefined;
  const nAll = x0.shape[0]!, nVal = split === undefined ? 0 : Math.floor(nAll * split), n = nAll - nVal;
  if (split !== undefined && (!(split > 0 && split < 1) || nVal === 0)) {
    throw new OptionError(`fit: validation.split must leave samples on both sides, got ${split}`);
  }
  const stepsPerEpoch = loader ? loader.length : dropLast ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
  const { x, y, valX, valY, owned } = prepare(x0, loader ? checkTargets('fit', y0) : y0, opts, n);
  const lossFn = lossOf(opts.loss);
  const blocks = optimizer.paramGroups.map((g) => g.block);
  const shadows = blocks.map((b) => keep(Tensor.empty(b.data.shape, b.data.backend))); // the weights before a step
  const history: History = {
    epochs: 0, values: {}, settings: fitSettings(model, {
      optimizer, schedule, loss: opts.loss, epochs, batchSize, shuffle, seed, dropLast, metrics, samples: n, validation: opts.validation, loader,
    }),
  };
  const log = (k: string, v: number) => (history.values[k] ??= []).push(v);
  const ctx: TrainContext = { model, stop: (reason) => { history.stopReason ??= reason; } };
  let logs: Logs = {};
  try {
    if (stepsPerEpoch === 0) { // an epoch without a step would report a loss of 0 for training that never happened
      throw new OptionError(`fit: batchSize ${loader ? loader.batchSize : batchSize} with dropLast leaves no batch of ` +
        `the ${n} training rows (0 steps per epoch); lower batchSize or set dropLast: false`);
    }
    const names = checkMetrics('fit', metrics, !(y instanceof Tensor));
    const batcher = loader ?? new DataLoader(x, y, { batchSize, shuffle, seed, dropLast });
    model.train();
    callbacks.forEach((c) => c.onTrainBegin?.(ctx));
    for (let epoch = 0; epoch < epochs && history.stopReason === undefined; epoch++) {
      const batches = batcher.epochBatches(epoch);
      let total = 0, seen = 0;
      const scores = new MetricAccumulator(names);
      for (let step = 0; step < stepsPerEpoch; step++) {
        let rows = 0;
        const value = scope(() => {
          const b = batches.next().value!, pred = model.forward(b.x);
          rows = b.indices.length;
          const loss = lossFn(pred, b.y), v = loss.item();
          if (!Number.isFinite(v)) return v;
          scores.add(pred, b.y);
          optimizer.zeroGrad();
          loss.backward();
          for (let i = 0; i < blocks.length; i++) blocks[i]!.snapshot(shadows[i]!); // to put back if this step makes them non-finite
          optimizer.step();
          return v;
        });
        if (!Number.isFinite(value)) {
          const bad = blocks.some((b) => b.data.toArray().some((w) => !Number.isFinite(w)));
          if (bad && step + epoch > 0) blocks.forEach((block, i) => block.restore(shadows[i]!));
          throw new NonFiniteLossError(epoch, step, value);
        }
        total += value * rows; seen += rows;
        if (callbacks.length > 0) {
          const batchLogs = { loss: value, lr: optimizer.lr };
          for (const c of callbacks) c.onBatchEnd?.(epoch * stepsPerEpoch + step, batchLogs, ctx);
        }
        onProgress?.({ epoch, step, stepsPerEpoch, loss: value });
      }
      logs = { loss: total / Math.max(seen, 1), lr: optimizer.lr };
      Object.assign(logs, scores.values());
      if (valX && valY) {
        const v = evaluateTargets(model, valX, valY, opts.loss, Math.max(batchSize, 256), names);
        logs.valLoss = v.loss;
        for (const m of names) logs[`val${m[0]!.toUpperCase()}${m.slice(1)}`] = v[m]!;
      }
      for (const [k, v] of Object.entries(logs)) log(k, v);
      history.epochs++;
      callbacks.forEach((c) => c.onEpochEnd?.(epoch, logs, ctx));
      schedule?.step(logs.valLoss ?? logs.loss);
    }
    callbacks.forEach((c) => c.onTrainEnd?.(logs, ctx));
  } finally {
    for (const t of [...shadows, ...owned]) t.dispose();
  }
  return history;
}
