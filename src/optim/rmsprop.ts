// RMSprop: torch.optim.RMSprop — running average of squared gradients (alpha), optional centered
// variance, momentum buffer and L2 weight decay, PyTorch's defaults; one fused rmsprop_f32 call
// per group per step.
import { Optimizer, withDefaults, type ParamGroup, type ParamsInput, type UpdateRange } from './optimizer.js';
import { checkNumber } from '../check-option.js';

export interface RMSpropOptions {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** Smoothing constant of the squared-gradient average (default 0.99). */
  alpha: number;
  /** Added to the denominator (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Momentum factor (default 0). */
  momentum: number;
  /** Normalise by the estimated variance instead of the raw second moment (default false). */
  centered: boolean;
}

const DEFAULTS: RMSpropOptions = { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false };

/**
 * RMSprop (torch.optim.RMSprop).
 * @example const opt = new sg.optim.RMSprop(model.parameters(), { lr: 1e-3, centered: true, momentum: 0.9 });
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: ParamsInput<RMSpropOptions>, options: Partial<RMSpropOptions> = {}) {
    super(params, withDefaults(DEFAULTS, options));
  }

  protected validate(g: ParamGroup<RMSpropOptions>, i: number): void {
    const o = `RMSprop group ${i}`;
    checkNumber(o, 'alpha', g.alpha, { min: 0 });
    checkNumber(o, 'eps', g.eps, { min: 0 });
    checkNumber(o, 'momentum', g.momentum, { min: 0 });
    checkNumber(o, 'weightDecay', g.weightDecay, { min: 0 });
  }

  protected update(g: ParamGroup<RMSpropOptions>, i: number, { offset, size }: UpdateRange): void {
    const { data, grad } = g.block, at = offset * 4;
    const sq = this.buffer(i, 'squareAvg').t;
    const ga = g.centered ? this.buffer(i, 'gradAvg').t.ptr + at : 0;
    const buf = g.momentum > 0 ? this.buffer(i, 'momentumBuffer').t.ptr + at : 0;
    data.backend.kernels.rmsprop_f32(data.ptr + at, grad.ptr + at, sq.ptr + at, ga, buf, size, g.lr, g.alpha,
      1 - g.alpha, g.eps, g.weightDecay, g.momentum);
  }
}
