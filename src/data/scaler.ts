// Scaler: the shared machinery of the feature scalers (StandardScaler, MinMaxScaler, RobustScaler).
//
// Contract: a scaler holds explicit, serialisable per-feature state. `fit(x)` takes a 2-D tensor
// [n, features] (features are columns), computes its statistics in float64 in JS ignoring NaNs
// (scikit-learn's nan-aware fit) and returns `this`; `transform` / `inverseTransform` map each
// column elementwise in float64 and return NEW tensors (NaN stays NaN); the input is never changed.
// Using a scaler before `fit` throws; a tensor with a different number of features than fitted
// throws a ShapeError naming both. `toJSON()` / `fromJSON()` carry the options and the state.
import { tensorArg, type Tensor } from '../tensor.js';
import { tensor } from '../ops/create.js';
import { ShapeError, fmtShape, OptionError, DTypeError } from '../errors.js';

/** A scale smaller than this (sklearn's 10·eps) is treated as zero and replaced by 1. */
export const ZERO_SCALE = 10 * Number.EPSILON;

/** A 2-D tensor read back: its row-major float32 values, rows and columns. */
export interface Columns { n: number; features: number; data: Float32Array }

/** Reads a 2-D tensor [n, features]; other ranks throw a ShapeError naming the shape. */
export function readMatrix(x: Tensor, who: string): Columns {
  tensorArg(who, 'x', x);
  if (x.shape.length !== 2) {
    throw new ShapeError(`${who}: expected a 2-D tensor [samples, features], got shape ${fmtShape(x.shape)}`);
  }
  const n = x.shape[0]!, features = x.shape[1]!, data = x.toArray();
  for (let k = 0; k < data.length; k++) {
    if (data[k] === Infinity || data[k] === -Infinity) {
      throw new OptionError(`${who}: x contains ${data[k]} at row ${Math.floor(k / features)}, column ${k % features} ` +
        '(NaN marks a missing value; infinities are not allowed)');
    }
  }
  return { n, features, data };
}

/** The non-NaN values of column j as a float64 array. */
export function column(m: Columns, j: number): Float64Array {
  const out = new Float64Array(m.n);
  let k = 0;
  for (let i = 0; i < m.n; i++) {
    const v = m.data[i * m.features + j]!;
    if (!Number.isNaN(v)) out[k++] = v;
  }
  return out.subarray(0, k);
}

/** sklearn's _handle_zeros_in_scale: scales that are (numerically) zero become 1. */
export function handleZeros(scale: number[]): number[] {
  return scale.map((s) => (s < ZERO_SCALE ? 1 : s));
}

/** Serialised form of a scaler: its kind, its options and its fitted state (null before fit). */
export interface ScalerJSON<O, S> { type: string; options: O; state: S | null }

/** A serialised state back in memory: JSON turns NaN into null, so every array's nulls become NaN. */
export function reviveState<S extends object>(state: S | null): S | null {
  if (!state) return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(state)) out[k] = Array.isArray(v) ? v.map((x) => (x === null ? NaN : x)) : v;
  return out as S;
}

/**
 * Base class: subclasses compute their state in `fitColumns` and map one value of column j in
 * `forward` / `backward` (all in float64).
 */
export abstract class Scaler<O extends object, S extends { nFeatures: number }> {
  protected state: S | null = null;
  readonly options: Readonly<O>;

  protected constructor(options: O) {
    this.options = Object.freeze({ ...options });
  }

  /** Whether fit() has run (or a fitted state was loaded). */
  get fitted(): boolean { return this.state !== null; }

  /** The number of features seen by fit(). */
  get nFeatures(): number { return this.stat('nFeatures'); }

  /** The class name, kept as data (bundlers may rename classes). */
  protected abstract readonly kind: string;
  protected abstract fitColumns(m: Columns): S;
  protected abstract forward(v: number, j: number, s: S): number;
  protected abstract backward(v: number, j: number, s: S): number;

  /** Computes the per-feature statistics of x [n, features]; returns this. */
  fit(x: Tensor): this {
    const m = readMatrix(x, `${this.kind}.fit`);
    if (m.n === 0) throw new ShapeError(`${this.kind}.fit: need at least one sample, got shape ${fmtShape(x.shape)}`);
    this.state = this.fitColumns(m);
    return this;
  }

  /** Scales x with the fitted statistics: a new tensor of x's shape. */
  transform(x: Tensor): Tensor {
    return this.map(x, 'transform', (v, j, s) => this.forward(v, j, s));
  }

  /** fit(x) then transform(x). */
  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }

  /** Undoes transform: a new tensor in the original units. */
  inverseTransform(x: Tensor): Tensor {
    return this.map(x, 'inverseTransform', (v, j, s) => this.backward(v, j, s));
  }

  /** Options and fitted state as plain JSON-able data (NaN statistics become null). */
  toJSON(): ScalerJSON<O, S> {
    return { type: this.kind, options: { ...this.options }, state: this.state && structuredClone(this.state) };
  }

  protected fittedState(what: string): S {
    if (!this.state) throw new Error(`${this.kind}: call fit() before ${what}`);
    return this.state;
  }

  /** A fitted statistic (throws before fit). */
  protected stat<K extends keyof S>(key: K): S[K] {
    return this.fittedState(`reading ${String(key)}`)[key];
  }

  protected loadState(state: S | null): this {
    this.state = state;
    return this;
  }

  private map(x: Tensor, what: string, f: (v: number, j: number, s: S) => number): Tensor {
    const s = this.fittedState(`${what}()`);
    const m = readMatrix(x, `${this.kind}.${what}`);
    if (m.features !== s.nFeatures) {
      throw new ShapeError(`${this.kind}.${what}: x has ${m.features} features (shape ` +
        `${fmtShape(x.shape)}) but the scaler was fitted on ${s.nFeatures}`);
    }
    const out = new Float32Array(m.data.length);
    for (let i = 0; i < m.n; i++) {
      for (let j = 0; j < m.features; j++) {
        const k = i * m.features + j;
        out[k] = f(m.data[k]!, j, s);
      }
    }
    return tensor(out, [m.n, m.features]);
  }
}

/** Checks that a serialised scaler is of the expected kind. */
export function checkType(json: { type?: unknown }, expected: string): void {
  if (json.type !== expected) throw new DTypeError(`${expected}.fromJSON: got a serialised ${String(json.type)}`);
}
