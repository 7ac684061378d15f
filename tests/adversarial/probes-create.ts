// Probes for the tensor constructors: tensor() from numbers, typed arrays of every kind (BigInt64Array
// and DataView among them), flat and nested arrays with junk elements, ragged rows and holes, with
// and without a shape; zeros/ones/full with hostile shapes (NaN, negative, fractional, huge) and
// values; arange; rand/randn with hostile bounds, std and seeds; manualSeed and permutation.
import fc from 'fast-check';
import * as sg from '../../src/index.js';
import type { Probe } from './outcome.js';
import { probe, type Oracle, type Snapshot } from './probe-kit.js';

type Arb = fc.Arbitrary<Probe<Snapshot>>;

const label = (v: unknown): string => {
  try { return typeof v === 'symbol' ? 'Symbol' : typeof v === 'bigint' ? `${v}n` : JSON.stringify(v) ?? String(v); } catch { return typeof v; }
};
const sizeOf = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

const JUNK_LEAF = ['x', null, undefined, {}, true, 5n] as const;

/** Shapes: small valid ones, and hostile ones (all must be refused, huge ones by MemoryLimitError). */
const shapeValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }) },
  { weight: 2, arbitrary: fc.constantFrom([NaN], [-1], [1.5], ['2'], [Infinity], [null], null, 'abc', 3, {}, [2 ** 53], [2 ** 31, 4], [1e6, 1e6, 1e6]) },
);
const validShape = (s: unknown): s is number[] => Array.isArray(s) && s.every((d) => Number.isSafeInteger(d) && d >= 0);
/** Fits in memory (no probe allocates more than a few MB; huge ones hit the 4 GiB limit). */
const fits = (s: number[]): boolean => sizeOf(s) * 4 < 2 ** 32;

/** A nested array of the given shape (filled with small integers), then maybe damaged. */
function nested(shape: number[], at: number[], damage: 'none' | 'junk' | 'ragged' | 'hole', leaf: unknown): unknown {
  let k = 0;
  const build = (d: number): unknown => {
    if (d === shape.length) return (k++ % 7) - 3;
    const row: unknown[] = Array.from({ length: shape[d]! }, () => build(d + 1));
    return row;
  };
  const v = build(0);
  if (damage === 'none' || shape.length === 0 || sizeOf(shape) === 0) return v;
  let cur = v as unknown[];
  for (let d = 0; d < shape.length - 1; d++) cur = cur[at[d]! % shape[d]!] as unknown[];
  const i = at[shape.length - 1]! % shape[shape.length - 1]!;
  if (damage === 'junk') cur[i] = leaf;
  else if (damage === 'hole') delete cur[i];
  else cur.push(shape.length === 1 ? 0 : []);
  return v;
}

/** Expected f32 data and shape of tensor(values, shape), or null for a refusal; independent of the library. */
function tensorOracle(values: unknown, shape: unknown): Oracle {
  if (shape !== undefined && !(validShape(shape) && fits(shape))) return null;
  let data: number[], inferred: number[];
  if (typeof values === 'number') { data = [values]; inferred = []; }
  else if (values instanceof Float32Array || values instanceof Float64Array || values instanceof Int32Array || values instanceof Uint8Array) {
    data = Array.from(values); inferred = [data.length];
  } else if (Array.isArray(values)) {
    inferred = [];
    for (let cur: unknown = values; Array.isArray(cur); cur = cur[0]) {
      if (inferred.length === 64) return null; // deeper than PyTorch's 64 dimensions (or self-referential)
      inferred.push(cur.length);
    }
    data = [];
    const walk = (v: unknown, d: number): boolean => {
      if (d === inferred.length) { if (typeof v !== 'number') return false; data.push(v); return true; }
      if (!Array.isArray(v) || v.length !== inferred[d]) return false;
      for (let i = 0; i < v.length; i++) if (!(i in v) || !walk(v[i], d + 1)) return false;
      return true;
    };
    if (!walk(values, 0)) return null;
    if (shape !== undefined && inferred.length > 1 && JSON.stringify(inferred) !== JSON.stringify(shape)) return null;
  } else return null;
  const s = (shape as number[] | undefined) ?? inferred;
  return sizeOf(s) === data.length ? { shape: s, data } : null;
}

