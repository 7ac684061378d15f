// Small random rotations about the image centre, angle uniform in [−degrees, degrees] per sample,
// bilinear (default) or nearest sampling, zero (fill) outside the source. There is no kernel for
// it: the loop runs in JS directly on the heap's Float32Array view, so the data stays in linear
// memory. Returns a new tensor (no gradient); x is untouched.
import { wordIndex } from '../../memory.js';
import type { Tensor } from '../../tensor.js';
import { checkChoice, checkNumber } from '../../check-option.js';
import { RandomSource } from './random-source.js';
import { imageLayout, type ImageOptions } from './image-layout.js';
import { augmentInto } from './augment-into.js';
import type { Transform } from './compose.js';

export interface RandomRotationOptions extends ImageOptions {
  /** Largest angle in degrees (either direction). */
  degrees?: number;
  mode?: 'bilinear' | 'nearest';
  fill?: number;
  /** Probability that a sample is rotated. */
  p?: number;
}

/**
 * torchvision's RandomRotation(degrees) per sample (counter-clockwise for positive angles).
 * @example sg.data.augment.randomRotation({ images: [8, 8], degrees: 10, seed: 4 })
 */
export function randomRotation(opts: RandomRotationOptions = {}): Transform {
  const { degrees = 10, mode = 'bilinear', fill = 0, p = 1 } = opts;
  checkNumber('randomRotation', 'degrees', degrees, { min: 0, max: 180 });
  checkChoice('randomRotation', 'mode', mode, ['bilinear', 'nearest']);
  checkNumber('randomRotation', 'p', p, { min: 0, max: 1 });
  const rng = new RandomSource(opts.seed);
  return (x: Tensor) => {
    const { n, c, h, w } = imageLayout('randomRotation', x, opts.images);
    return augmentInto(x, x.shape, (out, src) => {
      const u = rng.uniforms(2 * n), plane = h * w, cy = (h - 1) / 2, cx = (w - 1) / 2;
      const f = x.backend.heap.f32;                    // read after every allocation above
      const o0 = wordIndex(out.ptr), x0 = wordIndex(src.ptr);
      const at = (base: number, r: number, s: number) =>
        r >= 0 && r < h && s >= 0 && s < w ? f[base + r * w + s]! : fill;
      for (let i = 0; i < n; i++) {
        const theta = u[2 * i]! < p ? (2 * u[2 * i + 1]! - 1) * degrees * Math.PI / 180 : 0;
        const cos = Math.cos(theta), sin = Math.sin(theta);
        for (let ch = 0; ch < c; ch++) {
          const ob = o0 + (i * c + ch) * plane, xb = x0 + (i * c + ch) * plane;
          for (let r = 0; r < h; r++) {
            for (let s = 0; s < w; s++) {
              // inverse map: the source point that lands on (r, s); θ > 0 turns the image counter-clockwise
              const dy = r - cy, dx = s - cx;
              const sy = cy + cos * dy + sin * dx, sx = cx - sin * dy + cos * dx;
              let v: number;
              if (mode === 'nearest') v = at(xb, Math.round(sy), Math.round(sx));
              else {
                const y0 = Math.floor(sy), x1 = Math.floor(sx), fy = sy - y0, fx = sx - x1;
                v = (1 - fy) * ((1 - fx) * at(xb, y0, x1) + fx * at(xb, y0, x1 + 1)) +
                  fy * ((1 - fx) * at(xb, y0 + 1, x1) + fx * at(xb, y0 + 1, x1 + 1));
              }
              f[ob + r * w + s] = v;
            }
          }
        }
      }
    });
  };
}
