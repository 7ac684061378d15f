// Fused optimizer kernels (sgd, adam/adamw, rmsprop, adagrad) and the clipping helpers
// (sum_squares, abs_max, clamp) on every backend — the JS reference included — against naive f64
// twins written here from the formulas in src/backend/backend.ts (PyTorch's torch.optim updates),
// at every SIZE, with each option switched on, over 3 steps (state carried between calls).
// Tolerance for the updates: 1e-6 relative, 1e-7 absolute — the kernels round every operation to
// f32 (2–3 roundings per term, 3 steps: ≲ 8 ulp relative) where the twin keeps f64 throughout, and
// values near 0 (a state that cancels) carry the absolute error of one ulp of the unit-scale
// operands. Separately, scalar and simd must equal the JS reference bit for bit (they promise the
// same operation order, so runs reproduce across backends); relaxed may fuse multiply-adds.
import { describe, it, expect } from 'vitest';
import { BACKENDS, SIZES, backend, expectClose, randomArray } from '../helpers/backends.js';
import type { Backend } from '../../src/backend/create-backend.js';
import type { Kernels, Ptr } from '../../src/backend/backend.js';
import { kernelSuite, runKernel, sameBits, type KernelCase } from './harness.js';

const r = Math.fround;
const STEPS = 3;

/** Runs `steps` calls of a kernel with state buffers kept between calls; returns all buffers. */
function run(b: Backend, bufs: Float32Array[], steps: number, call: (p: Ptr[], t: number) => void): Float32Array[] {
  return runKernel(b, bufs, (p) => { for (let t = 1; t <= steps; t++) call(p, t); }) as Float32Array[];
}

/** One optimizer configuration: the kernel call at step t, and the f64 twin of one step on element
 * values (p, g, state...) returning the new (p, state...). */
interface Case {
  name: string; nState: number;
  call(k: Kernels, p: Ptr[], n: number, t: number): void;
  step(x: number[], t: number): number[];
}

interface AdamOpts { wd?: number; ams?: boolean; adamw?: boolean; both?: boolean }
const LR = 0.01, B1 = 0.9, B2 = 0.999;
const adamArgs = (o: AdamOpts, t: number) => ({
  stepSize: LR / (1 - B1 ** t), l2: o.adamw && !o.both ? 0 : o.wd ?? 0, bc2: Math.sqrt(1 - B2 ** t),
  decay: o.adamw ? 1 - LR * (o.wd ?? 0) : 1,
});
const adam = (name: string, o: AdamOpts): Case => ({
  name, nState: o.ams ? 3 : 2,
  call: (k, p, n, t) => {
    const a = adamArgs(o, t);
    k.adam_f32(p[0]!, p[1]!, p[2]!, p[3]!, o.ams ? p[4]! : 0, n, a.stepSize, B1, 1 - B1, B2, 1 - B2, 1e-8, a.l2, a.bc2, a.decay);
  },
  step: ([p, g, m, v, vmax], t) => {
    const a = adamArgs(o, t);
    const pd = p! * r(a.decay), gd = g! + r(a.l2) * pd;
    const m2 = r(B1) * m! + r(1 - B1) * gd;
    let v2 = r(B2) * v! + r(1 - B2) * gd * gd;
    if (v2 < 2 ** -126) v2 = 0;                                         // flushed, as documented
    const vh = o.ams ? Math.max(vmax!, v2) : v2;
    const p2 = pd - r(a.stepSize) * m2 / (Math.sqrt(vh) / r(a.bc2) + r(1e-8));
    return o.ams ? [p2, m2, v2, vh] : [p2, m2, v2];
  },
});
/** SGD twin: d = g + wd·p; buf = first ? d : μ·buf + (1−τ)·d; d = nesterov ? d + μ·buf : buf. */
const sgd = (name: string, lr: number, wd: number, mom: number, damp1: number, nesterov: number): Case => ({
  name, nState: mom ? 1 : 0,
  call: (k, p, n, t) => k.sgd_f32(p[0]!, p[1]!, mom ? p[2]! : 0, n, lr, wd, mom, damp1, nesterov, t === 1 ? 1 : 0),
  step: ([p, g, buf], t) => {
    let d = g! + r(wd) * p!;
    if (!mom) return [p! - r(lr) * d];
    const b = t === 1 ? d : r(mom) * buf! + r(damp1) * d;
    d = nesterov ? d + r(mom) * b : b;
    return [p! - r(lr) * d, b];
  },
});
/** RMSprop twin (PyTorch's order of state buffers: square_avg, grad_avg, momentum_buffer). */
const rmsprop = (name: string, alpha: number, eps: number, wd: number, mom: number, centered: boolean): Case => ({
  name, nState: centered || mom ? 3 : 1,
  call: (k, p, n) => k.rmsprop_f32(p[0]!, p[1]!, p[2]!, centered ? p[3]! : 0, mom ? p[4]! : 0, n, 0.01, alpha, 1 - alpha, eps, wd, mom),
  step: ([p, g, sq, ga, buf]) => {
    const gd = g! + r(wd) * p!, a = r(alpha), c = r(1 - alpha);
    const sq2 = a * sq! + c * gd * gd, ga2 = centered ? a * ga! + c * gd : ga!;
    const avg = Math.sqrt(centered ? sq2 - ga2 * ga2 : sq2) + r(eps);
    const buf2 = mom ? r(mom) * buf! + gd / avg : buf!;
    const p2 = p! - r(0.01) * (mom ? buf2 : gd / avg);
    return centered || mom ? [p2, sq2, ga2, buf2] : [p2, sq2];
  },
});
const adagrad = (name: string, clr: (t: number) => number, wd: number): Case => ({
  name, nState: 1,
  call: (k, p, n, t) => k.adagrad_f32(p[0]!, p[1]!, p[2]!, n, clr(t), wd, 1e-10),
  step: ([p, g, sum], t) => {
    const gd = g! + r(wd) * p!, s2 = sum! + gd * gd;
    return [p! - r(clr(t)) * gd / (Math.sqrt(s2) + r(1e-10)), s2];
  },
});

