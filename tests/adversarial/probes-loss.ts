// Probes for the functional losses and dropout (sg.nn.functional) and for backward(): hostile
// logits, targets (fractional, out of range, junk, wrong length), reductions, label smoothing,
// Huber deltas, dropout probabilities and seeds, and backward gradients of the wrong kind or shape
// — checked against naive f64 formulas.
import fc from 'fast-check';
import * as sg from '../../src/index.js';
import type { Probe } from './outcome.js';
import { probe, view, type Snapshot } from './probe-kit.js';
import { finite, junk, tensorArg, tensorOf, validTensor, type Expected } from './values.js';

type Arb = fc.Arbitrary<Probe<Snapshot>>;
const F = sg.nn.functional;

const label = (v: unknown): string => {
  try { return typeof v === 'symbol' ? 'Symbol' : JSON.stringify(v) ?? String(v); } catch { return typeof v; }
};
const reductionValue = fc.constantFrom('mean', 'sum', 'none', undefined, 'avg', null, 3);
const validReduction = (r: unknown): boolean => r === undefined || r === 'mean' || r === 'sum' || r === 'none';

function reduce(losses: number[], r: unknown, count = losses.length): Expected {
  if (r === 'none') return { shape: [losses.length], data: losses };
  const s = losses.reduce((a, b) => a + b, 0);
  return { shape: [], data: [r === 'sum' ? s : s / count] };
}

function crossEntropyProbe(): Arb {
  const targets = fc.oneof(
    fc.tuple(fc.constantFrom('Int32Array', 'array', 'Tensor', 'Float32Array'), fc.array(fc.oneof(fc.integer({ min: -1, max: 3 }), fc.constantFrom(2.5, NaN, -100)), { minLength: 1, maxLength: 4 })),
    fc.constantFrom(['junk', 'abc'], ['junk', null], ['junk', 3]),
  );
  return fc.tuple(tensorArg(fc.constantFrom([2, 3], [3, 3], [2], [1, 2]), finite), targets, fc.constantFrom(undefined, 0, 0.1, 1, -0.5, NaN, '0.1'), reductionValue)
    .map(([logits, [kind, t], smoothing, reduction]) => probe({
      label: `crossEntropy[${kind} ${label(t)}, labelSmoothing ${label(smoothing)}, reduction ${label(reduction)}]`, args: [logits],
      valid: validTensor(logits) && validReduction(reduction) && (smoothing === undefined || (typeof smoothing === 'number' && smoothing >= 0 && smoothing <= 1)),
      call: (l) => {
        const values = t as number[];
        const tg = kind === 'Int32Array' ? Int32Array.from(values) : kind === 'Float32Array' ? Float32Array.from(values)
          : kind === 'Tensor' ? sg.tensor(values) : kind === 'array' ? values : t;
        return F.crossEntropy(l!.v as never, tg as never, { labelSmoothing: smoothing as number, reduction: reduction as 'mean' });
      },
      oracle: () => {
        const x = view(logits);
        if (kind === 'junk' || x.shape.length !== 2) return null;
        const [n, c] = x.shape as [number, number];
        const ys = kind === 'Int32Array' ? Array.from(Int32Array.from(t as number[])) : (t as number[]).map(Math.fround);
        if (ys.length !== n || ys.some((y) => y !== -100 && !(Number.isInteger(y) && y >= 0 && y < c))) return null;
        const eps = (smoothing as number | undefined) ?? 0, kept = ys.filter((y) => y !== -100).length;
        const losses = ys.map((y, i) => {
          if (y === -100) return 0;
          const row = Array.from({ length: c }, (_, j) => x.data[i * c + j]!), m = Math.max(...row);
          const lse = m + Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0));
          const logp = row.map((v) => v - lse);
          return -(1 - eps) * logp[y]! - (eps / c) * logp.reduce((a, v) => a + v, 0);
        });
        return reduce(losses, reduction ?? 'mean', kept);
      },
      rtol: 1e-4, atol: 1e-5,
    }));
}

const PAIRWISE: Array<[string, (a: never, b: never, o: never) => sg.Tensor, (x: number, y: number, delta: number) => number]> = [
  ['mseLoss', F.mseLoss, (x, y) => (x - y) ** 2],
  ['l1Loss', F.l1Loss, (x, y) => Math.abs(x - y)],
  ['huberLoss', F.huberLoss, (x, y, d) => (Math.abs(x - y) < d ? 0.5 * (x - y) ** 2 : d * (Math.abs(x - y) - 0.5 * d))],
  ['bceWithLogits', F.bceWithLogits, (x, y) => Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x)))],
];

