// Gaussian noise for any features: x + N(0, std²) per element (rand_normal_f32 and add_f32
// kernels, inside the heap), optionally per sample with probability p and clipped to a range.
// Returns a new tensor (no gradient); x is untouched.
import type { Tensor } from '../../tensor.js';
import { ShapeError, fmtShape, OptionError } from '../../errors.js';
import { checkNumber } from '../../check-option.js';
import { RandomSource } from './random-source.js';
import { augmentInto } from './augment-into.js';
import type { Transform } from './compose.js';

export interface GaussianNoiseOptions {
  /** Standard deviation of the noise. */
  std?: number;
  mean?: number;
  /** Probability that a sample (row along the first dimension) gets noise. */
  p?: number;
  /** Clamp the result to [lo, hi] (e.g. the pixel range). */
  clip?: readonly [number, number];
  /** Seed of this transform's own random stream; default: the global stream. */
  seed?: number;
}

/**
 * Adds gaussian noise.
 * @example sg.data.augment.gaussianNoise({ std: 0.1, clip: [0, 1], seed: 7 })
 */
export function gaussianNoise(opts: GaussianNoiseOptions = {}): Transform {
  const { std = 0.1, mean = 0, p = 1, clip } = opts;
  checkNumber('gaussianNoise', 'std', std, { min: 0 });
  checkNumber('gaussianNoise', 'p', p, { min: 0, max: 1 });
  if (clip && !(clip[0] <= clip[1])) throw new OptionError(`gaussianNoise: clip [${clip.join(', ')}] is not a range`);
  const rng = new RandomSource(opts.seed);
  return (x: Tensor) => {
    if (x.rank < 1) throw new ShapeError(`gaussianNoise: x needs a sample dimension, got shape ${fmtShape(x.shape)}`);
    return augmentInto(x, x.shape, (out, src) => {
      const k = x.backend.kernels, n = x.shape[0]!, row = n > 0 ? x.size / n : 0;
      const d = rng.draw(x.size, 2);
      k.rand_normal_f32(out.ptr, x.size, d.seedLo, d.seedHi, d.offset, mean, std);
      if (p < 1) {
        const u = rng.uniforms(n);
        for (let i = 0; i < n; i++) if (!(u[i]! < p)) k.fill_f32(out.ptr + 4 * i * row, row, 0);
      }
      k.add_f32(out.ptr, out.ptr, src.ptr, 1, x.size, 0, 1, 0, 1);
      if (clip) k.clamp_f32(out.ptr, out.ptr, x.size, clip[0], clip[1]);
    });
  };
}
