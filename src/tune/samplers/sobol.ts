// Sobol low-discrepancy sequence (Gray-code order, as scipy.stats.qmc.Sobol) in up to 21
// dimensions, with optional seeded scrambling: a random linear matrix scramble of the direction
// numbers followed by a random digital shift (both keep the (t, m, s)-net structure). Points are
// addressed by index, so any worker can compute point i without generating 0…i−1.
import { Rng } from '../rng.js';

// Primitive polynomials and initial direction numbers (Joe & Kuo, "new-joe-kuo-6.21201"), for
// dimensions 2…21 (dimension 1 is the van der Corput sequence): [degree s, coefficients a, m_1…m_s].
const JOE_KUO: ReadonlyArray<readonly [number, number, readonly number[]]> = [
  [1, 0, [1]], [2, 1, [1, 3]], [3, 1, [1, 3, 1]], [3, 2, [1, 1, 1]], [4, 1, [1, 1, 3, 3]],
  [4, 4, [1, 3, 5, 13]], [5, 2, [1, 1, 5, 5, 17]], [5, 4, [1, 1, 5, 5, 5]], [5, 7, [1, 1, 7, 11, 19]],
  [5, 11, [1, 1, 5, 1, 1]], [5, 13, [1, 1, 1, 3, 11]], [5, 14, [1, 3, 5, 5, 31]], [6, 1, [1, 3, 3, 9, 7, 49]],
  [6, 13, [1, 1, 1, 15, 21, 21]], [6, 16, [1, 3, 1, 13, 27, 49]], [6, 19, [1, 1, 1, 15, 7, 5]],
  [6, 22, [1, 3, 1, 15, 13, 25]], [6, 25, [1, 1, 5, 5, 19, 61]], [7, 1, [1, 3, 7, 11, 23, 15, 103]],
  [7, 4, [1, 3, 7, 13, 13, 15, 69]],
];

/** Most dimensions the built-in direction numbers cover. */
export const SOBOL_MAX_DIM = JOE_KUO.length + 1;
const BITS = 32;

/** The 32 direction numbers of one dimension (bit 31 = first binary digit). */
function directions(dim: number): Uint32Array {
  const v = new Uint32Array(BITS);
  if (dim === 0) {
    for (let j = 0; j < BITS; j++) v[j] = 2 ** (BITS - 1 - j);
    return v;
  }
  const [s, a, m] = JOE_KUO[dim - 1]!;
  for (let j = 0; j < s; j++) v[j] = (m[j]! * 2 ** (BITS - 1 - j)) >>> 0;
  for (let j = s; j < BITS; j++) {
    let x = (v[j - s]! ^ (v[j - s]! >>> s)) >>> 0;
    for (let k = 1; k < s; k++) if ((a >>> (s - 1 - k)) & 1) x = (x ^ v[j - k]!) >>> 0;
    v[j] = x;
  }
  return v;
}

/**
 * A Sobol sequence generator.
 * @example
 * const s = new Sobol(2, { scramble: false });
 * s.point(1) // [0.5, 0.5]
 */
export class Sobol {
  private readonly v: Uint32Array[];
  private readonly shift: Uint32Array;

  constructor(readonly dim: number, { scramble = true, seed = 0 }: { scramble?: boolean; seed?: number } = {}) {
    if (!Number.isInteger(dim) || dim < 1 || dim > SOBOL_MAX_DIM) {
      throw new RangeError(`Sobol: dim must be an integer in [1, ${SOBOL_MAX_DIM}], got ${dim}`);
    }
    this.v = Array.from({ length: dim }, (_, d) => directions(d));
    this.shift = new Uint32Array(dim);
    if (scramble) {
      const rng = new Rng(seed);
      for (let d = 0; d < dim; d++) {
        // Linear matrix scramble: L lower-triangular with unit diagonal (MSB-first), v ← L·v.
        const rows = new Uint32Array(BITS);
        for (let i = 0; i < BITS; i++) {
          const below = i === 0 ? 0 : (rng.u32() >>> (BITS - i)) << (BITS - i); // random bits above i (MSB side)
          rows[i] = (below | (2 ** (BITS - 1 - i))) >>> 0;
        }
        const vd = this.v[d]!;
        for (let j = 0; j < BITS; j++) {
          let out = 0;
          for (let i = 0; i < BITS; i++) if (popParity((rows[i]! & vd[j]!) >>> 0)) out |= 1 << (BITS - 1 - i);
          vd[j] = out >>> 0;
        }
        this.shift[d] = rng.u32();
      }
    }
  }

  /** Point `index` (0, 1, 2, …) of the sequence, each coordinate in [0, 1). */
  point(index: number): Float64Array {
    if (!Number.isSafeInteger(index) || index < 0 || index >= 2 ** BITS) throw new RangeError(`Sobol: index must be an integer in [0, 2^32), got ${index}`);
    const g = ((index >>> 0) ^ (index >>> 1)) >>> 0; // Gray code of index (exact below 2^32)
    const out = new Float64Array(this.dim);
    for (let d = 0; d < this.dim; d++) {
      const vd = this.v[d]!;
      let x = this.shift[d]!;
      let bits = g;
      for (let j = 0; bits !== 0; j++, bits >>>= 1) if (bits & 1) x = (x ^ vd[j]!) >>> 0;
      out[d] = x / 2 ** BITS;
    }
    return out;
  }
}

function popParity(x: number): number {
  x ^= x >>> 16; x ^= x >>> 8; x ^= x >>> 4; x ^= x >>> 2; x ^= x >>> 1;
  return x & 1;
}
