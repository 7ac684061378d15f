// Op probes for the math: elementwise (binary with broadcasting and scalars, unary), activations,
// softmax along an axis, reductions with axes and keepDims, argmax, matmul and linear — each with
// hostile arguments (non-tensors, numbers where tensors are needed, disposed tensors, shapes that
// do not fit, axes out of range or not integers) and checked against naive f64 oracles.
import fc from 'fast-check';
import * as sg from '../../src/index.js';
import type { Probe } from './outcome.js';
import { probe, view, type Snapshot } from './probe-kit.js';
import { erf, binary, matmul as naiveMatmul, reduceAxes } from './naive-ops.js';
import { finite, smallShape, tensorArg, tensorOf, validTensor, type Desc, type Expected } from './values.js';

type Arb = fc.Arbitrary<Probe<Snapshot>>;

/** Axis values: integers in and out of range, and things that are not integers. */
export const axisValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -4, max: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(1.5, NaN, Infinity, '0', null, 2 ** 53) },
);
/** `axis` of a reduction: none, one, several (repeats included) or junk. */
const axesValue: fc.Arbitrary<unknown> = fc.oneof(fc.constant(undefined), axisValue, fc.array(fc.integer({ min: -3, max: 2 }), { maxLength: 3 }));

/** The normalised axis, or null when it names none of `rank` dims (rank 0 takes 0 and −1). */
export function axisOf(a: unknown, rank: number): number | null {
  const r = Math.max(rank, 1);
  if (typeof a !== 'number' || !Number.isInteger(a) || a < -r || a >= r) return null;
  return a < 0 ? a + r : a;
}

const map = (x: Expected, f: (v: number) => number): Expected => ({ shape: x.shape, data: Array.from(x.data, f) });
const label = (v: unknown): string => (typeof v === 'symbol' ? 'Symbol' : JSON.stringify(v) ?? String(v));

const BINARY: Array<[string, (a: never, b: never) => sg.Tensor, (x: number, y: number) => number]> = [
  ['add', sg.add, (x, y) => x + y], ['sub', sg.sub, (x, y) => x - y], ['mul', sg.mul, (x, y) => x * y],
  ['div', sg.div, (x, y) => x / y], ['maximum', sg.maximum, (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.max(x, y))],
  ['minimum', sg.minimum, (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.min(x, y))], ['pow', sg.pow, Math.pow],
];

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const UNARY: Array<[string, (x: never) => sg.Tensor, (x: number) => number]> = [
  ['neg', sg.neg, (x) => -x], ['abs', sg.abs, Math.abs], ['exp', sg.exp, Math.exp], ['log', sg.log, Math.log],
  ['sqrt', sg.sqrt, Math.sqrt], ['relu', sg.relu, (x) => (Number.isNaN(x) ? NaN : Math.max(x, 0))],
  ['sigmoid', sg.sigmoid, sigmoid], ['tanh', sg.tanh, Math.tanh], ['silu', sg.silu, (x) => x / (1 + Math.exp(-x))],
  ['gelu', sg.gelu, (x) => 0.5 * x * (1 + erf(x / Math.SQRT2))],
];

function binaryProbes(): Arb[] {
  return BINARY.map(([name, op, f]) => fc.tuple(tensorArg(), tensorArg()).map(([a, b]) => probe({
    label: name, args: [a, b], valid: validTensor(a, true) && validTensor(b, true),
    call: (x, y) => op(x!.v as never, y!.v as never), oracle: () => binary(view(a), view(b), f),
    rtol: name === 'pow' || name === 'div' ? 1e-4 : 1e-6, atol: 1e-6,
  })));
}

function unaryProbes(): Arb[] {
  const out: Arb[] = UNARY.map(([name, op, f]) => tensorArg().map((a) => probe({
    label: name, args: [a], valid: validTensor(a), call: (x) => op(x!.v as never),
    oracle: () => map(view(a), f), rtol: 1e-4, atol: 1e-6,
  })));
  out.push(fc.tuple(tensorArg(), fc.oneof(fc.double({ min: -3, max: 3, noNaN: true }), fc.constantFrom(NaN, Infinity, '0.1', null)))
    .map(([a, slope]) => probe({
      label: `leakyRelu[slope ${label(slope)}]`, args: [a], valid: validTensor(a) && typeof slope === 'number' && Number.isFinite(slope),
      call: (x) => sg.leakyRelu(x!.v as never, slope as number),
      oracle: () => map(view(a), (x) => (x > 0 ? x : x * Math.fround(slope as number))), rtol: 1e-6,
    })));
  return out;
}

