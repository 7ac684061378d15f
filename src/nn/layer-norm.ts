// LayerNorm (torch.nn.LayerNorm): normalises over the trailing `normalizedShape` dims with the
// biased variance, then applies an elementwise affine (weight ones, bias zeros at start). Built
// from differentiable ops (mean, sub, mul, sqrt, div), so its gradient needs no code of its own.
import { Tensor, tensorArg } from '../tensor.js';
import { Module } from './module.js';
import { param, type Parameter } from './parameter.js';
import { ShapeError, fmtShape, OptionError } from '../errors.js';
import { add, div, mul, sqrt, sub } from '../ops/elementwise.js';
import { mean } from '../ops/reduce.js';
import { scope } from '../scope.js';
import { full } from '../ops/create.js';
import { checkNumber } from '../check-option.js';
import type { ModuleConfig } from './module-repr.js';

export interface LayerNormOptions {
  eps?: number;
  /** Learn a per-element weight and bias (default true). */
  elementwiseAffine?: boolean;
}

/**
 * Layer normalisation over the last dims.
 * @example
 * const ln = new sg.nn.LayerNorm(64);
 * ln.forward(x);   // [batch, seq, 64], each row to mean 0, variance 1, then ·weight + bias
 */
export class LayerNorm extends Module {
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(normalizedShape: number | readonly number[], { eps = 1e-5, elementwiseAffine = true }: LayerNormOptions = {}) {
    super();
    const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    if (shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d < 1)) {
      throw new OptionError(`LayerNorm: normalizedShape must be positive integers, got ${fmtShape(shape)}`);
    }
    checkNumber('LayerNorm', 'eps', eps, { min: 0 });
    this.normalizedShape = Object.freeze(shape);
    this.eps = eps;
    this.weight = elementwiseAffine ? param(() => full(shape, 1)) : null;
    this.bias = elementwiseAffine ? param(() => full(shape, 0)) : null;
  }

  override config(): ModuleConfig {
    return { args: { normalizedShape: [...this.normalizedShape] }, options: { eps: this.eps, elementwiseAffine: this.weight !== null } };
  }

  override forward(x: Tensor): Tensor {
    tensorArg('LayerNorm', 'x', x);
    const k = this.normalizedShape.length, lead = x.rank - k;
    if (lead < 0 || this.normalizedShape.some((d, i) => x.shape[lead + i] !== d)) {
      throw new ShapeError(`LayerNorm: input ${fmtShape(x.shape)} does not end in normalizedShape ` +
        `${fmtShape(this.normalizedShape)}`);
    }
    const axes = this.normalizedShape.map((_, i) => lead + i);
    return scope(() => {
      const d = sub(x, mean(x, axes, true));
      const variance = mean(mul(d, d), axes, true);
      const y = div(d, sqrt(add(variance, this.eps)));
      if (!this.weight || !this.bias) return y;
      return add(mul(y, this.weight), this.bias);
    });
  }
}
