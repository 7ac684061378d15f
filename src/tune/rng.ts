// Rng: a seeded generator for samplers and pruners (Philox4x32-10 over a counter, 53-bit
// uniforms), so studies are reproducible from their seed on every runtime. No Math.random:
// freshSeed() draws the seed of an unseeded sampler from the platform's crypto source.
import { philox4x32 } from '../backend/js/random.js';
import { seedKey } from '../random.js';

export class Rng {
  private readonly lo: number;
  private readonly hi: number;
  private block = 0;
  private words: [number, number, number, number] = [0, 0, 0, 0];
  private used = 4;

  constructor(seed: number) {
    [this.lo, this.hi] = seedKey(seed);
  }

  /** The next 32 random bits as an unsigned integer. */
  u32(): number {
    if (this.used === 4) { this.words = philox4x32(this.block++, this.lo, this.hi); this.used = 0; }
    return this.words[this.used++]!;
  }
  /** Uniform in [0, 1) with 53 bits. */
  uniform(): number {
    return ((this.u32() >>> 5) * 67108864 + (this.u32() >>> 6)) / 9007199254740992;
  }
  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.uniform(), v = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  /** Integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.uniform() * n);
  }
  /** A fresh 31-bit seed (for child generators). */
  seed(): number {
    return this.u32() >>> 1;
  }
}

/** A seed nobody chose (32 bits from crypto.getRandomValues): unseeded samplers draw one, so two
 *  unseeded studies, in one process or two, sample different points. */
export function freshSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}
