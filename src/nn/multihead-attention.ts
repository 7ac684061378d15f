// MultiheadAttention (torch.nn.MultiheadAttention): PyTorch's parameters and names —
// in_proj_weight [3E, E] (xavier-uniform), in_proj_bias [3E] (zeros), out_proj.weight [E, E],
// out_proj.bias [E] (zeros) — so a PyTorch state dict loads as is. Inputs are [T, B, E] (or
// [B, T, E] with batchFirst, or unbatched [T, E]). Queries, keys and values are projected with
// row blocks of in_proj_weight (three GEMMs), split into heads as views ([B, H, T, D], read in
// place by the batched GEMM), attended by scaledDotProductAttention (scale 1/√D, masks, causal,
// dropout while training), merged and projected.
// Masks: keyPaddingMask [B, S] and attnMask [T, S] or [B·H, T, S], boolean (true = masked) or
// additive float; isCausal masks j > i. A query whose keys are all masked gets zeros from the
// attention (its output is out_proj.bias) where PyTorch gives NaN.
import { Tensor, tensorArg } from '../tensor.js';
import { Module } from './module.js';
import { Linear } from './linear.js';
import { param, type Parameter } from './parameter.js';
import { ShapeError, fmtShape, OptionError } from '../errors.js';
import { linear } from '../ops/matmul.js';
import { reshape, slice, transpose } from '../ops/shape.js';
import { mean } from '../ops/reduce.js';
import { scaledDotProductAttention } from './scaled-dot-product-attention.js';
import { scope } from '../scope.js';
import { full } from '../ops/create.js';
import { xavierUniform, zeros } from './init.js';
import { additiveMask, type AttentionMaskLike } from './attention-mask.js';
import { checkInt, checkNumber } from '../check-option.js';
import type { ModuleConfig } from './module-repr.js';

export interface MultiheadAttentionOptions {
  /** Inputs and output are [B, T, E] instead of [T, B, E] (default false, as PyTorch). */
  batchFirst?: boolean;
  /** Learn in_proj_bias and out_proj.bias (default true). */
  bias?: boolean;
  /** Dropout on the attention weights while training (default 0). */
  dropout?: number;
  /** Seed of the initial weights (default: the global stream). */
  seed?: number;
}

export interface AttentionForwardOptions {
  /** [B, S] (unbatched: [S]); true / −inf = that key is padding. */
  keyPaddingMask?: AttentionMaskLike | null;
  /** [T, S] or [B·numHeads, T, S]; true / −inf = not allowed to attend. */
  attnMask?: AttentionMaskLike | null;
  /** Also mask j > i (causal self-attention). */
  isCausal?: boolean;
  /** Return the attention weights (default true, as PyTorch). */
  needWeights?: boolean;
  /** Average the weights over heads: [B, T, S] (default true); else [B, H, T, S]. */
  averageAttnWeights?: boolean;
}

/**
 * Multi-head scaled dot-product attention.
 * @example
 * const mha = new sg.nn.MultiheadAttention(64, 4, { batchFirst: true });
 * const [y, w] = mha.forward(x, x, x, { isCausal: true });   // y [B, T, 64], w [B, T, T]
 */
export class MultiheadAttention extends Module {
  readonly embedDim: number;
  readonly numHeads: number;
  readonly headDim: number;
  readonly batchFirst: boolean;
  readonly dropout: number;
  in_proj_weight: Parameter;
  in_proj_bias: Parameter | null;
  out_proj: Linear;

  constructor(embedDim: number, numHeads: number, { batchFirst = false, bias = true, dropout: p = 0, seed }: MultiheadAttentionOptions = {}) {
    super();
    checkInt('MultiheadAttention', 'embedDim', embedDim, 1);
    if (!Number.isInteger(numHeads) || numHeads < 1 || embedDim % numHeads !== 0) {
      throw new OptionError(`MultiheadAttention: embedDim ${embedDim} must be divisible by numHeads ${numHeads}`);
    }
    checkNumber('MultiheadAttention', 'dropout', p, { min: 0, max: 1 });
    this.embedDim = embedDim;
    this.numHeads = numHeads;
    this.headDim = embedDim / numHeads;
    this.batchFirst = batchFirst;
    this.dropout = p;
    this.in_proj_weight = param(() => xavierUniform(Tensor.empty([3 * embedDim, embedDim]), { seed }));
    this.in_proj_bias = bias ? param(() => full([3 * embedDim], 0)) : null;
    this.out_proj = new Linear(embedDim, embedDim, { bias, seed: seed === undefined ? undefined : seed + 2 });
    if (this.out_proj.bias) zeros(this.out_proj.bias);
  }

