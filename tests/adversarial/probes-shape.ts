// Op probes for shapes: reshape (−1, wrong sizes, junk shapes), transpose, flatten, slice
// (negative, out-of-range and fractional bounds), concat (mismatched shapes, non-tensors in the
// list), contiguous — checked against naive index arithmetic.
import fc from 'fast-check';
import * as sg from '../../src/index.js';
import type { Probe } from './outcome.js';
import { probe, view, type Snapshot } from './probe-kit.js';
import { clampIndex, permute, sliceOf } from './naive-ops.js';
import { axisOf, axisValue } from './probes-math.js';
import { junk, smallShape, tensorArg, validTensor, type Desc, type Expected } from './values.js';

type Arb = fc.Arbitrary<Probe<Snapshot>>;

const label = (v: unknown): string => (typeof v === 'symbol' ? 'Symbol' : JSON.stringify(v) ?? String(v));
const sizeOf = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** Target shapes for reshape: valid-looking dims, −1s, and junk. */
const targetShape: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.array(fc.integer({ min: -1, max: 6 }), { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, 'abc', 6, [1.5], [NaN], ['2'], [2 ** 53, 0], {}) },
);

function reshapeProbe(): Arb {
  return fc.tuple(tensorArg(), targetShape).map(([a, shape]) => probe({
    label: `reshape[${label(shape)}]`, args: [a], valid: validTensor(a),
    call: (x) => sg.reshape(x!.v as never, shape as number[]),
    oracle: () => {
      if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= -1)) return null;
      const x = view(a), s = [...shape as number[]], minus = s.filter((d) => d === -1).length;
      if (minus > 1) return null;
      if (minus === 1) {
        const rest = sizeOf(s.filter((d) => d !== -1));
        if (rest === 0 || x.data.length % rest !== 0) return null;
        s[s.indexOf(-1)] = x.data.length / rest;
      }
      return sizeOf(s) === x.data.length ? { shape: s, data: x.data } : null;
    },
  }));
}

function transposeProbe(): Arb {
  return fc.tuple(tensorArg(), axisValue, axisValue).map(([a, d0, d1]) => probe({
    label: `transpose[${label(d0)}, ${label(d1)}]`, args: [a], valid: validTensor(a),
    call: (x) => sg.transpose(x!.v as never, d0 as number, d1 as number),
    oracle: () => {
      const x = view(a), r = x.shape.length;
      if (r < 2) return x; // rank ≤ 1: a view of t, whatever the dims (documented)
      const p = axisOf(d0, r), q = axisOf(d1, r);
      if (p === null || q === null) return null;
      const perm = x.shape.map((_, i) => i);
      [perm[p], perm[q]] = [perm[q]!, perm[p]!];
      return permute(x, perm);
    },
  }));
}

function flattenProbe(): Arb {
  return fc.tuple(tensorArg(), axisValue, axisValue).map(([a, s, e]) => probe({
    label: `flatten[${label(s)}, ${label(e)}]`, args: [a], valid: validTensor(a),
    call: (x) => sg.flatten(x!.v as never, s as number, e as number),
    oracle: () => {
      const x = view(a), r = x.shape.length;
      const p = axisOf(s, r), q = axisOf(e, r);
      if (p === null || q === null) return null;
      if (r === 0) return { shape: [1], data: x.data };
      if (p > q) return null;
      return { shape: [...x.shape.slice(0, p), sizeOf(x.shape.slice(p, q + 1)), ...x.shape.slice(q + 1)], data: x.data };
    },
  }));
}

const bounds: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.constantFrom(undefined, null, 3, [1.5], [NaN], ['1'], [Infinity]) },
);

function sliceProbe(): Arb {
  return fc.tuple(tensorArg(), bounds, bounds).map(([a, starts, ends]) => probe({
    label: `slice[${label(starts)}, ${label(ends)}]`, args: [a], valid: validTensor(a),
    call: (x) => sg.slice(x!.v as never, starts as number[], ends as number[]),
    oracle: () => {
      const ok = (v: unknown): v is number[] => Array.isArray(v) && v.every((i) => Number.isSafeInteger(i));
      const x = view(a), r = x.shape.length;
      if (!ok(starts) || (ends !== undefined && !ok(ends))) return null;
      if (starts.length > r || (ends && ends.length > r)) return null;
      const lo = x.shape.map((n, d) => clampIndex(starts[d] ?? 0, n)), hi = x.shape.map((n, d) => clampIndex(ends?.[d] ?? n, n));
      return sliceOf(x, lo, hi);
    },
  }));
}

/** concat of 1–3 operands sharing a shape pattern (or not), junk mixed in. */
function concatProbe(): Arb {
  const operand = fc.oneof({ weight: 8, arbitrary: tensorArg(fc.constantFrom([2, 3], [1, 3], [2, 2], [3])) }, { weight: 1, arbitrary: junk });
  return fc.tuple(fc.array(operand, { minLength: 0, maxLength: 3 }), axisValue, fc.boolean()).map(([list, axis, asArray]) => probe({
    label: `concat[axis ${label(axis)}${asArray ? '' : ', not an array'}]`, args: list, valid: asArray && list.every((d) => validTensor(d)),
    call: (...made) => sg.concat((asArray ? made.map((m) => m.v) : made[0]?.v) as never, axis as number),
    oracle: () => {
      if (list.length === 0) return null;
      const xs = list.map(view), r = xs[0]!.shape.length, ax = axisOf(axis, r);
      if (r === 0 || ax === null) return null;
      if (xs.some((x) => x.shape.length !== r || x.shape.some((d, i) => i !== ax && d !== xs[0]!.shape[i]))) return null;
      const shape = [...xs[0]!.shape];
      shape[ax] = xs.reduce((n, x) => n + x.shape[ax]!, 0);
      const outer = sizeOf(shape.slice(0, ax)), data: number[] = [];
      for (let o = 0; o < outer; o++) {
        for (const x of xs) {
          const chunk = sizeOf(x.shape.slice(ax));
          data.push(...Array.from(x.data).slice(o * chunk, (o + 1) * chunk));
        }
      }
      return { shape, data } as Expected;
    },
  }));
}

function contiguousProbe(): Arb {
  return tensorArg().map((a: Desc) => probe({
    label: 'contiguous', args: [a], valid: validTensor(a), call: (x) => sg.contiguous(x!.v as never), oracle: () => view(a),
  }));
}

/** Every shape probe family by name. */
export function shapeProbes(): Record<string, Arb> {
  return { reshape: reshapeProbe(), transpose: transposeProbe(), flatten: flattenProbe(), slice: sliceProbe(),
    concat: concatProbe(), contiguous: contiguousProbe() };
}

export { smallShape };
