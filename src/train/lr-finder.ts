// lrFinder: Leslie Smith's learning-rate range test, as fastai's lr_find and pytorch-lr-finder.
// One mini-batch step per learning rate, the rate rising from startLr to endLr (exponentially by
// default); the loss of each batch (before its step) is recorded raw and smoothed (fastai's
// debiased exponential average, beta 0.98); the test stops early when the smoothed loss passes
// divergeThreshold × its best, or a loss is not finite. Suggestions, on the smoothed curve with
// fastai's trim (the first steps/10 and the last 5 points left out): 'valley' (fastai's default:
// about halfway down the longest valley of the curve), 'steepest' (fastai's steep: the most
// negative slope against log lr), 'minimum' (fastai's: the lr of the lowest loss / 10).
// Contract: the model's parameters and buffers, the optimizer's state and rates, every module's
// training flag and the global random stream (unseeded dropout) are put back afterwards (also when
// it throws); every step runs in a scope. (A Dropout built with its own seed keeps counting calls.)
import type { Tensor } from '../tensor.js';
import type { Module } from '../nn/module.js';
import type { Optimizer } from '../optim/optimizer.js';
import { DataLoader, rowsOf, type Targets } from '../data/data-loader.js';
import { keepingStream } from '../random.js';
import { scope } from '../scope.js';
import { OptionError, ShapeError, fmtShape } from '../errors.js';
import { checkChoice, checkInt, checkNumber, checkSeed } from '../check-option.js';
import { lossOf, type LossFn } from './fit.js';

export type LrSuggestion = 'valley' | 'steepest' | 'minimum';

export interface LrFinderOptions {
  /** The optimizer to test (its state and rates are put back afterwards). */
  optimizer: Optimizer;
  loss?: 'crossEntropy' | 'mse' | LossFn;
  /** First rate (default 1e-7, as fastai). */
  startLr?: number;
  /** Last rate (default 10). */
  endLr?: number;
  /** Rates tried, one mini-batch each (default 100). */
  steps?: number;
  /** 'exp' (default): evenly spaced in log lr; 'linear'. */
  mode?: 'exp' | 'linear';
  /** Mini-batch size with x/y data (default 32). */
  batchSize?: number;
  /** Seed of the batch order with x/y data (default 0). */
  seed?: number;
  /** Weight of the past in the smoothed loss (default 0.98). */
  beta?: number;
  /** Stop once the smoothed loss exceeds this many times its best (default 4, as fastai). */
  divergeThreshold?: number;
  /** Which suggestion is suggestedLr (default 'valley'). */
  suggest?: LrSuggestion;
}

export interface LrFinderResult {
  /** The rates tried, in order (fewer than steps when the test stopped early). */
  lrs: number[];
  /** The loss of each step's batch. */
  losses: number[];
  /** The debiased exponential average of losses. */
  smoothed: number[];
  /** The chosen suggestion's rate (NaN when too few points were recorded to suggest one). */
  suggestedLr: number;
  suggestion: LrSuggestion;
  suggestions: Record<LrSuggestion, number>;
  /** Why the test ended before its last rate, if it did. */
  stopReason?: string;
}

/** fastai's valley: the index ~halfway down the longest decreasing run of `y`. */
export function valleyIndex(y: readonly number[]): number {
  const lds = y.map(() => 1);
  let start = 0, end = 0;
  for (let i = 1; i < y.length; i++) {
    for (let j = 0; j < i; j++) {
      if (y[i]! < y[j]! && lds[i]! < lds[j]! + 1) lds[i] = lds[j]! + 1;
      if (lds[end]! < lds[i]!) { end = i; start = end - lds[end]!; }
    }
  }
  const sections = (end - start) / 3;
  return start + Math.trunc(sections) + Math.trunc(sections / 2);
}

/** The three suggestions for a (smoothed) curve, already trimmed. */
export function suggestLrs(lrs: readonly number[], losses: readonly number[]): Record<LrSuggestion, number> {
  if (lrs.length < 2) return { valley: NaN, steepest: NaN, minimum: NaN };
  let steep = 0, best = Infinity, low = 0;
  for (let i = 0; i + 1 < lrs.length; i++) {
    const slope = (losses[i + 1]! - losses[i]!) / (Math.log(lrs[i + 1]!) - Math.log(lrs[i]!));
    if (slope < best) { best = slope; steep = i; }
  }
  losses.forEach((l, i) => { if (l < losses[low]!) low = i; });
  return { valley: lrs[valleyIndex(losses)]!, steepest: lrs[steep]!, minimum: lrs[low]! / 10 };
}

