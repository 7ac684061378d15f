// IndexStream: the seeded permutations that the splitters draw, one Philox stream per seed.
//
// Contract: successive permutation() calls read consecutive, non-overlapping words of the Philox
// stream of `seed` (via permutation(n, seed, offset) in ../random.ts), so a splitter called with
// the same seed yields the same indices on every backend and runtime. Without a seed, the seed
// itself is drawn from the global stream (reproducible after manualSeed()). No Math.random.
import { nextDraw, permutation } from '../random.js';
import { philox4x32 } from '../backend/js/random.js';
import { checkSeed } from '../check-option.js';

export class IndexStream {
  private offset = 0;

  private constructor(readonly seed: number) {}

  /** A stream for `seed`, or for a seed drawn from the global stream when it is undefined. */
  static create(seed?: number, who = 'split'): IndexStream {
    if (seed === undefined) {
      const d = nextDraw(2, 4);
      const w = philox4x32(d.offset >>> 2, d.seedLo, d.seedHi);
      return new IndexStream(w[0] + (w[1] & 0x1fffff) * 4294967296);
    }
    return new IndexStream(checkSeed(who, seed));
  }

  /** The next random permutation of 0…n−1. */
  permutation(n: number): Int32Array {
    const p = permutation(n, this.seed, this.offset);
    this.offset += Math.max(0, n - 1);
    return p;
  }

  /** A shuffled copy of `a`. */
  shuffle(a: ArrayLike<number>): Int32Array {
    const p = this.permutation(a.length);
    return Int32Array.from(p, (k) => a[k]!);
  }
}
