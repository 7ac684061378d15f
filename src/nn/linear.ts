// Linear: y = x·Wᵀ + b (torch.nn.Linear). The forward is one GEMM with the bias fused into its
// epilogue (sg.linear); weight is [outFeatures, inFeatures], initialised as PyTorch does:
// kaiming_uniform(a = √5) ⇒ U(±1/√in), bias U(±1/√in).
import { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { param, type Parameter } from './parameter.js';
import { linear } from '../ops/matmul.js';
import { kaimingUniform, uniform } from './init.js';
import { checkInt } from '../check-option.js';
import type { ModuleConfig } from './module-repr.js';

export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Seed of the initial weights (the bias uses seed + 1); default: the global stream. */
  seed?: number;
}

/**
 * A fully connected layer.
 * @example
 * const fc = new sg.nn.Linear(784, 10);
 * const logits = fc.forward(x);          // [batch, 784] → [batch, 10]
 */
export class Linear extends Module {
  static override reprKeywords = true;
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Parameter;
  bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, { bias = true, seed }: LinearOptions = {}) {
    super();
    this.inFeatures = checkInt('Linear', 'inFeatures', inFeatures, 0);
    this.outFeatures = checkInt('Linear', 'outFeatures', outFeatures, 0);
    this.weight = param(() => kaimingUniform(Tensor.empty([outFeatures, inFeatures]), { a: Math.sqrt(5), seed }));
    const bound = inFeatures > 0 ? 1 / Math.sqrt(inFeatures) : 0;
    this.bias = bias
      ? param(() => uniform(Tensor.empty([outFeatures]), -bound, bound, { seed: seed === undefined ? undefined : seed + 1 }))
      : null;
  }

  override config(): ModuleConfig {
    return { args: { inFeatures: this.inFeatures, outFeatures: this.outFeatures }, options: { bias: this.bias !== null } };
  }

  override forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias ?? undefined);
  }
}