/**
 * Runs the range test and puts the model and optimizer back as they were.
 * @example
 * const r = sg.train.lrFinder(model, { x, y }, { optimizer, startLr: 1e-6, endLr: 1, steps: 100 });
 * r.suggestedLr;   // e.g. 0.0012; plot r.lrs against r.smoothed
 */
export function lrFinder(model: Module & { forward(x: Tensor): Tensor }, data: { x: Tensor; y: Targets } | DataLoader<Targets>,
  opts: LrFinderOptions): LrFinderResult {
  const O = 'lrFinder';
  const { optimizer, startLr = 1e-7, endLr = 10, steps = 100, mode = 'exp', batchSize = 32, seed = 0, beta = 0.98, divergeThreshold = 4, suggest = 'valley' } = opts;
  checkNumber(O, 'startLr', startLr, { gt: 0 });
  checkNumber(O, 'endLr', endLr, { gt: startLr });
  checkInt(O, 'steps', steps, 2);
  checkChoice(O, 'mode', mode, ['exp', 'linear']);
  checkInt(O, 'batchSize', batchSize, 1);
  checkSeed(O, seed);
  checkNumber(O, 'beta', beta, { min: 0, lt: 1 });
  checkNumber(O, 'divergeThreshold', divergeThreshold, { gt: 1 });
  checkChoice(O, 'suggest', suggest, ['valley', 'steepest', 'minimum']);
  const { x, y } = data;
  if (!y) throw new OptionError('lrFinder: the data needs targets (y)');
  const n = x.shape[0] ?? 0;
  if (rowsOf(y) !== n) throw new ShapeError(`lrFinder: x ${fmtShape(x.shape)} has ${n} rows but y has ${rowsOf(y)}`);
  // x/y data: batches in a new seeded order each epoch, the last one of an epoch maybe smaller
  const loader = 'epochBatches' in data ? data : new DataLoader(x, y, { batchSize, shuffle: true, seed });
  const lossFn = lossOf(opts.loss);
  const rate = (i: number) => (mode === 'exp' ? startLr * (endLr / startLr) ** (i / (steps - 1)) : startLr + (endLr - startLr) * (i / (steps - 1)));
  // what to put back
  const weights = Object.entries(model.stateDict()).map(([k, t]) => [k, { shape: t.shape, data: t.toArray() }] as const);
  const optState = optimizer.stateDict();
  const modules = model.namedModules().map(([, m]) => m), modes = modules.map((m) => m.training);
  const out: LrFinderResult = { lrs: [], losses: [], smoothed: [], suggestedLr: NaN, suggestion: suggest, suggestions: { valley: NaN, steepest: NaN, minimum: NaN } };
  let avg = 0, best = Infinity;
  let batches: Iterator<{ x: Tensor; y: Targets }> | undefined, epoch = 0;
  const nextBatch = (): { x: Tensor; y: Targets } => {
    let b = batches?.next();
    if (!b || b.done) { batches = loader.epochBatches(epoch++); b = batches.next(); }
    if (b.done) throw new ShapeError(`lrFinder: the data (${n} rows) gives no batches`);
    return b.value;
  };
  model.train();
  try {
    keepingStream(() => { for (let i = 0; i < steps; i++) {
      const lr = rate(i);
      optimizer.lr = lr;
      const loss = scope(() => {
        const b = nextBatch(), l = lossFn(model.forward(b.x), b.y), v = l.item();
        if (Number.isFinite(v)) {
          optimizer.zeroGrad();
          l.backward();
          optimizer.step();
        }
        return v;
      });
      if (!Number.isFinite(loss)) { out.stopReason = `the loss became ${loss} at lr ${+lr.toPrecision(4)}`; break; }
      avg = beta * avg + (1 - beta) * loss;
      const smooth = avg / (1 - beta ** (i + 1));
      out.lrs.push(lr); out.losses.push(loss); out.smoothed.push(smooth);
      best = Math.min(best, smooth);
      if (smooth > divergeThreshold * best) { out.stopReason = `the smoothed loss passed ${divergeThreshold} × its best at lr ${+lr.toPrecision(4)}`; break; }
    } });
  } finally {
    model.loadStateDict(Object.fromEntries(weights));
    optimizer.zeroGrad();
    optimizer.loadStateDict(optState);
    modules.forEach((m, i) => { m.training = modes[i]!; });
  }
  const from = Math.floor(steps / 10), to = out.lrs.length - 5;
  out.suggestions = suggestLrs(out.lrs.slice(from, to), out.smoothed.slice(from, to));
  out.suggestedLr = out.suggestions[suggest];
  return out;
}
