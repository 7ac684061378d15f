// The global random stream: a Philox4x32-10 key (the seed) and the next unused counter block.
// Calls without an explicit seed draw consecutive, non-overlapping blocks of the stream, so a
// program is reproducible after manualSeed(); calls with { seed } start that seed's stream at 0.
// No Math.random anywhere in the library.

import { philox4x32, type PhiloxWords } from './backend/js/random.js';
import { checkInt, checkSeed } from './check-option.js';

let key = [0x2545f491, 0x4f6cdd1d];
let nextBlock = 0;

/** Sets the global seed (any safe integer) and restarts the stream. @example sg.manualSeed(42) */
export function manualSeed(seed: number): void {
  key = seedKey(checkSeed('manualSeed', seed, true), 'manualSeed');
  nextBlock = 0;
}

/** Runs fn, then puts the global stream back where it was: what fn draws leaves no trace (a
 * model rebuilt from a file draws initial weights that its saved ones replace). */
export function keepingStream<T>(fn: () => T): T {
  const block = nextBlock;
  try { return fn(); } finally { nextBlock = block; }
}

/** The Philox key (two u32 words) for a safe-integer seed (anything else is an OptionError). */
export function seedKey(seed: number, owner = 'seed'): [number, number] {
  checkSeed(owner, seed, true);
  return [seed >>> 0, Math.floor(seed / 4294967296) >>> 0];
}

export interface Draw { seedLo: number; seedHi: number; offset: number }

/**
 * Where the next draw of n values reads: for uniforms (4 per block) or normals (2 per block).
 * With an explicit seed the draw starts at element 0 of that seed's stream.
 */
export function nextDraw(n: number, perBlock: 2 | 4, seed?: number): Draw {
  if (seed !== undefined) {
    const [lo, hi] = seedKey(seed);
    return { seedLo: lo, seedHi: hi, offset: 0 };
  }
  const offset = (nextBlock * perBlock) >>> 0;
  nextBlock = (nextBlock + Math.ceil(n / perBlock)) % 2 ** 30;
  return { seedLo: key[0]!, seedHi: key[1]!, offset };
}

/**
 * A seeded random permutation of 0…n−1 (Fisher–Yates on the Philox stream of `seed`, words
 * starting at `offset`): the same on every backend and runtime.
 * @example sg.permutation(5, 42) // Int32Array [ … ]
 */
export function permutation(n: number, seed: number, offset = 0): Int32Array {
  checkInt('permutation', 'n', n, 0);
  checkInt('permutation', 'offset', offset, 0);
  const [lo, hi] = seedKey(seed, 'permutation');
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  const words: PhiloxWords = [0, 0, 0, 0];
  let block = -1;
  for (let i = n - 1, j = offset; i > 0; i--, j++) {
    if (j >>> 2 !== block) { block = j >>> 2; philox4x32(block, lo, hi, words); }
    const k = Math.floor((words[j & 3]! / 4294967296) * (i + 1));
    const t = p[i]!; p[i] = p[k]!; p[k] = t;
  }
  return p;
}
