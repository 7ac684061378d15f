// A search space's parameters, generically: JSON mapping names to a distribution
// { type: 'float' | 'int' | 'categorical', low, high, log, step, choices } or to a fixed value (a
// string, number or boolean: not tuned). Contract: parseParam validates one entry (type, bounds,
// choices) and throws SearchSpaceError naming the parameter at fault; suggestParam draws one
// parameter from a trial; gridValues gives a parameter's grid for GridSampler (categorical
// choices, stepped ranges, unstepped non-log int ranges by 1) or says that it needs a step.
// What the parameters mean, which exist and when, is the model's (mlp-space.ts).
import type { tune } from '../index.js';
import { CliError } from './cli-error.js';

type ParamValue = tune.ParamValue;

export type ParamSpec =
  | { type: 'float' | 'int'; low: number; high: number; log?: boolean; step?: number }
  | { type: 'categorical'; choices: ParamValue[] }
  | { type: 'fixed'; value: string | number | boolean };
export type SearchSpace = Record<string, ParamSpec>;

/** A search space mistake; `key` is the parameter at fault (its name in the JSON). */
export class SearchSpaceError extends CliError {
  override name = 'SearchSpaceError';
  constructor(readonly key: string, message: string) {
    super(`search space: parameter '${key}' ${message}`);
  }
}

/** What a search space needs of a trial (a Trial, or a RemoteTrial in a worker). */
export interface SuggestingTrial {
  suggestFloat(name: string, low: number, high: number, opts?: { log?: boolean; step?: number }): number;
  suggestInt(name: string, low: number, high: number, opts?: { log?: boolean; step?: number }): number;
  suggestCategorical<T extends ParamValue>(name: string, choices: readonly T[]): T;
}

const KEYS = new Set(['type', 'low', 'high', 'log', 'step', 'choices']);

/**
 * Validates one parameter of a parsed space file; `extra` names keys the model reads itself.
 * @example parseParam('lr', { type: 'float', low: 1e-4, high: 1e-1, log: true })
 */
export function parseParam(name: string, spec: unknown, extra: readonly string[] = []): ParamSpec {
  const fail = (m: string) => new SearchSpaceError(name, m);
  if (typeof spec === 'string' || typeof spec === 'boolean' || (typeof spec === 'number' && Number.isFinite(spec))) return { type: 'fixed', value: spec };
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw fail(`must be an object with a "type" or a fixed value (a string, number or boolean), got ${JSON.stringify(spec)}`);
  }
  const s = spec as Record<string, unknown>;
  const unknown = Object.keys(s).filter((k) => !KEYS.has(k) && !extra.includes(k));
  if (unknown.length) throw fail(`has unknown key ${unknown.map((k) => `'${k}'`).join(', ')} (known: ${[...KEYS, ...extra].join(', ')})`);
  if (s.type === 'categorical') {
    const c = s.choices;
    if (!Array.isArray(c) || c.length === 0) throw fail("is categorical and needs a non-empty 'choices' array");
    if (c.some((v) => v !== null && !['string', 'number', 'boolean'].includes(typeof v))) throw fail('has choices that are not strings, numbers, booleans or null');
    for (const k of ['low', 'high', 'log', 'step']) if (k in s) throw fail(`is categorical: '${k}' does not apply`);
    return { type: 'categorical', choices: c as ParamValue[] };
  }
  if (s.type === 'float' || s.type === 'int') {
    const { low, high, log = false, step } = s;
    if (typeof low !== 'number' || typeof high !== 'number' || !Number.isFinite(low) || !Number.isFinite(high)) {
      throw fail(`is ${s.type} and needs finite numbers 'low' and 'high'`);
    }
    if (!(low <= high)) throw fail(`has low ${low} > high ${high}`);
    if (typeof log !== 'boolean') throw fail("has 'log' that is not true or false");
    if (log && low <= 0) throw fail(`is on a log scale, which needs low > 0, got ${low}`);
    if (step !== undefined && (typeof step !== 'number' || !(step > 0))) throw fail("has a 'step' that is not a number > 0");
    if (step !== undefined && log) throw fail("has both 'step' and 'log'");
    if (s.type === 'int' && (!Number.isInteger(low) || !Number.isInteger(high) || (step !== undefined && !Number.isInteger(step)))) {
      throw fail('is int: its bounds and step must be integers');
    }
    if ('choices' in s) throw fail(`is ${s.type}: 'choices' does not apply (use type 'categorical')`);
    return { type: s.type, low, high, log, ...(step !== undefined ? { step } : {}) };
  }
  throw fail(`has type ${JSON.stringify(s.type)}; expected 'float', 'int' or 'categorical' (or a fixed value instead of an object)`);
}

/** Every value a parameter can take that `check` must accept: its choices, bounds or fixed value. */
export function valuesToCheck(s: ParamSpec): ParamValue[] {
  return s.type === 'categorical' ? s.choices : s.type === 'fixed' ? [s.value] : [s.low, s.high];
}

/** Draws one parameter from the trial (a fixed value is returned, not drawn). */
export function suggestParam(trial: SuggestingTrial, name: string, s: ParamSpec): ParamValue {
  if (s.type === 'fixed') return s.value;
  if (s.type === 'categorical') return trial.suggestCategorical(name, s.choices);
  const o = { log: !!s.log, ...(s.step !== undefined ? { step: s.step } : {}) };
  return s.type === 'int' ? trial.suggestInt(name, s.low, s.high, o) : trial.suggestFloat(name, s.low, s.high, o);
}

/** A parameter's grid: choices, a stepped range, or a non-log int range by 1 (at most 1000 points). */
export function gridValues(name: string, s: ParamSpec): ParamValue[] {
  if (s.type === 'categorical') return s.choices;
  if (s.type === 'fixed') return [s.value];
  const step = s.step ?? (s.type === 'int' && !s.log ? 1 : undefined);
  if (step === undefined) {
    throw new CliError(`--sampler grid: parameter '${name}' is a ${s.log ? 'log-scale ' : ''}${s.type} range; give it a 'step' or make it categorical with 'choices'`);
  }
  const n = Math.floor((s.high - s.low) / step + 1e-9) + 1;
  if (n > 1000) throw new CliError(`--sampler grid: parameter '${name}' has ${n} grid points (at most 1000); give a larger 'step'`);
  return Array.from({ length: n }, (_, i) => +(s.low + i * step).toPrecision(12));
}
