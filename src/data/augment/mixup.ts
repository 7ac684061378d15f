// Mixup (Zhang et al., 2018) for any features: per batch, λ ~ Beta(α, α) and a random pairing of
// the samples; x' = λ·x + (1 − λ)·x[perm] (affine_f32 / add_f32 kernels, inside the heap), and the
// targets of both sides come back for the mixed loss λ·L(yA) + (1 − λ)·L(yB) (mixupLoss).
// Returns new tensors (no gradient); x and y are untouched.
import { Tensor } from '../../tensor.js';
import { dense } from '../../ops/elementwise.js';
import { noGrad } from '../../autograd.js';
import { ShapeError, fmtShape } from '../../errors.js';
import { checkNumber } from '../../check-option.js';
import { RandomSource } from './random-source.js';
import { gatherRows, gatherTargets, type Targets } from '../data-loader.js';

export interface MixupOptions {
  /** Beta(α, α) concentration; small α keeps λ near 0 or 1. */
  alpha?: number;
  /** Seed of this transform's own random stream; default: the global stream. */
  seed?: number;
}

export interface MixedBatch<Y extends Targets = Targets> {
  /** The mixed inputs. */
  x: Tensor;
  /** Targets of the samples themselves (y). */
  yA: Y;
  /** Targets of their partners (y[perm]). */
  yB: Y;
  /** Weight of yA. */
  lambda: number;
  /** Position of each sample's partner. */
  perm: Int32Array;
  /** Frees x (and yB if it is a tensor). */
  dispose(): void;
}

export type Mixup = <Y extends Targets>(x: Tensor, y: Y) => MixedBatch<Y>;

/**
 * Mixes every sample with a random partner of the same batch.
 * @example
 * const mix = sg.data.augment.mixup({ alpha: 0.2, seed: 1 });
 * const m = mix(batch.x, batch.y);
 * const loss = sg.data.augment.mixupLoss(sg.nn.functional.crossEntropy, model.forward(m.x), m);
 */
export function mixup(opts: MixupOptions = {}): Mixup {
  const { alpha = 0.2 } = opts;
  checkNumber('mixup', 'alpha', alpha, { gt: 0 });
  const rng = new RandomSource(opts.seed);
  return <Y extends Targets>(x: Tensor, y: Y): MixedBatch<Y> => noGrad(() => {
    const n = x.shape[0] ?? 0, rows = y instanceof Tensor ? y.shape[0] : y.length;
    if (x.rank < 1 || rows !== n) {
      throw new ShapeError(`mixup: x ${fmtShape(x.shape)} has ${n} samples but y has ${rows}`);
    }
    const lambda = rng.beta(alpha, alpha), perm = rng.permutation(n);
    const src = dense(x), k = x.backend.kernels;
    const out = Tensor.empty(x.shape, x.backend);
    let partner: Tensor | undefined, yB: Targets | undefined;
    try {
      partner = gatherRows(src, perm);
      k.affine_f32(out.ptr, src.ptr, x.size, lambda, 0);
      k.affine_f32(partner.ptr, partner.ptr, x.size, 1 - lambda, 0);
      k.add_f32(out.ptr, out.ptr, partner.ptr, 1, x.size, 0, 1, 0, 1);
      yB = gatherTargets(y, perm);
    } catch (e) {
      out.dispose();
      throw e;
    } finally {
      partner?.dispose();
      if (src !== x) src.dispose();
    }
    const b = yB;
    return { x: out, yA: y, yB: b as Y, lambda, perm, dispose: () => { out.dispose(); if (b instanceof Tensor) b.dispose(); } };
  });
}

/**
 * The mixup loss λ·loss(pred, yA) + (1 − λ)·loss(pred, yB) (a scalar tensor in the graph).
 * @example const loss = mixupLoss(sg.nn.functional.crossEntropy, logits, m); loss.backward();
 */
export function mixupLoss<Y extends Targets>(
  loss: (pred: Tensor, y: Y) => Tensor, pred: Tensor, m: Pick<MixedBatch<Y>, 'yA' | 'yB' | 'lambda'>,
): Tensor {
  return loss(pred, m.yA).mul(m.lambda).add(loss(pred, m.yB).mul(1 - m.lambda));
}