const CASES: Case[] = [
  sgd('sgd plain', 0.1, 0, 0, 1, 0),
  sgd('sgd weight decay', 0.1, 0.01, 0, 1, 0),
  sgd('sgd momentum+dampening', 0.1, 0, 0.9, 0.9, 0),
  sgd('sgd nesterov+wd', 0.05, 1e-3, 0.9, 1, 1),
  adam('adam', {}),
  adam('adam wd+amsgrad', { wd: 0.01, ams: true }),
  adam('adamw', { wd: 0.05, adamw: true }),
  adam('adamw amsgrad', { wd: 0.05, adamw: true, ams: true }),
  adam('adam L2 and decoupled decay at once', { wd: 0.05, adamw: true, both: true, ams: true }),
  rmsprop('rmsprop', 0.99, 1e-8, 0, 0, false),
  rmsprop('rmsprop centered+momentum+wd', 0.9, 1e-8, 0.01, 0.5, true),
  rmsprop('rmsprop momentum', 0.99, 1e-6, 0, 0.9, false),
  adagrad('adagrad', (t) => 0.1 / (1 + (t - 1) * 0.01), 0),
  adagrad('adagrad wd', (t) => 0.1 / t, 0.1),
];

function inputs(n: number, nState: number, seed: number): Float32Array[] {
  const g = randomArray(n, seed + 1, -2, 2);
  if (n > 6) { g[3] = 0; g[5] = 1e-30; } // zero and tiny gradients (second moment flush)
  const bufs = [randomArray(n, seed), g];
  for (let s = 0; s < nState; s++) bufs.push(s === 0 ? new Float32Array(n).fill(0.1) : new Float32Array(n));
  return bufs;
}

/** STEPS calls at one size, and the twin run element by element; the gradient buffer is an input. */
function optimCase(c: Case, n: number): KernelCase {
  const bufs = inputs(n, c.nState, n + 7), want = bufs.map((b) => Array.from(b));
  for (let i = 0; i < n; i++) {
    let x = bufs.map((b) => b[i]!);
    for (let t = 1; t <= STEPS; t++) {
      const [p, ...state] = c.step(x, t);
      x = [p!, x[1]!, ...state];
    }
    x.forEach((v, j) => { want[j]![i] = v; });
  }
  if (n > 0) expect(want[0]!.some((v, i) => v !== bufs[0]![i]), `${c.name}: parameters move`).toBe(true);
  return {
    label: `${c.name} n=${n}`, bufs, want: want.map((w, j) => (j === 1 ? undefined : w)), tol: { rtol: 1e-6, atol: 1e-7 },
    call: (k, p) => { for (let t = 1; t <= STEPS; t++) c.call(k, p, n, t); },
  };
}

