// RandomStream (src/random.ts), the one stream every JS-side draw goes through: word w is word
// w mod 4 of Philox block ⌊w/4⌋ (Random123's known answer for block 0 under key 0); 53-bit and
// kernel-contract uniforms computed here from the words; reserve() starts at a fresh block;
// positions wrap at 2³² words (so sg.permutation's offsets do too); an unseeded stream takes its
// seed from the global stream's next block; keepingStream puts the global stream back.
import { beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../src/index.js';
import { RandomStream, globalStream, keepingStream } from '../src/random.js';
import { philox4x32 } from '../src/philox.js';

const hex = (w: number[]) => w.map((x) => x.toString(16).padStart(8, '0'));

beforeAll(async () => { await sg.init({ backend: 'js' }); });

describe('RandomStream', () => {
  it('reads the Philox words in order, block after block', () => {
    const s = new RandomStream(0), w = Array.from({ length: 8 }, () => s.u32());
    expect(hex(w.slice(0, 4))).toEqual(['6627e8d5', 'e169c58d', 'bc57ac4c', '9b00dbd8']); // Random123 kat_vectors
    expect(w.slice(4)).toEqual(philox4x32(1, 0, 0));
    const k = new RandomStream(2 ** 40 + 7); // key words (7, 256)
    expect([k.u32(), k.u32(), k.u32(), k.u32(), k.u32()]).toEqual([...philox4x32(0, 7, 256), philox4x32(1, 7, 256)[0]]);
  });

  it('builds 53-bit uniforms from two words and kernel uniforms from fresh blocks', () => {
    const [w0, w1, w2] = philox4x32(0, 9, 0), b1 = philox4x32(1, 9, 0), b2 = philox4x32(2, 9, 0);
    const s = new RandomStream(9);
    expect(s.uniform()).toBe(((w0! >>> 5) * 2 ** 26 + (w1! >>> 6)) / 2 ** 53);
    expect(s.u32()).toBe(w2);
    // three words used: the next kernel draw starts at block 1, and 5 uniforms take blocks 1 and 2
    expect(s.uniforms(5)).toEqual(Float64Array.from([...b1, b2[0]!], (w) => (w >>> 8) * 2 ** -24));
    expect(s.position).toBe(12);
    expect(s.reserve(3, 2)).toEqual({ seedLo: 9, seedHi: 0, offset: 6 }); // normals: 2 per block, block 3
    expect(s.position).toBe(20);
  });

  it('wraps positions at 2³² words, so permutation offsets 2³² apart agree', () => {
    expect(sg.permutation(12, 5, 2 ** 32 + 3)).toEqual(sg.permutation(12, 5, 3));
    const s = new RandomStream(5);
    s.position = 2 ** 32 - 1;
    expect([s.u32(), s.u32()]).toEqual([philox4x32(2 ** 30 - 1, 5, 0)[3], philox4x32(0, 5, 0)[0]]);
    expect(s.position).toBe(1);
  });

  it('draws an unseeded stream\'s seed from the global stream, and keepingStream leaves no trace', () => {
    sg.manualSeed(123);
    const [w0, w1] = philox4x32(0, 123, 0);
    const s = RandomStream.from(undefined);
    expect(s.u32()).toBe(new RandomStream(w0! + (w1! & 0x1fffff) * 2 ** 32).u32());
    expect(globalStream().position).toBe(4);
    keepingStream(() => sg.scope(() => { sg.rand([9]); }));
    expect(globalStream().position).toBe(4);
    expect(() => RandomStream.from(1.5, 'kFold')).toThrow(/kFold: seed must be a safe integer/);
  });
});
