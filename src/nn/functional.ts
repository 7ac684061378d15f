// Losses and functional layers (sg.nn.functional), PyTorch's semantics and defaults:
// crossEntropy (fused softmax cross-entropy kernel; label smoothing, ignoreIndex), nllLoss,
// mseLoss, l1Loss, huberLoss, bceWithLogits (log-sum-exp stable), dropout. Reductions are
// 'mean' (over non-ignored targets), 'sum' or 'none'.
import { wordIndex } from '../memory.js';
import { Tensor, tensorArg } from '../tensor.js';
import { checkChoice, checkNumber, checkSeed } from '../check-option.js';
import { DTypeError, OptionError, ShapeError, describeValue, fmtShape } from '../errors.js';
import { needsGrad, record } from '../autograd.js';
import { abs, add, mul, sub, exp, log, maximum, minimum } from '../ops/elementwise.js';
import { sum, mean } from '../ops/reduce.js';
import { scope } from '../scope.js';
import { nextDraw } from '../random.js';
import { dense } from '../ops/elementwise.js';

export type Reduction = 'mean' | 'sum' | 'none';
export type Targets = Int32Array | Tensor | readonly number[];

/** Class targets as integers, checked against the number of rows and classes. */
function classTargets(targets: Targets, rows: number, classes: number, ignoreIndex: number, what: string): Int32Array {
  let t: ArrayLike<number>;
  if (!(targets instanceof Tensor) && !Array.isArray(targets) && !ArrayBuffer.isView(targets)) {
    throw new DTypeError(`${what}: targets must be an Int32Array, a number[] or a Tensor, got ${describeValue(targets)}`);
  }
  if (targets instanceof Tensor) {
    if (targets.rank > 1) throw new ShapeError(`${what}: targets must be 1-D, got ${fmtShape(targets.shape)}`);
    t = targets.toArray();
  } else {
    t = targets;
  }
  if (t.length !== rows) {
    throw new ShapeError(`${what}: ${t.length} targets for ${rows} rows of logits`);
  }
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const v = t[i]!;
    if (!Number.isInteger(v)) throw new DTypeError(`${what}: target ${i} is ${describeValue(v)}, not a class index`);
    if (v !== ignoreIndex && (v < 0 || v >= classes)) {
      throw new OptionError(`${what}: target ${i} is ${v}, out of range for ${classes} classes`);
    }
    out[i] = v === ignoreIndex ? -1 : v;
  }
  return out;
}

/** Number of targets that count (classTargets marks the ignored ones −1). */
function countKept(t: Int32Array): number {
  let n = 0;
  for (let i = 0; i < t.length; i++) if (t[i]! >= 0) n++;
  return n;
}

/** An i32 buffer kept in a tensor's storage so a graph node can hold it. */
function int32Tensor(data: Int32Array, like: Tensor): Tensor {
  const t = Tensor.empty([data.length], like.backend);
  t.backend.heap.i32.set(data, wordIndex(t.ptr));
  return t;
}

const REDUCTIONS: readonly Reduction[] = ['mean', 'sum', 'none'];

function reduce(losses: Tensor, reduction: Reduction, count: number): Tensor {
  if (reduction === 'none') return losses;
  const s = sum(losses);
  if (reduction === 'sum') { losses.dispose(); return s; }
  const m = mul(s, 1 / count);
  losses.dispose(); s.dispose();
  return m;
}

export interface CrossEntropyOptions {
  labelSmoothing?: number;
  reduction?: Reduction;
  /** Targets equal to this are skipped (PyTorch default −100). */
  ignoreIndex?: number;
}

/**
 * Cross-entropy of logits [N, C] against class indices [N] (softmax + NLL in one stable kernel).
 * @example const loss = sg.nn.functional.crossEntropy(logits, new Int32Array([3, 1]));
 */
export function crossEntropy(logits: Tensor, targets: Targets, opts: CrossEntropyOptions = {}): Tensor {
  const { labelSmoothing = 0, reduction = 'mean', ignoreIndex = -100 } = opts ?? {};
  tensorArg('crossEntropy', 'logits', logits);
  if (logits.rank !== 2) throw new ShapeError(`crossEntropy: logits must be [N, C], got ${fmtShape(logits.shape)}`);
  checkNumber('crossEntropy', 'labelSmoothing', labelSmoothing, { min: 0, max: 1 });
  checkChoice('crossEntropy', 'reduction', reduction, REDUCTIONS);
  checkNumber('crossEntropy', 'ignoreIndex', ignoreIndex);
  const rows = logits.shape[0]!, cols = logits.shape[1]!;
  const t = classTargets(targets, rows, cols, ignoreIndex, 'crossEntropy');
  const count = countKept(t);
  const x = dense(logits), tt = int32Tensor(t, logits);
  const losses = Tensor.empty([rows], logits.backend);
  logits.backend.kernels.softmax_xent_f32(losses.ptr, x.ptr, tt.ptr, rows, cols, labelSmoothing);
  let out = losses;
  if (needsGrad(logits)) {
    out = record('crossEntropy', losses, [logits], [x, tt], (g, [gx], [xs, ts]) => {
      g.backend.kernels.softmax_xent_backward_f32(gx!.ptr, xs!.ptr, ts!.ptr, g.ptr, rows, cols, labelSmoothing);
    });
  }
  if (x !== logits) x.dispose();
  tt.dispose();
  return reduce(out, reduction, count);
}

