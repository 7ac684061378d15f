// Philox4x32-10 kernels: bit-identical uniforms and dropout masks on every backend, normals within
// 1e-6 of the JS reference, any offset (the stream is a pure function of seed and element index),
// a published Philox test vector, and statistics over 100k draws.
import { describe, it, expect } from 'vitest';
import { BACKENDS, SIZES, backend, expectClose } from '../helpers/backends.js';
import type { Backend } from '../../src/backend/create.js';
import { philox4x32 } from '../../src/backend/js/random.js';
import { runKernel, sameBits } from './harness.js';

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

it('Philox4x32-10 matches the Random123 known-answer vectors', () => {
  // Random123 kat_vectors: philox4x32 10 rounds, counter 0 / key 0 and counter all-ones / key all-ones
  // (our counter is (block, 0, 0, 0), so only the first vector applies directly).
  expect(philox4x32(0, 0, 0).map((w) => w.toString(16).padStart(8, '0'))).toEqual(['6627e8d5', 'e169c58d', 'bc57ac4c', '9b00dbd8']);
});

describe.each(BACKENDS)('random kernels on %s', (be) => {
  const seeds: [number, number][] = [[0, 0], [12345, 678], [0xffffffff, 0x80000000]];
  it('uniforms and dropout masks are bit-identical to the reference at every size and offset', async () => {
    const ref = await backend('js'), b = await backend(be);
    for (const seed of seeds) {
      for (const n of SIZES) {
        for (const off of [0, 1, 2, 3, 5, 1e6 + 7]) {
          expect(sameBits(uniform(b, n, seed, off, -2, 3), uniform(ref, n, seed, off, -2, 3))).toBe(true);
          expect(sameBits(dropout(b, n, seed, off, 0.3), dropout(ref, n, seed, off, 0.3))).toBe(true);
        }
      }
    }
  });
  it('normals match the reference within 1e-6', async () => {
    const ref = await backend('js'), b = await backend(be);
    for (const seed of seeds) {
      for (const n of SIZES) {
        for (const off of [0, 1, 3, 1e6 + 7]) {
          expectClose(normal(b, n, seed, off, 0.5, 2), normal(ref, n, seed, off, 0.5, 2), { rtol: 1e-6, atol: 1e-6 });
        }
      }
    }
  });
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
