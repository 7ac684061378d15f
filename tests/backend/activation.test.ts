// Unary kernels (forward, in place, backward) on every backend — the JS reference included —
// against naive f64 twins written here, at all SIZES and on special values (NaN, ±inf, ±0, huge,
// subnormal). Expectations are the f64 value rounded to f32 (what a store of the exact result
// holds); tolerances say how far from that each kernel may land:
//  - 0 for neg/abs/relu/leaky_relu/sqrt and integer exponents 0, ±1, 2: one correctly rounded
//    f32 operation (an f64 +−×÷√ of f32 operands rounds to the same f32), so every backend is exact;
//  - the wasm math approximations' measured bounds (assembly/vmath.ts, tests/backend/vmath.test.ts:
//    ≤ 2.5–8e-7 relative from the rounded value) for exp/log/tanh/sigmoid/gelu/silu/pow, and two
//    subnormal steps (3e-45) where the output underflows;
//  - backward dx0 + dy·f′ (or dy·f′ alone with overwrite = 1, dx starting NaN): the forward's bound
//    on f′ (×4: f′ combines up to four such terms) plus 1e-6 absolute for the f32 add of terms up
//    to |dy·f′| ≲ 4 (dy ∈ [−2, 2]).
import { expect, it } from 'vitest';
import { SIZES, randomArray } from '../helpers/backends.js';
import { Phi, phi } from '../helpers/normal-cdf.js';
import type { Kernels } from '../../src/backend/backend.js';
import { kernelSuite, type KernelCase } from './harness.js';

const sig = (x: number) => 1 / (1 + Math.exp(-x));
/** f(x, p) and f′(x, y, p) in f64 (y = the stored f32 forward output, used where f′ is written with it). */
interface Twin { f: (x: number, p: number) => number; df: (x: number, y: number, p: number) => number }
const TWINS: Record<string, Twin> = {
  neg: { f: (x) => -x, df: () => -1 },
  abs: { f: Math.abs, df: (x) => Math.sign(x) },                       // sign(0) = 0: f′(0) = 0
  exp: { f: Math.exp, df: (_x, y) => y },
  log: { f: Math.log, df: (x) => 1 / x },
  sqrt: { f: Math.sqrt, df: (_x, y) => 0.5 / y },
  tanh: { f: Math.tanh, df: (_x, y) => 1 - y * y },
  sigmoid: { f: sig, df: (_x, y) => y * (1 - y) },
  relu: { f: (x) => (x < 0 ? 0 : x), df: (x) => (x > 0 ? 1 : 0) },   // NaN passes, −0 stays −0
  gelu: { f: (x) => x * Phi(x), df: (x) => Phi(x) + x * phi(x) },
  silu: { f: (x) => x * sig(x), df: (x) => sig(x) * (1 + x * (1 - sig(x))) },
  leaky_relu: { f: (x, p) => (x > 0 ? x : p * x), df: (x, _y, p) => (x > 0 ? 1 : p) },
  pow_scalar: { f: (x, p) => x ** p, df: (x, _y, p) => (p === 0 ? 0 : p * x ** (p - 1)) },
};

interface Case { name: keyof typeof TWINS; lo: number; hi: number; rtol: number; atol: number; param?: number }
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
  { name: 'pow_scalar', lo: 0, hi: 4, rtol: 3e-7, atol: 0, param: 2.5 },
  { name: 'pow_scalar', lo: -4, hi: 4, rtol: 0, atol: 0, param: 2 },
  { name: 'pow_scalar', lo: -4, hi: 4, rtol: 0, atol: 0, param: -1 },
  { name: 'pow_scalar', lo: -4, hi: 4, rtol: 2e-7, atol: 0, param: 3 },  // x·x·x: two roundings
  { name: 'pow_scalar', lo: -4, hi: 4, rtol: 0, atol: 0, param: 1 },
  { name: 'pow_scalar', lo: -4, hi: 4, rtol: 0, atol: 0, param: 0 },
];
const SPECIALS = [NaN, Infinity, -Infinity, 0, -0, 1e-40, -1e-40, 3e38, -3e38, 88.8, -104, 1, -1, 0.5];

