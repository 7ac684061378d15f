// LearnedPositionalEmbedding: a learned vector per position (an Embedding over 0…maxLen−1,
// weight [maxLen, dim], N(0, 1) like nn.Embedding), added to the input. Position t of every
// sequence gets weight[t]; the gradient of weight rows is the sum over the batch.
import { Tensor, tensorArg } from '../tensor.js';
import { Module } from './module.js';
import { param, type Parameter } from './parameter.js';
import { add } from '../ops/elementwise.js';
import { slice } from '../ops/shape.js';
import { ShapeError, fmtShape } from '../errors.js';
import { normal } from './init.js';
import { scope } from '../scope.js';
import { checkInt } from '../check-option.js';
import type { ModuleConfig } from './module-repr.js';

export interface LearnedPositionalEmbeddingOptions {
  /** Inputs [B, T, E] instead of [T, B, E] (default false). */
  batchFirst?: boolean;
  seed?: number;
  /** Standard deviation of the initial weights (default 1, as nn.Embedding). */
  std?: number;
}

/**
 * Adds a learned embedding of each position.
 * @example
 * const pos = new sg.nn.LearnedPositionalEmbedding(32, 64, { batchFirst: true });
 * pos.forward(x);   // [B, T ≤ 32, 64] + weight[:T]
 */
export class LearnedPositionalEmbedding extends Module {
  readonly maxLen: number;
  readonly embeddingDim: number;
  readonly batchFirst: boolean;
  weight: Parameter;

  constructor(maxLen: number, embeddingDim: number, { batchFirst = false, seed, std = 1 }: LearnedPositionalEmbeddingOptions = {}) {
    super();
    this.maxLen = checkInt('LearnedPositionalEmbedding', 'maxLen', maxLen, 1);
    this.embeddingDim = checkInt('LearnedPositionalEmbedding', 'embeddingDim', embeddingDim, 1);
    this.batchFirst = batchFirst;
    this.weight = param(() => normal(Tensor.empty([maxLen, embeddingDim]), 0, std, { seed }));
  }

  override config(): ModuleConfig {
    return { args: { maxLen: this.maxLen, embeddingDim: this.embeddingDim }, options: { batchFirst: this.batchFirst } };
  }

  override forward(x: Tensor): Tensor {
    tensorArg('LearnedPositionalEmbedding', 'x', x);
    const T = this.batchFirst ? x.shape[1] : x.shape[0];
    if (x.rank !== 3 || x.shape[2] !== this.embeddingDim || T === undefined || T > this.maxLen) {
      throw new ShapeError(`LearnedPositionalEmbedding(${this.maxLen}, ${this.embeddingDim}): input ${fmtShape(x.shape)} must be ` +
        `${this.batchFirst ? '[B, T, E]' : '[T, B, E]'} with E = ${this.embeddingDim} and T ≤ ${this.maxLen}`);
    }
    return scope(() => {
      const w = slice(this.weight, [0], [T]);
      return add(x, this.batchFirst ? w : w.reshape([T, 1, this.embeddingDim]));
    });
  }
}
