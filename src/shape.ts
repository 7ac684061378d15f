// Shapes: validation, sizes, row-major strides, broadcasting and axis normalisation.
// Every failure is a ShapeError naming the shapes at fault.
import { ShapeError, describeValue, fmtShape } from './errors.js';

export type Shape = readonly number[];

/** Throws unless every dimension is a non-negative safe integer. */
export function checkShape(shape: Shape, what = 'shape'): void {
  if (!Array.isArray(shape)) throw new ShapeError(`${what} must be an array of integers, got ${describeValue(shape)}`);
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      throw new ShapeError(`${what} ${fmtShape(shape)} has an invalid dimension ${describeValue(d)}: ` +
        'dimensions are integers ≥ 0');
    }
  }
  if (sizeOf(shape) > Number.MAX_SAFE_INTEGER) {
    throw new ShapeError(`${what} ${fmtShape(shape)} has more elements than a safe integer counts`);
  }
}

/** Number of elements (of the dims from..to, when given). */
export function sizeOf(shape: Shape, from = 0, to = shape.length): number {
  let n = 1;
  for (let i = from; i < to; i++) n *= shape[i]!;
  return n;
}

/** Row-major (C-contiguous) strides in elements. */
export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** NumPy/PyTorch broadcasting of two shapes. */
export function broadcastShapes(a: Shape, b: Shape): number[] {
  const r = Math.max(a.length, b.length);
  const out = new Array<number>(r);
  for (let i = 0; i < r; i++) {
    const da = a[a.length - r + i] ?? 1;
    const db = b[b.length - r + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(`shapes ${fmtShape(a)} and ${fmtShape(b)} are not broadcastable ` +
        `(dimension ${i - r}: ${da} vs ${db})`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides that read a contiguous tensor of `shape` broadcast to `to` (0 on broadcast dims). */
export function broadcastStrides(shape: Shape, to: Shape): number[] {
  const s = stridesOf(shape);
  const off = to.length - shape.length;
  return to.map((_, i) => (i < off || shape[i - off] === 1 ? 0 : s[i - off]!));
}

/** Normalises a possibly negative axis for a tensor of rank `rank` (a scalar takes 0 and −1, as PyTorch). */
export function normAxis(axis: number, rank: number, shape?: Shape): number {
  const r = Math.max(rank, 1);
  const a = Number.isInteger(axis) && axis < 0 ? axis + r : axis;
  if (!Number.isInteger(axis) || a < 0 || a >= r) {
    throw new ShapeError(`axis ${describeValue(axis)} is out of range for ${shape ? `shape ${fmtShape(shape)}` :
      `rank ${rank}`}`);
  }
  return a;
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether `shape` broadcasts to `to` unchanged (each trailing dim 1 or equal, rank ≤ to's). */
export function broadcastsTo(shape: Shape, to: Shape): boolean {
  const off = to.length - shape.length;
  if (off < 0) return false;
  for (let i = 0; i < shape.length; i++) if (shape[i] !== 1 && shape[i] !== to[i + off]) return false;
  return true;
}
