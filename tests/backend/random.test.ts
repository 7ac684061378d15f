// Philox4x32-10 kernels on every backend — the JS reference included — against a twin written
// here (Philox rounds on BigInt products, the element-to-word mapping of src/backend/backend.ts,
// Box–Muller in f64), itself pinned to Random123's published known-answer vectors; any offset (the
// stream is a pure function of seed and element index, wrapping at 2³²); statistics over 100k
// draws. Tolerances: uniforms on [0, 1) are exact ((word >>> 8)·2⁻²⁴ is an f32); on [low, high)
// the kernels round span·u and low + … in f32, within one ulp of |out| ≤ 4 (2.4e-7); dropout
// scales 1/(1 − p) rounded twice in f32 (one ulp, 1.2e-7 relative); normals 1e-6 (the wasm
// builds' log/cos/sin approximations on |z| ≲ 6, times std 2). The wasm builds also equal the JS
// reference bit for bit on uniforms and masks, as documented (runs reproduce across backends).
import { describe, it, expect } from 'vitest';
import { BACKENDS, SIZES, backend } from '../helpers/backends.js';
import type { Backend } from '../../src/backend/create.js';
import { philox4x32 } from '../../src/philox.js';
import { kernelSuite, runKernel, sameBits, type KernelCase } from './harness.js';

const M = [0xd2511f53n, 0xcd9e8d57n], W = [0x9e3779b9n, 0xbb67ae85n], MASK = 0xffffffffn;

/** Philox4x32-10 of a 4-word counter under a 2-word key (Salmon et al. 2011), on BigInt words. */
function philox(ctr: number[], key: number[]): number[] {
  let [c0, c1, c2, c3] = ctr.map(BigInt) as [bigint, bigint, bigint, bigint];
  let [k0, k1] = key.map(BigInt) as [bigint, bigint];
  for (let round = 0; round < 10; round++) {
    if (round > 0) { k0 = (k0 + W[0]!) & MASK; k1 = (k1 + W[1]!) & MASK; }
    const p0 = M[0]! * c0, p1 = M[1]! * c2;
    [c0, c1, c2, c3] = [(p1 >> 32n) ^ c1 ^ k0, p1 & MASK, (p0 >> 32n) ^ c3 ^ k1, p0 & MASK];
  }
  return [c0, c1, c2, c3].map(Number);
}

const TWO_M24 = 2 ** -24;
/** The words of the block holding element j (counter (block, 0, 0, 0)), perBlock elements a block. */
function words(j: number, perBlock: 4 | 2, seed: [number, number]): number[] {
  return philox([Math.floor(j / perBlock), 0, 0, 0], seed);
}
const uniformTwin = (j: number, seed: [number, number]) => (words(j, 4, seed)[j % 4]! >>> 8) * TWO_M24;
function normalTwin(j: number, seed: [number, number]): number {
  const [w0, w1] = words(j, 2, seed);
  const u1 = ((w0! >>> 8) + 1) * TWO_M24, u2 = (w1! >>> 8) * TWO_M24, rad = Math.sqrt(-2 * Math.log(u1));
  return j % 2 === 0 ? rad * Math.cos(2 * Math.PI * u2) : rad * Math.sin(2 * Math.PI * u2);
}

const SEEDS: [number, number][] = [[0, 0], [12345, 678], [0xffffffff, 0x80000000]];
const OFFSETS = [0, 1, 2, 3, 5, 1e6 + 7, 2 ** 32 - 3];
const at = (off: number, i: number) => (off + i) % 2 ** 32;

function randomCases(kind: 'uniform' | 'normal' | 'dropout'): KernelCase[] {
  const out: KernelCase[] = [];
  for (const seed of SEEDS) for (const n of SIZES) for (const off of OFFSETS) {
    if (kind === 'normal' && (off === 2 || off === 5)) continue;
    const label = `${kind} seed=${seed} n=${n} offset=${off}`, u = Array.from({ length: n }, (_, i) => uniformTwin(at(off, i), seed));
    if (kind === 'uniform') {
      out.push({ label, bufs: [new Float32Array(n)], call: (k, p) => k.rand_uniform_f32(p[0]!, n, seed[0], seed[1], off, 0, 1),
        want: [u], tol: 'bits' });
      out.push({ label: `${label} on [-2, 3)`, bufs: [new Float32Array(n)],
        call: (k, p) => k.rand_uniform_f32(p[0]!, n, seed[0], seed[1], off, -2, 3), want: [u.map((v) => -2 + 5 * v)],
        tol: { rtol: 0, atol: 2.4e-7 } });
    } else if (kind === 'dropout') {
      const pr = Math.fround(0.3);
      out.push({ label, bufs: [new Float32Array(n)], call: (k, p) => k.dropout_mask_f32(p[0]!, n, seed[0], seed[1], off, 0.3),
        want: [u.map((v) => (v >= pr ? 1 / (1 - pr) : 0))], tol: { rtol: 1.2e-7, atol: 0 } });
    } else {
      out.push({ label, bufs: [new Float32Array(n)], call: (k, p) => k.rand_normal_f32(p[0]!, n, seed[0], seed[1], off, 0.5, 2),
        want: [Array.from({ length: n }, (_, i) => 0.5 + 2 * normalTwin(at(off, i), seed))], tol: { rtol: 1e-6, atol: 1e-6 } });
    }
  }
  return out;
}

