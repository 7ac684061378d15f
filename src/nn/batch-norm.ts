// BatchNorm1d (torch.nn.BatchNorm1d) for [N, C] or [N, C, L] input. Training mode (or without
// running stats) normalises with the batch statistics (biased variance) and updates the running
// ones: running = (1 − momentum)·running + momentum·batch, with the UNBIASED variance for
// running_var, as PyTorch; momentum null means a cumulative average. Eval mode uses the running
// statistics. Buffers carry PyTorch's state-dict names: running_mean, running_var,
// num_batches_tracked (an f32 scalar here).
import { wordIndex } from '../memory.js';
import { Tensor, tensorArg } from '../tensor.js';
import { Module } from './module.js';
import { buffer, param, type Buffer, type Parameter } from './parameter.js';
import { ShapeError, fmtShape, OptionError } from '../errors.js';
import { add, div, mul, sqrt, sub } from '../ops/elementwise.js';
import { mean } from '../ops/reduce.js';
import { scope } from '../scope.js';
import { full } from '../ops/create.js';
import { noGrad } from '../autograd.js';
import { checkInt, checkNumber } from '../check-option.js';
import type { ModuleConfig } from './module-repr.js';

export interface BatchNormOptions {
  eps?: number;
  /** Weight of the new batch in the running averages (default 0.1); null: cumulative average. */
  momentum?: number | null;
  /** Learn a per-channel weight and bias (default true). */
  affine?: boolean;
  /** Keep running statistics for eval mode (default true). */
  trackRunningStats?: boolean;
}

/**
 * Batch normalisation over the batch (and length) dims, per channel.
 * @example
 * const bn = new sg.nn.BatchNorm1d(16);
 * bn.forward(x);          // x: [N, 16]; updates bn.running_mean / running_var
 * bn.eval().forward(x);   // normalises with the running statistics
 */
export class BatchNorm1d extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  weight: Parameter | null;
  bias: Parameter | null;
  running_mean: Buffer | null;
  running_var: Buffer | null;
  num_batches_tracked: Buffer | null;

  constructor(numFeatures: number, { eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true }: BatchNormOptions = {}) {
    super();
    checkInt('BatchNorm1d', 'numFeatures', numFeatures, 1);
    checkNumber('BatchNorm1d', 'eps', eps, { min: 0 });
    if (momentum !== null && !(momentum >= 0 && momentum <= 1)) {
      throw new OptionError(`BatchNorm1d: momentum must be in [0, 1] or null, got ${momentum}`);
    }
    this.numFeatures = numFeatures;
    this.eps = eps;
    this.momentum = momentum;
    this.weight = affine ? param(() => full([numFeatures], 1)) : null;
    this.bias = affine ? param(() => full([numFeatures], 0)) : null;
    this.running_mean = trackRunningStats ? buffer(() => full([numFeatures], 0)) : null;
    this.running_var = trackRunningStats ? buffer(() => full([numFeatures], 1)) : null;
    this.num_batches_tracked = trackRunningStats ? buffer(() => full([], 0)) : null;
  }

  override config(): ModuleConfig {
    return {
      args: { numFeatures: this.numFeatures },
      options: { eps: this.eps, momentum: this.momentum, affine: this.weight !== null, trackRunningStats: this.running_mean !== null },
    };
  }

  override forward(x: Tensor): Tensor {
    tensorArg('BatchNorm1d', 'x', x);
    const c = this.numFeatures;
    if ((x.rank !== 2 && x.rank !== 3) || x.shape[1] !== c) {
      throw new ShapeError(`BatchNorm1d(${c}): expected input [N, ${c}] or [N, ${c}, L], got ${fmtShape(x.shape)}`);
    }
    const axes = x.rank === 2 ? [0] : [0, 2];
    const statShape = x.rank === 2 ? [c] : [c, 1];
    const useBatch = this.training || !this.running_mean;
    const count = x.size / c;
    if (useBatch && this.training && count <= 1) {
      throw new ShapeError(`BatchNorm1d: expected more than 1 value per channel when training, got input ${fmtShape(x.shape)}`);
    }
    return scope(() => {
      const asStat = (t: Tensor): Tensor => (statShape.length === 1 ? t : t.reshape(statShape));
      let y: Tensor;
      if (useBatch) {
        const mu = mean(x, axes, true);
        const d = sub(x, mu);
        const variance = mean(mul(d, d), axes, true);
        y = div(d, sqrt(add(variance, this.eps)));
        if (this.training && this.running_mean) this.updateRunning(mu, variance, count);
      } else {
        y = div(sub(x, asStat(this.running_mean!)), sqrt(add(asStat(this.running_var!), this.eps)));
      }
      if (!this.weight || !this.bias) return y;
      return add(mul(y, asStat(this.weight)), asStat(this.bias));
    });
  }

  /** running ← (1 − m)·running + m·batch (unbiased variance), in place, in JS over C values. */
  private updateRunning(mu: Tensor, variance: Tensor, count: number): void {
    noGrad(() => {
      const bm = mu.toArray(), bv = variance.toArray(), unbias = count / (count - 1);
      const nbt = this.num_batches_tracked!, f = nbt.backend.heap.f32;
      const n = f[wordIndex(nbt.ptr)]! + 1;
      f[wordIndex(nbt.ptr)] = n;
      const m = this.momentum ?? 1 / n;
      const rm = wordIndex(this.running_mean!.ptr), rv = wordIndex(this.running_var!.ptr);
      for (let i = 0; i < this.numFeatures; i++) {
        f[rm + i] = (1 - m) * f[rm + i]! + m * bm[i]!;
        f[rv + i] = (1 - m) * f[rv + i]! + m * bv[i]! * unbias;
      }
    });
  }
}
