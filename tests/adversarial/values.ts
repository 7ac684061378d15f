// Hostile and valid argument values for the op probes, as plain descriptors fast-check can
// generate and print; make() turns one into the live value inside the probe's scope. A descriptor
// knows whether it is valid for its role; the oracles in the probe files decide the rest (shapes
// that do not fit, axes out of range).
import fc from 'fast-check';
import * as sg from '../../src/index.js';

/** Values that are never a tensor, a shape or a number an op accepts. */
const JUNK: ReadonlyArray<readonly [string, () => unknown]> = [
  ["'5'", () => '5'], ["'abc'", () => 'abc'], ["''", () => ''], ['null', () => null], ['undefined', () => undefined],
  ['{}', () => ({})], ['[]', () => []], ['[1, 2]', () => [1, 2]], ['true', () => true], ['Symbol', () => Symbol('s')],
  ['5n', () => 5n], ['function', () => () => 1], ['Float32Array', () => new Float32Array(2)],
  ['BigInt64Array', () => new BigInt64Array(2)], ['Object.create(null)', () => Object.create(null)],
  ['a fake tensor', () => ({ shape: [2], size: 2, strides: [1], check() { return this; }, ptr: 0 })],
];

export type Desc =
  | { kind: 'tensor'; shape: number[]; data: number[]; layout: 'plain' | 'frozen' | 'transposed' | 'grad' }
  | { kind: 'disposed'; shape: number[] }
  | { kind: 'number'; value: number }
  | { kind: 'junk'; name: string };

/** A description for failure reports. */
export function show(d: Desc): string {
  switch (d.kind) {
    case 'tensor': return `${d.layout} tensor ${JSON.stringify(d.shape)} ${JSON.stringify(d.data.slice(0, 6).map(String))}`;
    case 'disposed': return `disposed tensor ${JSON.stringify(d.shape)}`;
    case 'number': return String(d.value);
    case 'junk': return d.name;
  }
}

/** Finite f32 values, and now and then the special ones. */
export const element: fc.Arbitrary<number> = fc.oneof(
  { weight: 12, arbitrary: fc.float({ min: -4, max: 4, noNaN: true }).map(Math.fround) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, -0, 1e30, -1e30, 1e-40) },
);

/** Finite values only (sums and products, whose f32 overflow depends on the order of operations). */
export const finite: fc.Arbitrary<number> = fc.float({ min: -4, max: 4, noNaN: true }).map(Math.fround);

/** Small shapes: rank 0–3, dims 0–3 (mostly ≥ 1). */
export const smallShape: fc.Arbitrary<number[]> = fc.array(
  fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 3 }) }, { weight: 1, arbitrary: fc.constant(0) }),
  { maxLength: 3 });

const sizeOf = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** A valid tensor descriptor of `shape` (any layout). */
export function tensorOf(shape: fc.Arbitrary<number[]>, values = element): fc.Arbitrary<Desc> {
  return shape.chain((s) => fc.record({
    kind: fc.constant('tensor' as const), shape: fc.constant(s),
    data: fc.array(values, { minLength: sizeOf(s), maxLength: sizeOf(s) }),
    layout: fc.constantFrom('plain' as const, 'frozen' as const, 'grad' as const, ...(s.length >= 2 ? ['transposed' as const] : [])),
  }));
}

export const junk: fc.Arbitrary<Desc> = fc.constantFrom(...JUNK.map(([name]) => ({ kind: 'junk' as const, name })));
export const disposed: fc.Arbitrary<Desc> = smallShape.map((shape) => ({ kind: 'disposed' as const, shape }));
export const numberDesc: fc.Arbitrary<Desc> = fc.oneof(
  fc.integer({ min: -3, max: 3 }), fc.constantFrom(0.5, 2.5, -0, NaN, Infinity, -Infinity, 1e39, 1e-39),
).map((value) => ({ kind: 'number' as const, value }));

/** A tensor argument: mostly valid tensors, sometimes numbers (valid only if `numbers`), junk or disposed. */
export function tensorArg(shape: fc.Arbitrary<number[]> = smallShape, values = element): fc.Arbitrary<Desc> {
  return fc.oneof({ weight: 10, arbitrary: tensorOf(shape, values) }, { weight: 2, arbitrary: numberDesc },
    { weight: 2, arbitrary: junk }, { weight: 1, arbitrary: disposed });
}

/** Whether d is valid where a tensor (or, with `numbers`, a number too) is expected. */
export function validTensor(d: Desc, numbers = false): boolean {
  return d.kind === 'tensor' || (numbers && d.kind === 'number');
}

/** A live tensor with its logical row-major data. */
export interface Made { v: unknown; data?: Float32Array; shape?: number[] }

/** The live value of d (tensors are made in the caller's scope). */
export function make(d: Desc): Made {
  switch (d.kind) {
    case 'number': return { v: d.value, data: Float32Array.of(d.value), shape: [] };
    case 'junk': return { v: JUNK.find(([n]) => n === d.name)![1]() };
    case 'disposed': { const t = sg.zeros(d.shape); t.dispose(); return { v: t }; }
    case 'tensor': {
      const data = Float32Array.from(d.data), r = d.shape.length;
      if (d.layout === 'transposed') { // stored with the last two dims swapped, read through a view
        const [m, n] = [d.shape[r - 2]!, d.shape[r - 1]!], batch = data.length / Math.max(m * n, 1);
        const stored = new Float32Array(data.length);
        for (let b = 0; b < batch; b++) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) stored[b * m * n + j * m + i] = data[b * m * n + i * n + j]!;
        const s = [...d.shape.slice(0, -2), n, m];
        return { v: sg.tensor(stored, s).transpose(-2, -1), data, shape: d.shape };
      }
      const t = sg.tensor(data, d.shape, { requiresGrad: d.layout === 'grad' });
      return { v: d.layout === 'frozen' ? Object.freeze(t) : t, data, shape: d.shape };
    }
  }
}

/** The result an oracle expects: data in row-major order and a shape. */
export interface Expected { shape: number[]; data: ArrayLike<number> }

/**
 * Compares a result tensor with the expected values: true, or what differs. NaN matches NaN,
 * infinities must match exactly, finite values within atol + rtol·|e|.
 */
export function same(t: unknown, e: Expected, rtol = 1e-5, atol = 1e-6): true | string {
  if (!(t instanceof sg.Tensor)) return `not a tensor: ${String(t)}`;
  if (JSON.stringify(t.shape) !== JSON.stringify(e.shape)) return `shape ${JSON.stringify(t.shape)}, expected ${JSON.stringify(e.shape)}`;
  return sameValues(t.toArray(), e.data, rtol, atol);
}

/** Elementwise closeness as in same(). */
export function sameValues(a: ArrayLike<number>, e: ArrayLike<number>, rtol = 1e-5, atol = 1e-6): true | string {
  if (a.length !== e.length) return `${a.length} values, expected ${e.length}`;
  for (let i = 0; i < e.length; i++) {
    const x = a[i]!, y = Math.fround(e[i]!);
    const ok = Number.isNaN(y) ? Number.isNaN(x) : !Number.isFinite(y) ? x === y : Math.abs(x - y) <= atol + rtol * Math.abs(y);
    if (!ok) return `[${i}] = ${x}, expected ${y}`;
  }
  return true;
}
