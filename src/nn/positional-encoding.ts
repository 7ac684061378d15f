// PositionalEncoding: the fixed sinusoidal encoding of "Attention Is All You Need", as the
// PyTorch tutorial's module computes it (float32 arithmetic, buffer `pe` of shape [maxLen, 1,
// dModel]: pe[p, 0, 2i] = sin(p·e^{−2i·ln(10⁴)/d}), pe[p, 0, 2i+1] = cos(…)), added to the input
// and followed by dropout. The buffer is saved in the state dict under the tutorial's name.
import { tensorArg, type Tensor } from '../tensor.js';
import { Module } from './module.js';
import { buffer, type Buffer } from './parameter.js';
import { Dropout } from './dropout.js';
import { tensor } from '../ops/create.js';
import { add } from '../ops/elementwise.js';
import { reshape, slice } from '../ops/shape.js';
import { ShapeError, fmtShape } from '../errors.js';
import { scope } from '../scope.js';
import { checkInt } from '../check-option.js';
import type { ModuleConfig } from './module-repr.js';

export interface PositionalEncodingOptions {
  /** Dropout after adding the encoding (default 0.1, as the tutorial). */
  dropout?: number;
  /** Longest sequence (default 5000). */
  maxLen?: number;
  /** Inputs [B, T, E] instead of [T, B, E] (default false). */
  batchFirst?: boolean;
  seed?: number;
}

/**
 * Adds sinusoidal position information.
 * @example
 * const pos = new sg.nn.PositionalEncoding(64, { dropout: 0, batchFirst: true });
 * pos.forward(x);   // [B, T, 64] + pe[:T]
 */
export class PositionalEncoding extends Module {
  readonly dModel: number;
  readonly maxLen: number;
  readonly batchFirst: boolean;
  dropout: Dropout;
  pe: Buffer;

  constructor(dModel: number, { dropout = 0.1, maxLen = 5000, batchFirst = false, seed }: PositionalEncodingOptions = {}) {
    super();
    this.dModel = checkInt('PositionalEncoding', 'dModel', dModel, 1);
    this.maxLen = checkInt('PositionalEncoding', 'maxLen', maxLen, 1);
    this.batchFirst = batchFirst;
    this.dropout = new Dropout(dropout, { seed });
    const f = Math.fround, pe = new Float32Array(maxLen * dModel), c = f(-Math.log(10000) / dModel);
    for (let i = 0; i < dModel; i += 2) {
      const div = f(Math.exp(f(i * c)));
      for (let p = 0; p < maxLen; p++) {
        const a = f(p * div);
        pe[p * dModel + i] = Math.sin(a);
        if (i + 1 < dModel) pe[p * dModel + i + 1] = Math.cos(a);
      }
    }
    this.pe = buffer(() => tensor(pe, [maxLen, 1, dModel]));
  }

  override config(): ModuleConfig {
    return { args: { dModel: this.dModel }, options: { dropout: this.dropout.p, maxLen: this.maxLen, batchFirst: this.batchFirst } };
  }

  override forward(x: Tensor): Tensor {
    tensorArg('PositionalEncoding', 'x', x);
    const T = this.batchFirst ? x.shape[1] : x.shape[0];
    if (x.rank !== 3 || x.shape[2] !== this.dModel || T === undefined || T > this.maxLen) {
      throw new ShapeError(`PositionalEncoding(${this.dModel}, maxLen ${this.maxLen}): input ${fmtShape(x.shape)} must be ` +
        `${this.batchFirst ? '[B, T, E]' : '[T, B, E]'} with E = ${this.dModel} and T ≤ ${this.maxLen}`);
    }
    return scope(() => {
      const p = slice(this.pe, [0], [T]);
      const y = add(x, this.batchFirst ? reshape(p, [T, this.dModel]) : p);
      return this.training && this.dropout.p > 0 ? this.dropout.forward(y) : y;
    });
  }
}
