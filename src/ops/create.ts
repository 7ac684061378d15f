// Creating tensors: from values (typed arrays, flat arrays with a shape, nested arrays,
// numbers), filled (zeros, ones, full), ranges, and seeded random (rand, randn).
import { wordIndex } from '../memory.js';
import { Tensor } from '../tensor.js';
import { checkShape, sizeOf, type Shape } from '../shape.js';
import { DTypeError, OptionError, ShapeError, describeValue, fmtShape } from '../errors.js';
import { checkNumber, checkSeed } from '../check-option.js';
import { isNumericView, viewKind } from '../numeric-view.js';
import { active } from '../runtime/context.js';
import { nextDraw } from '../random.js';

export interface TensorOptions { requiresGrad?: boolean }
export type NestedArray = number | readonly NestedArray[];

/** Nested arrays deeper than this are refused (PyTorch allows 64 dimensions too). */
const MAX_DEPTH = 64;

function inferShape(v: NestedArray): number[] {
  const shape: number[] = [];
  let cur: NestedArray = v;
  while (Array.isArray(cur)) {
    if (shape.length === MAX_DEPTH) throw new ShapeError(`tensor(): nested arrays deeper than ${MAX_DEPTH} levels`);
    shape.push(cur.length);
    cur = (cur as readonly NestedArray[])[0] ?? 0;
  }
  return shape;
}

function notANumber(v: unknown, path: string): DTypeError {
  return new DTypeError(`tensor(): value at ${path || 'top'} is ${describeValue(v)}, not a number`);
}

function flattenInto(v: NestedArray, shape: Shape, dim: number, out: number[], path: string): void {
  if (dim === shape.length) {
    if (typeof v !== 'number') throw notANumber(v, path);
    out.push(v);
    return;
  }
  if (!Array.isArray(v) || v.length !== shape[dim]) {
    throw new ShapeError(`tensor(): ragged nested array at ${path || 'top'}: expected ${shape[dim]} ` +
      `entries (shape ${fmtShape(shape)}), got ${Array.isArray(v) ? v.length : describeValue(v)}`);
  }
  for (let i = 0; i < v.length; i++) flattenInto(v[i] as NestedArray, shape, dim + 1, out, `${path}[${i}]`);
}

/**
 * The values of an array (nested or flat) as flat numbers, and the shape its nesting implies. One
 * path for every array: each element must be a number (no strings, null, objects or holes).
 */
function arrayData(values: readonly NestedArray[]): { data: ArrayLike<number>; shape: number[] } {
  const shape = inferShape(values);
  if (shape.length === 1) { // flat: checked in place, not copied
    for (let i = 0; i < values.length; i++) if (typeof values[i] !== 'number') throw notANumber(values[i], `[${i}]`);
    return { data: values as readonly number[], shape };
  }
  const flat: number[] = [];
  flattenInto(values, shape, 0, flat, '');
  return { data: flat, shape };
}

/**
 * A tensor from values: a number, a typed array of numbers, or an array (nested, or flat with a
 * `shape`). Every value must be a number — anything else is a DTypeError naming where it is; a
 * nested array given a `shape` must have that shape.
 * @example
 * sg.tensor([[1, 2], [3, 4]]);                       // shape [2, 2]
 * sg.tensor(new Float32Array(6), [2, 3]);            // flat data + shape
 */
export function tensor(values: ArrayLike<number> | NestedArray, shape?: Shape, opts: TensorOptions = {}): Tensor {
  if (shape !== undefined) checkShape(shape);
  let data: ArrayLike<number>;
  let s: number[];
  if (typeof values === 'number') {
    data = [values];
    s = shape ? [...shape] : [];
  } else if (ArrayBuffer.isView(values)) {
    if (!isNumericView(values)) throw new DTypeError(`tensor(): a ${viewKind(values)} cannot become f32 data (give numbers)`);
    data = values as unknown as ArrayLike<number>;
    s = shape ? [...shape] : [data.length];
  } else if (Array.isArray(values)) {
    const a = arrayData(values as readonly NestedArray[]);
    if (shape && a.shape.length > 1 && fmtShape(a.shape) !== fmtShape(shape)) {
      throw new ShapeError(`tensor(): nested values of shape ${fmtShape(a.shape)} given shape ${fmtShape(shape)}`);
    }
    data = a.data;
    s = shape ? [...shape] : a.shape;
  } else {
    throw new DTypeError(`tensor(): expected a typed array, an array or a number, got ${describeValue(values)}`);
  }
  checkShape(s);
  if (data.length !== sizeOf(s)) {
    throw new ShapeError(`tensor(): ${data.length} values do not fill shape ${fmtShape(s)} ` +
      `(${sizeOf(s)} elements)`);
  }
  const t = Tensor.empty(s);
  t.backend.heap.f32.set(data, wordIndex(t.ptr));
  t.requiresGrad = !!opts?.requiresGrad;
  return t;
}

/** A tensor filled with `value`. */
export function full(shape: Shape, value: number, opts: TensorOptions = {}): Tensor {
  checkShape(shape);
  if (typeof value !== 'number') throw new DTypeError(`full(): value must be a number, got ${describeValue(value)}`);
  const t = Tensor.empty(shape);
  t.backend.kernels.fill_f32(t.ptr, t.size, value);
  t.requiresGrad = !!opts?.requiresGrad;
  return t;
}
export const zeros = (shape: Shape, opts: TensorOptions = {}): Tensor => full(shape, 0, opts);
export const ones = (shape: Shape, opts: TensorOptions = {}): Tensor => full(shape, 1, opts);

/** [start, start + step, …) below end, like torch.arange; arange(n) is 0…n−1. */
export function arange(start: number, end?: number, step = 1): Tensor {
  if (end === undefined) [start, end] = [0, start];
  if (step === 0 || !Number.isFinite(step) || !Number.isFinite(start) || !Number.isFinite(end)) {
    throw new OptionError(`arange(${[start, end, step].map(describeValue).join(', ')}): bounds must be finite ` +
      'numbers and step ≠ 0');
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

/** Uniform values in [low, high) (default [0, 1); low ≤ high, both finite), counter-based and seeded. */
export function rand(shape: Shape, opts: RandomOptions & { low?: number; high?: number } = {}): Tensor {
  checkShape(shape);
  const { low = 0, high = 1, seed } = opts ?? {};
  checkNumber('rand', 'low', low);
  checkNumber('rand', 'high', high, { min: low });
  checkSeed('rand', seed);
  const t = Tensor.empty(shape);
  const d = nextDraw(t.size, 4, seed);
  t.backend.kernels.rand_uniform_f32(t.ptr, t.size, d.seedLo, d.seedHi, d.offset, low, high);
  t.requiresGrad = !!opts?.requiresGrad;
  return t;
}

/**
 * Standard normal values (or N(mean, std²); mean finite, std finite and ≥ 0), counter-based and
 * seeded. @example sg.randn([2, 3], { seed: 1 })
 */
export function randn(shape: Shape, opts: RandomOptions & { mean?: number; std?: number } = {}): Tensor {
  checkShape(shape);
  const { mean = 0, std = 1, seed } = opts ?? {};
  checkNumber('randn', 'mean', mean);
  checkNumber('randn', 'std', std, { min: 0 });
  checkSeed('randn', seed);
  const t = Tensor.empty(shape);
  const d = nextDraw(t.size, 2, seed);
  t.backend.kernels.rand_normal_f32(t.ptr, t.size, d.seedLo, d.seedHi, d.offset, mean, std);
  t.requiresGrad = !!opts?.requiresGrad;
  return t;
}
