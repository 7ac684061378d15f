// Creating tensors: from values (typed arrays, flat arrays with a shape, nested arrays,
// numbers), filled (zeros, ones, full), ranges, and seeded random (rand, randn).
import { wordIndex } from '../memory.js';
import { Tensor } from '../tensor.js';
import { checkShape, sizeOf, type Shape } from '../shape.js';
import { DTypeError, ShapeError, fmtShape } from '../errors.js';
import { active } from '../runtime/context.js';
import { nextDraw } from '../random.js';

export interface TensorOptions { requiresGrad?: boolean }
export type NestedArray = number | readonly NestedArray[];

function inferShape(v: NestedArray): number[] {
  const shape: number[] = [];
  let cur: NestedArray = v;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = (cur as readonly NestedArray[])[0] ?? 0;
  }
  return shape;
}

function flattenInto(v: NestedArray, shape: Shape, dim: number, out: number[], path: string): void {
  if (dim === shape.length) {
    if (typeof v !== 'number') throw new DTypeError(`tensor(): value at ${path || 'top'} is not a number`);
    out.push(v);
    return;
  }
  if (!Array.isArray(v) || v.length !== shape[dim]) {
    throw new ShapeError(`tensor(): ragged nested array at ${path || 'top'}: expected ${shape[dim]} ` +
      `entries (shape ${fmtShape(shape)}), got ${Array.isArray(v) ? v.length : typeof v}`);
  }
  for (let i = 0; i < v.length; i++) flattenInto(v[i] as NestedArray, shape, dim + 1, out, `${path}[${i}]`);
}

/**
 * A tensor from values.
 * @example
 * sg.tensor([[1, 2], [3, 4]]);                       // shape [2, 2]
 * sg.tensor(new Float32Array(6), [2, 3]);            // flat data + shape
 */
export function tensor(values: ArrayLike<number> | NestedArray, shape?: Shape, opts: TensorOptions = {}): Tensor {
  let data: ArrayLike<number>;
  let s: number[];
  if (typeof values === 'number') {
    data = [values];
    s = shape ? [...shape] : [];
  } else if (ArrayBuffer.isView(values) || (Array.isArray(values) && shape)) {
    data = values as ArrayLike<number>;
    s = shape ? [...shape] : [data.length];
  } else if (Array.isArray(values)) {
    s = inferShape(values as NestedArray);
    const flat: number[] = [];
    flattenInto(values as NestedArray, s, 0, flat, '');
    data = flat;
  } else {
    throw new DTypeError(`tensor(): expected a typed array, an array or a number, got ${typeof values}`);
  }
  checkShape(s);
  if (data.length !== sizeOf(s)) {
    throw new ShapeError(`tensor(): ${data.length} values do not fill shape ${fmtShape(s)} ` +
      `(${sizeOf(s)} elements)`);
  }
  const t = Tensor.empty(s);
  t.backend.heap.f32.set(data, wordIndex(t.ptr));
  t.requiresGrad = !!opts.requiresGrad;
  return t;
}

/** A tensor filled with `value`. */
export function full(shape: Shape, value: number, opts: TensorOptions = {}): Tensor {
  checkShape(shape);
  const t = Tensor.empty(shape);
  t.backend.kernels.fill_f32(t.ptr, t.size, value);
  t.requiresGrad = !!opts.requiresGrad;
  return t;
}
export const zeros = (shape: Shape, opts: TensorOptions = {}): Tensor => full(shape, 0, opts);
export const ones = (shape: Shape, opts: TensorOptions = {}): Tensor => full(shape, 1, opts);

/** [start, start + step, …) below end, like torch.arange; arange(n) is 0…n−1. */
export function arange(start: number, end?: number, step = 1): Tensor {
  if (end === undefined) [start, end] = [0, start];
  if (step === 0 || !Number.isFinite(step) || !Number.isFinite(start) || !Number.isFinite(end)) {
    throw new RangeError(`arange(${start}, ${end}, ${step}): bounds must be finite and step ≠ 0`);
  }
  const n = Math.max(0, Math.ceil((end - start) / step));
  const t = Tensor.empty([n]);
  const f = t.backend.heap.f32, base = wordIndex(t.ptr);
  for (let i = 0; i < n; i++) f[base + i] = start + i * step;
  return t;
}

export interface RandomOptions extends TensorOptions {
  /** Seed of this draw; without it the global stream (manualSeed) continues. */
  seed?: number;
}

/** Uniform values in [low, high) (default [0, 1)), counter-based and seeded. */
export function rand(shape: Shape, opts: RandomOptions & { low?: number; high?: number } = {}): Tensor {
  checkShape(shape);
  const t = Tensor.empty(shape);
  const d = nextDraw(t.size, 4, opts.seed);
  t.backend.kernels.rand_uniform_f32(t.ptr, t.size, d.seedLo, d.seedHi, d.offset, opts.low ?? 0, opts.high ?? 1);
  t.requiresGrad = !!opts.requiresGrad;
  return t;
}

/** Standard normal values (or N(mean, std²)), counter-based and seeded. @example sg.randn([2, 3], { seed: 1 }) */
export function randn(shape: Shape, opts: RandomOptions & { mean?: number; std?: number } = {}): Tensor {
  checkShape(shape);
  const t = Tensor.empty(shape);
  const d = nextDraw(t.size, 2, opts.seed);
  t.backend.kernels.rand_normal_f32(t.ptr, t.size, d.seedLo, d.seedHi, d.offset, opts.mean ?? 0, opts.std ?? 1);
  t.requiresGrad = !!opts.requiresGrad;
  return t;
}
