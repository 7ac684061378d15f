// Embedding (torch.nn.Embedding): a lookup table [numEmbeddings, embeddingDim]; forward takes
// integer indices of any shape (Int32Array, number[], or an integer-valued tensor) and returns
// [...indices.shape, embeddingDim]. Backward scatter-adds each output row into its weight row
// (no dense one-hot); the paddingIdx row is initialised to zeros and never gets a gradient.
// Weights start N(0, 1) like PyTorch's.
import { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { param, type Parameter } from './parameter.js';
import { DTypeError } from '../errors.js';
import { needsGrad, record } from '../autograd.js';
import { normal } from './init.js';

export interface EmbeddingOptions {
  /** Row that maps to zeros and receives no gradient (negative counts from the end). */
  paddingIdx?: number | null;
  /** Seed of the initial weights; default: the global stream. */
  seed?: number;
}

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
    for (const [k, v] of [['numEmbeddings', numEmbeddings], ['embeddingDim', embeddingDim]] as const) {
      if (!Number.isInteger(v) || v < 0) throw new RangeError(`Embedding: ${k} must be a non-negative integer, got ${v}`);
    }
    if (paddingIdx !== null) {
      if (!Number.isInteger(paddingIdx) || paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings) {
        throw new RangeError(`Embedding: paddingIdx ${paddingIdx} is out of range for ${numEmbeddings} embeddings`);
      }
      if (paddingIdx < 0) paddingIdx += numEmbeddings;
    }
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.paddingIdx = paddingIdx;
    this.weight = param(() => normal(Tensor.empty([numEmbeddings, embeddingDim]), 0, 1, { seed }));
    if (paddingIdx !== null) {
      this.weight.backend.heap.f32.fill(0, (this.weight.ptr >> 2) + paddingIdx * embeddingDim,
        (this.weight.ptr >> 2) + (paddingIdx + 1) * embeddingDim);
    }
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
      if (v < 0 || v >= rows) throw new RangeError(`Embedding: index ${v} (at ${i}) is out of range for ${rows} embeddings`);
      at[i] = v;
    }
    const out = Tensor.empty([...shape, dim], w.backend);
    const f = w.backend.heap.f32, src = w.ptr >> 2, dst = out.ptr >> 2;
    for (let i = 0; i < at.length; i++) f.copyWithin(dst + i * dim, src + at[i]! * dim, src + (at[i]! + 1) * dim);
    if (!needsGrad(w)) return out;
    const pad = this.paddingIdx ?? -1;
    return record('embedding', out, [w], [], (g, [gw]) => {
      const h = g.backend.heap.f32, gp = g.ptr >> 2, wp = gw!.ptr >> 2;
      for (let i = 0; i < at.length; i++) {
        if (at[i] === pad) continue;
        const o = wp + at[i]! * dim, s = gp + i * dim;
        for (let j = 0; j < dim; j++) h[o + j] = h[o + j]! + h[s + j]!;
      }
    });
  }
}
