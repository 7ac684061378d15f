// Convolution kernels (forward, input gradient, weight + bias gradient) on every backend — the JS
// reference included — against naive f64 twins written here from the definition (direct
// convolution: output (i, j) reads input row i·sh + a·dh − ph, column j·sw + b·dw − pw for tap
// (a, b), zero outside the image; no im2col), at awkward geometries: 1×1 images and kernels, odd
// kernels, stride larger than the kernel, dilation, asymmetric (bottom/right) padding, groups and
// depthwise, channel counts off the 4×8 tile, sizes that cross the GEMM's K (256), M (64/128)
// and N (1024) blocks, and both forms of the SIMD builds' input gradient (a convolution of dY
// when padded, a scatter when not). Outputs start as NaN (the forward must write every element), gradients
// accumulate onto random buffers, the workspace comes from the heap poisoned with NaN (a kernel
// must not read scratch it did not write), the input gradient also overwrites a NaN buffer
// (overwrite = 1), and sentinel words after each output must survive.
// Tolerances (the reasoning of tests/backend/gemm.test.ts): the wasm builds sum in f32, blocked,
// in any order, so a sum of t products of values in [−1, 1] lands within ~2e-8·t of the f64 sum;
// each bound is 2e-6·(t + 4) absolute (a margin of ~100; the +4 covers the bias and the value
// accumulated onto) plus 1e-5 relative, with t the terms of one output: cin/groups·kh·kw for the
// forward, cout/groups·kh·kw for the input gradient, n·oh·ow for the weight and bias gradients.
import { expect } from 'vitest';
import { randomArray } from '../helpers/backends.js';
import type { Kernels, Ptr } from '../../src/backend/backend.js';
import type { Backend } from '../../src/backend/create-backend.js';
import { kernelSuite, type KernelCase } from './harness.js';

interface Geo {
  n: number; cin: number; h: number; w: number; cout: number; kh: number; kw: number;
  sh: number; sw: number; ph: number; pw: number; dh: number; dw: number; groups: number;
  /** Extra bottom/right padding (oh, ow grow by it; the kernel pads with zeros implicitly). */
  extra?: number;
  /** NaN and −∞ in x (forward, weight gradient) and NaN in dy (input gradient only: a padded tap's
   * NaN·0 is a NaN for a GEMM on zero-padded columns and nothing for the definition; unspecified). */
  specials?: boolean;
}

const G = (n: number, cin: number, h: number, w: number, cout: number, k: number, s = 1, p = 0, d = 1, groups = 1, extra = 0): Geo =>
  ({ n, cin, h, w, cout, kh: k, kw: k, sh: s, sw: s, ph: p, pw: p, dh: d, dw: d, groups, extra });

const CASES: Geo[] = [
  G(1, 1, 1, 1, 1, 1),                       // 1×1 image, 1×1 kernel
  G(2, 3, 1, 1, 5, 3, 1, 1),                 // 1×1 image, padded 3×3
  G(2, 3, 7, 9, 5, 3, 1, 1),                 // odd sizes, 'same'
  { ...G(2, 3, 7, 9, 5, 3, 1, 1), specials: true },
  G(3, 2, 11, 10, 6, 5, 1, 2),               // LeNet-like, 5×5
  G(1, 4, 9, 9, 3, 2, 3),                    // stride > kernel
  G(2, 3, 12, 11, 4, 3, 2, 1, 2),            // stride 2, dilation 2
  G(2, 2, 28, 27, 5, 5, 2, 2),               // stride 2: four at a time, and the last inputs of a row
  G(1, 3, 19, 21, 4, 4, 2, 1),               // stride 2, even kernel, odd sizes
  G(1, 4, 8, 8, 6, 3, 1, 1, 1, 2),           // groups 2
  G(2, 5, 9, 7, 5, 3, 2, 1, 1, 5),           // depthwise
  G(1, 3, 6, 6, 6, 3, 1, 1, 1, 3),           // depthwise, multiplier 2
  G(1, 2, 5, 6, 3, 4, 1, 1, 1, 1, 1),        // even kernel, 'same' (pad 1 top/left, 2 bottom/right)
  { ...G(1, 3, 7, 8, 2, 1), kh: 1, kw: 3, pw: 1, sh: 2 }, // a 1×k kernel (Conv1d shape) with row stride
  G(2, 6, 14, 13, 7, 5),                     // LeNet conv2-like, unpadded: the input gradient scatters
  G(1, 4, 9, 10, 6, 3, 1, 2, 2, 2),          // dilated, padded, groups: the input gradient as a convolution
  G(1, 4, 9, 10, 6, 3, 1, 0, 2, 2),          // dilated, unpadded, groups: it scatters
  G(2, 5, 9, 7, 5, 3, 1, 0, 1, 5),           // depthwise, unpadded: scatters over one output channel
  G(1, 32, 6, 5, 9, 3, 1, 1),                // K = 288 > 256 (two K blocks), 9 rows
  G(1, 8, 41, 30, 5, 3, 1, 1),               // 1230 positions > 1024 (two N blocks)
  G(2, 9, 8, 8, 70, 3, 1, 1),                // 70 output channels (two M blocks in the scalar build)
  G(2, 3, 9, 11, 70, 3),                     // 70 output channels, unpadded: the scatter's k is 70, 27 taps
];

