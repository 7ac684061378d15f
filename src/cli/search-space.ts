// The search space of `simdgrad tune`: a JSON object mapping parameter names to
// { type: 'float' | 'int' | 'categorical', low, high, log, step, choices }. Contract: parseSpace
// validates every entry (names, types, bounds, choices) and throws CliError naming the parameter
// at fault; suggestAll draws every parameter from a trial in the order given.
import type { tune } from '../index.js';

type ParamValue = tune.ParamValue;
import { CliError } from './cli-error.js';

export type ParamSpec =
  | { type: 'float' | 'int'; low: number; high: number; log?: boolean; step?: number }
  | { type: 'categorical'; choices: ParamValue[] };
export type SearchSpace = Record<string, ParamSpec>;

/** What a search space needs of a trial (a Trial, or a RemoteTrial in a worker). */
export interface SuggestingTrial {
  suggestFloat(name: string, low: number, high: number, opts?: { log?: boolean; step?: number }): number;
  suggestInt(name: string, low: number, high: number, opts?: { log?: boolean; step?: number }): number;
  suggestCategorical<T extends ParamValue>(name: string, choices: readonly T[]): T;
}

const KEYS = new Set(['type', 'low', 'high', 'log', 'step', 'choices']);

/**
 * Validates a parsed search space (e.g. JSON.parse of a space file).
 * @example parseSpace({ lr: { type: 'float', low: 1e-4, high: 1e-1, log: true } })
 */
export function parseSpace(raw: unknown, known?: readonly string[]): SearchSpace {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new CliError('search space: expected a JSON object of parameters');
  const out: SearchSpace = {};
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length === 0) throw new CliError('search space: no parameters');
  for (const [name, spec] of entries) {
    const at = `search space: parameter '${name}'`;
    if (known && !known.includes(name)) throw new CliError(`${at} is not a parameter of the model (known: ${known.join(', ')})`);
    if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw new CliError(`${at}: expected an object with a type`);
    const s = spec as Record<string, unknown>;
    const extra = Object.keys(s).filter((k) => !KEYS.has(k));
    if (extra.length) throw new CliError(`${at}: unknown key ${extra.map((k) => `'${k}'`).join(', ')}`);
    if (s.type === 'categorical') {
      const c = s.choices;
      if (!Array.isArray(c) || c.length === 0) throw new CliError(`${at}: categorical needs a non-empty 'choices' array`);
      if (c.some((v) => v !== null && !['string', 'number', 'boolean'].includes(typeof v))) {
        throw new CliError(`${at}: choices must be strings, numbers, booleans or null`);
      }
      out[name] = { type: 'categorical', choices: c as ParamValue[] };
    } else if (s.type === 'float' || s.type === 'int') {
      const { low, high, log = false, step } = s;
      if (typeof low !== 'number' || typeof high !== 'number' || !Number.isFinite(low) || !Number.isFinite(high)) {
        throw new CliError(`${at}: ${s.type} needs finite numbers 'low' and 'high'`);
      }
      if (!(low <= high)) throw new CliError(`${at}: low ${low} > high ${high}`);
      if (typeof log !== 'boolean') throw new CliError(`${at}: 'log' must be true or false`);
      if (log && low <= 0) throw new CliError(`${at}: a log scale needs low > 0, got ${low}`);
      if (step !== undefined && (typeof step !== 'number' || !(step > 0))) throw new CliError(`${at}: 'step' must be a number > 0`);
      if (step !== undefined && log) throw new CliError(`${at}: 'step' and 'log' cannot both be given`);
      if (s.type === 'int' && (!Number.isInteger(low) || !Number.isInteger(high) || (step !== undefined && !Number.isInteger(step)))) {
        throw new CliError(`${at}: int bounds and step must be integers`);
      }
      out[name] = { type: s.type, low, high, log, ...(step !== undefined ? { step } : {}) };
    } else {
      throw new CliError(`${at}: type must be 'float', 'int' or 'categorical', got ${JSON.stringify(s.type)}`);
    }
  }
  return out;
}

/** Draws every parameter of `space` from the trial. */
export function suggestAll(trial: SuggestingTrial, space: SearchSpace): Record<string, ParamValue> {
  const p: Record<string, ParamValue> = {};
  for (const [name, s] of Object.entries(space)) {
    const o = { log: s.type !== 'categorical' && !!s.log, ...(s.type !== 'categorical' && s.step !== undefined ? { step: s.step } : {}) };
    p[name] = s.type === 'categorical' ? trial.suggestCategorical(name, s.choices)
      : s.type === 'int' ? trial.suggestInt(name, s.low, s.high, o) : trial.suggestFloat(name, s.low, s.high, o);
  }
  return p;
}

/** The grid of a space for GridSampler: categorical choices, and stepped int/float ranges. */
export function gridOf(space: SearchSpace): Record<string, ParamValue[]> {
  const g: Record<string, ParamValue[]> = {};
  for (const [name, s] of Object.entries(space)) {
    if (s.type === 'categorical') { g[name] = s.choices; continue; }
    const step = s.step ?? (s.type === 'int' && !s.log ? 1 : undefined);
    if (step === undefined) throw new CliError(`--sampler grid: parameter '${name}' needs a 'step' (or be categorical)`);
    const n = Math.floor((s.high - s.low) / step + 1e-9) + 1;
    if (n > 1000) throw new CliError(`--sampler grid: parameter '${name}' has ${n} grid points (at most 1000)`);
    g[name] = Array.from({ length: n }, (_, i) => +(s.low + i * step).toPrecision(12));
  }
  return g;
}
