// Pooling kernels (max with argmax, average with both divisor rules; forward and backward) on every
// backend — the JS reference included — against naive f64 twins written here: 1×1 planes, windows
// clipped by padding and by ceil-mode overhang, stride larger than the kernel, non-square windows,
// NaN and −∞ inputs, ties, and the 2×2 stride-2 path four outputs at a time (its overlapping last
// group, its scalar remainder; the backward's overwrite mode, inputs no window covers). Outputs
// start as NaN (every element must be written); sentinel words after each output must survive.
// Tolerances: max pooling selects a value, so y is compared
// bit for bit and the argmax (i32) exactly; average pooling sums at most 64 values of [−1, 1] in
// f32 and divides (error ≲ 64·6e-8 ≈ 4e-6 relative to the sum, before the division): 1e-6
// absolute + 1e-5 relative; the backward passes add at most ⌈kh/sh⌉·⌈kw/sw⌉ ≤ 9 terms onto dx in
// f32 (a few ulps of values ≲ 3): 1e-6 absolute + 1e-6 relative.
import { randomArray } from '../helpers/backends.js';
import { kernelSuite, type KernelCase } from './harness.js';

// [planes, h, w, oh, ow, kh, kw, sh, sw, ph, pw]
type Geo = [number, number, number, number, number, number, number, number, number, number, number];
const CASES: Geo[] = [
  [1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0],
  [3, 4, 4, 2, 2, 2, 2, 2, 2, 0, 0],
  [2, 5, 5, 3, 3, 2, 2, 2, 2, 0, 0],          // ceil mode: last window hangs over
  [2, 7, 6, 4, 3, 3, 3, 2, 2, 1, 1],          // padded
  [1, 9, 9, 3, 3, 2, 2, 4, 4, 0, 0],          // stride > kernel
  [2, 6, 9, 6, 4, 1, 3, 1, 2, 0, 1],          // non-square window, 1-row kernel
  [4, 8, 8, 1, 1, 8, 8, 8, 8, 0, 0],          // global pooling
  [2, 9, 13, 4, 6, 2, 2, 2, 2, 0, 0],         // 2×2 stride 2: the four-at-a-time path and its tail
  [1, 6, 16, 3, 8, 2, 2, 2, 2, 0, 0],
  [2, 7, 9, 4, 5, 2, 2, 2, 2, 0, 0],          // ceil mode: partial last row and column beside the fast path
  [1, 4, 14, 2, 7, 2, 2, 2, 2, 0, 0],         // seven outputs: the last four overlap the first
  [2, 3, 3, 3, 3, 3, 3, 1, 1, 1, 1],          // overlapping windows (stride < kernel), padded
  [3, 9, 11, 4, 5, 2, 2, 2, 2, 0, 0],         // floor mode: a last row and column no window covers
  [1, 2, 2, 1, 1, 2, 2, 2, 2, 0, 0],
];

const GUARD = 4;
const SENTINEL = 12345.5;

/** a followed by GUARD sentinel words (an output buffer and its expectation). */
function guarded<T extends Float32Array | Int32Array>(a: ArrayLike<number>, make: new (n: number) => T): T {
  const out = new make(a.length + GUARD);
  out.fill(SENTINEL);
  out.set(a);
  return out;
}

/** The window of output (i, j) clipped to the input, and PyTorch's divisor for each rule. */
function window(g: Geo, i: number, j: number) {
  const [, h, w, , , kh, kw, sh, sw, ph, pw] = g;
  const r0 = i * sh - ph, c0 = j * sw - pw;
  const rows: number[] = [], cols: number[] = [];
  for (let r = r0; r < r0 + kh; r++) if (r >= 0 && r < h) rows.push(r);
  for (let c = c0; c < c0 + kw; c++) if (c >= 0 && c < w) cols.push(c);
  // countIncludePad: the window clipped to the padded input [−p, size + p)
  const padded = (Math.min(r0 + kh, h + ph) - r0) * (Math.min(c0 + kw, w + pw) - c0);
  return { rows, cols, padded };
}

/** Calls f(plane, output index, window) for every output. */
function each(g: Geo, f: (p: number, o: number, win: ReturnType<typeof window>) => void): void {
  const [planes, , , oh, ow] = g;
  for (let p = 0; p < planes; p++) for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) f(p, (p * oh + i) * ow + j, window(g, i, j));
}

/** Window maxima and their flat indices in the plane: the first input starts, a later one replaces
 * the maximum when greater or NaN (PyTorch's CPU rule; ties keep the first, the last NaN wins). */
function maxTwin(g: Geo, x: Float32Array): [number[], number[]] {
  const [, h, w] = g, y: number[] = [], idx: number[] = [];
  each(g, (p, o, { rows, cols }) => {
    let at = rows[0]! * w + cols[0]!, best = x[p * h * w + at]!;
    for (const r of rows) for (const c of cols) {
      const v = x[p * h * w + r * w + c]!;
      if (v > best || Number.isNaN(v)) { best = v; at = r * w + c; }
    }
    y[o] = best; idx[o] = at;
  });
  return [y, idx];
}

