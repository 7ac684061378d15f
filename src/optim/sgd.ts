// SGD: stochastic gradient descent with momentum, dampening, Nesterov momentum and L2 weight
// decay — torch.optim.SGD's update and defaults (the momentum buffer starts as the first
// gradient), one fused sgd_f32 call per group per step.
import { Optimizer, withDefaults, type ParamGroup, type ParamsInput, type UpdateRange } from './optimizer.js';
import { checkNumber } from '../check-option.js';

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
  /** counts(i, 'momentumSteps') of each group. */
  private readonly taken: number[][];

  constructor(params: ParamsInput<SGDOptions>, options: Partial<SGDOptions> = {}) {
    super(params, withDefaults(DEFAULTS, options));
    // updates each parameter took with momentum: 0 means it has no momentum buffer yet (PyTorch's
    // None), so its first one starts the buffer at d
    this.taken = this.paramGroups.map((_, i) => this.counts(i, 'momentumSteps'));
  }

  protected validate(g: ParamGroup<SGDOptions>, i: number): void {
    const o = `SGD group ${i}`;
    checkNumber(o, 'momentum', g.momentum, { min: 0 });
    checkNumber(o, 'dampening', g.dampening);
    checkNumber(o, 'weightDecay', g.weightDecay, { min: 0 });
    if (g.nesterov && (g.momentum <= 0 || g.dampening !== 0)) {
      throw new RangeError(`${o}: nesterov momentum requires momentum > 0 and dampening 0, got momentum ${g.momentum}, dampening ${g.dampening}`);
    }
  }

  protected override rangeKey(i: number, j: number): number {
    return this.paramGroups[i]!.momentum !== 0 && this.taken[i]![j]! > 0 ? 1 : 0;
  }

  protected update(g: ParamGroup<SGDOptions>, i: number, r: UpdateRange): void {
    const { data, grad } = g.block, at = r.offset * 4;
    let buf = 0, first = 0;
    if (g.momentum !== 0) {
      const b = this.buffer(i, 'momentumBuffer'), taken = this.taken[i]!;
      if (b.created) taken.fill(0); // a fresh buffer: no parameter has one yet
      buf = b.t.ptr + at;
      first = taken[r.first] === 0 ? 1 : 0;
      for (let j = r.first; j <= r.last; j++) taken[j]!++;
    }
    data.backend.kernels.sgd_f32(data.ptr + at, grad.ptr + at, buf, r.size, g.lr, g.weightDecay, g.momentum,
      1 - g.dampening, g.nesterov ? 1 : 0, first);
  }
}