function pairwiseProbes(): Arb[] {
  const shape = fc.constantFrom<number[]>([3], [2, 2], [2, 3]);
  return PAIRWISE.map(([name, fn, f]) => fc.tuple(tensorArg(shape, finite), tensorArg(shape, finite), reductionValue, fc.constantFrom(undefined, 1, 0.5, 0, -1, NaN))
    .map(([a, b, reduction, delta]) => probe({
      label: `${name}[reduction ${label(reduction)}${name === 'huberLoss' ? `, delta ${label(delta)}` : ''}]`, args: [a, b],
      valid: validTensor(a) && validTensor(b) && validReduction(reduction)
        && (name !== 'huberLoss' || delta === undefined || (typeof delta === 'number' && delta > 0)),
      call: (x, y) => fn(x!.v as never, y!.v as never, { reduction, delta } as never),
      oracle: () => {
        const x = view(a), y = view(b);
        if (JSON.stringify(x.shape) !== JSON.stringify(y.shape)) return null;
        const losses = Array.from(x.data, (v, i) => f(v, y.data[i]!, (delta as number | undefined) ?? 1));
        const r = reduce(losses, reduction ?? 'mean');
        return reduction === 'none' ? { shape: x.shape, data: losses } : r;
      },
      rtol: 1e-4, atol: 1e-5,
    })));
}

function dropoutProbe(): Arb {
  return fc.tuple(tensorArg(fc.constantFrom([4], [2, 3]), finite), fc.constantFrom(0, 0.5, 1, 0.25, -0.1, 1.5, NaN, '0.5'),
    fc.constantFrom(undefined, true, false), fc.constantFrom(undefined, 3, 'abc', 1.5)).map(([a, p, training, seed]) => probe({
    label: `dropout[p ${label(p)}, training ${label(training)}, seed ${label(seed)}]`, args: [a],
    valid: validTensor(a) && typeof p === 'number' && p >= 0 && p <= 1 && (seed === undefined || Number.isSafeInteger(seed)),
    call: (x) => F.dropout(x!.v as never, p as number, { training, seed: seed as number }),
    oracle: () => {
      const x = view(a);
      return (r: unknown) => {
        const { shape, data } = r as Snapshot;
        if (JSON.stringify(shape) !== JSON.stringify(x.shape)) return `shape ${JSON.stringify(shape)}`;
        const on = training !== false && p !== 0;
        const scale = 1 / (1 - (p as number));
        const bad = Array.from(data!).findIndex((v, i) => {
          const xi = Math.fround(x.data[i]!);
          if (!on) return v !== xi;
          if (p === 1) return v !== 0 && !Number.isNaN(v);
          return v !== 0 && Math.abs(v - xi * scale) > 1e-5 * Math.abs(xi * scale) + 1e-6;
        });
        return bad < 0 || `[${bad}] = ${data![bad]}`;
      };
    },
  }));
}

/** y = 2·x; y.backward(gradient) must leave x.grad = 2·gradient. */
function backwardProbe(): Arb {
  const grad = fc.oneof({ weight: 4, arbitrary: tensorOf(fc.constantFrom([3], [2], [1, 3]), finite) }, { weight: 2, arbitrary: junk },
    { weight: 1, arbitrary: fc.constant(undefined) });
  return grad.map((g) => probe({
    label: 'backward', args: g === undefined ? [] : [g], valid: g === undefined || validTensor(g),
    call: (gm) => {
      const x = sg.tensor([1, 2, 3], [3], { requiresGrad: true });
      sg.mul(x, 2).backward(gm?.v as never);
      return x.grad;
    },
    oracle: () => {
      if (g === undefined) return null; // a 3-element root needs a gradient
      const gv = view(g);
      return gv.shape.join() === '3' ? { shape: [3], data: Array.from(gv.data, (v) => 2 * v) } : null;
    },
  }));
}

function nllProbe(): Arb {
  const targets = fc.oneof(fc.array(fc.oneof(fc.integer({ min: -1, max: 3 }), fc.constantFrom(1.5, NaN)), { minLength: 1, maxLength: 3 }), fc.constantFrom('abc', null));
  return fc.tuple(tensorArg(fc.constantFrom([2, 3], [3], [3, 3]), finite), targets, reductionValue).map(([lp, t, reduction]) => probe({
    label: `nllLoss[${label(t)}, reduction ${label(reduction)}]`, args: [lp], valid: validTensor(lp) && validReduction(reduction),
    call: (l) => F.nllLoss(l!.v as never, t as never, { reduction: reduction as 'mean' }),
    oracle: () => {
      const x = view(lp);
      if (!Array.isArray(t) || x.shape.length !== 2 || t.length !== x.shape[0]) return null;
      const c = x.shape[1]!;
      if (t.some((y) => !(Number.isInteger(y) && y >= 0 && y < c))) return null;
      return reduce(t.map((y, i) => -x.data[i * c + y]!), reduction ?? 'mean');
    },
    rtol: 1e-5, atol: 1e-6,
  }));
}

