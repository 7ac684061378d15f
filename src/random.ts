// Random streams: the one generator every random draw of the library goes through, and the global
// stream. A RandomStream is a Philox4x32-10 key (the seed, ./philox.ts) and a position in the
// stream of 32-bit words it produces (word w is word w mod 4 of counter block ⌊w/4⌋; positions
// wrap at 2³², as the kernels' element offsets do). Two ways to read it, never mixed by one user:
// word by word (u32, uniform, normal, permutation: the tuner's samplers, the splitters), or whole
// fresh blocks reserved for a kernel call (reserve, uniforms: tensor creation, dropout,
// augmentations), so JS-side and kernel-side draws are the same numbers.
//
// The global stream: calls without an explicit seed reserve consecutive, non-overlapping blocks of
// it, so a program is reproducible after manualSeed(); calls with { seed } start that seed's
// stream at 0. No Math.random anywhere in the library.

import { philox4x32, type PhiloxWords } from './philox.js';
import { checkInt, checkSeed } from './check-option.js';

const WORDS = 2 ** 32, BLOCKS = 2 ** 30;

/** The global stream: set at class definition to a fixed default key, replaced by manualSeed(). */
let global: RandomStream;

/** The Philox key (two u32 words) for a safe-integer seed (anything else is an OptionError). */
export function seedKey(seed: number, owner = 'seed'): [number, number] {
  checkSeed(owner, seed, true);
  return [seed >>> 0, Math.floor(seed / 4294967296) >>> 0];
}

/** Where a kernel call reads its random numbers: key words and element offset. */
export interface Draw { seedLo: number; seedHi: number; offset: number }

/**
 * A seeded stream of random numbers (Philox4x32-10 over a counter): the same numbers on every
 * backend and runtime for the same seed and the same sequence of calls.
 * @example
 * const rng = new RandomStream(42);
 * rng.uniform(); rng.normal(); rng.permutation(10);
 */
export class RandomStream {
  private lo: number;
  private hi: number;
  /** The next unused word. */
  position = 0;
  private readonly words: PhiloxWords = [0, 0, 0, 0];
  private block = -1;

  constructor(seed: number, owner = 'seed') {
    [this.lo, this.hi] = seedKey(seed, owner);
  }

  /** The stream of `seed`, or without one, of a 53-bit seed drawn from the global stream. */
  static from(seed: number | undefined, owner = 'seed'): RandomStream {
    if (seed !== undefined) return new RandomStream(seed, owner);
    const d = global.reserve(2, 4);
    return new RandomStream(global.wordAt(d.offset) + (global.wordAt(d.offset + 1) & 0x1fffff) * 4294967296);
  }

  /** Word j of the stream (j taken modulo 2³²). */
  private wordAt(j: number): number {
    if (j >>> 2 !== this.block) { this.block = j >>> 2; philox4x32(this.block, this.lo, this.hi, this.words); }
    return this.words[j & 3]!;
  }

  /** The next 32 random bits as an unsigned integer. */
  u32(): number {
    const w = this.wordAt(this.position);
    this.position = (this.position + 1) % WORDS;
    return w;
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
  /** A random permutation of 0…n−1: Fisher–Yates on the next n − 1 words (k = ⌊word·(i+1)/2³²⌋). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const k = Math.floor((this.u32() / 4294967296) * (i + 1));
      const t = p[i]!; p[i] = p[k]!; p[k] = t;
    }
    return p;
  }
  /** A shuffled copy of `a` (permutation() order). */
  shuffle(a: ArrayLike<number>): Int32Array {
    return Int32Array.from(this.permutation(a.length), (k) => a[k]!);
  }

  /**
   * Reserves the next whole blocks for a kernel drawing n values (perBlock per Philox block: 4
   * uniforms or 2 normals) and says where the kernel reads them: element offset = block·perBlock.
   */
  reserve(n: number, perBlock: 2 | 4): Draw {
    const block = Math.ceil(this.position / 4) % BLOCKS;
    this.position = ((block + Math.ceil(n / perBlock)) % BLOCKS) * 4;
    return { seedLo: this.lo, seedHi: this.hi, offset: (block * perBlock) >>> 0 };
  }
  /** n uniforms in [0, 1) from fresh whole blocks, as rand_uniform_f32 computes them: (word >>> 8)·2⁻²⁴. */
  uniforms(n: number): Float64Array {
    const d = this.reserve(n, 4), out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = (this.wordAt(d.offset + i) >>> 8) * 2 ** -24;
    return out;
  }

  /** The stream of a raw Philox key (the global stream's default key is no safe integer). */
  private static ofKey(lo: number, hi: number): RandomStream {
    const s = new RandomStream(0);
    s.lo = lo; s.hi = hi;
    return s;
  }
  static { global = RandomStream.ofKey(0x2545f491, 0x4f6cdd1d); }
}

/** The global stream (manualSeed replaces it). */
export const globalStream = (): RandomStream => global;

/** Sets the global seed (any safe integer) and restarts the stream. @example sg.manualSeed(42) */
export function manualSeed(seed: number): void {
  global = new RandomStream(checkSeed('manualSeed', seed, true), 'manualSeed');
}

/** Runs fn, then puts the global stream back where it was: what fn draws leaves no trace (a
 * model rebuilt from a file draws initial weights that its saved ones replace). */
export function keepingStream<T>(fn: () => T): T {
  const position = global.position;
  try { return fn(); } finally { global.position = position; }
}

/**
 * Where the next draw of n values reads: for uniforms (4 per block) or normals (2 per block).
 * With an explicit seed the draw starts at element 0 of that seed's stream.
 */
export function nextDraw(n: number, perBlock: 2 | 4, seed?: number): Draw {
  if (seed !== undefined) {
    const [lo, hi] = seedKey(seed);
    return { seedLo: lo, seedHi: hi, offset: 0 };
  }
  return global.reserve(n, perBlock);
}

/**
 * A seeded random permutation of 0…n−1 (Fisher–Yates on the Philox stream of `seed`, words
 * starting at `offset`): the same on every backend and runtime.
 * @example sg.permutation(5, 42) // Int32Array [ … ]
 */
export function permutation(n: number, seed: number, offset = 0): Int32Array {
  checkInt('permutation', 'n', n, 0);
  checkInt('permutation', 'offset', offset, 0);
  const s = new RandomStream(seed, 'permutation');
  s.position = offset % WORDS;
  return s.permutation(n);
}
