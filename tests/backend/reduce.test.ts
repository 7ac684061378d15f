// Reductions over [outer, len, inner] and the row-wise softmax family on every backend — the JS
// reference included — against naive f64 twins written here, at all SIZES along each axis, with
// NaN/±inf entries. Tolerances: max and argmax are exact (a comparison, no arithmetic); sum and mean
// 1e-5 (the wasm builds add in f32 lanes, whose rounding grows like √len·ulp of the partial sums:
// ≲ 1e-6 for len ≤ 3000 of values in [−3, 3]); softmax 2e-6 relative (exp within 4e-7 relative,
// assembly/vmath.ts, compounded over the row sum and the division); backward 1e-5 relative with
// 2e-6 absolute for the f32 sum Σ dy·y and the add onto dx.
import { describe, it, expect } from 'vitest';
import { BACKENDS, SIZES, backend, expectClose, randomArray } from '../helpers/backends.js';
import type { ReduceKernel, RowsBackwardKernel, RowsKernel } from '../../src/backend/backend.js';
import type { Backend } from '../../src/backend/create-backend.js';
import { kernelSuite, runKernel, type KernelCase } from './harness.js';

const REDUCE = ['sum_f32', 'mean_f32', 'max_f32', 'argmax_f32'] as const;
const SHAPES: [number, number, number][] = [
  ...SIZES.map((n): [number, number, number] => [2, n, 1]),
  ...SIZES.map((n): [number, number, number] => [1, 5, n]),
  ...SIZES.map((n): [number, number, number] => [3, n, 7]),
  [1, 3000, 1], [2, 9, 2100], [0, 4, 4],
];

/** The naive f64 twin of one reduction: each output folds its column x[o, 0..len, i]. */
function reduceTwin(k: (typeof REDUCE)[number], x: Float32Array, [outer, len, inner]: number[]): number[] {
  const out: number[] = [];
  for (let o = 0; o < outer!; o++) {
    for (let i = 0; i < inner!; i++) {
      const col = Array.from({ length: len! }, (_, l) => x[(o * len! + l) * inner! + i]!);
      const sum = col.reduce((a, v) => a + v, 0);
      const nan = col.findIndex(Number.isNaN);
      let best = -1;
      for (let l = 0; l < len!; l++) if (best < 0 || col[l]! > col[best]!) best = l;
      if (k === 'sum_f32') out.push(sum);
      else if (k === 'mean_f32') out.push(sum / len!);                   // 0/0 = NaN for an empty axis
      else if (k === 'max_f32') out.push(nan >= 0 ? NaN : len === 0 ? -Infinity : col[best]!);
      else out.push(nan >= 0 ? nan : best);                               // the first NaN counts as the maximum
    }
  }
  return out;
}

function reduceCases(k: (typeof REDUCE)[number]): KernelCase[] {
  return SHAPES.map((s) => {
    const [o, l, i] = s, x = randomArray(o * l * i, l * 7 + i, -3, 3);
    if (x.length > 40) { x[11] = Infinity; x[23] = -Infinity; }
    if (x.length > 70) x[61] = NaN;
    return {
      label: `${k} ${s}`, bufs: [k === 'argmax_f32' ? new Int32Array(o * i) : new Float32Array(o * i), x],
      call: (kk, p) => (kk[k] as ReduceKernel)(p[0]!, p[1]!, o, l, i),
      want: [reduceTwin(k, x, s)], tol: k === 'sum_f32' || k === 'mean_f32' ? { rtol: 1e-5, atol: 1e-5 } : { rtol: 0, atol: 0 },
    };
  });
}

/** Softmax or log-softmax of each row in f64 (max-subtracted). */
function softmaxTwin(x: Float32Array, rows: number, cols: number, log: boolean): Float64Array {
  const y = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const row = x.subarray(r * cols, (r + 1) * cols), m = Math.max(...row);
    const z = Array.from(row, (v) => v - m), s = z.reduce((a, v) => a + Math.exp(v), 0);
    z.forEach((v, j) => { y[r * cols + j] = log ? v - Math.log(s) : Math.exp(v) / s; });
  }
  return y;
}

