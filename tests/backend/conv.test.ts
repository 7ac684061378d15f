// Convolution kernels (forward, input gradient, weight gradient + bias gradient) on every backend
// against the JS reference, at awkward geometries: 1×1 images and kernels, odd kernels, stride
// larger than the kernel, dilation, asymmetric (bottom/right) padding, groups and depthwise,
// channel counts off the 4×8 tile, and sizes that cross the GEMM's K (256), M (64/128) and N
// (1024) blocks. Gradients accumulate onto random buffers; the workspace is poisoned with NaN.
// On the kernel threads (3, every call split: by images, or by output channels) each pass must
// give exactly the one-thread bits.
import { describe, it } from 'vitest';
import { BACKENDS, THREADED, backend, expectClose, randomArray, threadedBackendOf } from '../helpers/backends.js';
import type { Backend } from '../../src/backend/create.js';
import { expectSameBits } from './harness.js';

interface Geo {
  n: number; cin: number; h: number; w: number; cout: number; kh: number; kw: number;
  sh: number; sw: number; ph: number; pw: number; dh: number; dw: number; groups: number;
  /** Extra bottom/right padding (oh, ow grow by it; the kernel pads with zeros implicitly). */
  extra?: number;
}

const G = (n: number, cin: number, h: number, w: number, cout: number, k: number, s = 1, p = 0, d = 1, groups = 1, extra = 0): Geo =>
  ({ n, cin, h, w, cout, kh: k, kw: k, sh: s, sw: s, ph: p, pw: p, dh: d, dw: d, groups, extra });

const CASES: Geo[] = [
  G(1, 1, 1, 1, 1, 1),                       // 1×1 image, 1×1 kernel
  G(2, 3, 1, 1, 5, 3, 1, 1),                 // 1×1 image, padded 3×3
  G(2, 3, 7, 9, 5, 3, 1, 1),                 // odd sizes, 'same'
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
  G(1, 32, 6, 5, 9, 3, 1, 1),                // K = 288 > 256 (two K blocks), 9 rows
  G(1, 8, 41, 30, 5, 3, 1, 1),               // 1230 positions > 1024 (two N blocks)
  G(2, 9, 8, 8, 70, 3, 1, 1),                // 70 output channels (two M blocks in the scalar build)
];

function outSize(g: Geo): [number, number] {
  const e = g.extra ?? 0;
  return [Math.floor((g.h + 2 * g.ph + e - g.dh * (g.kh - 1) - 1) / g.sh) + 1, Math.floor((g.w + 2 * g.pw + e - g.dw * (g.kw - 1) - 1) / g.sw) + 1];
}

const name = (g: Geo) => `n${g.n} ${g.cin}→${g.cout} ${g.h}×${g.w} k${g.kh}×${g.kw} s${g.sh},${g.sw} p${g.ph},${g.pw}` +
  ` d${g.dh} g${g.groups}${g.extra ? ` +${g.extra}` : ''}`;

/** Runs one pass on `be`: buffers copied in, workspace poisoned, every buffer read back. */
function run(be: Backend, g: Geo, bufs: Float32Array[], call: (p: number[], ws: number, oh: number, ow: number) => void): Float32Array[] {
  const { heap, kernels: K } = be;
  const [oh, ow] = outSize(g);
  const ptrs = bufs.map((b) => heap.writeF32(b.length ? b : new Float32Array(1)));
  const bytes = K.conv2d_workspace_f32(g.cin, g.cout, oh, ow, g.kh, g.kw, g.groups);
  const ws = heap.alloc(Math.max(16, bytes));
  heap.f32.fill(NaN, ws >> 2, (ws + bytes) >> 2);
  try {
    call(ptrs, ws, oh, ow);
    return bufs.map((b, i) => heap.readF32(ptrs[i]!, b.length));
  } finally {
    for (const p of [...ptrs, ws]) heap.free(p);
  }
}

describe.each(BACKENDS.filter((b) => b !== 'js'))('convolution kernels on %s', (be) => {
  it.each(CASES.map((g) => [name(g), g] as const))('%s', async (_, g) => {
    const ref = await backend('js'), b = await backend(be);
    const t = (THREADED as string[]).includes(be) ? await threadedBackendOf(be as 'simd') : undefined;
    /** The pass on 3 threads gives the bits of `got` (one thread). */
    const threads = (pass: (b: Backend) => Float32Array[], got: Float32Array[], label: string) => {
      if (t) expectSameBits(pass(t), got, `${be} × 3 threads ${label}`);
    };
    const [oh, ow] = outSize(g);
    const cg = g.cin / g.groups, k = cg * g.kh * g.kw;
    const geo = (p: number[], ws: number) => [ws, g.n, g.cin, g.h, g.w, g.cout, oh, ow, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.dh, g.dw, g.groups] as const;
    const x = randomArray(g.n * g.cin * g.h * g.w, 1), w = randomArray(g.cout * k, 2), bias = randomArray(g.cout, 3);
    const dy = randomArray(g.n * g.cout * oh * ow, 4);
    const tol = { rtol: 1e-5, atol: 2e-6 * (k + 4) };
    const tolBack = { rtol: 1e-5, atol: 2e-6 * (g.cout * g.kh * g.kw + g.n * oh * ow + 4) };
    for (const withBias of [true, false]) {
      const bufs = [new Float32Array(g.n * g.cout * oh * ow), x, w, bias];
      const pass = (be2: Backend) => run(be2, g, bufs, (p, ws) => be2.kernels.conv2d_f32(p[0]!, p[1]!, p[2]!, withBias ? p[3]! : 0, ...geo(p, ws)));
      const want = pass(ref), got = pass(b);
      expectClose(got[0]!, want[0]!, tol, `${be} forward bias=${withBias}`);
      threads(pass, got, `forward bias=${withBias}`);
    }
    const dx0 = randomArray(x.length, 5);
    const backIn = (be2: Backend) => run(be2, g, [dx0, dy, w], (p, ws) => be2.kernels.conv2d_backward_input_f32(p[0]!, p[1]!, p[2]!, ...geo(p, ws)));
    const gotIn = backIn(b);
    expectClose(gotIn[0]!, backIn(ref)[0]!, tolBack, `${be} input gradient`);
    threads(backIn, gotIn, 'input gradient');
    for (const withBias of [true, false]) {
      const bufs = [randomArray(w.length, 6), randomArray(g.cout, 7), dy, x];
      const backW = (be2: Backend) => run(be2, g, bufs, (p, ws) =>
        be2.kernels.conv2d_backward_weight_f32(p[0]!, withBias ? p[1]! : 0, p[2]!, p[3]!, ...geo(p, ws)));
      const want = backW(ref), got = backW(b);
      expectClose(got[0]!, want[0]!, tolBack, `${be} weight gradient`);
      expectClose(got[1]!, want[1]!, tolBack, `${be} bias gradient (bias=${withBias})`);
      threads(backW, got, `weight gradient bias=${withBias}`);
    }
  });
});