function tensorProbe(): Arb {
  const small = fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 });
  const valuesArb = fc.oneof(
    { weight: 5, arbitrary: fc.tuple(small, fc.array(fc.nat(5), { minLength: 3, maxLength: 3 }), fc.constantFrom('none', 'none', 'junk', 'ragged', 'hole'), fc.constantFrom(...JUNK_LEAF))
      .map(([s, at, damage, leaf]) => ({ make: () => nested(s, at, damage as 'none', leaf), what: `nested ${JSON.stringify(s)} ${damage}${damage === 'junk' ? ` ${label(leaf)}` : ''}`, flat: sizeOf(s) })) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom('Float32Array', 'Float64Array', 'Int32Array', 'Uint8Array', 'BigInt64Array', 'DataView'), fc.nat(6))
      .map(([kind, n]) => ({ make: () => (kind === 'BigInt64Array' ? new BigInt64Array(n) : kind === 'DataView' ? new DataView(new ArrayBuffer(n * 4))
        : new (globalThis as unknown as Record<string, new (n: number) => ArrayLike<number>>)[kind]!(n)), what: `${kind}(${n})`, flat: n })) },
    { weight: 1, arbitrary: fc.constantFrom(2.5, NaN, 'abc', null, undefined, {}, Symbol('s'), 5n).map((v) => ({ make: () => v, what: label(v), flat: 1 })) },
    { weight: 1, arbitrary: fc.constantFrom(
      { make: () => { let a: unknown = 1; for (let i = 0; i < 100; i++) a = [a]; return a; }, what: 'nested 100 deep', flat: 1 },
      { make: () => { const a: unknown[] = []; a.push(a); return a; }, what: 'an array containing itself', flat: 1 },
    ) },
  );
  const shapeFor = (flat: number): fc.Arbitrary<unknown> => fc.oneof(fc.constant(undefined), fc.constant([flat]), shapeValue);
  return valuesArb.chain((v) => fc.tuple(fc.constant(v), shapeFor(v.flat))).map(([v, shape]) => probe({
    label: `tensor[${v.what}, shape ${label(shape)}]`, args: [], valid: true,
    call: () => sg.tensor(v.make() as never, shape as number[]),
    oracle: () => tensorOracle(v.make(), shape),
  }));
}

function fullProbes(): Arb[] {
  const value = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(NaN, Infinity, -0, 2.5, '1', null, undefined, 1n));
  return [
    fc.tuple(shapeValue, value).map(([shape, v]) => probe({
      label: `full[${label(shape)}, ${label(v)}]`, args: [], valid: true, call: () => sg.full(shape as number[], v as number),
      oracle: () => (validShape(shape) && fits(shape) && typeof v === 'number' ? { shape, data: new Array(sizeOf(shape)).fill(v) } : null),
    })),
    ...(['zeros', 'ones'] as const).map((name) => shapeValue.map((shape) => probe({
      label: `${name}[${label(shape)}]`, args: [], valid: true, call: () => sg[name](shape as number[]),
      oracle: () => (validShape(shape) && fits(shape) ? { shape, data: new Array(sizeOf(shape)).fill(name === 'ones' ? 1 : 0) } : null),
    }))),
  ];
}

function arangeProbe(): Arb {
  const bound = fc.oneof({ weight: 5, arbitrary: fc.integer({ min: -5, max: 5 }) }, { weight: 1, arbitrary: fc.constantFrom(2.5, NaN, Infinity, 1e12, '3', null) });
  const step = fc.oneof(fc.constant(undefined), fc.constantFrom(1, -1, 0.5, 3, -2, 0, NaN, 1e-12, '1'));
  return fc.tuple(bound, fc.oneof(fc.constant(undefined), bound), step).map(([a, b, st]) => probe({
    label: `arange[${label(a)}, ${label(b)}, ${label(st)}]`, args: [], valid: true,
    call: () => sg.arange(a as number, b as number, st as number),
    oracle: () => {
      const [start, end] = b === undefined ? [0, a] : [a, b], step = st ?? 1;
      if (![start, end, step].every((v) => typeof v === 'number' && Number.isFinite(v)) || step === 0) return null;
      const n = Math.max(0, Math.ceil(((end as number) - (start as number)) / (step as number)));
      if (n * 4 >= 2 ** 32) return null;
      return { shape: [n], data: Array.from({ length: n }, (_, i) => (start as number) + i * (step as number)) };
    },
  }));
}

