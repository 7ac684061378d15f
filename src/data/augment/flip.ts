// Random horizontal (and vertical) flips. Each sample is flipped with probability p; a flipped
// sample is one strided-copy kernel call that reads its rows (or columns) backwards, inside the
// heap. Returns a new tensor (no gradient); x is untouched.
import type { Tensor } from '../../tensor.js';
import { checkNumber } from '../../check-option.js';
import { RandomSource } from './random-source.js';
import { imageLayout, type ImageOptions } from './image-layout.js';
import { augmentInto } from './augment-into.js';
import type { Transform } from './compose.js';

export interface FlipOptions extends ImageOptions {
  /** Probability that a sample is flipped. */
  p?: number;
}

function flip(name: string, vertical: boolean, opts: FlipOptions): Transform {
  const { p = 0.5 } = opts;
  checkNumber(name, 'p', p, { min: 0, max: 1 });
  const rng = new RandomSource(opts.seed);
  return (x: Tensor) => {
    const { n, c, h, w } = imageLayout(name, x, opts.images);
    return augmentInto(x, x.shape, (out, src) => {
      const k = x.backend.kernels, u = rng.uniforms(n), plane = h * w;
      for (let i = 0; i < n; i++) {
        const o = out.ptr + 4 * i * c * plane, s = src.ptr + 4 * i * c * plane;
        if (!(u[i]! < p)) k.copy_strided_f32(o, s, 1, 1, 1, c * plane, 0, 0, 0, 1, 0, 0, 0, 1);
        else if (vertical) k.copy_strided_f32(o, s + 4 * (h - 1) * w, 1, c, h, w, 0, plane, w, 1, 0, plane, -w, 1);
        else k.copy_strided_f32(o, s + 4 * (w - 1), 1, c, h, w, 0, plane, w, 1, 0, plane, w, -1);
      }
    });
  };
}

/**
 * Mirrors each image left–right with probability p (default 0.5), like torchvision's
 * RandomHorizontalFlip.
 * @example sg.data.augment.horizontalFlip({ images: [28, 28], seed: 3 })
 */
export const horizontalFlip = (opts: FlipOptions = {}): Transform => flip('horizontalFlip', false, opts);

/** Mirrors each image top–bottom with probability p (default 0.5). @example sg.data.augment.verticalFlip({ p: 1 }) */
export const verticalFlip = (opts: FlipOptions = {}): Transform => flip('verticalFlip', true, opts);
