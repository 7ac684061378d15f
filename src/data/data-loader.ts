// DataLoader: mini-batches over a tensor of samples (first dimension) and optional targets.
//
// Contract: iterating gives one epoch of { x, y } batches; each new iteration is the next epoch
// (or call epochBatches(e) for a given one). With shuffle, epoch e visits the samples in the order
// permutation(n, seed, e·n) — the same as fit() — so a run is reproducible. Only a batch's rows are
// gathered, into a new contiguous tensor: the data set is never copied per epoch. A batch's
// tensors belong to the scope that is active when the iterator produces them (the one around the
// for…of loop, not its body): dispose each batch (`batch.dispose()`) when done with it, so that
// memory stays flat across epochs. An optional `transform` (e.g. an augmentation) is applied to
// every batch's x; the untransformed gather is freed.
import { wordIndex } from '../memory.js';
import { Tensor, tensorArg } from '../tensor.js';
import { stridedCopy } from '../ops/kernel-calls.js';
import { permutation } from '../random.js';
import { DTypeError, ShapeError, describeValue, fmtShape } from '../errors.js';
import { checkInt, checkSeed } from '../check-option.js';

export type Targets = Int32Array | Tensor;

export interface DataLoaderOptions {
  batchSize?: number;
  /** Visit the samples in a new seeded order every epoch. */
  shuffle?: boolean;
  seed?: number;
  /** Skip the last batch of an epoch if it has fewer than batchSize samples. */
  dropLast?: boolean;
  /** Applied to each batch's x (an augmentation); must return a new tensor. */
  transform?: (x: Tensor) => Tensor;
}

/** One mini-batch. `dispose()` frees its tensors. */
export interface Batch<Y extends Targets | undefined = Targets | undefined> {
  x: Tensor;
  y: Y;
  /** Positions of the batch's samples in the data set. */
  indices: Int32Array;
  dispose(): void;
  [Symbol.dispose](): void;
}

/** Number of samples in y. */
export function rowsOf(y: Targets): number { return y instanceof Tensor ? y.shape[0] ?? 0 : y.length; }

/**
 * `y` as targets: a live tensor as it is, an Int32Array as it is, and any other array or typed
 * array of integers as a new Int32Array — a fractional, non-finite, out-of-range or non-number
 * value is a DTypeError naming its index (class labels are never truncated).
 */
export function checkTargets(who: string, y: unknown): Targets {
  if (y instanceof Tensor) return y.check();
  if (y instanceof Int32Array) return y;
  if (Array.isArray(y) || (ArrayBuffer.isView(y) && !(y instanceof DataView))) {
    const a = y as ArrayLike<unknown>;
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) {
        throw new DTypeError(`${who}: y[${i}] is ${describeValue(v)}, not a class index (give a Tensor for real-valued targets)`);
      }
    }
    return Int32Array.from(a as ArrayLike<number>);
  }
  throw new DTypeError(`${who}: y must be class indices (an Int32Array) or a Tensor, got ${describeValue(y)}`);
}

/** The targets of samples idx: a new tensor of y's rows, or a new Int32Array. */
export function gatherTargets<Y extends Targets>(y: Y, idx: Int32Array): Y {
  if (y instanceof Tensor) return gatherRows(y, idx) as Y;
  const out = new Int32Array(idx.length); // a plain loop: Int32Array.from(idx, fn) iterates, a step's garbage
  for (let i = 0; i < idx.length; i++) out[i] = (y as Int32Array)[idx[i]!]!;
  return out as Y;
}

/** Rows `idx` of t copied into a new contiguous tensor of shape [idx.length, ...t.shape[1:]]. */
export function gatherRows(t: Tensor, idx: Int32Array): Tensor {
  t.check();
  const inner = t.shape.slice(1), row = inner.reduce((a, b) => a * b, 1);
  const out = Tensor.empty([idx.length, ...inner], t.backend);
  const be = t.backend, dst = wordIndex(out.ptr);
  if (t.isContiguous) {
    const f = be.heap.f32, src = wordIndex(t.ptr);
    for (let i = 0; i < idx.length;) {               // runs of consecutive rows: one copy each
      let j = i + 1;
      while (j < idx.length && idx[j] === idx[j - 1]! + 1) j++;
      f.copyWithin(dst + i * row, src + idx[i]! * row, src + (idx[j - 1]! + 1) * row);
      i = j;
    }
  } else {
    const outStrides = out.strides.slice(1), inStrides = t.strides.slice(1), s0 = t.strides[0]!;
    for (let i = 0; i < idx.length; i++) {
      stridedCopy(be, out.ptr + i * row * 4, outStrides, t.ptr + idx[i]! * s0 * 4, inStrides, inner);
    }
  }
  return out;
}