  override config(): ModuleConfig {
    return { args: { embedDim: this.embedDim, numHeads: this.numHeads }, options: { batchFirst: this.batchFirst, bias: this.in_proj_bias !== null, dropout: this.dropout } };
  }
  /** Printed with its children only, as PyTorch. */
  override extraRepr(): string { return ''; }

  /** Attention of query [T, B, E] over key / value [S, B, E] → [output [T, B, E], weights | null]. */
  override forward(query: Tensor, key: Tensor, value: Tensor, opts: AttentionForwardOptions = {}): [Tensor, Tensor | null] {
    const { keyPaddingMask = null, attnMask = null, isCausal = false, needWeights = true, averageAttnWeights = true } = opts;
    const E = this.embedDim, H = this.numHeads, D = this.headDim;
    tensorArg('MultiheadAttention', 'query', query);
    tensorArg('MultiheadAttention', 'key', key);
    tensorArg('MultiheadAttention', 'value', value);
    const batched = query.rank === 3;
    if (!(query.rank === 2 || batched) || key.rank !== query.rank || value.rank !== query.rank ||
      [query, key, value].some((t) => t.shape[t.rank - 1] !== E)) {
      throw new ShapeError(`MultiheadAttention(${E}): query ${fmtShape(query.shape)}, key ${fmtShape(key.shape)} and value ` +
        `${fmtShape(value.shape)} must all be [L, B, ${E}]${this.batchFirst ? ' (batchFirst: [B, L, E])' : ''} or unbatched [L, ${E}]`);
    }
    const bf = this.batchFirst || !batched;
    const [B, T] = !batched ? [1, query.shape[0]!] : bf ? [query.shape[0]!, query.shape[1]!] : [query.shape[1]!, query.shape[0]!];
    const S = !batched ? key.shape[0]! : bf ? key.shape[1]! : key.shape[0]!;
    const kB = !batched ? 1 : bf ? key.shape[0]! : key.shape[1]!;
    if (kB !== B || key.shape.join() !== value.shape.join()) {
      throw new ShapeError(`MultiheadAttention: key ${fmtShape(key.shape)} and value ${fmtShape(value.shape)} must match and share query ${fmtShape(query.shape)}'s batch`);
    }
    return scope(() => {
      const masks: Tensor[] = [];
      if (keyPaddingMask !== null) {
        const m = additiveMask(keyPaddingMask, batched ? [[B, S]] : [[S], [1, S]], 'MultiheadAttention keyPaddingMask').mask;
        masks.push(reshape(m, [B, 1, 1, S]));
      }
      if (attnMask !== null) {
        const m = additiveMask(attnMask, [[T, S], [B * H, T, S]], 'MultiheadAttention attnMask').mask;
        masks.push(m.rank === 2 ? m : reshape(m, [B, H, T, S]));
      }
      // project with row blocks of in_proj_weight; heads as views [B, H, L, D]
      const heads = (x: Tensor, i: number, L: number): Tensor => {
        const w = slice(this.in_proj_weight, [i * E, 0], [(i + 1) * E, E]);
        const b = this.in_proj_bias ? slice(this.in_proj_bias, [i * E], [(i + 1) * E]) : undefined;
        const y = linear(x, w, b);
        return bf ? transpose(reshape(y, [B, L, H, D]), 1, 2) : transpose(transpose(reshape(y, [L, B, H, D]), 0, 1), 1, 2);
      };
      const q = heads(query, 0, T), k = heads(key, 1, S), v = heads(value, 2, S);
      const [o, w] = scaledDotProductAttention(q, k, v, { // o [B, H, T, D], w [B, H, T, S]
        attnMask: masks, isCausal, dropoutP: this.training ? this.dropout : 0, needWeights: true,
      });
      const merged = bf ? reshape(transpose(o, 1, 2), batched ? [B, T, E] : [T, E]) : reshape(transpose(transpose(o, 1, 2), 0, 1), [T, B, E]);
      const out = this.out_proj.forward(merged);
      if (!needWeights) return [out, null] as [Tensor, Tensor | null];
      let weights = averageAttnWeights ? mean(w, 1) : w;
      if (!batched) weights = reshape(weights, weights.shape.slice(1));
      return [out, weights] as [Tensor, Tensor | null];
    });
  }
}
