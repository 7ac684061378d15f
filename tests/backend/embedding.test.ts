// Embedding gather and scatter-add on every backend — the JS reference included — against naive
// twins written here, at every row width in SIZES (SIMD bodies and scalar tails), with repeated
// indices and a skipped padding row. The gather moves floats, so it is bit for bit; the scatter
// adds in index order in f32, against the f64 sum: up to 3 repeats of values in [−1, 1] onto
// dw0 ∈ [−1, 1] round at most 3 times by half an ulp of |sum| ≤ 4, so 1e-6 absolute.
import { SIZES, randomArray } from '../helpers/backends.js';
import { kernelSuite, type KernelCase } from './harness.js';

const ROWS = 6;
/** Indices with repeats once n > 6. */
const indices = (n: number) => Int32Array.from({ length: n }, (_, i) => (i * 5 + 1) % ROWS);

function gatherCases(): KernelCase[] {
  return SIZES.flatMap((dim) => [0, 1, 5, 17].map((n): KernelCase => {
    const weight = randomArray(ROWS * dim, dim + n + 1), idx = indices(n);
    const want = new Float32Array(n * dim);
    for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) want[i * dim + j] = weight[idx[i]! * dim + j]!;
    return { label: `gather dim=${dim} n=${n}`, bufs: [new Float32Array(n * dim), weight, idx],
      call: (k, p) => k.embedding_f32(p[0]!, p[1]!, p[2]!, n, dim), want: [want], tol: 'bits' };
  }));
}

function scatterCases(): KernelCase[] {
  return SIZES.flatMap((dim) => [0, 1, 5, 17].flatMap((n) => [-1, 1].map((pad): KernelCase => {
    const idx = indices(n), dw0 = randomArray(ROWS * dim, dim + 3), dout = randomArray(n * dim, n + 4);
    const want = new Float64Array(dw0);
    for (let i = 0; i < n; i++) if (idx[i] !== pad) for (let j = 0; j < dim; j++) want[idx[i]! * dim + j]! += dout[i * dim + j]!;
    return { label: `scatter dim=${dim} n=${n} pad=${pad}`, bufs: [dw0, idx, dout],
      call: (k, p) => k.embedding_backward_f32(p[0]!, p[1]!, p[2]!, n, dim, pad), want: [want], tol: { rtol: 0, atol: 1e-6 } };
  })));
}

kernelSuite('embedding kernels', { embedding_f32: gatherCases, embedding_backward_f32: scatterCases });
