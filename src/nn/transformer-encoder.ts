// TransformerEncoder (torch.nn.TransformerEncoder): a stack of encoder layers and an optional
// final norm, named as PyTorch's (layers.0.self_attn.in_proj_weight, …, norm.weight), so state
// dicts load from PyTorch. Given a layer, the stack holds numLayers copies of it (PyTorch's
// deepcopy: every layer starts with the same weights; the given layer is used as the first);
// given a factory, each layer is made fresh.
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';
import type { LayerNorm } from './layer-norm.js';
import { TransformerEncoderLayer, type EncoderForwardOptions } from './transformer-encoder-layer.js';
import { scope } from '../scope.js';
import { checkInt } from '../check-option.js';
import type { ModuleConfig } from './module-repr.js';

export interface TransformerEncoderOptions {
  /** Applied to the last layer's output (e.g. a LayerNorm for pre-norm stacks). */
  norm?: LayerNorm | null;
}

/**
 * A stack of Transformer encoder layers.
 * @example
 * const enc = new sg.nn.TransformerEncoder(new sg.nn.TransformerEncoderLayer(64, 4, { batchFirst: true }), 2);
 * enc.forward(x, { isCausal: true });
 */
export class TransformerEncoder extends Module {
  readonly numLayers: number;
  layers: TransformerEncoderLayer[];
  norm: LayerNorm | null;

  constructor(encoderLayer: TransformerEncoderLayer | ((index: number) => TransformerEncoderLayer), numLayers: number, { norm = null }: TransformerEncoderOptions = {}) {
    super();
    this.numLayers = checkInt('TransformerEncoder', 'numLayers', numLayers, 1);
    this.layers = typeof encoderLayer === 'function'
      ? Array.from({ length: numLayers }, (_, i) => encoderLayer(i))
      : [encoderLayer, ...Array.from({ length: numLayers - 1 }, () => encoderLayer.clone())];
    this.norm = norm;
  }

  /** The first layer (every layer is built like it) and the count; null when the layers differ. */
  override config(): ModuleConfig | null {
    const first = JSON.stringify(this.layers[0]!.config());
    if (this.layers.some((l) => JSON.stringify(l.config()) !== first)) return null;
    return { args: { encoderLayer: this.layers[0]!, numLayers: this.numLayers }, options: this.norm ? { norm: this.norm } : {} };
  }
  /** Printed with its children only, as PyTorch. */
  override extraRepr(): string { return ''; }

  /** src [T, B, E] (batchFirst: [B, T, E]) through every layer (masks as the layers take them). */
  override forward(src: Tensor, opts: EncoderForwardOptions = {}): Tensor {
    return scope(() => {
      let x = src;
      for (const layer of this.layers) x = layer.forward(x, opts);
      return this.norm ? this.norm.forward(x) : x;
    });
  }
}
