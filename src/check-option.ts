// checkOption: validation of numeric and string options (layers, data utilities, augmentations,
// schedules, optimizers). Every failure is an OptionError (a RangeError) that names the owner, the
// option and the value at fault.
import { OptionError, describeValue } from './errors.js';

/** Bounds for {@link checkNumber}; `gt`/`lt` are strict, `min`/`max` inclusive. */
export interface NumberBounds { min?: number; max?: number; gt?: number; lt?: number }

function describe(b: NumberBounds): string {
  const parts: string[] = [];
  if (b.gt !== undefined) parts.push(`> ${b.gt}`);
  if (b.min !== undefined) parts.push(`≥ ${b.min}`);
  if (b.lt !== undefined) parts.push(`< ${b.lt}`);
  if (b.max !== undefined) parts.push(`≤ ${b.max}`);
  return parts.length ? ` ${parts.join(' and ')}` : '';
}

/** A finite number within bounds; returns it. */
export function checkNumber(owner: string, name: string, value: unknown, bounds: NumberBounds = {}): number {
  const v = value as number;
  const ok = typeof value === 'number' && Number.isFinite(v)
    && (bounds.min === undefined || v >= bounds.min) && (bounds.max === undefined || v <= bounds.max)
    && (bounds.gt === undefined || v > bounds.gt) && (bounds.lt === undefined || v < bounds.lt);
  if (!ok) throw new OptionError(`${owner}: ${name} must be a finite number${describe(bounds)}, got ${describeValue(value)}`);
  return v;
}

/** An integer ≥ min; returns it. */
export function checkInt(owner: string, name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new OptionError(`${owner}: ${name} must be an integer ≥ ${min}, got ${describeValue(value)}`);
  }
  return value;
}

/** A safe integer seed (or undefined: no seed, unless `required`); returns it. */
export function checkSeed<S extends number | undefined>(owner: string, seed: S, required = false): S {
  if ((required || seed !== undefined) && !Number.isSafeInteger(seed)) {
    throw new OptionError(`${owner}: seed must be a safe integer, got ${describeValue(seed)}`);
  }
  return seed;
}

/** One of the allowed strings; returns it. */
export function checkChoice<T extends string>(owner: string, name: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new OptionError(`${owner}: ${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describeValue(value)}`);
  }
  return value as T;
}

/** A number or one number per parameter group, expanded to one per group and each checked. */
export function perGroup(owner: string, name: string, value: number | readonly number[], groups: number,
  bounds: NumberBounds = {}): number[] {
  if (Array.isArray(value)) {
    if (value.length !== groups) {
      throw new OptionError(`${owner}: expected ${groups} values for ${name} (one per parameter group), got ${value.length}`);
    }
    return value.map((v, i) => checkNumber(owner, `${name}[${i}]`, v, bounds));
  }
  const v = checkNumber(owner, name, value, bounds);
  return new Array<number>(groups).fill(v);
}