/** Softmax / logSoftmax along an axis, the stable formula in f64. */
function softmaxProbes(): Arb[] {
  return (['softmax', 'logSoftmax'] as const).map((name) => fc.tuple(tensorArg(), axisValue).map(([a, axis]) => probe({
    label: `${name}[axis ${label(axis)}]`, args: [a], valid: validTensor(a),
    call: (x) => sg[name](x!.v as never, axis as number),
    oracle: () => {
      const x = view(a), r = x.shape.length, ax = axisOf(axis, r);
      if (ax === null) return null;
      const rows = r === 0 ? { shape: [], data: x.data } : x;
      const out = new Float64Array(x.data.length), st = rows.shape.slice(ax + 1).reduce((p, d) => p * d, 1);
      const len = r === 0 ? 1 : x.shape[ax]!;
      for (let i = 0; i < x.data.length; i++) {
        const base = i - (Math.floor(i / st) % len) * st, row = Array.from({ length: len }, (_, l) => x.data[base + l * st]!);
        const m = Math.max(...row), s = row.reduce((acc, v) => acc + Math.exp(v - m), 0);
        out[i] = name === 'softmax' ? Math.exp(x.data[i]! - m) / s : x.data[i]! - m - Math.log(s);
      }
      return { shape: x.shape, data: out };
    },
    rtol: 1e-4, atol: 1e-5,
  })));
}

const FOLDS: Record<'sum' | 'mean' | 'max', (v: number[]) => number> = {
  sum: (v) => v.reduce((a, b) => a + b, 0),
  mean: (v) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN),
  max: (v) => (v.some(Number.isNaN) ? NaN : Math.max(...v)),
};

function reduceProbes(): Arb[] {
  const keep = fc.oneof({ weight: 4, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.constantFrom(1, 'yes', null) });
  return (['sum', 'mean', 'max'] as const).map((name) => fc.tuple(tensorArg(smallShape, name === 'max' ? undefined : finite), axesValue, keep).map(([a, axis, keepDims]) => probe({
    label: `${name}[axis ${label(axis)}, keepDims ${label(keepDims)}]`, args: [a], valid: validTensor(a) && typeof keepDims === 'boolean',
    call: (x) => sg[name](x!.v as never, axis as number, keepDims as boolean),
    oracle: () => {
      const x = view(a), r = x.shape.length;
      let axes: number[];
      if (axis === undefined) axes = x.shape.map((_, i) => i);
      else {
        const list = Array.isArray(axis) ? axis : [axis];
        const norm = list.map((v) => axisOf(v, r));
        if (norm.some((v) => v === null) || new Set(norm).size !== norm.length) return null;
        axes = r === 0 ? [] : (norm as number[]).sort((p, q) => p - q);
      }
      if (name === 'max' && axes.some((i) => x.shape[i] === 0)) return null;
      if (name === 'max' && axis === undefined && x.data.length === 0) return null;
      return reduceAxes(x, axes, keepDims as boolean, FOLDS[name]);
    },
    rtol: 1e-4, atol: 1e-4,
  })));
}

function argmaxProbe(): Arb {
  return fc.tuple(tensorArg(), axisValue).map(([a, axis]) => probe({
    label: `argmax[axis ${label(axis)}]`, args: [a], valid: validTensor(a), call: (x) => sg.argmax(x!.v as never, axis as number),
    oracle: () => {
      const x = view(a), shape = x.shape.length === 0 ? [1] : x.shape, ax = axisOf(axis, x.shape.length);
      if (ax === null || shape[ax] === 0) return null;
      const best = reduceAxes({ shape, data: Array.from(x.data, (_, i) => i) }, [ax], false, (idx) => {
        let k = 0; // first maximum; a NaN counts as the maximum (first NaN wins)
        for (let j = 1; j < idx.length; j++) {
          const v = x.data[idx[j]!]!, b = x.data[idx[k]!]!;
          if (!Number.isNaN(b) && (Number.isNaN(v) || v > b)) k = j;
        }
        return k;
      });
      return (v: unknown) => (v instanceof Int32Array && v.join() === Array.from(best.data).join()) || `got ${String(v)}, expected ${Array.from(best.data).join()}`;
    },
  }));
}

const matShape = fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 });