/**
 * Mini-batches over (x, y).
 * @example
 * const loader = new sg.data.DataLoader(x, y, { batchSize: 64, shuffle: true, seed: 1 });
 * for (let epoch = 0; epoch < 10; epoch++) {
 *   for (const batch of loader) {
 *     sg.scope(() => { const loss = crossEntropy(model.forward(batch.x), batch.y); … });
 *     batch.dispose();
 *   }
 * }
 */
export class DataLoader<Y extends Targets | undefined = Targets | undefined> implements Iterable<Batch<Y>> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly seed: number;
  readonly dropLast: boolean;
  readonly transform: ((x: Tensor) => Tensor) | undefined;
  /** The epoch the next for…of iteration runs (starts at 0, incremented by each iteration). */
  epoch = 0;

  readonly x: Tensor;
  /** The targets (class indices become an Int32Array). */
  readonly y: Y;

  constructor(x: Tensor, y?: Y, opts: DataLoaderOptions = {}) {
    const { batchSize = 1, shuffle = false, seed = 0, dropLast = false, transform } = opts ?? {};
    checkInt('DataLoader', 'batchSize', batchSize, 1);
    checkSeed('DataLoader', seed);
    this.x = tensorArg('DataLoader', 'x', x);
    this.y = (y === undefined ? undefined : checkTargets('DataLoader', y)) as Y;
    if (x.rank < 1) throw new ShapeError(`DataLoader: x needs a sample dimension, got shape ${fmtShape(x.shape)}`);
    if (y !== undefined && rowsOf(y) !== x.shape[0]) {
      throw new ShapeError(`DataLoader: x ${fmtShape(x.shape)} has ${x.shape[0]} samples but y has ${rowsOf(y)}`);
    }
    this.batchSize = batchSize; this.shuffle = shuffle; this.seed = seed;
    this.dropLast = dropLast; this.transform = transform;
  }

  /** Number of samples. */
  get size(): number { return this.x.shape[0]!; }

  /** Number of batches per epoch. */
  get length(): number {
    return this.dropLast ? Math.floor(this.size / this.batchSize) : Math.ceil(this.size / this.batchSize);
  }

  /** The order in which epoch `epoch` visits the samples. */
  order(epoch: number): Int32Array {
    const n = this.size;
    return this.shuffle ? permutation(n, this.seed, epoch * n) : Int32Array.from({ length: n }, (_, i) => i);
  }

  /** The batches of one given epoch (does not change `epoch`). */
  *epochBatches(epoch: number): Generator<Batch<Y>, void, undefined> {
    const order = this.order(epoch), { batchSize } = this;
    for (let b = 0; b < this.length; b++) {
      const indices = order.subarray(b * batchSize, Math.min(order.length, (b + 1) * batchSize));
      yield this.batch(indices);
    }
  }

  [Symbol.iterator](): Iterator<Batch<Y>> {
    return this.epochBatches(this.epoch++);
  }

  /** The batch made of the samples at `indices`. */
  batch(indices: Int32Array): Batch<Y> {
    let x = gatherRows(this.x, indices);
    if (this.transform) {
      const raw = x;
      try { x = this.transform(raw); } finally { if (x !== raw) raw.dispose(); }
    }
    const y = this.y;
    let yb: Targets | undefined;
    try {
      yb = y === undefined ? undefined : gatherTargets(y, indices);
    } catch (e) { x.dispose(); throw e; }
    const dispose = () => { x.dispose(); if (yb instanceof Tensor) yb.dispose(); };
    return { x, y: yb as Y, indices: indices.slice(), dispose, [Symbol.dispose]: dispose };
  }
}