/** Negative log-likelihood of log-probabilities [N, C] at class indices [N]. */
export function nllLoss(logProbs: Tensor, targets: Targets, opts: { reduction?: Reduction; ignoreIndex?: number } = {}): Tensor {
  const { reduction = 'mean', ignoreIndex = -100 } = opts ?? {};
  tensorArg('nllLoss', 'logProbs', logProbs);
  checkChoice('nllLoss', 'reduction', reduction, REDUCTIONS);
  checkNumber('nllLoss', 'ignoreIndex', ignoreIndex);
  if (logProbs.rank !== 2) throw new ShapeError(`nllLoss: input must be [N, C], got ${fmtShape(logProbs.shape)}`);
  const rows = logProbs.shape[0]!, cols = logProbs.shape[1]!;
  const t = classTargets(targets, rows, cols, ignoreIndex, 'nllLoss');
  const count = countKept(t);
  const x = dense(logProbs), f = x.backend.heap.f32;
  const losses = Tensor.empty([rows], x.backend);
  for (let r = 0; r < rows; r++) f[wordIndex(losses.ptr) + r] = t[r]! < 0 ? 0 : -f[wordIndex(x.ptr) + r * cols + t[r]!]!;
  if (x !== logProbs) x.dispose();
  let out = losses;
  if (needsGrad(logProbs)) {
    out = record('nllLoss', losses, [logProbs], [], (g, [gx]) => {
      const h = g.backend.heap.f32;
      for (let r = 0; r < rows; r++) {
        const at = wordIndex(gx!.ptr) + r * cols + t[r]!;
        if (t[r]! >= 0) h[at] = h[at]! - h[wordIndex(g.ptr) + r]!;
      }
    });
  }
  return reduce(out, reduction, count);
}

/** The reduction option ('mean' when absent; checked by lossArgs). */
function reductionOf(opts: { reduction?: Reduction } | undefined): Reduction {
  const { reduction = 'mean' } = opts ?? {};
  return reduction;
}

/** Checks a loss's input and target tensors and its reduction. */
function lossArgs(name: string, input: Tensor, target: Tensor, reduction: Reduction): void {
  tensorArg(name, 'input', input);
  tensorArg(name, 'target', target);
  checkChoice(name, 'reduction', reduction, REDUCTIONS);
}

function pairwise(name: string, a: Tensor, b: Tensor, reduction: Reduction, elementwise: (d: Tensor) => Tensor): Tensor {
  lossArgs(name, a, b, reduction);
  if (a.shape.join() !== b.shape.join()) {
    throw new ShapeError(`${name}: input ${fmtShape(a.shape)} and target ${fmtShape(b.shape)} differ`);
  }
  const l = scope(() => elementwise(sub(a, b)));
  if (reduction === 'none') return l;
  const r = reduction === 'sum' ? sum(l) : mean(l);
  l.dispose();
  return r;
}

/** Mean squared error. */
export const mseLoss = (input: Tensor, target: Tensor, opts: { reduction?: Reduction } = {}): Tensor =>
  pairwise('mseLoss', input, target, reductionOf(opts), (d) => mul(d, d));
/** Mean absolute error. */
export const l1Loss = (input: Tensor, target: Tensor, opts: { reduction?: Reduction } = {}): Tensor =>
  pairwise('l1Loss', input, target, reductionOf(opts), (d) => abs(d));
/** Huber loss: ½d² where |d| < delta, else delta·(|d| − ½delta) (PyTorch's delta default 1, > 0). */
export function huberLoss(input: Tensor, target: Tensor, opts: { reduction?: Reduction; delta?: number } = {}): Tensor {
  const { delta = 1 } = opts ?? {};
  checkNumber('huberLoss', 'delta', delta, { gt: 0 });
  return pairwise('huberLoss', input, target, reductionOf(opts), (d) => {
    const a = abs(d), q = minimum(a, delta); // quadratic part |d| clipped at delta
    return mul(q, sub(a, mul(q, 0.5)));
  });
}

