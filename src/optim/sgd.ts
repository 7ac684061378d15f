// SGD: stochastic gradient descent with momentum, dampening, Nesterov momentum and L2 weight
// decay — torch.optim.SGD's update and defaults (a parameter's momentum buffer starts as its
// first gradient, also when it takes its first step late, unfrozen), one fused sgd_f32 call per
// group per step. One departure: a parameter that sat out the step which first turned momentum
// on, after earlier steps without momentum, starts its buffer at (1 − dampening)·d (PyTorch: d).
import { Optimizer, withDefaults, type ParamGroup, type ParamsInput, type UpdateRange } from './optimizer.js';
import { checkNumber } from '../check-option.js';
import { OptionError } from '../errors.js';

export interface SGDOptions {
  /** Learning rate (default 1e-3, as PyTorch ≥ 2.2; 1.x required it). */
  lr: number;
  /** Momentum factor (default 0: none). */
  momentum: number;
  /** Dampening for momentum (default 0). */
  dampening: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0). */
  nesterov: boolean;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
}

const DEFAULTS: SGDOptions = { lr: 1e-3, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 };

/**
 * Stochastic gradient descent (torch.optim.SGD).
 * @example
 * const opt = new sg.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9, nesterov: true });
 * loss.backward(); opt.step(); opt.zeroGrad();
 */
export class SGD extends Optimizer<SGDOptions> {
  /** The step that made each group's momentum buffer. */
  private readonly madeAt: number[] = [];

  constructor(params: ParamsInput<SGDOptions>, options: Partial<SGDOptions> = {}) {
    super(params, withDefaults(DEFAULTS, options));
  }

  protected validate(g: ParamGroup<SGDOptions>, i: number): void {
    const o = `SGD group ${i}`;
    checkNumber(o, 'momentum', g.momentum, { min: 0 });
    checkNumber(o, 'dampening', g.dampening);
    checkNumber(o, 'weightDecay', g.weightDecay, { min: 0 });
    if (g.nesterov && (g.momentum <= 0 || g.dampening !== 0)) {
      throw new OptionError(`${o}: nesterov momentum requires momentum > 0 and dampening 0, got momentum ${g.momentum}, dampening ${g.dampening}`);
    }
  }

  protected update(g: ParamGroup<SGDOptions>, i: number, r: UpdateRange): void {
    const { data, grad } = g.block, at = r.offset * 4;
    let buf = 0, first = 0;
    if (g.momentum !== 0) {
      const b = this.buffer(i, 'momentumBuffer');
      if (b.created) this.madeAt[i] = this.stepCount;
      buf = b.t.ptr + at;
      // a parameter's first update, or the step that made the buffer, starts its buffer at d
      first = r.t === 1 || this.madeAt[i] === this.stepCount ? 1 : 0;
    }
    data.backend.kernels.sgd_f32(data.ptr + at, grad.ptr + at, buf, r.size, g.lr, g.weightDecay, g.momentum,
      1 - g.dampening, g.nesterov ? 1 : 0, first);
  }
}