type Call = (k: Kernels, p: number[]) => void;
const fwdCall = (c: Case, n: number, inPlace = false): Call => (k, p) =>
  (k[`${c.name}_f32` as keyof Kernels] as (...a: number[]) => void)(p[0]!, p[inPlace ? 0 : 1]!, n, c.param ?? 0);
/** The backward call; overwrite 1 writes dx instead of adding to it (after p for the param kernels). */
const bwdCall = (c: Case, n: number, overwrite = 0): Call => (k, p) =>
  (k[`${c.name}_backward_f32` as keyof Kernels] as (...a: number[]) => void)(p[0]!, p[1]!, p[2]!, p[3]!, n,
    ...(c.param === undefined ? [overwrite] : [c.param, overwrite]));

/** Forward (fresh output, in place, specials) and backward cases of one kernel at every size. */
function cases(c: Case): KernelCase[] {
  const t = TWINS[c.name]!, p = Math.fround(c.param ?? 0), label = `${c.name}${c.param === undefined ? '' : `(${c.param})`}`;
  const f = (x: Float32Array) => x.map((v) => t.f(v, p));            // Float32Array.map rounds on store
  const out: KernelCase[] = [];
  for (const n of SIZES) {
    const x = randomArray(n, n + 1, c.lo, c.hi), y = f(x);
    out.push({ label: `${label} n=${n}`, bufs: [new Float32Array(n), x], call: fwdCall(c, n), want: [y, undefined], tol: c });
    out.push({ label: `${label} in place n=${n}`, bufs: [x], call: fwdCall(c, n, true), want: [y], tol: c });
    const xb = randomArray(n, n + 2, c.lo, c.hi);
    if (c.name === 'relu' || c.name === 'abs' || c.name === 'leaky_relu') xb[0] = 0;
    const yb = f(xb), dy = randomArray(n, n + 3, -2, 2), dx = randomArray(n, n + 4);
    const dxWant = dx.map((d, i) => d + dy[i]! * t.df(xb[i]!, yb[i]!, p));
    if (n >= 8 && c.param !== 0) expect(dxWant.some((v, i) => v !== dx[i]), `${label} backward moves dx`).toBe(true);
    out.push({ label: `${label}' n=${n}`, bufs: [dx, xb, yb, dy], call: bwdCall(c, n), want: [dxWant],
      tol: { rtol: Math.max(4 * c.rtol, 1e-6), atol: 1e-6 } });
    // overwrite: dx (NaN before) = dy·f′, never read
    out.push({ label: `${label}' overwrite n=${n}`, bufs: [new Float32Array(n).fill(NaN), xb, yb, dy], call: bwdCall(c, n, 1),
      want: [dy.map((d, i) => d * t.df(xb[i]!, yb[i]!, p))], tol: { rtol: Math.max(4 * c.rtol, 1e-6), atol: 1e-6 } });
  }
  const s = new Float32Array(SPECIALS);
  out.push({ label: `${label} specials`, bufs: [new Float32Array(s.length), s], call: fwdCall(c, s.length), want: [f(s), undefined],
    tol: { rtol: Math.max(c.rtol, 4e-7), atol: 1e-42 } });
  return out;
}

kernelSuite('unary kernels', Object.fromEntries(CASES.map((c) =>
  [`${c.name}${c.param === undefined ? '' : `(${c.param})`}`, () => cases(c)])));

it('the GELU twin Φ matches published values of the normal CDF', () => {
  // Φ(x) to 16 digits (Abramowitz & Stegun 26.2 / any table of the normal distribution)
  const table: [number, number][] = [[-10, 7.619853024160527e-24], [-6, 9.865876450376946e-10],
    [-3, 1.3498980316300946e-3], [-1, 0.15865525393145707], [0, 0.5], [1, 0.8413447460685429], [2.5, 0.9937903346742238]];
  for (const [x, v] of table) expect(Math.abs(Phi(x) - v) / v, `Φ(${x})`).toBeLessThan(1e-14);
});
