// Shape ops: reshape, transpose, flatten, slice (views where possible), concat and contiguous
// (strided copies through the copy_strided_f32 kernel).
import { Tensor, tensorArg } from '../tensor.js';
import { checkShape, normAxis, sizeOf, stridesOf, type Shape } from '../shape.js';
import { DTypeError, ShapeError, describeValue, fmtShape } from '../errors.js';
import type { Backend } from '../backend/create.js';
import type { Ptr } from '../memory.js';
import { needsGrad, record } from '../autograd.js';
import { accumulate, zerosOn } from './grad.js';
import { stridedCopy } from './kernel-calls.js';

/** A contiguous copy of t (always a new tensor, even if t is contiguous). */
export function contiguous(t: Tensor): Tensor {
  tensorArg('contiguous', 't', t);
  const out = Tensor.empty(t.shape, t.backend);
  stridedCopy(t.backend, out.ptr, out.strides, t.ptr, t.strides, t.shape);
  if (!needsGrad(t)) return out;
  return record('contiguous', out, [t], [], (g, [gt]) => accumulate(gt!, g));
}

/** Accumulates a temporary gradient tensor into gt, then frees it. */
function accumulateTemp(gt: Tensor, part: Tensor): void {
  try { accumulate(gt, part); } finally { part.dispose(); }
}

/** A view of t recorded in the graph: the gradient of the view reshaped back is t's. */
function viewOp(name: string, t: Tensor, shape: Shape, strides: Shape, offset = t.offset): Tensor {
  const v = t.view(shape, strides, offset);
  if (!needsGrad(t)) return v;
  return record(name, v, [t], [], (g, [gt]) => {
    accumulateTemp(gt!, g.view(t.shape, stridesOf(t.shape)));
  });
}

/** Same data, new shape (one dimension may be -1). A view when t is contiguous. */
export function reshape(t: Tensor, shape: Shape): Tensor {
  tensorArg('reshape', 't', t);
  if (!Array.isArray(shape)) throw new ShapeError(`reshape: shape must be an array of integers, got ${describeValue(shape)}`);
  const s = [...shape];
  const infer = s.indexOf(-1);
  if (infer !== s.lastIndexOf(-1)) {
    throw new ShapeError(`reshape ${fmtShape(t.shape)} → ${fmtShape(shape)}: only one -1 allowed`);
  }
  if (infer >= 0) {
    const rest = sizeOf(s.filter((_, i) => i !== infer));
    if (rest === 0 || t.size % rest !== 0) {
      throw new ShapeError(`cannot reshape ${fmtShape(t.shape)} into ${fmtShape(shape)}`);
    }
    s[infer] = t.size / rest;
  }
  checkShape(s);
  if (sizeOf(s) !== t.size) {
    throw new ShapeError(`cannot reshape ${fmtShape(t.shape)} (${t.size} elements) into ` +
      `${fmtShape(shape)} (${sizeOf(s)} elements)`);
  }
  if (t.isContiguous) return viewOp('reshape', t, s, stridesOf(s));
  const c = contiguous(t);
  const v = viewOp('reshape', c, s, stridesOf(s));
  c.dispose();
  return v;
}

/** Swaps two dimensions (default: the last two; rank ≤ 1 returns a view of t) — a view. */
export function transpose(t: Tensor, dim0 = -2, dim1 = -1): Tensor {
  tensorArg('transpose', 't', t);
  if (t.rank < 2) return viewOp('transpose', t, t.shape, t.strides);
  const a = normAxis(dim0, t.rank, t.shape), b = normAxis(dim1, t.rank, t.shape);
  const shape = [...t.shape], strides = [...t.strides];
  [shape[a], shape[b]] = [shape[b]!, shape[a]!];
  [strides[a], strides[b]] = [strides[b]!, strides[a]!];
  const v = t.view(shape, strides);
  if (!needsGrad(t)) return v;
  return record('transpose', v, [t], [], (g, [gt]) => {
    accumulateTemp(gt!, transpose(g, a, b));
  });
}

