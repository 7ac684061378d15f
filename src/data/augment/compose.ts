// compose: chains augmentations into one. Each transform returns a new tensor; compose frees the
// intermediate results (never the caller's input), also when a transform throws, and returns the
// last. compose() with no transforms returns a contiguous copy, so the result is always new.
import type { Tensor } from '../../tensor.js';
import { contiguous } from '../../ops/shape.js';
import { noGrad } from '../../autograd.js';

/** An augmentation: a new tensor from a batch x (x is left untouched). */
export type Transform = (x: Tensor) => Tensor;

/**
 * Applies transforms left to right.
 * @example
 * const aug = sg.data.augment.compose(
 *   sg.data.augment.randomShift({ images: [8, 8], max: 1, seed: 1 }),
 *   sg.data.augment.gaussianNoise({ std: 0.05, seed: 2 }));
 * const xb = aug(batch);
 */
export function compose(...transforms: Transform[]): Transform {
  return (x: Tensor) => {
    if (transforms.length === 0) return noGrad(() => contiguous(x));
    let cur = x;
    for (const t of transforms) {
      let next: Tensor;
      try {
        next = t(cur);
      } catch (e) {
        if (cur !== x) cur.dispose();
        throw e;
      }
      if (cur !== x && next !== cur) cur.dispose();
      cur = next;
    }
    return cur;
  };
}
