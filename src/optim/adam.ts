// Adam and AdamW: torch.optim.Adam (L2 weight decay added to the gradient, amsgrad with a running
// max of the second moment) and torch.optim.AdamW (decoupled decay first), with PyTorch's defaults
// and bias corrections; one fused adam_f32 call per group per step.
//
// The update — stated here once; the kernels (assembly/optim.ts, src/backend/js/optim.ts) and
// the adam_f32 contract in src/backend/backend.ts implement and point to it. At step t (from 1),
// per element, in f32 with PyTorch's single-tensor operation order:
//   p  ← p·decay                        decay = 1 − lr·wd (AdamW), 1 (Adam)
//   g' = g + wd·p                       Adam only (the L2 term; weightDecay 0 passed for AdamW)
//   m  ← β1·m + (1 − β1)·g'
//   v  ← β2·v + (1 − β2)·g'·g'          flushed to 0 below 2⁻¹²⁶ (subnormals are slow on x86, and
//                                        the square root of one is far below eps)
//   v̂ = max(vmax, v), stored in vmax    amsgrad; else v̂ = v
//   p  ← p − stepSize·m / (√v̂ / bc2Sqrt + eps)
// with the step-dependent scalars computed here in f64, as PyTorch does:
//   stepSize = lr / (1 − β1ᵗ), bc2Sqrt = √(1 − β2ᵗ), and the complements 1 − β1, 1 − β2
// (1 − f32(0.999) is 1.3e-5 away from f32(1 − 0.999), enough to drift from PyTorch's runs). The
// kernels compute the last line as p + (−stepSize·bc2Sqrt)·m / (√v̂ + eps·bc2Sqrt): one division
// per element instead of two.
import { Optimizer, withDefaults, type ParamGroup, type ParamsInput, type UpdateRange } from './optimizer.js';
import { checkNumber } from '../check-option.js';
import { OptionError } from '../errors.js';

export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Decay rates of the first and second moment averages (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator (default 1e-8). */
  eps: number;
  /** Adam: L2 penalty added to the gradient (default 0); AdamW: decoupled decay (default 1e-2). */
  weightDecay: number;
  /** Use the running maximum of the second moment (AMSGrad; default false). */
  amsgrad: boolean;
}

const DEFAULTS: AdamOptions = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false };

/**
 * Adam (torch.optim.Adam).
 * @example
 * const opt = new sg.optim.Adam(model.parameters(), { lr: 3e-4, amsgrad: true });
 * loss.backward(); opt.step(); opt.zeroGrad();
 */
export class Adam extends Optimizer<AdamOptions> {
  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, withDefaults(DEFAULTS, options));
  }

  /** Whether weight decay is decoupled (AdamW). */
  protected get decoupled(): boolean { return false; }

  protected validate(g: ParamGroup<AdamOptions>, i: number): void {
    const o = `${this.constructor.name} group ${i}`;
    if (!Array.isArray(g.betas) || g.betas.length !== 2) throw new OptionError(`${o}: betas must be [beta1, beta2], got ${String(g.betas)}`);
    checkNumber(o, 'betas[0]', g.betas[0], { min: 0, lt: 1 });
    checkNumber(o, 'betas[1]', g.betas[1], { min: 0, lt: 1 });
    checkNumber(o, 'eps', g.eps, { min: 0 });
    checkNumber(o, 'weightDecay', g.weightDecay, { min: 0 });
  }

  protected update(g: ParamGroup<AdamOptions>, i: number, { offset, size, t }: UpdateRange): void {
    const { data, grad } = g.block, at = offset * 4;
    const b1 = g.betas[0], b2 = g.betas[1];
    const m = this.buffer(i, 'expAvg').t, v = this.buffer(i, 'expAvgSq').t;
    const vmax = g.amsgrad ? this.buffer(i, 'maxExpAvgSq').t.ptr + at : 0;
    const wd = g.weightDecay, dec = this.decoupled;
    data.backend.kernels.adam_f32(data.ptr + at, grad.ptr + at, m.ptr + at, v.ptr + at, vmax, size,
      g.lr / (1 - b1 ** t), b1, 1 - b1, b2, 1 - b2, g.eps, dec ? 0 : wd, Math.sqrt(1 - b2 ** t), dec ? 1 - g.lr * wd : 1);
  }
}

/**
 * AdamW: Adam with decoupled weight decay (torch.optim.AdamW; weightDecay defaults to 1e-2).
 * @example const opt = new sg.optim.AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.05 });
 */
export class AdamW extends Adam {
  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, withDefaults({ weightDecay: 1e-2 } as Partial<AdamOptions>, options));
  }

  protected override get decoupled(): boolean { return true; }
}