const ROWS: [number, number][] = [...SIZES.filter((n) => n > 0).map((n): [number, number] => [3, n]), [2, 1000]];
function rowsCases(k: 'softmax_f32' | 'log_softmax_f32'): KernelCase[] {
  const log = k === 'log_softmax_f32', bk = `${k.replace('_f32', '')}_backward_f32` as 'softmax_backward_f32';
  return ROWS.flatMap(([r, c]): KernelCase[] => {
    const x = randomArray(r * c, c, -20, 20);
    if (c > 3) { x[1] = -Infinity; x[c + 2] = 80; }
    const y = Float32Array.from(softmaxTwin(x, r, c, log));
    const dy = randomArray(r * c, c + 5, -1, 1), dx = randomArray(r * c, c + 6, -1, 1), dxWant = new Float64Array(dx);
    for (let i = 0; i < r; i++) {
      const row = (a: ArrayLike<number>) => Array.from({ length: c }, (_, j) => a[i * c + j]!);
      const ys = row(y), dys = row(dy);
      // softmax: dx += y·(dy − Σ dy·y); log-softmax: dx += dy − softmax·Σ dy, softmax = e^y
      const dot = log ? dys.reduce((a, v) => a + v, 0) : dys.reduce((a, v, j) => a + v * ys[j]!, 0);
      for (let j = 0; j < c; j++) dxWant[i * c + j]! += log ? dys[j]! - Math.exp(ys[j]!) * dot : ys[j]! * (dys[j]! - dot);
    }
    return [
      { label: `${k} ${r}x${c}`, bufs: [new Float32Array(r * c), x], call: (kk, p) => (kk[k] as RowsKernel)(p[0]!, p[1]!, r, c),
        want: [y], tol: { rtol: 2e-6, atol: 1e-7 } },
      { label: `${bk} ${r}x${c}`, bufs: [dx, y, dy], call: (kk, p) => (kk[bk] as RowsBackwardKernel)(p[0]!, p[1]!, p[2]!, r, c),
        want: [dxWant], tol: { rtol: 1e-5, atol: 2e-6 } },
    ];
  });
}

kernelSuite('reductions', {
  ...Object.fromEntries(REDUCE.map((k) => [k, () => reduceCases(k)])),
  softmax_f32: () => rowsCases('softmax_f32'),
  log_softmax_f32: () => rowsCases('log_softmax_f32'),
});

function reduceOn(b: Backend, k: (typeof REDUCE)[number], x: Float32Array, [o, l, i]: number[]) {
  const out = k === 'argmax_f32' ? new Int32Array(o! * i!) : new Float32Array(o! * i!);
  return runKernel(b, [out, x], (p) => (b.kernels[k] as ReduceKernel)(p[0]!, p[1]!, o!, l!, i!))[0]!;
}

describe.each(BACKENDS)('reductions on %s', (be) => {
  it('max/argmax: NaN propagates, ties pick the first, empty axis', async () => {
    const b = await backend(be);
    for (const len of [5, 33]) {
      const x = new Float32Array(len * 3).fill(1);
      x[len - 2] = NaN; x[len + 3] = 7; x[len + 4] = 7; x[2 * len + 1] = -Infinity;
      expect(Array.from(reduceOn(b, 'argmax_f32', x, [3, len, 1]))).toEqual([len - 2, 3, 0]);
      const m = reduceOn(b, 'max_f32', x, [3, len, 1]);
      expect([Number.isNaN(m[0]!), m[1], m[2]]).toEqual([true, 7, 1]);
      const col = reduceOn(b, 'max_f32', x, [1, 3, len]);
      expect(Number.isNaN(col[len - 2]!)).toBe(true);
    }
    expect(Array.from(reduceOn(b, 'max_f32', new Float32Array(0), [2, 0, 3]))).toEqual(new Array(6).fill(-Infinity));
    expect(Array.from(reduceOn(b, 'argmax_f32', new Float32Array(0), [2, 0, 1]))).toEqual([-1, -1]);
    expect(Array.from(reduceOn(b, 'sum_f32', new Float32Array(0), [2, 0, 5]))).toEqual(new Array(10).fill(0));
  });

  it('softmax rows sum to 1, survive huge logits, NaN rows stay NaN', async () => {
    const b = await backend(be);
    const x = new Float32Array([1e30, 1e30, -1e30, 0, 1, 2, NaN, 1, 2]);
    const [y] = runKernel(b, [new Float32Array(9), x], (p) => b.kernels.softmax_f32(p[0]!, p[1]!, 3, 3));
    expectClose(y!.subarray(0, 6), [0.5, 0.5, 0, 0.09003057, 0.24472847, 0.66524096], { rtol: 1e-6, atol: 1e-7 });
    expect(Array.from(y!.subarray(6)).every(Number.isNaN)).toBe(true);
  });
});