function penaltyProbes(): Arb[] {
  const params = fc.array(tensorArg(fc.constantFrom([2], [2, 2]), finite), { maxLength: 3 });
  return (['l1Penalty', 'l2Penalty'] as const).map((name) => fc.tuple(params, fc.constantFrom(0, 0.5, 2, -1, NaN, Infinity, '1')).map(([ps, strength]) => probe({
    label: `${name}[strength ${label(strength)}]`, args: ps, valid: ps.every((d) => validTensor(d)),
    call: (...made) => F[name](made.map((m) => m.v) as never, strength as number),
    oracle: () => {
      if (ps.length === 0 || typeof strength !== 'number' || !Number.isFinite(strength) || strength < 0) return null;
      const all = ps.flatMap((d) => Array.from(view(d).data));
      const total = name === 'l1Penalty' ? strength * all.reduce((a, v) => a + Math.abs(v), 0) : (strength / 2) * all.reduce((a, v) => a + v * v, 0);
      return { shape: [], data: [total] };
    },
    rtol: 1e-5, atol: 1e-5,
  })));
}

/** scaledDotProductAttention: softmax(q·kᵀ·scale)·v over [T, D] × [S, D] × [S, Dv]. */
function attentionProbe(): Arb {
  const qs = fc.constantFrom<number[]>([2, 3], [3], [2, 4]), ks = fc.constantFrom<number[]>([4, 3], [4, 2]), vs = fc.constantFrom<number[]>([4, 2], [3, 2]);
  return fc.tuple(tensorArg(qs, finite), tensorArg(ks, finite), tensorArg(vs, finite), fc.constantFrom(undefined, 0.5, NaN, '1'),
    fc.constantFrom(undefined, false, true, 'yes'), fc.constantFrom(undefined, 0, 1.5, -0.1)).map(([q, k, v, scale, isCausal, dropoutP]) => probe({
    label: `scaledDotProductAttention[scale ${label(scale)}, isCausal ${label(isCausal)}, dropoutP ${label(dropoutP)}]`, args: [q, k, v],
    valid: [q, k, v].every((d) => validTensor(d)) && (scale === undefined || (typeof scale === 'number' && Number.isFinite(scale)))
      && (isCausal === undefined || typeof isCausal === 'boolean') && (dropoutP === undefined || dropoutP === 0),
    call: (a, b, c) => F.scaledDotProductAttention(a!.v as never, b!.v as never, c!.v as never, { scale: scale as number, isCausal: isCausal as boolean, dropoutP }),
    oracle: () => {
      const Q = view(q), K = view(k), V = view(v);
      if (Q.shape.length !== 2 || K.shape.length !== 2 || V.shape.length !== 2 || Q.shape[1] !== K.shape[1] || K.shape[0] !== V.shape[0]) return null;
      const [T, D] = Q.shape as [number, number], S = K.shape[0]!, Dv = V.shape[1]!, sc = (scale as number | undefined) ?? 1 / Math.sqrt(D);
      const out: number[] = [];
      for (let i = 0; i < T; i++) {
        const s = Array.from({ length: S }, (_, j) => (isCausal && j > i ? -Infinity
          : sc * Array.from({ length: D }, (_, p) => Q.data[i * D + p]! * K.data[j * D + p]!).reduce((a, b) => a + b, 0)));
        const m = Math.max(...s), e = s.map((x) => Math.exp(x - m)), z = e.reduce((a, b) => a + b, 0);
        for (let c = 0; c < Dv; c++) out.push(e.reduce((a, w, j) => a + (w / z) * V.data[j * Dv + c]!, 0));
      }
      return { shape: [T, Dv], data: out };
    },
    rtol: 1e-4, atol: 1e-5,
  }));
}

/** Every loss and autograd probe family by name. */
export function lossProbes(): Record<string, Arb> {
  const all = [crossEntropyProbe(), nllProbe(), ...pairwiseProbes(), ...penaltyProbes(), attentionProbe(), dropoutProbe(), backwardProbe()];
  return Object.fromEntries(all.map((a, i) => [`loss${i}`, a]));
}
