// augmentInto: how a batch augmentation makes its result. A new tensor of `shape` on x's backend
// is filled by write(out, src), where src is x made contiguous, without gradient; the contiguous
// copy (never x itself) is freed afterwards, and out as well when write throws.
import { Tensor } from '../../tensor.js';
import { dense } from '../../ops/elementwise.js';
import { noGrad } from '../../autograd.js';

/** A new tensor of `shape` written by write(out, src) from x's values; x is untouched. */
export function augmentInto(x: Tensor, shape: readonly number[], write: (out: Tensor, src: Tensor) => void): Tensor {
  return noGrad(() => {
    const out = Tensor.empty(shape, x.backend), src = dense(x);
    try {
      write(out, src);
    } catch (e) {
      out.dispose();
      throw e;
    } finally {
      if (src !== x) src.dispose();
    }
    return out;
  });
}
