// Embedding (torch.nn.Embedding): a lookup table [numEmbeddings, embeddingDim]; forward takes
// integer indices of any shape (Int32Array, number[], or an integer-valued tensor) and returns
// [...indices.shape, embeddingDim] with the embedding_f32 gather kernel. Backward scatter-adds each
// output row into its weight row with embedding_backward_f32 (no dense one-hot); the paddingIdx
// row is initialised to zeros and never gets a gradient. Weights start N(0, 1) like PyTorch's;
// fromPretrained takes them from a [rows, dim] tensor instead (copied as they are, padding row
// included, as PyTorch's from_pretrained) and freezes them by default.
import { wordIndex } from '../memory.js';
import { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { param, type Parameter } from './parameter.js';
import { DTypeError, OptionError, ShapeError, describeValue, fmtShape } from '../errors.js';
import { needsGrad, noGrad, record } from '../autograd.js';
import { normal } from './init.js';
import { contiguous } from '../ops/shape.js';
import { checkInt } from '../check-option.js';
import type { ModuleConfig } from './module-repr.js';

/** Runs fn with the indices copied into a temporary i32 block of t's heap. */
function withIndices(t: Tensor, at: Int32Array, fn: (ptr: number) => void): void {
  const heap = t.backend.heap, p = heap.alloc(Math.max(4, at.length * 4));
  try {
    heap.i32.set(at, wordIndex(p));
    fn(p);
  } finally {
    heap.free(p);
  }
}

export interface EmbeddingOptions {
  /** Row that maps to zeros and receives no gradient (negative counts from the end). */
  paddingIdx?: number | null;
  /** Seed of the initial weights; default: the global stream. */
  seed?: number;
}

/** Options of Embedding.fromPretrained. */
export interface FromPretrainedOptions {
  /** Keep the weights fixed (requiresGrad false; default true, as PyTorch). */
  freeze?: boolean;
  paddingIdx?: number | null;
}

/** Set while fromPretrained builds a layer: the weights to copy instead of drawing them. */
let pretrained: Tensor | null = null;

export type Indices = Int32Array | readonly number[] | Tensor;

/**
 * A table of learned vectors.
 * @example
 * const emb = new sg.nn.Embedding(1000, 32, { paddingIdx: 0 });
 * emb.forward(new Int32Array([5, 0, 7]));   // [3, 32]; row 0 is zeros
 */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly paddingIdx: number | null;
  weight: Parameter;

  constructor(numEmbeddings: number, embeddingDim: number, { paddingIdx = null, seed }: EmbeddingOptions = {}) {
    super();
    checkInt('Embedding', 'numEmbeddings', numEmbeddings, 0);
    checkInt('Embedding', 'embeddingDim', embeddingDim, 0);
    if (paddingIdx !== null) {
      if (!Number.isInteger(paddingIdx) || paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings) {
        throw new OptionError(`Embedding: paddingIdx ${paddingIdx} is out of range for ${numEmbeddings} embeddings`);
      }
      if (paddingIdx < 0) paddingIdx += numEmbeddings;
    }
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.paddingIdx = paddingIdx;
    if (pretrained) {
      this.weight = param(() => noGrad(() => contiguous(pretrained!)));
      return;
    }
    this.weight = param(() => normal(Tensor.empty([numEmbeddings, embeddingDim]), 0, 1, { seed }));
    if (paddingIdx !== null) {
      this.weight.backend.heap.f32.fill(0, wordIndex(this.weight.ptr) + paddingIdx * embeddingDim,
        wordIndex(this.weight.ptr) + (paddingIdx + 1) * embeddingDim);
    }
  }

  /**
   * A layer whose table is a copy of `weights` [rows, dim] (PyTorch's from_pretrained): frozen
   * unless `freeze: false`; the padding row keeps its given values.
   * @example
   * const emb = sg.nn.Embedding.fromPretrained(sg.io.load(bytes)['embedding.weight'], { paddingIdx: 0 });
   * emb.weight.requiresGrad;   // false
   */
  static fromPretrained(weights: Tensor, { freeze = true, paddingIdx = null }: FromPretrainedOptions = {}): Embedding {
    if (!(weights instanceof Tensor)) throw new DTypeError(`Embedding.fromPretrained: weights must be a Tensor, got ${describeValue(weights)}`);
    weights.check();
    if (weights.rank !== 2) {
      throw new ShapeError(`Embedding.fromPretrained: weights must be 2-D [rows, dim], got shape ${fmtShape(weights.shape)}`);
    }
    if (typeof freeze !== 'boolean') throw new DTypeError(`Embedding.fromPretrained: freeze must be a boolean, got ${describeValue(freeze)}`);
    pretrained = weights;
    try {
      const e = new Embedding(weights.shape[0]!, weights.shape[1]!, { paddingIdx });
      e.weight.requiresGrad = !freeze;
      return e;
    } finally {
      pretrained = null;
    }
  }

  override config(): ModuleConfig {
    return { args: { numEmbeddings: this.numEmbeddings, embeddingDim: this.embeddingDim }, options: this.paddingIdx === null ? {} : { paddingIdx: this.paddingIdx } };
  }

  /** Rows of the table at `indices`. */
  override forward(indices: Indices): Tensor {
    const w = this.weight.check(), dim = this.embeddingDim, rows = this.numEmbeddings;
    let idx: ArrayLike<number>, shape: readonly number[];
    if (indices instanceof Tensor) { idx = indices.toArray(); shape = indices.shape; }
    else if (indices instanceof Int32Array || Array.isArray(indices)) { idx = indices; shape = [indices.length]; }
    else throw new DTypeError('Embedding: indices must be an Int32Array, a number[] or a tensor');
    const at = new Int32Array(idx.length);
    for (let i = 0; i < idx.length; i++) {
      const v = idx[i]!;
      if (!Number.isInteger(v)) throw new DTypeError(`Embedding: index ${i} is ${v}, not an integer`);
      if (v < 0 || v >= rows) throw new OptionError(`Embedding: index ${v} (at ${i}) is out of range for ${rows} embeddings`);
      at[i] = v;
    }
    const out = Tensor.empty([...shape, dim], w.backend);
    withIndices(w, at, (ip) => w.backend.kernels.embedding_f32(out.ptr, w.ptr, ip, at.length, dim));
    if (!needsGrad(w)) return out;
    const pad = this.paddingIdx ?? -1;
    return record('embedding', out, [w], [], (g, [gw]) => {
      const gc = g.isContiguous ? g : contiguous(g);
      try {
        withIndices(gw!, at, (ip) => gw!.backend.kernels.embedding_backward_f32(gw!.ptr, ip, gc.ptr, at.length, dim, pad));
      } finally {
        if (gc !== g) gc.dispose();
      }
    });
  }
}
