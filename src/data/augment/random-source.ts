// RandomSource: where an augmentation draws its random numbers. With a seed it owns that seed's
// RandomStream (../../random.ts) and advances through it call after call (the same sequence of
// calls gives the same numbers); without one it draws consecutive blocks of the global stream
// (manualSeed()). Every draw takes whole fresh blocks, as a kernel call does, and uniforms follow
// the rand_uniform_f32 contract, so JS-side and kernel-side draws are the same numbers.
import { RandomStream, globalStream, type Draw } from '../../random.js';
import { checkSeed } from '../../check-option.js';

export class RandomSource {
  private readonly own: RandomStream | undefined;

  constructor(seed?: number) {
    checkSeed('RandomSource', seed);
    this.own = seed === undefined ? undefined : new RandomStream(seed);
  }

  private get stream(): RandomStream { return this.own ?? globalStream(); }

  /** Reserves n values (perBlock per Philox block: 4 uniforms or 2 normals) for a kernel call. */
  draw(n: number, perBlock: 2 | 4): Draw {
    return this.stream.reserve(n, perBlock);
  }

  /** n uniforms in [0, 1). */
  uniforms(n: number): Float64Array {
    return this.stream.uniforms(n);
  }

  /** n standard normals (Box–Muller on uniforms; u1 kept away from 0). */
  normals(n: number): Float64Array {
    const u = this.uniforms(2 * Math.ceil(n / 2)), out = new Float64Array(n);
    for (let i = 0; i < n; i += 2) {
      const r = Math.sqrt(-2 * Math.log(u[i]! + 2 ** -25)), t = 2 * Math.PI * u[i + 1]!;
      out[i] = r * Math.cos(t);
      if (i + 1 < n) out[i + 1] = r * Math.sin(t);
    }
    return out;
  }

  /** A random permutation of 0…n−1 (Fisher–Yates on 24-bit uniforms). */
  permutation(n: number): Int32Array {
    const p = Int32Array.from({ length: n }, (_, i) => i), u = this.uniforms(Math.max(0, n - 1));
    for (let i = n - 1, j = 0; i > 0; i--, j++) {
      const k = Math.floor(u[j]! * (i + 1));
      const t = p[i]!; p[i] = p[k]!; p[k] = t;
    }
    return p;
  }

  /** A Gamma(shape, 1) variate (Marsaglia–Tsang; shape < 1 via the U^(1/shape) boost). */
  gamma(shape: number): number {
    if (shape < 1) return this.gamma(shape + 1) * Math.pow(this.uniforms(1)[0]! + 2 ** -25, 1 / shape);
    const d = shape - 1 / 3, c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const z = this.normals(1)[0]!, v = (1 + c * z) ** 3;
      if (v <= 0) continue;
      const u = this.uniforms(1)[0]! + 2 ** -25;
      if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
    }
  }

  /** A Beta(a, b) variate. */
  beta(a: number, b: number): number {
    const x = this.gamma(a), y = this.gamma(b);
    return x + y > 0 ? x / (x + y) : 0.5;
  }
}
