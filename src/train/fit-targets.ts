// fitTargets: the `y` that fit() and evaluate() train or score against, checked against the loss.
// Contract: with loss 'mse', any array of finite numbers (what readCsv returns as a target: a
// Float32Array, or an Int32Array when every value is an integer; a number[]) becomes a NEW
// [n, 1] tensor (one output per row) the caller owns, and a target tensor is taken as it is; a
// NaN or infinite target is a DTypeError naming its index. With the default loss
// ('crossEntropy', class indices), a fractional value, a target tensor of rank > 1 or one holding
// fractions is a DTypeError that suggests loss: 'mse'. A custom loss function gets class indices
// or a tensor as before (data-loader's checkTargets).
import { Tensor } from '../tensor.js';
import { tensor } from '../ops/create.js';
import { DTypeError, describeValue, fmtShape } from '../errors.js';
import { checkTargets, type Targets } from '../data/data-loader.js';

/** The loss option of fit/evaluate, as far as target checking needs it. */
export type LossOption = 'crossEntropy' | 'mse' | ((pred: Tensor, y: Targets) => Tensor) | undefined;

const SUGGEST = "; for real-valued targets (regression) pass loss: 'mse'";

/** Targets for `loss`, and whether they are a new tensor (the caller disposes it). */
export function fitTargets(who: string, y: unknown, loss: LossOption): { y: Targets; owned: boolean } {
  if (loss === 'mse') {
    if (y instanceof Tensor) return { y: y.check(), owned: false };
    if (Array.isArray(y) || (ArrayBuffer.isView(y) && !(y instanceof DataView))) {
      const a = y as ArrayLike<unknown>, out = new Float32Array(a.length);
      for (let i = 0; i < a.length; i++) {
        const v = a[i];
        if (typeof v !== 'number' || !Number.isFinite(v)) throw new DTypeError(`${who}: y[${i}] is ${describeValue(v)}, not a finite target value`);
        out[i] = v;
      }
      return { y: tensor(out, [a.length, 1]), owned: true };
    }
    throw new DTypeError(`${who}: y must be a Tensor or an array of numbers for loss 'mse', got ${describeValue(y)}`);
  }
  if (loss === undefined || loss === 'crossEntropy') {
    if (y instanceof Tensor) {
      y.check();
      if (y.rank > 1) throw new DTypeError(`${who}: y is a tensor of shape ${fmtShape(y.shape)}, but the default loss 'crossEntropy' takes class indices${SUGGEST}`);
      const v = y.toArray(), i = v.findIndex((x) => !Number.isInteger(x));
      if (i >= 0) throw new DTypeError(`${who}: y[${i}] is ${describeValue(v[i])}, not a class index${SUGGEST}`);
      return { y, owned: false };
    }
    if (Array.isArray(y) || (ArrayBuffer.isView(y) && !(y instanceof DataView))) {
      const a = y as ArrayLike<unknown>;
      for (let i = 0; i < a.length; i++) {
        const v = a[i];
        if (typeof v === 'number' && Number.isFinite(v) && !Number.isInteger(v)) throw new DTypeError(`${who}: y[${i}] is ${describeValue(v)}, not a class index${SUGGEST}`);
      }
    }
  }
  return { y: checkTargets(who, y), owned: false };
}