const GUARD = 4;
const SENTINEL = 12345.5;

function outSize(g: Geo): [number, number] {
  const e = g.extra ?? 0;
  return [Math.floor((g.h + 2 * g.ph + e - g.dh * (g.kh - 1) - 1) / g.sh) + 1, Math.floor((g.w + 2 * g.pw + e - g.dw * (g.kw - 1) - 1) / g.sw) + 1];
}

const name = (g: Geo) => `n${g.n} ${g.cin}→${g.cout} ${g.h}×${g.w} k${g.kh}×${g.kw} s${g.sh},${g.sw} p${g.ph},${g.pw}` +
  ` d${g.dh} g${g.groups}${g.extra ? ` +${g.extra}` : ''}${g.specials ? ' NaN' : ''}`;

/** a followed by GUARD sentinel words (an output buffer and its expectation). */
function guarded(a: ArrayLike<number>): Float32Array {
  const out = new Float32Array(a.length + GUARD).fill(SENTINEL);
  out.set(a);
  return out;
}

/** The input value at (image i, channel c, row r, column s), 0 outside the image. */
const at = (g: Geo, x: Float32Array, i: number, c: number, r: number, s: number): number =>
  (r < 0 || r >= g.h || s < 0 || s >= g.w ? 0 : x[((i * g.cin + c) * g.h + r) * g.w + s]!);

/** y[i, co, oy, ox] = bias[co] + Σ_{c, a, b} w[co, c, a, b]·x[i, group·cg + c, oy·sh + a·dh − ph, ox·sw + b·dw − pw]. */
function forwardTwin(g: Geo, x: Float32Array, w: Float32Array, bias: Float32Array | null): Float64Array {
  const [oh, ow] = outSize(g), cg = g.cin / g.groups, og = g.cout / g.groups;
  const y = new Float64Array(g.n * g.cout * oh * ow);
  for (let i = 0; i < g.n; i++) for (let co = 0; co < g.cout; co++) for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) {
    let s = bias ? bias[co]! : 0;
    for (let c = 0; c < cg; c++) for (let a = 0; a < g.kh; a++) for (let b = 0; b < g.kw; b++) {
      const r = oy * g.sh + a * g.dh - g.ph, q = ox * g.sw + b * g.dw - g.pw;
      if (r >= 0 && r < g.h && q >= 0 && q < g.w) {   // outside: a zero (skipped, so NaN·0 never arises)
        s += w[((co * cg + c) * g.kh + a) * g.kw + b]! * at(g, x, i, Math.floor(co / og) * cg + c, r, q);
      }
    }
    y[((i * g.cout + co) * oh + oy) * ow + ox] = s;
  }
  return y;
}