/** sum_squares (a double), abs_max and clamp at one size, with a NaN for clamp to pass through. */
function clipCases(n: number): KernelCase[] {
  const x = randomArray(n, n + 3, -3, 3), xs = x.slice();
  if (n > 2) xs[1] = NaN;
  const ss = Array.from(x).reduce((a, v) => a + v * v, 0), am = Array.from(x).reduce((a, v) => Math.max(a, Math.abs(v)), 0);
  const lo = r(-0.5), hi = r(1);
  return [
    // f32 partial sums of ≤ 256 squares ≤ 9: relative error ≲ √256·2⁻²⁴ typical, 1e-6 bound
    { label: `sum_squares n=${n}`, bufs: [x], call: (k, p) => k.sum_squares_f32(p[0]!, n), want: [undefined], tol: [],
      returns: { want: ss, tol: { rtol: 1e-6, atol: 0 } } },
    { label: `abs_max n=${n}`, bufs: [x], call: (k, p) => k.abs_max_f32(p[0]!, n), want: [undefined], tol: [],
      returns: { want: am, tol: { rtol: 0, atol: 0 } } },
    { label: `clamp n=${n}`, bufs: [new Float32Array(n), xs], call: (k, p) => k.clamp_f32(p[0]!, p[1]!, n, -0.5, 1),
      want: [xs.map((v) => (v < lo ? lo : v > hi ? hi : v))], tol: 'bits' },
  ];
}

kernelSuite('optimizer kernels', {
  ...Object.fromEntries(CASES.map((c) => [c.name, () => SIZES.map((n) => optimCase(c, n))])),
  'sum_squares, abs_max and clamp': () => [...SIZES, 1000, 4099].flatMap(clipCases),
});

describe.each(BACKENDS.filter((b) => b === 'scalar' || b === 'simd'))('optimizer kernels on %s against the JS reference', (be) => {
  it('every configuration, bit for bit', async () => {
    const js = await backend('js'), b = await backend(be);
    for (const c of CASES) {
      const x = inputs(33, c.nState, 40);
      const want = run(js, x, STEPS, (p, t) => c.call(js.kernels, p, 33, t));
      run(b, x, STEPS, (p, t) => c.call(b.kernels, p, 33, t))
        .forEach((g, i) => expect(sameBits(g, want[i]!), `${c.name} buffer ${i}`).toBe(true));
    }
  });
});

describe.each(BACKENDS)('optimizer kernels on %s', (be) => {
  it('matches hand-computed first steps', async () => {
    const b = await backend(be);
    // Adam step 1: m = 0.1g, v = 0.001g², p −= lr·m/(1−β1) / (sqrt(v)/sqrt(1−β2) + eps) ≈ lr·sign(g)
    const [p] = run(b, [new Float32Array([1, 1, -1, 0, 2]), new Float32Array([0.5, -3, 1e-3, 0, 7]),
      new Float32Array(5), new Float32Array(5)], 1, (q) =>
      b.kernels.adam_f32(q[0]!, q[1]!, q[2]!, q[3]!, 0, 5, 0.1 / 0.1, 0.9, 0.1, 0.999, 0.001, 1e-8, 0, Math.sqrt(0.001), 1));
    expectClose(p!, [0.9, 1.1, -1.1, 0, 1.9], { rtol: 1e-5, atol: 1e-6 });
    // SGD with momentum: buf starts as the gradient
    const [q, , buf] = run(b, [new Float32Array([1, 2, 3, 4, 5]), new Float32Array([1, 1, 1, 1, 1]), new Float32Array(5).fill(9)], 2,
      (r, t) => b.kernels.sgd_f32(r[0]!, r[1]!, r[2]!, 5, 0.1, 0, 0.5, 1, 0, t === 1 ? 1 : 0));
    expectClose(buf!, [1.5, 1.5, 1.5, 1.5, 1.5], { rtol: 1e-7 });
    expectClose(q!, [0.75, 1.75, 2.75, 3.75, 4.75], { rtol: 1e-6 });
  });

  it('flushes subnormal second moments to zero', async () => {
    const b = await backend(be);
    const n = 9, v = new Float32Array(n).fill(2e-38), g = new Float32Array(n);
    const [, , , vv] = run(b, [new Float32Array(n).fill(1), g, new Float32Array(n), v], 1, (q) =>
      b.kernels.adam_f32(q[0]!, q[1]!, q[2]!, q[3]!, 0, n, 1e-3, 0.9, 0.1, 0.5, 0.5, 1e-8, 0, 1, 1));
    expect(Array.from(vv!)).toEqual(new Array(n).fill(0)); // 1e-38 after β2 = 0.5 is subnormal
  });

  it('sum_squares and abs_max are NaN when an element is', async () => {
    const b = await backend(be);
    const nan = new Float32Array([1, 2, NaN, 4, 5]);
    runKernel(b, [nan], (p) => { expect(b.kernels.abs_max_f32(p[0]!, 5)).toBeNaN(); expect(b.kernels.sum_squares_f32(p[0]!, 5)).toBeNaN(); });
  });
});
