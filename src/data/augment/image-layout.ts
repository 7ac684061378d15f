// imageLayout: how an image augmentation reads a batch — n samples of c planes of h×w, contiguous.
// Accepts [n, h, w], [n, c, h, w], or any [n, …] whose per-sample size is the product of the
// `images` option ([h, w] or [c, h, w]), e.g. flattened [n, h·w] digits with images: [8, 8].
import type { Tensor } from '../../tensor.js';
import { ShapeError, fmtShape, OptionError } from '../../errors.js';

export interface ImageLayout { n: number; c: number; h: number; w: number }

/** Options every image augmentation takes. */
export interface ImageOptions {
  /** Image size [h, w] or [c, h, w] when x is flattened; default: from x's shape. */
  images?: readonly number[];
  /** Seed of this transform's own random stream; default: the global stream. */
  seed?: number;
}

export function imageLayout(name: string, x: Tensor, images?: readonly number[]): ImageLayout {
  const n = x.shape[0] ?? 0, per = n > 0 ? x.size / n : x.shape.slice(1).reduce((a, b) => a * b, 1);
  let dims: readonly number[];
  if (images) {
    if ((images.length !== 2 && images.length !== 3) || images.some((d) => !Number.isInteger(d) || d < 1)) {
      throw new OptionError(`${name}: images must be [h, w] or [c, h, w] of positive integers, got [${images.join(', ')}]`);
    }
    dims = images;
  } else if (x.rank === 3 || x.rank === 4) {
    dims = x.shape.slice(1);
  } else {
    throw new ShapeError(`${name}: x of shape ${fmtShape(x.shape)} is not [n, h, w] or [n, c, h, w]; ` +
      'pass images: [h, w] for flattened images');
  }
  const [c, h, w] = dims.length === 3 ? dims as [number, number, number] : [1, dims[0]!, dims[1]!];
  if (x.rank < 1 || c * h * w !== per) {
    throw new ShapeError(`${name}: x of shape ${fmtShape(x.shape)} does not hold images of ` +
      `[${dims.join(', ')}] (${c * h * w} values per sample)`);
  }
  return { n, c, h, w };
}
