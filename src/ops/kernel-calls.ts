// Kernel calls over tensors of any rank, outside the graph: the loops that run the fixed-rank
// strided kernels — copy_strided_f32 (4-D), the broadcasting binary kernels (2-D [outer, inner]
// views) and the reductions ([outer, len, inner] views) — on tensors of any shape and strides.
// Nothing here records on the tape; the differentiable ops (shape.ts, elementwise.ts, reduce.ts…)
// and the gradient plumbing (grad.ts) call them, so this file imports no op.
import { Tensor } from '../tensor.js';
import { broadcastsTo, sameShape, sizeOf, type Shape } from '../shape.js';
import { ShapeError, fmtShape } from '../errors.js';
import type { Backend } from '../backend/create.js';
import type { BinaryKernel, Kernels, ReduceKernel } from '../backend/backend.js';
import type { Ptr } from '../memory.js';

/**
 * Copies a strided view of any rank into a strided destination. Adjacent dimensions that are
 * contiguous in both are merged; ranks above 4 loop here over the leading dimensions.
 */
export function stridedCopy(
  be: Backend, out: Ptr, outStrides: Shape, x: Ptr, xStrides: Shape, shape: Shape,
): void {
  if (sizeOf(shape) === 0) return;
  // merge dims i-1, i when both layouts are contiguous across them; drop size-1 dims
  const d: number[] = [], os: number[] = [], xs: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 1) continue;
    const k = d.length - 1;
    if (k >= 0 && os[k] === outStrides[i]! * shape[i]! && xs[k] === xStrides[i]! * shape[i]!) {
      d[k]! *= shape[i]!;
      os[k] = outStrides[i]!;
      xs[k] = xStrides[i]!;
    } else {
      d.push(shape[i]!); os.push(outStrides[i]!); xs.push(xStrides[i]!);
    }
  }
  while (d.length < 4) { d.unshift(1); os.unshift(0); xs.unshift(0); }
  const lead = d.length - 4;
  const go = (dim: number, o: Ptr, xp: Ptr): void => {
    if (dim === lead) {
      be.kernels.copy_strided_f32(o, xp, d[lead]!, d[lead + 1]!, d[lead + 2]!, d[lead + 3]!,
        os[lead]!, os[lead + 1]!, os[lead + 2]!, os[lead + 3]!,
        xs[lead]!, xs[lead + 1]!, xs[lead + 2]!, xs[lead + 3]!);
      return;
    }
    for (let i = 0; i < d[dim]!; i++) go(dim + 1, o + i * os[dim]! * 4, xp + i * xs[dim]! * 4);
  };
  go(0, out, x);
}

/** t itself when contiguous, else a contiguous copy (not on the tape) the caller disposes. */
export function packed(t: Tensor): Tensor {
  if (t.isContiguous) return t;
  const out = Tensor.empty(t.shape, t.backend);
  stridedCopy(t.backend, out.ptr, out.strides, t.ptr, t.strides, t.shape);
  return out;
}

/**
 * out = a ∘ b with a and b broadcast to out's shape (out contiguous; it may alias a or b when
 * they have out's shape — the in-place accumulation of gradients uses that).
 */
export function binaryInto(
  name: string, kernel: (k: Kernels) => BinaryKernel, out: Tensor, a: Tensor, b: Tensor,
): void {
  a.check(); b.check(); out.check();
  if (a.backend !== b.backend || out.backend !== a.backend) {
    throw new ShapeError(`${name}: tensors ${fmtShape(a.shape)} and ${fmtShape(b.shape)} live on ` +
      'different backends (created before and after init() switched)');
  }
  const shape = out.shape;
  if (!broadcastsTo(a.shape, shape) || !broadcastsTo(b.shape, shape)) {
    throw new ShapeError(`${name}: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} do not ` +
      `broadcast to ${fmtShape(shape)}`);
  }
  if (out.size === 0) return;
  const f = kernel(a.backend.kernels);
  const da = packed(a), db = packed(b);
  try {
    if (sameShape(a.shape, shape) && sameShape(b.shape, shape)) { // no broadcasting: one flat pass
      f(out.ptr, da.ptr, db.ptr, 1, out.size, 0, 1, 0, 1);
      return;
    }
    // collapse: merge dims contiguous in both operands, drop size-1 dims
    const d: number[] = [], sa: number[] = [], sb: number[] = [];
    for (let i = 0; i < shape.length; i++) {
      const n = shape[i]!;
      if (n === 1) continue;
      const ai = broadcastStride(da, i - (shape.length - a.rank)), bi = broadcastStride(db, i - (shape.length - b.rank));
      const k = d.length - 1;
      if (k >= 0 && sa[k] === ai * n && sb[k] === bi * n) {
        d[k]! *= n; sa[k] = ai; sb[k] = bi;
      } else {
        d.push(n); sa.push(ai); sb.push(bi);
      }
    }
    while (d.length < 2) { d.unshift(1); sa.unshift(0); sb.unshift(0); }
    // one kernel call per [outer, inner] block; the dims above it are walked in row-major order
    const r = d.length, outer = d[r - 2]!, inner = d[r - 1]!, block = outer * inner;
    for (let o = 0; o < out.size; o += block) {
      let rest = o / block, pa = 0, pb = 0;
      for (let k = r - 3; k >= 0; k--) {
        const j = rest % d[k]!;
        rest = (rest - j) / d[k]!;
        pa += j * sa[k]!; pb += j * sb[k]!;
      }
      f(out.ptr + o * 4, da.ptr + pa * 4, db.ptr + pb * 4, outer, inner, sa[r - 2]!, sa[r - 1]!,
        sb[r - 2]!, sb[r - 1]!);
    }
  } finally {
    if (da !== a) da.dispose();
    if (db !== b) db.dispose();
  }
}

/** Stride of a dense t's dim i read broadcast (0 for a missing leading dim, i < 0, or a size-1 dim). */
function broadcastStride(t: Tensor, i: number): number {
  return i < 0 || t.shape[i] === 1 ? 0 : t.strides[i]!;
}

/** One axis of a contiguous x reduced: the middle dimension of its [outer, len, inner] view. */
function reduceAxis(kernel: ReduceKernel, x: Tensor, ax: number, keepDims: boolean): Tensor {
  const outer = sizeOf(x.shape, 0, ax), len = x.shape[ax]!, inner = sizeOf(x.shape, ax + 1);
  const shape = x.shape.slice();
  if (keepDims) shape[ax] = 1;
  else shape.splice(ax, 1);
  const out = Tensor.empty(shape, x.backend);
  if (out.size > 0) kernel(out.ptr, x.ptr, outer, len, inner);
  return out;
}

/**
 * x reduced over `axes` (ascending, distinct, in range) by a reduce kernel, one axis after
 * another, the largest first: a new tensor (a view of x's values when there is no axis).
 */
export function reduceAxes(kernel: ReduceKernel, x: Tensor, axes: readonly number[], keepDims: boolean): Tensor {
  const dense = packed(x);
  try {
    let cur = dense;
    for (let i = axes.length - 1; i >= 0; i--) {
      const next = reduceAxis(kernel, cur, axes[i]!, keepDims);
      if (cur !== dense) cur.dispose();
      cur = next;
    }
    return cur === dense ? dense.view(dense.shape, dense.strides) : cur;
  } finally {
    if (dense !== x) dense.dispose();
  }
}
