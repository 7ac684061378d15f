// Binary broadcast kernels, affine and fill on every backend against the JS reference.
import { describe, it, expect } from 'vitest';
import { BACKENDS, SIZES, backend, expectClose, randomArray } from '../helpers/backends.js';
import type { BinaryKernel, Kernels } from '../../src/backend/backend.js';
import { runKernel } from './harness.js';

const OPS = ['add_f32', 'sub_f32', 'mul_f32', 'div_f32', 'maximum_f32', 'minimum_f32', 'pow_f32'] as const;
const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 3.4e38, -3.4e38, 1e-40, 2.5, -2];

/** [outer, inner, aOuter, aInner, bOuter, bInner]: contiguous, row/column broadcast, scalars. */
function views(outer: number, inner: number): number[][] {
  return [
    [outer, inner, inner, 1, inner, 1],   // both contiguous (flat)
    [outer, inner, inner, 1, 1, 0],       // b one scalar per row
    [outer, inner, 1, 0, inner, 1],       // a one scalar per row
    [outer, inner, inner, 1, 0, 1],       // b a row vector broadcast over rows
    [outer, inner, 0, 1, inner, 1],       // a a row vector
    [outer, inner, inner, 1, 0, 0],       // b a global scalar
    [outer, inner, 1, 0, 0, 0],           // a per row, b global: fill rows
  ];
}
function operand(outer: number, inner: number, so: number, si: number, seed: number, lo: number, hi: number) {
  const len = Math.max(1, (outer - 1) * so + (inner - 1) * si + 1);
  return randomArray(len, seed, lo, hi);
}

function check(name: (typeof OPS)[number], be: string, outer: number, inner: number, v: number[], special: boolean) {
  return async () => {
    const [, , ao, ai, bo, bi] = v as [number, number, number, number, number, number];
    const lo = name === 'pow_f32' ? 0.1 : -2;
    const a = operand(outer, inner, ao, ai, 7 + outer, lo, 3);
    const b = operand(outer, inner, bo, bi, 11 + inner, -2, 3);
    if (special) {
      for (let i = 0; i < a.length; i += 2) a[i] = SPECIAL[(i / 2) % SPECIAL.length]!;
      for (let i = 0; i < b.length; i += 3) b[i] = SPECIAL[(i / 3 + 5) % SPECIAL.length]!;
    }
    const out = new Float32Array(outer * inner).fill(12345);
    const call = (k: Kernels) => (p: number[]) =>
      (k[name] as BinaryKernel)(p[0]!, p[1]!, p[2]!, outer, inner, ao, ai, bo, bi);
    const ref = await backend('js'), got = await backend(be as never);
    const [want] = runKernel(ref, [out, a, b], call(ref.kernels));
    const [res] = runKernel(got, [out, a, b], call(got.kernels));
    expectClose(res!, want!, { rtol: name === 'pow_f32' ? 2e-7 : 0, atol: 0 }, `${be} ${name} ${v}`);
  };
}

describe.each(BACKENDS)('binary kernels on %s', (be) => {
  for (const name of OPS) {
    it(`${name}: every size and broadcast view`, async () => {
      for (const n of SIZES) {
        for (const v of views(1, n)) await check(name, be, 1, n, v, false)();
        for (const v of views(3, n)) await check(name, be, 3, n, v, false)();
      }
      for (const v of views(17, 5)) await check(name, be, 17, 5, v, false)();
    });
    it(`${name}: NaN, ±inf, ±0, huge`, async () => {
      for (const v of views(5, 33)) await check(name, be, 5, 33, v, true)();
    });
  }

  it('maximum/minimum propagate NaN from either side', async () => {
    const b = await backend(be);
    const x = new Float32Array([NaN, 1, NaN, -Infinity, 2]), y = new Float32Array([1, NaN, NaN, 3, NaN]);
    for (const k of ['maximum_f32', 'minimum_f32'] as const) {
      const [out] = runKernel(b, [new Float32Array(5), x, y], (p) => b.kernels[k](p[0]!, p[1]!, p[2]!, 1, 5, 5, 1, 5, 1));
      expect(Array.from(out!).map(Number.isNaN)).toEqual([true, true, true, false, true]);
      expect(out![3]).toBe(k === 'maximum_f32' ? 3 : -Infinity);
    }
  });

  it('affine_f32 and fill_f32', async () => {
    const ref = await backend('js'), b = await backend(be);
    for (const n of SIZES) {
      const x = randomArray(n, n + 3, -5, 5);
      const run = (k: typeof ref) => runKernel(k, [new Float32Array(n), x], (p) => k.kernels.affine_f32(p[0]!, p[1]!, n, 1.7, -0.3))[0]!;
      expectClose(run(b), run(ref), { rtol: 2e-7, atol: 1e-7 }, `affine ${n}`);
      const fill = runKernel(b, [new Float32Array(n + 1)], (p) => b.kernels.fill_f32(p[0]!, n, -2.5))[0]!;
      expect(Array.from(fill)).toEqual([...new Array(n).fill(-2.5), 0]);
      // in place
      const [inplace] = runKernel(b, [x], (p) => b.kernels.affine_f32(p[0]!, p[0]!, n, 2, 1));
      expectClose(inplace!, x.map((v) => v * 2 + 1), { rtol: 0, atol: 0 });
    }
  });
});
