// Unary kernels (forward, backward, in place) on every backend against the JS reference, at all
// SIZES, with special values (NaN, ±inf, ±0, huge, subnormal).
import { describe, it, expect } from 'vitest';
import { BACKENDS, SIZES, backend, expectClose, randomArray } from '../helpers/backends.js';
import type { Kernels, UnaryBackwardKernel, UnaryKernel } from '../../src/backend/backend.js';
import type { Backend } from '../../src/backend/create.js';
import { runKernel } from './harness.js';

interface Case { name: string; lo: number; hi: number; rtol: number; atol: number; param?: number }
const CASES: Case[] = [
  { name: 'neg', lo: -5, hi: 5, rtol: 0, atol: 0 },
  { name: 'abs', lo: -5, hi: 5, rtol: 0, atol: 0 },
  { name: 'exp', lo: -90, hi: 80, rtol: 4e-7, atol: 3e-45 },
  { name: 'log', lo: 1e-3, hi: 1e3, rtol: 4e-7, atol: 1e-7 },
  { name: 'sqrt', lo: 0, hi: 100, rtol: 0, atol: 0 },
  { name: 'tanh', lo: -10, hi: 10, rtol: 4e-7, atol: 0 },
  { name: 'sigmoid', lo: -30, hi: 30, rtol: 4e-7, atol: 0 },
  { name: 'relu', lo: -5, hi: 5, rtol: 0, atol: 0 },
  { name: 'gelu', lo: -12, hi: 6, rtol: 1e-6, atol: 1e-40 },
  { name: 'silu', lo: -30, hi: 30, rtol: 1e-6, atol: 0 },
  { name: 'leaky_relu', lo: -5, hi: 5, rtol: 0, atol: 0, param: 0.01 },
  { name: 'pow_scalar', lo: 0, hi: 4, rtol: 2e-7, atol: 0, param: 2.5 },
  { name: 'pow_scalar', lo: -4, hi: 4, rtol: 0, atol: 0, param: 2 },
  { name: 'pow_scalar', lo: -4, hi: 4, rtol: 0, atol: 0, param: -1 },
  { name: 'pow_scalar', lo: -4, hi: 4, rtol: 2e-7, atol: 0, param: 3 },
  { name: 'pow_scalar', lo: -4, hi: 4, rtol: 0, atol: 0, param: 1 },
  { name: 'pow_scalar', lo: -4, hi: 4, rtol: 0, atol: 0, param: 0 },
];
const SPECIALS = [NaN, Infinity, -Infinity, 0, -0, 1e-40, -1e-40, 3e38, -3e38, 88.8, -104, 1, -1, 0.5];

function fwd(k: Kernels, c: Case, out: number, x: number, n: number): void {
  if (c.param === undefined) (k[`${c.name}_f32` as keyof Kernels] as UnaryKernel)(out, x, n);
  else (k[`${c.name}_f32` as keyof Kernels] as (o: number, x: number, n: number, p: number) => void)(out, x, n, c.param);
}
function bwd(k: Kernels, c: Case, dx: number, x: number, y: number, dy: number, n: number): void {
  const f = k[`${c.name}_backward_f32` as keyof Kernels];
  if (c.param === undefined) (f as UnaryBackwardKernel)(dx, x, y, dy, n);
  else (f as (...a: number[]) => void)(dx, x, y, dy, n, c.param);
}
const forward = (b: Backend, c: Case, x: Float32Array) =>
  runKernel(b, [new Float32Array(x.length), x], (p) => fwd(b.kernels, c, p[0]!, p[1]!, x.length))[0] as Float32Array;

describe.each(BACKENDS)('unary kernels on %s', (be) => {
  for (const c of CASES) {
    const label = `${c.name}${c.param === undefined ? '' : `(${c.param})`}`;
    it(`${label} forward at every size, in place, and on special values`, async () => {
      const ref = await backend('js'), b = await backend(be);
      for (const n of SIZES) {
        const x = randomArray(n, n + 1, c.lo, c.hi);
        const want = forward(ref, c, x);
        expectClose(forward(b, c, x), want, c, `${be} ${label} n=${n}`);
        const [inPlace] = runKernel(b, [x], (p) => fwd(b.kernels, c, p[0]!, p[0]!, n));
        expectClose(inPlace!, want, c, `${be} ${label} in place n=${n}`);
      }
      const s = new Float32Array(SPECIALS);
      expectClose(forward(b, c, s), forward(ref, c, s), { rtol: Math.max(c.rtol, 4e-7), atol: 1e-42 },
        `${be} ${label} specials`);
    });
    it(`${label} backward accumulates dy·f'(x)`, async () => {
      const ref = await backend('js'), b = await backend(be);
      for (const n of SIZES) {
        const x = randomArray(n, n + 2, c.lo, c.hi);
        if (c.name === 'relu' || c.name === 'abs' || c.name === 'leaky_relu') x[0] = 0;
        const y = forward(ref, c, x), dy = randomArray(n, n + 3, -2, 2), dx = randomArray(n, n + 4);
        const run = (k: Backend) => runKernel(k, [dx, x, y, dy], (p) => bwd(k.kernels, c, p[0]!, p[1]!, p[2]!, p[3]!, n))[0]!;
        const want = run(ref) as Float32Array;
        expectClose(run(b), want, { rtol: Math.max(4 * c.rtol, 1e-6), atol: 1e-6 }, `${be} ${label}' n=${n}`);
        if (n >= 8 && c.param !== 0) expect(want.some((v, i) => v !== dx[i])).toBe(true);
      }
    });
  }
});
