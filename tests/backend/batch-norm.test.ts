// Batch-norm kernels (per-channel statistics, normalisation, backward in training and eval mode,
// with and without weight / wanted gradients) on every backend — the JS reference included —
// against naive f64 twins written here, at plane sizes hw from SIZES (SIMD bodies and tails;
// hw = 1 is BatchNorm1d's [N, C]) and n×c of 1×1, 3×2, 2×5. Outputs start as NaN (every element
// must be written); sentinel words after each output must survive.
// Tolerances: the contract sums in f64, but the wasm builds add each row of hw ≤ 257 values in
// f32 lanes first (rowSum, devDot), so a channel's sum is off by about √hw·ulp of the row's partial
// sums (≲ 1e-5 for |partial sums| ≲ 20, ~3e-6 observed):
//  - stats: mean = Σx/M with x ∈ [−2, 3]: 1e-6 absolute + 1e-6 relative; the variance sums
//    squares ≤ 9 the same way: 2e-5 relative (a shift of the mean by its rounding moves the
//    variance by its square, nothing in f32);
//  - forward (x − mean)·(invstd·weight) + bias: four f32 roundings of terms ≲ 8 (x ∈ [−2, 3],
//    invstd ≳ 0.7, weight ≤ 1.5): 2e-6 absolute + 1e-6 relative;
//  - backward: dbias = Σdy and dweight = invstd·Σdy·(x − mean) carry the row-sum error above,
//    dx += a·(dy − Σdy/M − (x − mean)·invstd²·Σdy(x − mean)/M) a few f32 roundings of terms
//    ≲ 6 (≲ 320·|dy| when the variance is 0 and invstd = 1/√eps, hence relative): 3e-5 absolute +
//    1e-5 relative for every buffer.
import { SIZES, randomArray } from '../helpers/backends.js';
import { kernelSuite, type KernelCase } from './harness.js';

const GUARD = 4;
const SENTINEL = 12345.5;
const EPS = 1e-5;
const BACKWARD_TOL = { rtol: 1e-5, atol: 3e-5 };

/** a followed by GUARD sentinel words (an output buffer and its expectation). */
function guarded(a: ArrayLike<number>): Float32Array {
  const out = new Float32Array(a.length + GUARD).fill(SENTINEL);
  out.set(a);
  return out;
}

interface Shape { n: number; c: number; hw: number }
const SHAPES: Shape[] = SIZES.filter((s) => s > 0).flatMap((hw) =>
  ([[1, 1], [3, 2], [2, 5]] as const).map(([n, c]) => ({ n, c, hw })));

const label = ({ n, c, hw }: Shape) => `n=${n} c=${c} hw=${hw}`;

/** The values of channel ch of x [n, c, hw]. */
function channel({ n, c, hw }: Shape, x: ArrayLike<number>, ch: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < hw; j++) out.push(x[(i * c + ch) * hw + j]!);
  return out;
}

/** Per-channel mean and biased variance in f64. */
function statsTwin(s: Shape, x: Float32Array): [number[], number[]] {
  const mean: number[] = [], variance: number[] = [];
  for (let ch = 0; ch < s.c; ch++) {
    const v = channel(s, x, ch), m = v.reduce((a, b) => a + b, 0) / v.length;
    mean.push(m);
    variance.push(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
  }
  return [mean, variance];
}

/** Inputs shared by the cases of one shape; mean and invstd are the f32 statistics of x. */
function inputs(s: Shape) {
  const size = s.n * s.c * s.hw, x = randomArray(size, s.hw + s.c, -2, 3);
  const [m, v] = statsTwin(s, x);
  return {
    size, x, dy: randomArray(size, s.hw + 7),
    mean: Float32Array.from(m), invstd: Float32Array.from(v, (q) => 1 / Math.sqrt(q + EPS)),
    weight: randomArray(s.c, 3, 0.5, 1.5), bias: randomArray(s.c, 4),
  };
}

function statsCases(): KernelCase[] {
  return SHAPES.map((s): KernelCase => {
    const { x } = inputs(s), [mean, variance] = statsTwin(s, x);
    return {
      label: `stats ${label(s)}`, bufs: [guarded(new Float32Array(s.c).fill(NaN)), guarded(new Float32Array(s.c).fill(NaN)), x],
      call: (k, p) => k.batch_norm_stats_f32(p[0]!, p[1]!, p[2]!, s.n, s.c, s.hw),
      want: [guarded(mean), guarded(variance)], tol: [{ rtol: 1e-6, atol: 1e-6 }, { rtol: 2e-5, atol: 0 }],
    };
  });
}

function forwardCases(): KernelCase[] {
  return SHAPES.flatMap((s) => [true, false].map((affine): KernelCase => {
    const { size, x, mean, invstd, weight, bias } = inputs(s), y = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      const ch = Math.floor(i / s.hw) % s.c;
      y[i] = (x[i]! - mean[ch]!) * invstd[ch]! * (affine ? weight[ch]! : 1) + (affine ? bias[ch]! : 0);
    }
    return {
      label: `forward ${label(s)} affine=${affine}`, bufs: [guarded(new Float32Array(size).fill(NaN)), x, mean, invstd, weight, bias],
      call: (k, p) => k.batch_norm_f32(p[0]!, p[1]!, p[2]!, p[3]!, affine ? p[4]! : 0, affine ? p[5]! : 0, s.n, s.c, s.hw),
      want: [guarded(y)], tol: { rtol: 1e-6, atol: 2e-6 },
    };
  }));
}