/** dx0 + ∂(Σ dy·y)/∂x, gathered per input element: dx[i, c, r, q] += Σ w[co, c', a, b]·dy[i, co, oy, ox]
 * over the output channels of c's group and the taps with r = oy·sh + a·dh − ph, q = ox·sw + b·dw − pw. */
function inputGradTwin(g: Geo, dx0: Float32Array, dy: Float32Array, w: Float32Array): Float64Array {
  const [oh, ow] = outSize(g), cg = g.cin / g.groups, og = g.cout / g.groups;
  const dx = new Float64Array(dx0);
  /** The output coordinate whose tap t reads input coordinate v, or −1. */
  const src = (v: number, t: number, s: number, d: number, p: number, o: number) => {
    const u = v + p - t * d;
    return u >= 0 && u % s === 0 && u / s < o ? u / s : -1;
  };
  for (let i = 0; i < g.n; i++) for (let c = 0; c < g.cin; c++) for (let r = 0; r < g.h; r++) for (let q = 0; q < g.w; q++) {
    const grp = Math.floor(c / cg);
    let s = 0;
    for (let co = grp * og; co < (grp + 1) * og; co++) for (let a = 0; a < g.kh; a++) for (let b = 0; b < g.kw; b++) {
      const oy = src(r, a, g.sh, g.dh, g.ph, oh), ox = src(q, b, g.sw, g.dw, g.pw, ow);
      if (oy >= 0 && ox >= 0) s += w[((co * cg + c - grp * cg) * g.kh + a) * g.kw + b]! * dy[((i * g.cout + co) * oh + oy) * ow + ox]!;
    }
    dx[((i * g.cin + c) * g.h + r) * g.w + q]! += s;
  }
  return dx;
}

/** dw0 + Σ_{i, oy, ox} dy[i, co, oy, ox]·x(…) per weight, and db0 + Σ dy per output channel. */
function weightGradTwin(g: Geo, dw0: Float32Array, db0: Float32Array, dy: Float32Array, x: Float32Array): [Float64Array, Float64Array] {
  const [oh, ow] = outSize(g), cg = g.cin / g.groups, og = g.cout / g.groups;
  const dw = new Float64Array(dw0), db = new Float64Array(db0);
  for (let co = 0; co < g.cout; co++) {
    for (let c = 0; c < cg; c++) for (let a = 0; a < g.kh; a++) for (let b = 0; b < g.kw; b++) {
      let s = 0;
      for (let i = 0; i < g.n; i++) for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) {
        const r = oy * g.sh + a * g.dh - g.ph, q = ox * g.sw + b * g.dw - g.pw;
        if (r >= 0 && r < g.h && q >= 0 && q < g.w) {
          s += dy[((i * g.cout + co) * oh + oy) * ow + ox]! * at(g, x, i, Math.floor(co / og) * cg + c, r, q);
        }
      }
      dw[((co * cg + c) * g.kh + a) * g.kw + b]! += s;
    }
    for (let i = 0; i < g.n; i++) for (let j = 0; j < oh * ow; j++) db[co]! += dy[(i * g.cout + co) * oh * ow + j]!;
  }
  return [dw, db];
}

/** n, cin, h, w, cout, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw, groups: the kernels' trailing arguments. */
type Geometry = [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number];
type ConvCall = (K: Kernels, p: Ptr[], ws: Ptr, geo: Geometry) => void;

/** The call with a NaN-poisoned workspace of the size the backend asks for, then the geometry. */
const withWorkspace = (g: Geo, f: ConvCall) => (K: Kernels, p: Ptr[], be: Backend): void => {
  const [oh, ow] = outSize(g), geo: Geometry = [g.n, g.cin, g.h, g.w, g.cout, oh, ow, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.dh, g.dw, g.groups];
  const bytes = K.conv2d_workspace_f32(...geo);
  expect(bytes).toBeGreaterThanOrEqual(0);
  const ws = be.heap.alloc(Math.max(16, bytes));
  be.heap.f32.fill(NaN, ws >> 2, (ws + bytes) >> 2);
  try {
    f(K, p, ws, geo);
  } finally {
    be.heap.free(ws);
  }
};