const seedValue = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(undefined, 0, 7, -1, 2 ** 40) },
  { weight: 2, arbitrary: fc.constantFrom('abc', NaN, 1.5, 2 ** 53, null, Infinity, '7') });
const validSeed = (s: unknown): boolean => s === undefined || Number.isSafeInteger(s);

function randomProbes(): Arb[] {
  const num = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(0.5, NaN, Infinity, '1', null));
  const shape = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 2 });
  const rand = fc.tuple(shape, fc.option(num, { nil: undefined }), fc.option(num, { nil: undefined }), seedValue).map(([s, low, high, seed]) => probe({
    label: `rand[${label(s)}, low ${label(low)}, high ${label(high)}, seed ${label(seed)}]`, args: [], valid: true,
    call: () => sg.rand(s, { low: low as number, high: high as number, seed: seed as number }),
    oracle: () => {
      const lo = low === undefined ? 0 : low, hi = high === undefined ? 1 : high;
      if (typeof lo !== 'number' || typeof hi !== 'number' || !Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi || !validSeed(seed)) return null;
      return (r: unknown) => {
        const { shape: got, data } = r as Snapshot;
        if (JSON.stringify(got) !== JSON.stringify(s)) return `shape ${JSON.stringify(got)}`;
        const bad = Array.from(data!).find((v) => !(v >= lo && (v < hi || (lo === hi && v === lo))));
        return bad === undefined || `value ${bad} outside [${lo}, ${hi})`;
      };
    },
  }));
  const randn = fc.tuple(shape, fc.option(num, { nil: undefined }), fc.option(num, { nil: undefined }), seedValue).map(([s, mean, std, seed]) => probe({
    label: `randn[${label(s)}, mean ${label(mean)}, std ${label(std)}, seed ${label(seed)}]`, args: [], valid: true,
    call: () => sg.randn(s, { mean: mean as number, std: std as number, seed: seed as number }),
    oracle: () => {
      const m = mean === undefined ? 0 : mean, sd = std === undefined ? 1 : std;
      if (typeof m !== 'number' || typeof sd !== 'number' || !Number.isFinite(m) || !Number.isFinite(sd) || sd < 0 || !validSeed(seed)) return null;
      return (r: unknown) => {
        const { shape: got, data } = r as Snapshot;
        if (JSON.stringify(got) !== JSON.stringify(s)) return `shape ${JSON.stringify(got)}`;
        const bad = Array.from(data!).find((v) => !Number.isFinite(v) || (sd === 0 && v !== m) || Math.abs(v - m) > 7 * sd);
        return bad === undefined || `value ${bad} for N(${m}, ${sd}²)`;
      };
    },
  }));
  const perm = fc.tuple(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constantFrom(-1, 1.5, NaN, '3')), seedValue, fc.constantFrom(undefined, 0, 5, -1, 0.5))
    .map(([n, seed, offset]) => probe({
      label: `permutation[${label(n)}, ${label(seed)}, ${label(offset)}]`, args: [], valid: true,
      call: () => sg.permutation(n as number, seed as number, offset as number),
      oracle: () => (Number.isInteger(n) && (n as number) >= 0 && seed !== undefined && validSeed(seed) && (offset === undefined || (Number.isInteger(offset) && offset >= 0))
        ? (r: unknown) => (r instanceof Int32Array && [...r].sort((p, q) => p - q).join() === Array.from({ length: n as number }, (_, i) => i).join()) || `not a permutation: ${String(r)}`
        : null),
    }));
  const manual = seedValue.map((seed) => probe({
    label: `manualSeed[${label(seed)}]`, args: [], valid: true, call: () => { sg.manualSeed(seed as number); return 'ok'; },
    oracle: () => (seed !== undefined && validSeed(seed) ? (r: unknown) => r === 'ok' || String(r) : null),
  }));
  return [rand, randn, perm, manual];
}

/** Every constructor probe family by name. */
export function createProbes(): Record<string, Arb> {
  const all = [tensorProbe(), ...fullProbes(), arangeProbe(), ...randomProbes()];
  return Object.fromEntries(all.map((a, i) => [`create${i}`, a]));
}
