// Batch normalisation, PyTorch's F.batch_norm over x [N, C, …] per channel, as ONE autograd node:
// the fused statistics, normalisation and backward kernels (assembly/batch-norm.ts). In training
// the batch's mean and biased variance normalise x, and running statistics (if given) move by
// momentum towards the batch's mean and UNBIASED variance, in place; otherwise the running
// statistics normalise. Per-channel scalars (invstd, running updates) are computed here in f64.
import { Tensor } from '../tensor.js';
import { wordIndex } from '../memory.js';
import { ShapeError, fmtShape } from '../errors.js';
import { needsGrad, record } from '../autograd.js';
import { dense } from './elementwise.js';

export interface BatchNormFnOptions {
  /** Normalise with the batch statistics and update the running ones (default false, as PyTorch). */
  training?: boolean;
  /** Weight of the batch in the running statistics (default 0.1). */
  momentum?: number;
  eps?: number;
}

/**
 * Normalises x [N, C, …] per channel: (x − mean)/√(var + eps)·weight + bias.
 * @example
 * const y = sg.nn.functional.batchNorm(x, runningMean, runningVar, gamma, beta, { training: true });
 */
export function batchNorm(
  x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, weight: Tensor | null = null, bias: Tensor | null = null,
  { training = false, momentum = 0.1, eps = 1e-5 }: BatchNormFnOptions = {},
): Tensor {
  x.check();
  if (x.rank < 2) throw new ShapeError(`batchNorm: input must be [N, C, …], got ${fmtShape(x.shape)}`);
  const n = x.shape[0]!, c = x.shape[1]!, hw = x.size / Math.max(1, n * c);
  for (const [what, t] of [['runningMean', runningMean], ['runningVar', runningVar], ['weight', weight], ['bias', bias]] as const) {
    if (t && (t.check().rank !== 1 || t.shape[0] !== c || !t.isContiguous)) {
      throw new ShapeError(`batchNorm: ${what} must be a contiguous [${c}] for input ${fmtShape(x.shape)}, got ${fmtShape(t.shape)}`);
    }
  }
  if (!training && !(runningMean && runningVar)) throw new ShapeError('batchNorm: evaluation needs runningMean and runningVar');
  const count = n * hw;
  if (training && count <= 1) {
    throw new ShapeError(`batchNorm: expected more than 1 value per channel when training, got input ${fmtShape(x.shape)}`);
  }
  const be = x.backend, K = be.kernels, f = () => be.heap.f32;
  const xs = dense(x), mean = Tensor.empty([c], be), invstd = Tensor.empty([c], be);
  try {
    if (training) {
      K.batch_norm_stats_f32(mean.ptr, invstd.ptr, xs.ptr, n, c, hw); // invstd holds the variance first
      const m = wordIndex(mean.ptr), v = wordIndex(invstd.ptr), h = f();
      for (let i = 0; i < c; i++) {
        const variance = h[v + i]!;
        if (runningMean && runningVar) {
          const rm = wordIndex(runningMean.ptr), rv = wordIndex(runningVar.ptr);
          h[rm + i] = (1 - momentum) * h[rm + i]! + momentum * h[m + i]!;
          h[rv + i] = (1 - momentum) * h[rv + i]! + momentum * variance * count / (count - 1);
        }
        h[v + i] = 1 / Math.sqrt(variance + eps);
      }
    } else {
      const h = f();
      h.set(h.subarray(wordIndex(runningMean!.ptr), wordIndex(runningMean!.ptr) + c), wordIndex(mean.ptr));
      for (let i = 0; i < c; i++) h[wordIndex(invstd.ptr) + i] = 1 / Math.sqrt(h[wordIndex(runningVar!.ptr) + i]! + eps);
    }
    const y = Tensor.empty(x.shape, be);
    K.batch_norm_f32(y.ptr, xs.ptr, mean.ptr, invstd.ptr, weight ? weight.ptr : 0, bias ? bias.ptr : 0, n, c, hw);
    if (!needsGrad(x, weight, bias)) return y;
    const inputs = [x, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
    return record('batchNorm', y, inputs, [xs, mean, invstd, ...(weight ? [weight] : [])], (g, grads, [sx, sm, si, sw]) => {
      const gx = grads[0], gw = weight ? grads[1] : null, gb = bias ? grads[inputs.length - 1] : null;
      const gd = dense(g);
      try {
        K.batch_norm_backward_f32(gx ? gx.ptr : 0, gw ? gw.ptr : 0, gb ? gb.ptr : 0, sx!.ptr, gd.ptr, sm!.ptr, si!.ptr,
          sw ? sw.ptr : 0, n, c, hw, training ? 1 : 0);
      } finally {
        if (gd !== g) gd.dispose();
      }
    });
  } finally {
    if (xs !== x) xs.dispose();
    mean.dispose(); invstd.dispose();
  }
}
