// BatchNorm1d and BatchNorm2d (torch.nn.BatchNorm1d / BatchNorm2d) on [N, C] / [N, C, L] and
// [N, C, H, W] input, through sg.nn.functional.batchNorm (the fused kernels). Training mode (or
// no running stats) normalises with the batch statistics (biased variance) and updates the
// running ones: running = (1 − momentum)·running + momentum·batch, with the UNBIASED variance,
// as PyTorch; momentum null means a cumulative average (1 / num_batches_tracked). Eval mode uses
// the running statistics. Buffers carry PyTorch's state-dict names: running_mean, running_var,
// num_batches_tracked (an f32 scalar here).
import { wordIndex } from '../memory.js';
import { tensorArg, type Tensor } from '../tensor.js';
import { Module } from './module.js';
import { buffer, param, type Buffer, type Parameter } from './parameter.js';
import { ShapeError, fmtShape } from '../errors.js';
import { full } from '../ops/create.js';
import { batchNorm } from '../ops/batch-norm.js';
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

/** The parameters, buffers and forward shared by BatchNorm1d and BatchNorm2d. */
abstract class BatchNormNd extends Module {
  readonly eps: number;
  readonly momentum: number | null;
  weight: Parameter | null;
  bias: Parameter | null;
  running_mean: Buffer | null;
  running_var: Buffer | null;
  num_batches_tracked: Buffer | null;

  constructor(private readonly owner: string, private readonly ranks: readonly number[], private readonly expects: string, readonly numFeatures: number,
    { eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true }: BatchNormOptions) {
    super();
    checkInt(owner, 'numFeatures', numFeatures, 1);
    checkNumber(owner, 'eps', eps, { min: 0 });
    if (momentum !== null) checkNumber(owner, 'momentum', momentum, { min: 0, max: 1 });
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
    tensorArg(this.owner, 'x', x);
    const c = this.numFeatures;
    if (!this.ranks.includes(x.rank) || x.shape[1] !== c) {
      throw new ShapeError(`${this.owner}(${c}): expected input ${this.expects.replaceAll('C', String(c))}, got ${fmtShape(x.shape)}`);
    }
    const training = this.training || !this.running_mean;
    const nbt = this.training ? this.num_batches_tracked : null, f = x.backend.heap.f32;
    const batches = nbt ? f[wordIndex(nbt.ptr)]! + 1 : 0;
    const y = batchNorm(x, this.running_mean, this.running_var, this.weight, this.bias,
      { training, momentum: this.momentum ?? (batches > 0 ? 1 / batches : 0), eps: this.eps });
    if (nbt) nbt.backend.heap.f32[wordIndex(nbt.ptr)] = batches; // counted once the batch went through
    return y;
  }
}

/**
 * Batch normalisation of [N, C] or [N, C, L] per channel.
 * @example
 * const bn = new sg.nn.BatchNorm1d(16);
 * bn.forward(x);          // x: [N, 16]; updates bn.running_mean / running_var
 * bn.eval().forward(x);   // normalises with the running statistics
 */
export class BatchNorm1d extends BatchNormNd {
  constructor(numFeatures: number, opts: BatchNormOptions = {}) { super('BatchNorm1d', [2, 3], '[N, C] or [N, C, L]', numFeatures, opts); }
}

/**
 * Batch normalisation of [N, C, H, W] per channel.
 * @example
 * const bn = new sg.nn.BatchNorm2d(16);
 * bn.forward(images);     // [N, 16, H, W]
 */
export class BatchNorm2d extends BatchNormNd {
  constructor(numFeatures: number, opts: BatchNormOptions = {}) { super('BatchNorm2d', [4], '[N, C, H, W]', numFeatures, opts); }
}
