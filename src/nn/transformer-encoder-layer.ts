// TransformerEncoderLayer (torch.nn.TransformerEncoderLayer): self-attention and a feed-forward
// block (linear1 → activation → dropout → linear2), each with a residual connection and a
// LayerNorm — after the residual (post-norm, PyTorch's default) or before the block (normFirst).
// Sub-module names are PyTorch's (self_attn, linear1, dropout, linear2, norm1, norm2, dropout1,
// dropout2), so state dicts load from PyTorch. ReLU is fused into linear1's GEMM epilogue;
// dropouts are skipped (not copied through) in eval mode or at p = 0.
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { Linear } from './linear.js';
import { LayerNorm } from './layer-norm.js';
import { Dropout } from './dropout.js';
import { MultiheadAttention } from './multihead-attention.js';
import type { AttentionMaskLike } from './attention-mask.js';
import { linear } from '../ops/matmul.js';
import { gelu } from '../ops/activation.js';
import { add } from '../ops/elementwise.js';
import { scope } from '../scope.js';
import { checkChoice } from '../check-option.js';
import type { ModuleConfig } from './module-repr.js';

export interface TransformerEncoderLayerOptions {
  /** Width of the feed-forward block (default 2048). */
  dimFeedforward?: number;
  /** Dropout after attention, inside and after the feed-forward block (default 0.1). */
  dropout?: number;
  activation?: 'relu' | 'gelu';
  layerNormEps?: number;
  /** Inputs [B, T, E] instead of [T, B, E] (default false). */
  batchFirst?: boolean;
  /** LayerNorm before each block (pre-norm) instead of after the residual (default false). */
  normFirst?: boolean;
  /** Seed of the initial weights (default: the global stream). */
  seed?: number;
}

export interface EncoderForwardOptions {
  /** [T, T] or [B·nhead, T, T]; true / −inf = not allowed to attend. */
  srcMask?: AttentionMaskLike | null;
  /** [B, T]; true / −inf = padding. */
  srcKeyPaddingMask?: AttentionMaskLike | null;
  /** Causal self-attention (position i sees j ≤ i). */
  isCausal?: boolean;
}

/**
 * One Transformer encoder block.
 * @example
 * const layer = new sg.nn.TransformerEncoderLayer(64, 4, { dimFeedforward: 256, batchFirst: true, normFirst: true });
 * layer.forward(x, { isCausal: true });   // [B, T, 64] → [B, T, 64]
 */
export class TransformerEncoderLayer extends Module {
  readonly dModel: number;
  readonly nhead: number;
  /** The options it was built with (clone() builds a twin from them). */
  readonly options: Readonly<TransformerEncoderLayerOptions>;
  readonly activation: 'relu' | 'gelu';
  readonly normFirst: boolean;
  self_attn: MultiheadAttention;
  linear1: Linear;
  dropout: Dropout;
  linear2: Linear;
  norm1: LayerNorm;
  norm2: LayerNorm;
  dropout1: Dropout;
  dropout2: Dropout;

  constructor(dModel: number, nhead: number, opts: TransformerEncoderLayerOptions = {}) {
    super();
    const { dimFeedforward = 2048, dropout = 0.1, activation = 'relu', layerNormEps = 1e-5, batchFirst = false, normFirst = false, seed } = opts;
    checkChoice('TransformerEncoderLayer', 'activation', activation, ['relu', 'gelu']);
    const s = (k: number) => (seed === undefined ? undefined : seed + 10 * k);
    this.dModel = dModel;
    this.nhead = nhead;
    this.options = Object.freeze({ ...opts });
    this.activation = activation;
    this.normFirst = normFirst;
    this.self_attn = new MultiheadAttention(dModel, nhead, { dropout, batchFirst, seed: s(0) });
    this.linear1 = new Linear(dModel, dimFeedforward, { seed: s(1) });
    this.dropout = new Dropout(dropout, { seed: s(2) });
    this.linear2 = new Linear(dimFeedforward, dModel, { seed: s(3) });
    this.norm1 = new LayerNorm(dModel, { eps: layerNormEps });
    this.norm2 = new LayerNorm(dModel, { eps: layerNormEps });
    this.dropout1 = new Dropout(dropout, { seed: s(4) });
    this.dropout2 = new Dropout(dropout, { seed: s(5) });
  }

  /** A new layer with the same configuration and a copy of this one's parameters (PyTorch's deepcopy). */
  clone(): TransformerEncoderLayer {
    const twin = new TransformerEncoderLayer(this.dModel, this.nhead, this.options);
    twin.loadStateDict(this.stateDict());
    return twin.train(this.training);
  }

  /** dModel, nhead and the options it was built with (but the seed). */
  override config(): ModuleConfig {
    const { seed: _seed, ...options } = this.options;
    return { args: { dModel: this.dModel, nhead: this.nhead }, options: { ...options } as Record<string, number | string | boolean> };
  }
  /** Printed with its children only, as PyTorch. */
  override extraRepr(): string { return ''; }

  /** src [T, B, E] (batchFirst: [B, T, E]) → same shape. */
  override forward(src: Tensor, { srcMask = null, srcKeyPaddingMask = null, isCausal = false }: EncoderForwardOptions = {}): Tensor {
    const drop = (d: Dropout, x: Tensor): Tensor => (this.training && d.p > 0 ? d.forward(x) : x);
    const sa = (x: Tensor): Tensor =>
      drop(this.dropout1, this.self_attn.forward(x, x, x, { attnMask: srcMask, keyPaddingMask: srcKeyPaddingMask, isCausal, needWeights: false })[0]);
    const ff = (x: Tensor): Tensor => {
      const h = this.activation === 'relu'
        ? linear(x, this.linear1.weight, this.linear1.bias ?? undefined, { activation: 'relu' })
        : gelu(this.linear1.forward(x));
      return drop(this.dropout2, this.linear2.forward(drop(this.dropout, h)));
    };
    return scope(() => {
      if (this.normFirst) {
        const x = add(src, sa(this.norm1.forward(src)));
        return add(x, ff(this.norm2.forward(x)));
      }
      const x = this.norm1.forward(add(src, sa(src)));
      return this.norm2.forward(add(x, ff(x)));
    });
  }
}