/** Merges dimensions startDim..endDim into one. */
export function flatten(t: Tensor, startDim = 0, endDim = -1): Tensor {
  tensorArg('flatten', 't', t);
  const a = normAxis(startDim, t.rank, t.shape), b = normAxis(endDim, t.rank, t.shape);
  if (t.rank === 0) return reshape(t, [1]);
  if (a > b) throw new ShapeError(`flatten: startDim ${startDim} is after endDim ${endDim}`);
  const shape = [...t.shape.slice(0, a), sizeOf(t.shape.slice(a, b + 1)), ...t.shape.slice(b + 1)];
  return reshape(t, shape);
}

/**
 * A view of t[starts[0]:ends[0], starts[1]:ends[1], …]; missing dims are taken whole,
 * negative indices count from the end, ends are clamped like Python slices.
 */
export function slice(t: Tensor, starts: Shape, ends?: Shape): Tensor {
  tensorArg('slice', 't', t);
  for (const [what, v] of [['starts', starts], ['ends', ends === undefined ? [] : ends]] as const) {
    if (!Array.isArray(v) || !v.every((i) => Number.isSafeInteger(i))) {
      throw new ShapeError(`slice: ${what} must be an array of integers, got ${describeValue(v)}`);
    }
  }
  if (starts.length > t.rank || (ends && ends.length > t.rank)) {
    throw new ShapeError(`slice of shape ${fmtShape(t.shape)} given ${starts.length} starts`);
  }
  const shape = [...t.shape];
  const los: number[] = [];
  let offset = t.offset;
  for (let i = 0; i < t.rank; i++) {
    const n = t.shape[i]!;
    const norm = (v: number): number => Math.min(n, Math.max(0, v < 0 ? v + n : v));
    const lo = norm(starts[i] ?? 0), hi = norm(ends?.[i] ?? n);
    shape[i] = Math.max(0, hi - lo);
    offset += lo * t.strides[i]!;
    los.push(lo);
  }
  const v = t.view(shape, t.strides, offset);
  if (!needsGrad(t)) return v;
  return record('slice', v, [t], [], (g, [gt]) => {
    // scatter g into a zero tensor of t's shape at the slice, then accumulate it whole
    const full = zerosOn(t.shape, g), st = stridesOf(t.shape);
    const at = los.reduce((acc, lo, i) => acc + lo * st[i]!, 0);
    stridedCopy(g.backend, full.ptr + at * 4, st, g.ptr, g.strides, g.shape);
    accumulateTemp(gt!, full);
  });
}

/** Joins tensors along `axis`; every other dimension must match. */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(tensors as unknown)) throw new DTypeError(`concat: tensors must be an array of Tensors, got ${describeValue(tensors)}`);
  if (tensors.length === 0) throw new ShapeError('concat needs at least one tensor');
  tensors.forEach((t, i) => tensorArg('concat', `tensors[${i}]`, t));
  const first = tensors[0]!;
  const ax = normAxis(axis, first.rank, first.shape);
  let total = 0;
  for (const t of tensors) {
    t.check();
    if (t.backend !== first.backend) throw new ShapeError('concat: tensors live on different backends');
    if (t.rank !== first.rank || t.shape.some((d, i) => i !== ax && d !== first.shape[i])) {
      throw new ShapeError(`concat along axis ${axis}: shape ${fmtShape(t.shape)} does not match ` +
        `${fmtShape(first.shape)}`);
    }
    total += t.shape[ax]!;
  }
  const shape = [...first.shape];
  shape[ax] = total;
  const out = Tensor.empty(shape, first.backend);
  let at = 0;
  const starts: number[] = [];
  for (const t of tensors) {
    starts.push(at);
    stridedCopy(out.backend, out.ptr + at * out.strides[ax]! * 4, out.strides, t.ptr, t.strides, t.shape);
    at += t.shape[ax]!;
  }
  if (!needsGrad(...tensors)) return out;
  return record('concat', out, [...tensors], [], (g, gts) => {
    gts.forEach((gt, i) => {
      if (!gt) return;
      accumulateTemp(gt, g.view(gt.shape, g.strides, g.offset + starts[i]! * g.strides[ax]!));
    });
  });
}