kernelSuite('random kernels', {
  rand_uniform_f32: () => randomCases('uniform'),
  rand_normal_f32: () => randomCases('normal'),
  dropout_mask_f32: () => randomCases('dropout'),
});

const uniform = (b: Backend, n: number, seed: [number, number], off: number, lo = 0, hi = 1) =>
  runKernel(b, [new Float32Array(n)], (p) => b.kernels.rand_uniform_f32(p[0]!, n, seed[0], seed[1], off, lo, hi))[0] as Float32Array;
const normal = (b: Backend, n: number, seed: [number, number], off: number, m = 0, s = 1) =>
  runKernel(b, [new Float32Array(n)], (p) => b.kernels.rand_normal_f32(p[0]!, n, seed[0], seed[1], off, m, s))[0] as Float32Array;
const dropout = (b: Backend, n: number, seed: [number, number], off: number, pr: number) =>
  runKernel(b, [new Float32Array(n)], (p) => b.kernels.dropout_mask_f32(p[0]!, n, seed[0], seed[1], off, pr))[0] as Float32Array;

function stats(a: Float32Array): { mean: number; variance: number } {
  let s = 0, s2 = 0;
  for (const v of a) { s += v; s2 += v * v; }
  const mean = s / a.length;
  return { mean, variance: s2 / a.length - mean * mean };
}

it('Philox4x32-10 (the twin and the library\'s) matches the Random123 known-answer vectors', () => {
  // Random123 kat_vectors, philox4x32 10 rounds: (counter, key) → output words
  const hex = (w: number[]) => w.map((v) => (v >>> 0).toString(16).padStart(8, '0'));
  const ones = 0xffffffff;
  expect(hex(philox([0, 0, 0, 0], [0, 0]))).toEqual(['6627e8d5', 'e169c58d', 'bc57ac4c', '9b00dbd8']);
  expect(hex(philox([ones, ones, ones, ones], [ones, ones]))).toEqual(['408f276d', '41c83b0e', 'a20bc7c6', '6d5451fd']);
  expect(hex(philox([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0])))
    .toEqual(['d16cfe09', '94fdcceb', '5001e420', '24126ea1']);
  // the library's Philox takes counter (block, 0, 0, 0), so only the first vector applies to it directly
  expect(hex(philox4x32(0, 0, 0))).toEqual(['6627e8d5', 'e169c58d', 'bc57ac4c', '9b00dbd8']);
  expect(hex(philox4x32(7, 12345, 678))).toEqual(hex(philox([7, 0, 0, 0], [12345, 678])));
});

describe.each(BACKENDS)('random kernels on %s', (be) => {
  it('a stream is a function of the element index: offset k gives the tail of offset 0', async () => {
    const b = await backend(be);
    const full = uniform(b, 40, [9, 9], 0), tail = uniform(b, 33, [9, 9], 7);
    expect(sameBits(full.subarray(7), tail)).toBe(true);
    const nf = normal(b, 40, [9, 9], 0), nt = normal(b, 35, [9, 9], 5);
    expect(sameBits(nf.subarray(5), nt)).toBe(true);
  });
  it('statistics of 100k draws', async () => {
    const b = await backend(be);
    const n = 100_000;
    const u = uniform(b, n, [42, 7], 0);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    const su = stats(u);
    expect(Math.abs(su.mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(su.variance - 1 / 12)).toBeLessThan(0.002);
    const sn = stats(normal(b, n, [42, 7], 0, 1, 2));
    expect(Math.abs(sn.mean - 1)).toBeLessThan(0.03);
    expect(Math.abs(sn.variance - 4)).toBeLessThan(0.08);
    for (const p of [0, 0.1, 0.5, 1]) {
      const m = dropout(b, n, [42, 7], 0, p);
      const kept = m.reduce((a, v) => a + (v !== 0 ? 1 : 0), 0) / n;
      expect(Math.abs(kept - (1 - p))).toBeLessThan(0.01);
      if (p < 1) expect(m.every((v) => v === 0 || v === Math.fround(1 / Math.fround(1 - p)))).toBe(true);
    }
    // different seeds give different streams
    expect(sameBits(uniform(b, 64, [1, 0], 0), uniform(b, 64, [2, 0], 0))).toBe(false);
  });
});

describe.each(BACKENDS.filter((b) => b !== 'js'))('random kernels on %s against the JS reference', (be) => {
  it('uniforms and dropout masks are the same bits', async () => {
    const js = await backend('js'), b = await backend(be);
    for (const seed of SEEDS) for (const off of [0, 3, 1e6 + 7]) {
      expect(sameBits(uniform(b, 257, seed, off, -2, 3), uniform(js, 257, seed, off, -2, 3))).toBe(true);
      expect(sameBits(dropout(b, 257, seed, off, 0.3), dropout(js, 257, seed, off, 0.3))).toBe(true);
    }
  });
});
