// Binary broadcast kernels, affine and fill on every backend — the JS reference included — against
// naive f64 twins written here, at all SIZES, every broadcast view, and NaN/±inf/±0/huge operands.
// Tolerances: + − × ÷ max min and fill are exact (one f64 operation on f32 operands rounds to the
// correctly rounded f32 result, which every backend must produce); pow is Math.pow's value within
// 2e-7 relative (the wasm builds' exp2/log2 approximation, assembly/vmath.ts); affine allows its two
// f32 roundings (x·α, then + β: half an ulp of |x·α| ≤ 8.5, 4.8e-7, plus half an ulp of the result).
import { describe, it, expect } from 'vitest';
import { BACKENDS, SIZES, backend, randomArray } from '../helpers/backends.js';
import type { BinaryKernel, Kernels } from '../../src/backend/backend.js';
import { kernelSuite, runKernel, type KernelCase } from './harness.js';

const nanOr = (f: (a: number, b: number) => number) => (a: number, b: number) => (a !== a || b !== b ? NaN : f(a, b));
const OPS: Record<string, { f: (a: number, b: number) => number; rtol: number }> = {
  add_f32: { f: (a, b) => a + b, rtol: 0 },
  sub_f32: { f: (a, b) => a - b, rtol: 0 },
  mul_f32: { f: (a, b) => a * b, rtol: 0 },
  div_f32: { f: (a, b) => a / b, rtol: 0 },
  maximum_f32: { f: nanOr((a, b) => (a > b ? a : b)), rtol: 0 },
  minimum_f32: { f: nanOr((a, b) => (a < b ? a : b)), rtol: 0 },
  pow_f32: { f: (a, b) => a ** b, rtol: 2e-7 },
};
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

function binaryCase(name: string, v: number[], special: boolean): KernelCase {
  const [outer, inner, ao, ai, bo, bi] = v as [number, number, number, number, number, number];
  const a = operand(outer, inner, ao, ai, 7 + outer, name === 'pow_f32' ? 0.1 : -2, 3);
  const b = operand(outer, inner, bo, bi, 11 + inner, -2, 3);
  if (special) {
    for (let i = 0; i < a.length; i += 2) a[i] = SPECIAL[(i / 2) % SPECIAL.length]!;
    for (let i = 0; i < b.length; i += 3) b[i] = SPECIAL[(i / 3 + 5) % SPECIAL.length]!;
  }
  const want = new Float32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) want[o * inner + i] = OPS[name]!.f(a[o * ao + i * ai]!, b[o * bo + i * bi]!);
  }
  return {
    label: `${name} ${v}${special ? ' specials' : ''}`, bufs: [new Float32Array(outer * inner).fill(12345), a, b],
    call: (k, p) => (k[name as keyof Kernels] as BinaryKernel)(p[0]!, p[1]!, p[2]!, outer, inner, ao, ai, bo, bi),
    want: [want], tol: { rtol: OPS[name]!.rtol, atol: 0 },
  };
}

function binaryCases(name: string): KernelCase[] {
  const out: KernelCase[] = [];
  for (const n of SIZES) for (const outer of [1, 3]) for (const v of views(outer, n)) out.push(binaryCase(name, v, false));
  for (const v of views(17, 5)) out.push(binaryCase(name, v, false));
  for (const v of views(5, 33)) out.push(binaryCase(name, v, true));
  return out;
}

function affineCases(): KernelCase[] {
  return SIZES.flatMap((n): KernelCase[] => {
    const x = randomArray(n, n + 3, -5, 5), al = Math.fround(1.7), be = Math.fround(-0.3);
    return [
      { label: `affine n=${n}`, bufs: [new Float32Array(n), x], call: (k, p) => k.affine_f32(p[0]!, p[1]!, n, 1.7, -0.3),
        want: [x.map((v) => v * al + be)], tol: { rtol: 6e-8, atol: 4.8e-7 } },
      // ×2 is exact, so + 1 is the only rounding
      { label: `affine in place n=${n}`, bufs: [x], call: (k, p) => k.affine_f32(p[0]!, p[0]!, n, 2, 1),
        want: [x.map((v) => v * 2 + 1)], tol: 'bits' },
    ];
  });
}

const fillCases = (): KernelCase[] => SIZES.map((n) => ({
  label: `fill n=${n}`, bufs: [new Float32Array(n + 1).fill(7)], call: (k, p) => k.fill_f32(p[0]!, n, -2.5),
  want: [[...new Array<number>(n).fill(-2.5), 7]], tol: 'bits',
}));

kernelSuite('elementwise kernels', {
  ...Object.fromEntries(Object.keys(OPS).map((name) => [name, () => binaryCases(name)])),
  affine_f32: affineCases,
  fill_f32: fillCases,
});

describe.each(BACKENDS)('maximum/minimum on %s', (be) => {
  it('propagate NaN from either side', async () => {
    const b = await backend(be);
    const x = new Float32Array([NaN, 1, NaN, -Infinity, 2]), y = new Float32Array([1, NaN, NaN, 3, NaN]);
    for (const k of ['maximum_f32', 'minimum_f32'] as const) {
      const [out] = runKernel(b, [new Float32Array(5), x, y], (p) => b.kernels[k](p[0]!, p[1]!, p[2]!, 1, 5, 5, 1, 5, 1));
      expect(Array.from(out!).map(Number.isNaN)).toEqual([true, true, true, false, true]);
      expect(out![3]).toBe(k === 'maximum_f32' ? 3 : -Infinity);
    }
  });
});
