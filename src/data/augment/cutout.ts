// Cutout (DeVries & Taylor, 2017): per sample, with probability p, a size×size box at a uniform
// random centre (clipped at the borders) is set to `fill` in every channel — one broadcast
// strided-copy kernel call per box, inside the heap. Returns a new tensor (no gradient).
import { Tensor } from '../../tensor.js';
import { checkNumber } from '../../check-option.js';
import { RandomSource } from './random-source.js';
import { imageLayout, type ImageOptions } from './image-layout.js';
import { augmentInto } from './augment-into.js';
import type { Transform } from './compose.js';
import { OptionError } from '../../errors.js';

export interface CutoutOptions extends ImageOptions {
  /** Side of the box, or [height, width]. */
  size?: number | readonly [number, number];
  fill?: number;
  /** Probability that a sample gets a box. */
  p?: number;
}

/**
 * Blanks a random box in each image.
 * @example sg.data.augment.cutout({ images: [8, 8], size: 3, seed: 5 })
 */
export function cutout(opts: CutoutOptions = {}): Transform {
  const { size = 4, fill = 0, p = 1 } = opts;
  const [bh, bw] = typeof size === 'number' ? [size, size] : size;
  if (!Number.isInteger(bh) || !Number.isInteger(bw) || bh < 0 || bw < 0) {
    throw new OptionError(`cutout: size must be integers ≥ 0, got ${String(size)}`);
  }
  checkNumber('cutout', 'p', p, { min: 0, max: 1 });
  const rng = new RandomSource(opts.seed);
  return (x: Tensor) => {
    const { n, c, h, w } = imageLayout('cutout', x, opts.images);
    return augmentInto(x, x.shape, (out, src) => {
      const k = x.backend.kernels, value = Tensor.empty([1], x.backend);
      try {
        k.fill_f32(value.ptr, 1, fill);
        k.copy_strided_f32(out.ptr, src.ptr, 1, 1, 1, x.size, 0, 0, 0, 1, 0, 0, 0, 1);
        const u = rng.uniforms(3 * n), plane = h * w;
        for (let i = 0; i < n; i++) {
          if (!(u[3 * i]! < p)) continue;
          const cy = Math.floor(u[3 * i + 1]! * h), cx = Math.floor(u[3 * i + 2]! * w);
          const r0 = Math.max(0, cy - (bh >> 1)), r1 = Math.min(h, cy - (bh >> 1) + bh);
          const s0 = Math.max(0, cx - (bw >> 1)), s1 = Math.min(w, cx - (bw >> 1) + bw);
          if (r1 <= r0 || s1 <= s0) continue;
          k.copy_strided_f32(out.ptr + 4 * (i * c * plane + r0 * w + s0), value.ptr, 1, c, r1 - r0, s1 - s0,
            0, plane, w, 1, 0, 0, 0, 0);
        }
      } finally {
        value.dispose();
      }
    });
  };
}
