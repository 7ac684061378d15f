// Reference reductions over the middle axis of [outer, len, inner] and row-wise softmax family
// (the specification for assembly/reduce.ts). Accumulation in f64. max: NaN propagates, −inf when
// len = 0; mean of len = 0 is NaN; argmax: first maximum, a NaN counts as the maximum (first NaN
// wins), −1 when len = 0. softmax rows subtract the row max; log_softmax = x − m − log Σ e^{x−m}.
import type { ReduceKernel, RowsBackwardKernel, RowsKernel } from '../backend.js';
import { wordIndex, type HeapViews } from '../../memory.js';

function reduce(
  h: HeapViews, init: number, step: (acc: number, v: number) => number,
  finish: (acc: number, len: number) => number = (a) => a,
): ReduceKernel {
  return (out, x, outer, len, inner) => {
    const f = h.f32;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        let acc = init;
        for (let l = 0; l < len; l++) acc = step(acc, f[wordIndex(x) + (o * len + l) * inner + i]!);
        f[wordIndex(out) + o * inner + i] = finish(acc, len);
      }
    }
  };
}

function rows(h: HeapViews, fn: (out: Float32Array, x: Float32Array) => void): RowsKernel {
  return (out, x, nrows, cols) => {
    const f = h.f32;
    for (let r = 0; r < nrows; r++) {
      const o = wordIndex(out) + r * cols, xi = wordIndex(x) + r * cols;
      fn(f.subarray(o, o + cols), f.subarray(xi, xi + cols));
    }
  };
}
function rowsBackward(
  h: HeapViews, fn: (dx: Float32Array, y: Float32Array, dy: Float32Array) => void,
): RowsBackwardKernel {
  return (dx, y, dy, nrows, cols) => {
    const f = h.f32;
    for (let r = 0; r < nrows; r++) {
      const s = (p: number) => f.subarray(wordIndex(p) + r * cols, wordIndex(p) + (r + 1) * cols);
      fn(s(dx), s(y), s(dy));
    }
  };
}
const rowMax = (x: Float32Array): number => x.reduce((m, v) => Math.max(m, v), -Infinity);

export function reduceKernels(h: HeapViews) {
  return {
    sum_f32: reduce(h, 0, (a, v) => a + v),
    mean_f32: reduce(h, 0, (a, v) => a + v, (a, len) => a / len),
    max_f32: reduce(h, -Infinity, Math.max),
    argmax_f32: ((out, x, outer, len, inner) => {
      const f = h.f32, iv = h.i32;
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          let best = NaN, idx = -1;
          for (let l = 0; l < len; l++) {
            const v = f[wordIndex(x) + (o * len + l) * inner + i]!;
            if (idx < 0 || v > best || (Number.isNaN(v) && !Number.isNaN(best))) { best = v; idx = l; }
            if (Number.isNaN(best)) break;
          }
          iv[wordIndex(out) + o * inner + i] = idx;
        }
      }
    }) satisfies ReduceKernel,
    softmax_f32: rows(h, (out, x) => {
      const m = rowMax(x);
      let s = 0;
      for (let j = 0; j < x.length; j++) s += Math.exp(x[j]! - m);
      for (let j = 0; j < x.length; j++) out[j] = Math.exp(x[j]! - m) / s;
    }),
    log_softmax_f32: rows(h, (out, x) => {
      const m = rowMax(x);
      let s = 0;
      for (let j = 0; j < x.length; j++) s += Math.exp(x[j]! - m);
      const lse = m + Math.log(s);
      for (let j = 0; j < x.length; j++) out[j] = x[j]! - lse;
    }),
    softmax_backward_f32: rowsBackward(h, (dx, y, dy) => {
      let d = 0;
      for (let j = 0; j < y.length; j++) d += dy[j]! * y[j]!;
      for (let j = 0; j < y.length; j++) dx[j] = dx[j]! + y[j]! * (dy[j]! - d);
    }),
    log_softmax_backward_f32: rowsBackward(h, (dx, y, dy) => {
      let s = 0;
      for (let j = 0; j < y.length; j++) s += dy[j]!;
      for (let j = 0; j < y.length; j++) dx[j] = dx[j]! + dy[j]! - Math.exp(y[j]!) * s;
    }),
  };
}
