// Activation modules (torch.nn.ReLU, LeakyReLU, GELU, SiLU, Tanh, Sigmoid, Softmax): stateless
// wrappers over the differentiable ops in ops/activation.ts, for use inside Sequential.
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { gelu, leakyRelu, relu, sigmoid, silu, softmax, tanh } from '../ops/activation.js';
import { checkNumber } from '../check-option.js';
import { OptionError } from '../errors.js';
import type { ModuleConfig } from './module-repr.js';

/** max(x, 0). @example new sg.nn.Sequential(new sg.nn.Linear(4, 8), new sg.nn.ReLU()) */
export class ReLU extends Module {
  override forward(x: Tensor): Tensor { return relu(x); }
}

/** x > 0 ? x : negativeSlope·x. @example new sg.nn.LeakyReLU(0.2).forward(x) */
export class LeakyReLU extends Module {
  static override reprKeywords = true;
  constructor(readonly negativeSlope = 0.01) {
    super();
    checkNumber('LeakyReLU', 'negativeSlope', negativeSlope);
  }
  override config(): ModuleConfig { return { args: { negativeSlope: this.negativeSlope } }; }
  override forward(x: Tensor): Tensor { return leakyRelu(x, this.negativeSlope); }
}

/** GELU, exact erf form (PyTorch's default approximate='none'). @example new sg.nn.GELU().forward(x) */
export class GELU extends Module {
  override forward(x: Tensor): Tensor { return gelu(x); }
}

/** x·sigmoid(x). @example new sg.nn.SiLU().forward(x) */
export class SiLU extends Module {
  override forward(x: Tensor): Tensor { return silu(x); }
}

/** tanh(x). @example new sg.nn.Tanh().forward(x) */
export class Tanh extends Module {
  override forward(x: Tensor): Tensor { return tanh(x); }
}

/** 1 / (1 + e^−x). @example new sg.nn.Sigmoid().forward(x) */
export class Sigmoid extends Module {
  override forward(x: Tensor): Tensor { return sigmoid(x); }
}

/** Softmax along `dim` (default −1, the last). @example new sg.nn.Softmax(1).forward(logits) */
export class Softmax extends Module {
  static override reprKeywords = true;
  constructor(readonly dim = -1) {
    super();
    if (!Number.isInteger(dim)) throw new OptionError(`Softmax: dim must be an integer, got ${dim}`);
  }
  override config(): ModuleConfig { return { args: { dim: this.dim } }; }
  override forward(x: Tensor): Tensor { return softmax(x, this.dim); }
}