function matmulProbes(): Arb[] {
  const act = fc.constantFrom(undefined, 'relu', 'sigmoid', null);
  const mm = fc.tuple(tensorArg(matShape, finite), tensorArg(matShape, finite), act).map(([a, b, activation]) => probe({
    label: `matmul[activation ${label(activation)}]`, args: [a, b],
    valid: validTensor(a) && validTensor(b) && (activation === undefined || activation === 'relu'),
    call: (x, y) => sg.matmul(x!.v as never, y!.v as never, { activation: activation as 'relu' }),
    oracle: () => {
      const r = naiveMatmul(view(a), view(b));
      return r && activation === 'relu' ? map(r, (v) => (Number.isNaN(v) ? NaN : Math.max(v, 0))) : r;
    },
    rtol: 1e-4, atol: 1e-4,
  }));
  const lin = fc.tuple(tensorArg(matShape, finite), tensorArg(fc.oneof(fc.constant([2, 3] as number[]), matShape), finite),
    fc.oneof(fc.constant(undefined), tensorArg(fc.constantFrom([2], [3], [1, 2]), finite))).map(([x, w, b]) => probe({
    label: 'linear', args: b === undefined ? [x, w] : [x, w, b],
    valid: validTensor(x) && validTensor(w) && (b === undefined || validTensor(b) || (b.kind === 'junk' && b.name === 'undefined')),
    call: (xs, ws, bs) => sg.linear(xs!.v as never, ws!.v as never, bs?.v as never),
    oracle: () => {
      const wv = view(w);
      if (wv.shape.length !== 2) return null;
      const wt = { shape: [wv.shape[1]!, wv.shape[0]!], data: Array.from({ length: wv.data.length }, (_, i) => wv.data[(i % wv.shape[0]!) * wv.shape[1]! + Math.floor(i / wv.shape[0]!)]!) };
      const xv = view(x);
      if (xv.shape.length < 1) return null;
      const y = naiveMatmul(xv, wt);
      if (!y || b === undefined || b.kind === 'junk') return y;
      const bv = view(b);
      return bv.shape.length === 1 && bv.shape[0] === wv.shape[0] ? binary(y, bv, (p, q) => p + q) : null;
    },
    rtol: 1e-4, atol: 1e-4,
  }));
  return [mm, lin];
}

/** maskedSoftmax with junk masks, non-boolean causal, non-finite scales. */
function maskedSoftmaxProbe(): Arb {
  const mask = fc.oneof(fc.constant(null), tensorArg(fc.constantFrom([3], [2, 3], [1, 3], [4])),
    tensorOf(fc.constant([3])).map((d) => [d]));
  return fc.tuple(tensorArg(fc.constant([2, 3])), mask, fc.constantFrom(1, 0.5, NaN, '2'), fc.constantFrom(false, true, 'yes'))
    .map(([x, m0, scale, causal]) => {
      const m = m0 !== null && !Array.isArray(m0) && m0.kind === 'junk' && m0.name === 'undefined' ? null : m0; // mask: undefined = none
      const masks: Desc[] = m === null ? [] : Array.isArray(m) ? m : [m];
      return probe({
        label: `maskedSoftmax[scale ${label(scale)}, causal ${label(causal)}, ${Array.isArray(m) ? 'mask list' : 'mask'}]`, args: [x, ...masks],
        valid: validTensor(x) && masks.every((d) => validTensor(d) && d.kind === 'tensor' && d.layout !== 'grad') && typeof scale === 'number' && Number.isFinite(scale) && typeof causal === 'boolean',
        call: (xs, ...ms) => sg.maskedSoftmax(xs!.v as never, { scale: scale as number, causal: causal as boolean,
          mask: m === null ? null : Array.isArray(m) ? ms.map((q) => q.v) as never : ms[0]!.v as never }),
        oracle: () => {
          let s: Expected | null = map(view(x), (v) => v * (scale as number));
          for (const d of masks) {
            const mv = view(d);
            s = s && binary(s, mv, (p, q) => p + q);
            if (!s || s.shape.join() !== '2,3') return null;
          }
          const data = Array.from(s!.data);
          const out = data.map((_, i) => {
            const r = Math.floor(i / 3);
            if (causal && i % 3 > r) return 0; // the causal tail is excluded, never computed (documented)
            const row = data.slice(r * 3, r * 3 + 3).filter((_, j) => !causal || j <= r);
            const m0 = Math.max(...row);
            if (m0 === -Infinity) return 0; // a row masked everywhere gives zeros (documented)
            const e = row.map((v) => Math.exp(v - m0)), z = e.reduce((p, q) => p + q, 0);
            return e[i % 3]! / z;
          });
          return { shape: [2, 3], data: out };
        },
        rtol: 1e-4, atol: 1e-5,
      });
    });
}

/** Every math probe family by name. */
export function mathProbes(): Record<string, Arb> {
  const all: Arb[] = [...binaryProbes(), ...unaryProbes(), ...softmaxProbes(), ...reduceProbes(), argmaxProbe(),
    ...matmulProbes(), maskedSoftmaxProbe()];
  return Object.fromEntries(all.map((a, i) => [`math${i}`, a]));
}

export { smallShape };
