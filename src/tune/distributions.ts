// Search-space distributions, as Optuna's: FloatDistribution (log, step), IntDistribution (log,
// step), CategoricalDistribution. Each validates itself on construction with a clear error, maps
// values to and from an internal float representation (categoricals by index) for samplers, and
// can tell whether another suggestion of the same name is compatible.

export type ParamValue = number | string | boolean | null;

export interface FloatDistribution { kind: 'float'; low: number; high: number; log: boolean; step: number | null }
export interface IntDistribution { kind: 'int'; low: number; high: number; log: boolean; step: number }
export interface CategoricalDistribution { kind: 'categorical'; choices: readonly ParamValue[] }
export type Distribution = FloatDistribution | IntDistribution | CategoricalDistribution;

function fail(name: string, msg: string): never {
  throw new RangeError(`parameter '${name}': ${msg}`);
}

/** A validated float distribution. */
export function floatDistribution(name: string, low: number, high: number, { log = false, step = null as number | null } = {}): FloatDistribution {
  if (!Number.isFinite(low) || !Number.isFinite(high)) fail(name, `bounds must be finite, got [${low}, ${high}]`);
  if (low > high) fail(name, `low ${low} > high ${high}`);
  if (log && step !== null) fail(name, 'log and step cannot be used together');
  if (log && low <= 0) fail(name, `log scale needs low > 0, got ${low}`);
  if (step !== null) {
    if (!(step > 0)) fail(name, `step must be > 0, got ${step}`);
    const k = (high - low) / step;
    if (Math.abs(k - Math.round(k)) > 1e-8 * Math.max(1, k)) fail(name, `step ${step} does not divide the range [${low}, ${high}]`);
  }
  return { kind: 'float', low, high, log, step };
}

/** A validated integer distribution. */
export function intDistribution(name: string, low: number, high: number, { log = false, step = 1 } = {}): IntDistribution {
  if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high)) fail(name, `bounds must be integers, got [${low}, ${high}]`);
  if (low > high) fail(name, `low ${low} > high ${high}`);
  if (!Number.isSafeInteger(step) || step < 1) fail(name, `step must be an integer ≥ 1, got ${step}`);
  if (log && step !== 1) fail(name, 'log and step cannot be used together');
  if (log && low < 1) fail(name, `log scale needs low ≥ 1, got ${low}`);
  if ((high - low) % step !== 0) fail(name, `step ${step} does not divide the range [${low}, ${high}]`);
  return { kind: 'int', low, high, log, step };
}

/** A validated categorical distribution. */
export function categoricalDistribution(name: string, choices: readonly ParamValue[]): CategoricalDistribution {
  if (!Array.isArray(choices) || choices.length === 0) fail(name, 'choices must be a non-empty array');
  for (const c of choices) {
    if (!(c === null || ['number', 'string', 'boolean'].includes(typeof c))) fail(name, `choice ${String(c)} is not a number, string, boolean or null`);
  }
  return { kind: 'categorical', choices: [...choices] };
}

/** Same distribution (a name suggested twice must use the same one). */
export function sameDistribution(a: Distribution, b: Distribution): boolean {
  if (a === b) return true;
  if (a.kind === 'categorical' || b.kind === 'categorical') {
    if (a.kind !== b.kind) return false;
    const x = (a as CategoricalDistribution).choices, y = (b as CategoricalDistribution).choices;
    return x.length === y.length && x.every((c, i) => c === y[i] || (Number.isNaN(c) && Number.isNaN(y[i])));
  }
  return a.kind === b.kind && a.low === b.low && a.high === b.high && a.log === b.log && a.step === b.step;
}

/** Whether `v` is a value this distribution can produce. */
export function contains(d: Distribution, v: ParamValue): boolean {
  if (d.kind === 'categorical') return d.choices.includes(v);
  if (typeof v !== 'number' || v < d.low || v > d.high) return false;
  if (d.kind === 'int') return Number.isInteger(v) && (v - d.low) % d.step === 0;
  if (d.step !== null) { const k = (v - d.low) / d.step; return Math.abs(k - Math.round(k)) < 1e-8; }
  return true;
}

/** Internal representation: floats/ints as numbers (log → log value), categoricals as an index. */
export function toInternal(d: Distribution, v: ParamValue): number {
  if (d.kind === 'categorical') return d.choices.indexOf(v);
  return d.log ? Math.log(v as number) : (v as number);
}

/** Back from the internal representation, rounded onto the grid and clipped into range. */
export function fromInternal(d: Distribution, x: number): ParamValue {
  if (d.kind === 'categorical') return d.choices[Math.min(d.choices.length - 1, Math.max(0, Math.round(x)))]!;
  let v = d.log ? Math.exp(x) : x;
  if (d.kind === 'int') {
    v = d.low + Math.round((v - d.low) / d.step) * d.step;
  } else if (d.step !== null) {
    v = d.low + Math.round((v - d.low) / d.step) * d.step;
  }
  return Math.min(d.high, Math.max(d.low, v));
}

/** Whether the distribution has a single value (nothing to sample). */
export function isSingle(d: Distribution): boolean {
  return d.kind === 'categorical' ? d.choices.length === 1 : d.low === d.high;
}
