// Random crop with zero padding, and random shift (a crop of the original size: every sample moves
// by up to `max` pixels in each direction, the uncovered border filled). Per sample the offsets
// are uniform integers; one strided-copy kernel call per sample moves the kept window, inside the
// heap. Returns a new tensor (no gradient); x is untouched.
import type { Tensor } from '../../tensor.js';
import { checkInt, checkNumber } from '../../check-option.js';
import { RandomSource } from './random-source.js';
import { imageLayout, type ImageOptions } from './image-layout.js';
import { augmentInto } from './augment-into.js';
import type { Transform } from './compose.js';
import { OptionError } from '../../errors.js';

export interface RandomCropOptions extends ImageOptions {
  /** Output size [h, w]; default: the input size. */
  size?: readonly [number, number];
  /** Zero border added on every side before cropping (torchvision's padding). */
  padding?: number;
  /** Value of the padding. */
  fill?: number;
  /** Probability that a sample is cropped at a random offset (else the centred crop). */
  p?: number;
}

/**
 * torchvision's RandomCrop(size, padding) per sample. Output shape: x's shape when size is the
 * input size, else [n, (c,) h', w'] (or [n, c·h'·w'] for flattened input).
 * @example
 * const crop = sg.data.augment.randomCrop({ images: [8, 8], padding: 1, seed: 1 });
 * const xb = crop(batch);                  // same shape, content moved by up to 1 pixel
 */
export function randomCrop(opts: RandomCropOptions = {}): Transform {
  const { padding = 0, fill = 0, p = 1 } = opts;
  checkInt('randomCrop', 'padding', padding, 0);
  checkNumber('randomCrop', 'p', p, { min: 0, max: 1 });
  const rng = new RandomSource(opts.seed);
  return (x: Tensor) => {
    const { n, c, h, w } = imageLayout('randomCrop', x, opts.images);
    const [ch, cw] = opts.size ?? [h, w];
    if (!Number.isInteger(ch) || !Number.isInteger(cw) || ch < 1 || cw < 1 || ch > h + 2 * padding || cw > w + 2 * padding) {
      throw new OptionError(`randomCrop: size [${ch}, ${cw}] does not fit images [${h}, ${w}] with padding ${padding}`);
    }
    const same = ch === h && cw === w;
    const shape = same ? x.shape : x.rank >= 3 ? [n, ...(x.rank === 4 ? [c] : []), ch, cw] : [n, c * ch * cw];
    return augmentInto(x, shape, (out, src) => {
      const k = x.backend.kernels, ry = h + 2 * padding - ch, rx = w + 2 * padding - cw;
      k.fill_f32(out.ptr, out.size, fill);
      const u = rng.uniforms(3 * n);
      for (let i = 0; i < n; i++) {
        const moved = u[3 * i]! < p;
        const oy = moved ? Math.floor(u[3 * i + 1]! * (ry + 1)) : ry >> 1;
        const ox = moved ? Math.floor(u[3 * i + 2]! * (rx + 1)) : rx >> 1;
        // out[r, s] = x[r + oy − padding, s + ox − padding] where that is inside the image
        const r0 = Math.max(0, padding - oy), r1 = Math.min(ch, h + padding - oy);
        const s0 = Math.max(0, padding - ox), s1 = Math.min(cw, w + padding - ox);
        if (r1 <= r0 || s1 <= s0) continue;
        const o = out.ptr + 4 * (i * c * ch * cw + r0 * cw + s0);
        const xi = src.ptr + 4 * (i * c * h * w + (r0 + oy - padding) * w + (s0 + ox - padding));
        k.copy_strided_f32(o, xi, 1, c, r1 - r0, s1 - s0, 0, ch * cw, cw, 1, 0, h * w, w, 1);
      }
    });
  };
}

export interface RandomShiftOptions extends ImageOptions {
  /** Largest shift in pixels along each axis. */
  max?: number;
  fill?: number;
  p?: number;
}

/**
 * Moves each image by a uniform integer offset in [−max, max]² (a random crop of the original
 * size from the image padded by max).
 * @example sg.data.augment.randomShift({ images: [8, 8], max: 1 })
 */
export function randomShift(opts: RandomShiftOptions = {}): Transform {
  const { max = 2, ...rest } = opts;
  return randomCrop({ ...rest, padding: max });
}