const tol = (terms: number) => ({ rtol: 1e-5, atol: 2e-6 * (terms + 4) });

/** The inputs of one geometry (seeded by its position in CASES). */
function inputs(g: Geo, seed: number) {
  const [oh, ow] = outSize(g), k = (g.cin / g.groups) * g.kh * g.kw;
  const x = randomArray(g.n * g.cin * g.h * g.w, seed * 8 + 1), dy = randomArray(g.n * g.cout * oh * ow, seed * 8 + 4);
  if (g.specials) { x[4] = NaN; x[x.length - 3] = -Infinity; dy[5] = NaN; }
  return { x, dy, w: randomArray(g.cout * k, seed * 8 + 2), bias: randomArray(g.cout, seed * 8 + 3), ysize: g.n * g.cout * oh * ow };
}

function forwardCases(): KernelCase[] {
  return CASES.flatMap((g, seed) => {
    const { x, w, bias, ysize } = inputs(g, seed);
    return [true, false].map((withBias): KernelCase => ({
      label: `forward ${name(g)} bias=${withBias}`,
      bufs: [guarded(new Float32Array(ysize).fill(NaN)), x, w, bias],
      call: withWorkspace(g, (k, p, ws, geo) => k.conv2d_f32(p[0]!, p[1]!, p[2]!, withBias ? p[3]! : 0, ws, ...geo)),
      want: [guarded(forwardTwin(g, x, w, withBias ? bias : null))],
      tol: tol((g.cin / g.groups) * g.kh * g.kw),
    }));
  });
}

/** Accumulating onto a random dx, and overwriting a NaN one. */
function inputGradCases(): KernelCase[] {
  return CASES.flatMap((g, seed) => [0, 1].map((overwrite): KernelCase => {
    const { x, dy, w } = inputs(g, seed), dx0 = randomArray(x.length, seed * 8 + 5);
    return {
      label: `input gradient ${name(g)} overwrite=${overwrite}`,
      bufs: [guarded(overwrite ? new Float32Array(x.length).fill(NaN) : dx0), dy, w],
      call: withWorkspace(g, (k, p, ws, geo) => k.conv2d_backward_input_f32(p[0]!, p[1]!, p[2]!, ws, ...geo, overwrite)),
      want: [guarded(inputGradTwin(g, overwrite ? new Float32Array(x.length) : dx0, dy, w))],
      tol: tol((g.cout / g.groups) * g.kh * g.kw),
    };
  }));
}

function weightGradCases(): KernelCase[] {
  return CASES.flatMap((g, seed) => {
    const { x, w } = inputs(g, seed), [oh, ow] = outSize(g);
    const dy = inputs(g, seed).dy.map((v) => (Number.isNaN(v) ? 0.5 : v));
    const dw0 = randomArray(w.length, seed * 8 + 6), db0 = randomArray(g.cout, seed * 8 + 7);
    const [dwWant, dbWant] = weightGradTwin(g, dw0, db0, dy, x);
    // both gradients, the weight's alone, the bias's alone (a 0 pointer: not wanted, left alone)
    return [[true, true], [true, false], [false, true]].map(([wantW, wantB]): KernelCase => ({
      label: `weight gradient ${name(g)} dw=${wantW} dbias=${wantB}`,
      bufs: [guarded(dw0), guarded(db0), dy, x],
      call: withWorkspace(g, (k, p, ws, geo) =>
        k.conv2d_backward_weight_f32(wantW ? p[0]! : 0, wantB ? p[1]! : 0, p[2]!, p[3]!, ws, ...geo)),
      want: [wantW ? guarded(dwWant) : undefined, wantB ? guarded(dbWant) : undefined],
      tol: tol(g.n * oh * ow),
    }));
  });
}

kernelSuite('convolution kernels', {
  conv2d_f32: forwardCases,
  conv2d_backward_input_f32: inputGradCases,
  conv2d_backward_weight_f32: weightGradCases,
});