/**
 * Binary cross-entropy on logits, stable for any magnitude: max(x,0) − x·y + log(1 + e^−|x|).
 */
export function bceWithLogits(input: Tensor, target: Tensor, opts: { reduction?: Reduction } = {}): Tensor {
  const reduction = reductionOf(opts);
  lossArgs('bceWithLogits', input, target, reduction);
  if (input.shape.join() !== target.shape.join()) {
    throw new ShapeError(`bceWithLogits: input ${fmtShape(input.shape)} and target ${fmtShape(target.shape)} differ`);
  }
  const l = scope(() => add(sub(maximum(input, 0), mul(input, target)), log(add(exp(abs(input).neg()), 1))));
  if (reduction === 'none') return l;
  const r = reduction === 'sum' ? sum(l) : mean(l);
  l.dispose();
  return r;
}

/** Inverted dropout: zeroes each element with probability p and scales the rest by 1/(1−p). */
export function dropout(x: Tensor, p = 0.5, opts: { training?: boolean; seed?: number } = {}): Tensor {
  const { training = true, seed } = opts ?? {};
  tensorArg('dropout', 'x', x);
  checkNumber('dropout', 'p', p, { min: 0, max: 1 });
  checkSeed('dropout', seed);
  if (!training || p === 0) return mul(x, 1);
  const mask = Tensor.empty(x.shape, x.backend);
  const d = nextDraw(x.size, 4, seed);
  x.backend.kernels.dropout_mask_f32(mask.ptr, x.size, d.seedLo, d.seedHi, d.offset, p);
  try { return mul(x, mask); } finally { mask.dispose(); }
}

/**
 * Channel dropout: zeroes each channel of x [N, C, …] (all its values) with probability p and
 * scales the rest by 1/(1−p) (PyTorch's dropout2d).
 * @example const y = sg.nn.functional.dropout2d(featureMaps, 0.1);
 */
export function dropout2d(x: Tensor, p = 0.5, { training = true, seed }: { training?: boolean; seed?: number } = {}): Tensor {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`dropout2d probability must be in [0, 1], got ${p}`);
  if (x.rank < 3) throw new ShapeError(`dropout2d: input must be [N, C, H, W] or [N, C, L], got ${fmtShape(x.shape)}`);
  if (!training || p === 0) return mul(x, 1);
  const mask = Tensor.empty([x.shape[0]!, x.shape[1]!, ...x.shape.slice(2).map(() => 1)], x.backend);
  const d = nextDraw(mask.size, 4, seed);
  x.backend.kernels.dropout_mask_f32(mask.ptr, mask.size, d.seedLo, d.seedHi, d.offset, p);
  try { return mul(x, mask); } finally { mask.dispose(); }
}

/**
 * L1 penalty strength·Σ|p| over parameters, to add to a loss (sparsity). Differentiable.
 * @example const loss = crossEntropy(logits, y).add(l1Penalty(model.parameters(), 1e-4));
 */
export function l1Penalty(params: readonly Tensor[], strength: number): Tensor {
  return penalty('l1Penalty', params, strength, 1, (p) => sum(abs(p)));
}

/** L2 penalty ½·strength·Σp² (coupled weight decay as a loss term; optimizers' weightDecay is the fused form). */
export function l2Penalty(params: readonly Tensor[], strength: number): Tensor {
  return penalty('l2Penalty', params, strength, 0.5, (p) => sum(mul(p, p)));
}

/** factor·strength·Σ term(p), strength checked before any arithmetic. */
function penalty(name: string, params: readonly Tensor[], strength: number, factor: number, term: (p: Tensor) => Tensor): Tensor {
  checkNumber(name, 'strength', strength, { min: 0 });
  if (!Array.isArray(params as unknown)) throw new DTypeError(`${name}: params must be an array of Tensors, got ${describeValue(params)}`);
  if (params.length === 0) throw new OptionError(`${name} over no parameters`);
  params.forEach((p, i) => tensorArg(name, `params[${i}]`, p));
  return scope(() => {
    let total = term(params[0]!);
    for (const p of params.slice(1)) total = add(total, term(p));
    return mul(total, factor * strength);
  });
}
export { scaledDotProductAttention, type ScaledDotProductAttentionOptions } from './scaled-dot-product-attention.js';
export { conv1d, conv2d, type Conv1dOptions, type Conv2dOptions } from '../ops/conv.js';
export { maxPool1d, maxPool2d, avgPool2d, adaptiveAvgPool2d, type MaxPool1dOptions, type MaxPool2dOptions, type AvgPool2dOptions } from '../ops/pool.js';
export { batchNorm, type BatchNormFnOptions } from '../ops/batch-norm.js';
