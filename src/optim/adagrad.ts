// Adagrad: torch.optim.Adagrad — per-element sum of squared gradients (starting at
// initialAccumulatorValue), learning-rate decay clr = lr/(1 + (t−1)·lrDecay), L2 weight decay,
// PyTorch's defaults; one fused adagrad_f32 call per group per step.
import { Optimizer, withDefaults, type ParamGroup, type ParamsInput, type UpdateRange } from './optimizer.js';
import { checkNumber } from '../check-option.js';

export interface AdagradOptions {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** Learning-rate decay per step (default 0). */
  lrDecay: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Starting value of the squared-gradient sums (default 0). */
  initialAccumulatorValue: number;
  /** Added to the denominator (default 1e-10). */
  eps: number;
}

const DEFAULTS: AdagradOptions = { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10 };

/**
 * Adagrad (torch.optim.Adagrad).
 * @example const opt = new sg.optim.Adagrad(model.parameters(), { lr: 0.1, lrDecay: 1e-3 });
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: ParamsInput<AdagradOptions>, options: Partial<AdagradOptions> = {}) {
    super(params, withDefaults(DEFAULTS, options));
  }

  protected validate(g: ParamGroup<AdagradOptions>, i: number): void {
    const o = `Adagrad group ${i}`;
    checkNumber(o, 'lrDecay', g.lrDecay, { min: 0 });
    checkNumber(o, 'weightDecay', g.weightDecay, { min: 0 });
    checkNumber(o, 'initialAccumulatorValue', g.initialAccumulatorValue, { min: 0 });
    checkNumber(o, 'eps', g.eps, { min: 0 });
  }

  protected update(g: ParamGroup<AdagradOptions>, i: number, { offset, size, t }: UpdateRange): void {
    const { data, grad } = g.block, at = offset * 4;
    const sum = this.buffer(i, 'sum', g.initialAccumulatorValue).t;
    data.backend.kernels.adagrad_f32(data.ptr + at, grad.ptr + at, sum.ptr + at, size,
      g.lr / (1 + (t - 1) * g.lrDecay), g.weightDecay, g.eps);
  }
}