function avgTwin(g: Geo, x: Float32Array, cip: number): number[] {
  const [, h, w] = g, y: number[] = [];
  each(g, (p, o, { rows, cols, padded }) => {
    let s = 0;
    for (const r of rows) for (const c of cols) s += x[p * h * w + r * w + c]!;
    y[o] = s / (cip ? padded : rows.length * cols.length);
  });
  return y;
}

function avgBackwardTwin(g: Geo, dx0: Float32Array, dy: Float32Array, cip: number): Float64Array {
  const [, h, w] = g, dx = new Float64Array(dx0);
  each(g, (p, o, { rows, cols, padded }) => {
    const d = dy[o]! / (cip ? padded : rows.length * cols.length);
    for (const r of rows) for (const c of cols) dx[p * h * w + r * w + c]! += d;
  });
  return dx;
}

/** The inputs of one geometry: NaN and −∞ at fixed places, runs of ties. */
function inputs(g: Geo) {
  const [planes, h, w, oh, ow] = g;
  const x = randomArray(planes * h * w, h * 7 + w);
  if (x.length > 6) { x[2] = NaN; x[5] = -Infinity; }
  for (let i = 20; i + 2 * w < x.length; i += 23) { x[i + 1] = x[i]!; x[i + w] = x[i]!; } // ties: the first wins
  if (x.length > 40) { x[33] = NaN; x[34] = NaN; }
  return { x, dy: randomArray(planes * oh * ow, 9), no: planes * oh * ow };
}

const BACKWARD_TOL = { rtol: 1e-6, atol: 1e-6 };

function maxCases(): KernelCase[] {
  return CASES.map((g): KernelCase => {
    const { x, no } = inputs(g), [y, idx] = maxTwin(g, x);
    return {
      label: `max ${g.join(',')}`,
      bufs: [guarded(new Float32Array(no).fill(NaN), Float32Array), guarded(new Int32Array(no).fill(-7), Int32Array), x],
      call: (k, p) => k.max_pool2d_f32(p[0]!, p[1]!, p[2]!, ...g),
      want: [guarded(y, Float32Array), guarded(idx, Int32Array)], tol: 'bits',
    };
  });
}

/** Accumulating onto a random dx, and overwriting a NaN one (0 where no window took the input). */
function maxBackwardCases(): KernelCase[] {
  return CASES.flatMap((g) => [0, 1].map((overwrite): KernelCase => {
    const [, h, w, oh, ow] = g, { x, dy } = inputs(g), idx = Int32Array.from(maxTwin(g, x)[1]);
    const dx0 = overwrite ? new Float32Array(x.length).fill(NaN) : randomArray(x.length, 3);
    const dx = overwrite ? new Float64Array(x.length) : new Float64Array(dx0);
    idx.forEach((at, o) => { dx[Math.floor(o / (oh * ow)) * h * w + at]! += dy[o]!; });
    return {
      label: `max backward ${g.join(',')} overwrite=${overwrite}`, bufs: [guarded(dx0, Float32Array), idx, dy],
      call: (k, p) => k.max_pool2d_backward_f32(p[0]!, p[1]!, p[2]!, ...g, overwrite),
      want: [guarded(dx, Float32Array)], tol: BACKWARD_TOL,
    };
  }));
}

function avgCases(): KernelCase[] {
  return CASES.flatMap((g) => [0, 1].map((cip): KernelCase => {
    const { x, no } = inputs(g);
    return {
      label: `avg ${g.join(',')} countIncludePad=${cip}`,
      bufs: [guarded(new Float32Array(no).fill(NaN), Float32Array), x],
      call: (k, p) => k.avg_pool2d_f32(p[0]!, p[1]!, ...g, cip),
      want: [guarded(avgTwin(g, x, cip), Float32Array)], tol: { rtol: 1e-5, atol: 1e-6 },
    };
  }));
}

function avgBackwardCases(): KernelCase[] {
  return CASES.flatMap((g) => [0, 1].map((cip): KernelCase => {
    const { x, dy } = inputs(g), dx0 = randomArray(x.length, 4);
    return {
      label: `avg backward ${g.join(',')} countIncludePad=${cip}`, bufs: [guarded(dx0, Float32Array), dy],
      call: (k, p) => k.avg_pool2d_backward_f32(p[0]!, p[1]!, ...g, cip),
      want: [guarded(avgBackwardTwin(g, dx0, dy, cip), Float32Array)], tol: BACKWARD_TOL,
    };
  }));
}

kernelSuite('pooling kernels', {
  max_pool2d_f32: maxCases,
  max_pool2d_backward_f32: maxBackwardCases,
  avg_pool2d_f32: avgCases,
  avg_pool2d_backward_f32: avgBackwardCases,
});
