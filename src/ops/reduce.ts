// Reductions along axes: sum, mean, max (keepDims like PyTorch's keepdim), and argmax. Each
// axis reduces the middle dimension of the [outer, len, inner] view the kernels take; several
// axes reduce one after another (the largest first).
import { wordIndex } from '../memory.js';
import { Tensor, tensorArg } from '../tensor.js';
import { normAxis, sizeOf, stridesOf } from '../shape.js';
import { OptionError, ShapeError, describeValue, fmtShape } from '../errors.js';
import type { Kernels, ReduceKernel } from '../backend/backend.js';
import { contiguous } from './shape.js';
import { needsGrad, record } from '../autograd.js';
import { addBroadcast } from './grad.js';
import { packed, reduceAxes } from './kernel-calls.js';

/** The axes `axis` names in x, normalised, in ascending order; an axis named twice is a ShapeError (as PyTorch). */
function axesOf(x: Tensor, axis: number | number[]): number[] {
  const axes: number[] = [];
  if (x.rank === 0) { // a scalar has nothing to reduce; its axes 0 and −1 are still checked
    for (const a of Array.isArray(axis) ? axis : [axis]) axes.push(normAxis(a, 0));
    if (axes.length > 1) throw new ShapeError(`axis 0 appears more than once in ${fmtShape(axis as number[])} (a scalar)`);
    return [];
  }
  if (Array.isArray(axis)) {
    for (let i = 0; i < axis.length; i++) {
      const a = normAxis(axis[i]!, x.rank, x.shape);
      if (axes.includes(a)) {
        throw new ShapeError(`axis ${a} appears more than once in ${fmtShape(axis)} (shape ${fmtShape(x.shape)})`);
      }
      axes.push(a);
    }
  } else {
    axes.push(normAxis(axis, x.rank, x.shape));
  }
  return axes.sort((a, b) => a - b);
}

/** The reduced axes (sorted, unique) and the keepDims shape of a reduction. */
function plan(x: Tensor, axis: number | number[] | undefined): { axes: number[]; kept: number[] } {
  const axes = axis === undefined ? x.shape.map((_, i) => i) : axesOf(x, axis);
  const kept = x.shape.slice();
  for (const a of axes) kept[a] = 1;
  return { axes, kept };
}

function reduce(
  name: string, pick: (k: Kernels) => ReduceKernel, x: Tensor, axis: number | number[] | undefined,
  keepDims: boolean,
): Tensor {
  const out = reduceValues(name, pick, x, axis, keepDims);
  if (!needsGrad(x)) return out;
  const { axes, kept } = plan(x, axis);
  const count = axes.reduce((n, a) => n * x.shape[a]!, 1);
  if (name !== 'max') {
    return record(name, out, [x], [], (g, [gx]) => {
      const gk = g.view(kept, stridesOf(kept));
      try {
        if (name === 'mean') {
          const s = Tensor.empty(kept, g.backend);
          g.backend.kernels.affine_f32(s.ptr, g.ptr, g.size, 1 / count, 0);
          addBroadcast(gx!, s);
          s.dispose();
        } else {
          addBroadcast(gx!, gk);
        }
      } finally { gk.dispose(); }
    });
  }
  // max: the gradient goes to the maxima, split evenly between ties (as torch.amax)
  return record(name, out, [x], [x, out], (g, [gx], [xs, m]) => {
    const f = g.backend.heap.f32, xd = xs!.isContiguous ? xs! : contiguous(xs!);
    const ks = stridesOf(kept), xsStr = stridesOf(x.shape);
    const slot = (i: number): number => { // index of element i's reduced output
      let o = 0;
      for (let d = 0; d < x.rank; d++) {
        if (kept[d] !== 1 || x.shape[d] === 1) o += (Math.floor(i / xsStr[d]!) % x.shape[d]!) * ks[d]!;
      }
      return o;
    };
    const ties = new Float64Array(g.size);
    const x0 = wordIndex(xd.ptr), m0 = wordIndex(m!.ptr), g0 = wordIndex(g.ptr), gx0 = wordIndex(gx!.ptr);
    for (let i = 0; i < x.size; i++) {
      const o = slot(i);
      if (f[x0 + i] === f[m0 + o]) ties[o] = ties[o]! + 1;
    }
    for (let i = 0; i < x.size; i++) {
      const o = slot(i);
      if (f[x0 + i] === f[m0 + o]) f[gx0 + i] = f[gx0 + i]! + f[g0 + o]! / ties[o]!;
    }
    if (xd !== xs) xd.dispose();
  });
}

function reduceValues(
  name: string, pick: (k: Kernels) => ReduceKernel, x: Tensor, axis: number | number[] | undefined,
  keepDims: boolean,
): Tensor {
  tensorArg(name, 'x', x);
  if (typeof keepDims !== 'boolean') throw new OptionError(`${name}: keepDims must be a boolean, got ${describeValue(keepDims)}`);
  const kernel = pick(x.backend.kernels);
  if (axis === undefined) {
    if (name === 'max' && x.size === 0) throw new ShapeError('max of an empty tensor');
    const dense = packed(x), out = Tensor.empty(keepDims ? x.shape.map(() => 1) : [], x.backend);
    kernel(out.ptr, dense.ptr, 1, x.size, 1);
    if (dense !== x) dense.dispose();
    return out;
  }
  const axes = axesOf(x, axis);
  for (let i = axes.length - 1; i >= 0; i--) { // reduced the largest first: the first one met then
    if (name === 'max' && x.shape[axes[i]!] === 0) {
      throw new ShapeError(`max over axis ${axes[i]} of size 0 (shape ${fmtShape(x.shape)})`);
    }
  }
  return reduceAxes(kernel, x, axes, keepDims);
}

const sumKernel = (k: Kernels): ReduceKernel => k.sum_f32;
const meanKernel = (k: Kernels): ReduceKernel => k.mean_f32;
const maxKernel = (k: Kernels): ReduceKernel => k.max_f32;

/** Sum over `axis` (all axes by default). @example x.sum(); x.sum(1, true) */
export const sum = (x: Tensor, axis?: number | number[], keepDims = false): Tensor =>
  reduce('sum', sumKernel, x, axis, keepDims);
/** Mean over `axis` (all axes by default); the mean of nothing is NaN. */
export const mean = (x: Tensor, axis?: number | number[], keepDims = false): Tensor =>
  reduce('mean', meanKernel, x, axis, keepDims);
/** Maximum over `axis` (all axes by default); NaN propagates. */
export const max = (x: Tensor, axis?: number | number[], keepDims = false): Tensor =>
  reduce('max', maxKernel, x, axis, keepDims);

/** Index of the first maximum along `axis` (default last), as an Int32Array. */
export function argmax(x: Tensor, axis = -1): Int32Array {
  tensorArg('argmax', 'x', x);
  const ax = normAxis(axis, Math.max(x.rank, 1), x.shape);
  const shape = x.rank === 0 ? [1] : x.shape;
  if (shape[ax] === 0) throw new ShapeError(`argmax over an empty axis (shape ${fmtShape(x.shape)})`);
  const dense = x.isContiguous ? x : contiguous(x);
  const outer = sizeOf(shape, 0, ax), len = shape[ax]!, inner = sizeOf(shape, ax + 1);
  const heap = x.backend.heap;
  const ptr = heap.alloc(outer * inner * 4);
  try {
    x.backend.kernels.argmax_f32(ptr, dense.ptr, outer, len, inner);
    return heap.readI32(ptr, outer * inner);
  } finally {
    heap.free(ptr);
    if (dense !== x) dense.dispose();
  }
}