/** dx, dweight, dbias after adding the gradients of y = (x − mean)·invstd·weight + bias, where in
 * training mean and invstd are functions of x (the batch's statistics), in eval constants. */
function backwardTwin(s: Shape, inp: ReturnType<typeof inputs>, dx0: Float32Array, dw0: Float32Array, db0: Float32Array,
  affine: boolean, training: boolean): [Float64Array, Float64Array, Float64Array] {
  const dx = new Float64Array(dx0), dw = new Float64Array(dw0), db = new Float64Array(db0), M = s.n * s.hw;
  for (let ch = 0; ch < s.c; ch++) {
    const xs = channel(s, inp.x, ch), dys = channel(s, inp.dy, ch), m = inp.mean[ch]!, is = inp.invstd[ch]!;
    const g = affine ? inp.weight[ch]! : 1;
    const xhat = xs.map((v) => (v - m) * is);
    const sd = dys.reduce((a, b) => a + b, 0), sdx = dys.reduce((a, b, i) => a + b * xhat[i]!, 0);
    dw[ch]! += sdx; db[ch]! += sd;
    // d/dx of Σ dy·(g·x̂ + b) with x̂ = (x − μ(x))/σ(x): g/σ·(dy − mean(dy) − x̂·mean(dy·x̂))
    xs.forEach((_, k) => {
      const at = (Math.floor(k / s.hw) * s.c + ch) * s.hw + (k % s.hw);
      dx[at]! += g * is * (training ? dys[k]! - sd / M - xhat[k]! * sdx / M : dys[k]!);
    });
  }
  return [dx, dw, db];
}

function backwardCases(): KernelCase[] {
  return SHAPES.flatMap((s) => {
    const inp = inputs(s), dx0 = randomArray(inp.size, 5), dw0 = randomArray(s.c, 6), db0 = randomArray(s.c, 7);
    const out: KernelCase[] = [];
    for (const affine of [true, false]) for (const training of [true, false]) {
      const [dx, dw, db] = backwardTwin(s, inp, dx0, dw0, db0, affine, training);
      out.push({
        label: `backward ${label(s)} affine=${affine} training=${training}`,
        bufs: [guarded(dx0), guarded(dw0), guarded(db0), inp.x, inp.dy, inp.mean, inp.invstd, inp.weight],
        call: (k, p) => k.batch_norm_backward_f32(p[0]!, affine ? p[1]! : 0, affine ? p[2]! : 0, p[3]!, p[4]!, p[5]!, p[6]!,
          affine ? p[7]! : 0, s.n, s.c, s.hw, training ? 1 : 0),
        want: [guarded(dx), affine ? guarded(dw) : undefined, affine ? guarded(db) : undefined],
        tol: BACKWARD_TOL,
      });
    }
    // only the parameter gradients wanted (a frozen input): dx is 0 and left alone
    const [, dw, db] = backwardTwin(s, inp, dx0, dw0, db0, true, true);
    out.push({
      label: `backward ${label(s)} dx not wanted`, bufs: [guarded(dx0), guarded(dw0), guarded(db0), inp.x, inp.dy, inp.mean, inp.invstd, inp.weight],
      call: (k, p) => k.batch_norm_backward_f32(0, p[1]!, p[2]!, p[3]!, p[4]!, p[5]!, p[6]!, p[7]!, s.n, s.c, s.hw, 1),
      want: [undefined, guarded(dw), guarded(db)], tol: BACKWARD_TOL,
    });
    return out;
  });
}

kernelSuite('batch-norm kernels', {
  batch_norm_stats_f32: statsCases,
  batch_norm_f32: forwardCases,
  batch_norm_backward_f32: backwardCases,
});
