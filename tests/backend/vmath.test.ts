// Accuracy of the math behind the unary kernels over dense sweeps on every backend — the wasm
// builds' approximations (assembly/vmath.ts) and the JS reference alike — measured against f64
// twins written here (Math.* and the tests' own normal CDF, rounded to f32). Reports the max relative error
// (outputs in the normal float range) and the max error in ulps; subnormal outputs must be within
// 2 subnormal steps. gelu/silu multiply x by Φ(x)/σ(x), which are subnormal far in the negative
// tail (x < −12.9 / −87): outputs below relFloor are checked against an absolute bound instead.
import { describe, it, expect } from 'vitest';
import { BACKENDS, backend } from '../helpers/backends.js';
import { Phi } from '../helpers/normal-cdf.js';
import type { Kernels, UnaryKernel } from '../../src/backend/backend.js';
import { runKernel } from './harness.js';

const N = 1 << 18;
const linspace = (lo: number, hi: number, n = N) =>
  Float32Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
/** Every (2^23/stepBits)-th positive float from tiny subnormals to the largest finite. */
function bitSweep(n = N): Float32Array {
  const u = new Uint32Array(n), step = Math.floor(0x7f7fffff / n);
  for (let i = 0; i < n; i++) u[i] = 1 + i * step;
  return new Float32Array(u.buffer);
}
const both = (a: Float32Array) => { const o = new Float32Array(a.length * 2); o.set(a); o.set(a.map((v) => -v), a.length); return o; };

const ulp = (v: number) => {
  const a = Math.abs(Math.fround(v));
  if (a < 2 ** -126) return 2 ** -149;
  return 2 ** (Math.floor(Math.log2(a)) - 23);
};

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
interface Sweep {
  kernel: string; xs: Float32Array; f: (x: number) => number; maxRel: number; maxUlp: number; subAbs?: number; relFloor?: number;
}
const SWEEPS: Sweep[] = [
  { kernel: 'exp_f32', xs: linspace(-104, 89), f: Math.exp, maxRel: 2.5e-7, maxUlp: 3 },
  { kernel: 'log_f32', xs: bitSweep(), f: Math.log, maxRel: 2.5e-7, maxUlp: 3 },
  { kernel: 'tanh_f32', xs: both(new Float32Array([...linspace(0, 10), ...bitSweep().filter((v) => v < 1)])), f: Math.tanh,
    maxRel: 3e-7, maxUlp: 4 },
  { kernel: 'sigmoid_f32', xs: linspace(-104, 90), f: sigmoid, maxRel: 3e-7, maxUlp: 4 },
  { kernel: 'gelu_f32', xs: linspace(-14, 10), f: (x) => x * Phi(x), maxRel: 8e-7, maxUlp: 8, subAbs: 2e-43, relFloor: 2e-37 },
  { kernel: 'silu_f32', xs: linspace(-104, 90), f: (x) => x * sigmoid(x), maxRel: 4e-7, maxUlp: 5, subAbs: 2e-43, relFloor: 2e-36 },
];
/** The f32-rounded twin values of each sweep, computed once and shared by the backends. */
const wanted = new Map<Sweep, Float32Array>();
const want = (s: Sweep) => wanted.get(s) ?? wanted.set(s, s.xs.map(s.f)).get(s)!;

describe.each(BACKENDS)('math approximations on %s', (be) => {
  for (const s of SWEEPS) {
    it(`${s.kernel} over ${s.xs.length} points`, async () => {
      const b = await backend(be);
      const got = runKernel(b, [new Float32Array(s.xs.length), s.xs], (p) =>
        (b.kernels[s.kernel as keyof Kernels] as UnaryKernel)(p[0]!, p[1]!, s.xs.length))[0] as Float32Array;
      // errors are measured against the f32-rounded f64 twin (so they include its half ulp)
      const ws = want(s);
      let maxRel = 0, maxUlp = 0, worst = 0, maxSub = 0;
      for (let i = 0; i < ws.length; i++) {
        const e = ws[i]!, a = got[i]!;
        if (Number.isNaN(e) || !Number.isFinite(e)) { expect(a).toBe(e); continue; }
        const d = Math.abs(a - e);
        if (Math.abs(e) >= (s.relFloor ?? 2 ** -126)) {
          if (d / Math.abs(e) > maxRel) { maxRel = d / Math.abs(e); worst = s.xs[i]!; }
          maxUlp = Math.max(maxUlp, d / ulp(e));
        } else maxSub = Math.max(maxSub, d);
      }
      console.log(`${be} ${s.kernel}: max rel ${maxRel.toExponential(2)} (at x=${worst}), max ${maxUlp} ulp, subnormal outputs within ${maxSub.toExponential(1)}`);
      expect(maxRel).toBeLessThanOrEqual(s.maxRel);
      expect(maxUlp).toBeLessThanOrEqual(s.maxUlp);
      expect(maxSub).toBeLessThanOrEqual(s.subAbs ?? 2 * 2 ** -149);
    });
  }
});
