// journalOpProblem: whether a parsed journal line is an Optuna journal operation that replay can
// apply — an object with a known op_code, a string worker_id and the fields Optuna's replay reads,
// of the right types (ids are integers ≥ 0, datetimes ISO strings, distributions valid, parameter
// values representable in their distribution, attr updates one key each as Optuna asserts).
// Returns what is wrong, in words, or null. Pure: journal-storage.ts and journal-inspect.ts turn a
// problem into a JournalError naming the file and line.
import { Op, distributionFromJson, parseIso } from './journal-format.js';
import type { Distribution } from '../../distributions.js';

type Obj = Record<string, unknown>;
interface Field { ok: (v: unknown) => boolean; want: string; optional?: true }

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const id: Field = { ok: (v) => Number.isSafeInteger(v) && (v as number) >= 0, want: 'an integer ≥ 0' };
const str: Field = { ok: (v) => typeof v === 'string', want: 'a string' };
const num: Field = { ok: (v) => typeof v === 'number', want: 'a number' };
const state: Field = { ok: (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 4, want: 'a trial state 0–4' };
const date: Field = { ok: (v) => v === null || (typeof v === 'string' && parseIso(v) !== null), want: 'an ISO datetime or null' };
const values: Field = { ok: (v) => v === null || (Array.isArray(v) && v.every((x) => typeof x === 'number')), want: 'an array of numbers or null' };
const oneKey: Field = { ok: (v) => isObj(v) && Object.keys(v).length === 1, want: 'an object with one key' };
const object: Field = { ok: isObj, want: 'an object' };
const opt = (f: Field): Field => ({ ...f, optional: true });

/** The fields each operation must (or may) have, as Optuna's replay reads them. */
const SCHEMA: Record<number, [string, Record<string, Field>]> = {
  [Op.CREATE_STUDY]: ['CREATE_STUDY', {
    study_name: str,
    directions: { ok: (v) => Array.isArray(v) && v.length > 0 && v.every((d) => d === 1 || d === 2), want: 'a non-empty array of 1 (minimize) or 2 (maximize)' },
  }],
  [Op.DELETE_STUDY]: ['DELETE_STUDY', { study_id: id }],
  [Op.SET_STUDY_USER_ATTR]: ['SET_STUDY_USER_ATTR', { study_id: id, user_attr: oneKey }],
  [Op.SET_STUDY_SYSTEM_ATTR]: ['SET_STUDY_SYSTEM_ATTR', { study_id: id, system_attr: oneKey }],
  [Op.CREATE_TRIAL]: ['CREATE_TRIAL', {
    study_id: id, datetime_start: date, datetime_complete: opt(date), state: opt(state),
    value: opt({ ok: (v) => v === null || typeof v === 'number', want: 'a number or null' }), values: opt(values),
    distributions: opt(object), params: opt(object), user_attrs: opt(object), system_attrs: opt(object),
    intermediate_values: opt({ ok: (v) => isObj(v) && Object.entries(v).every(([k, x]) => /^\d+$/.test(k) && typeof x === 'number'), want: 'an object of step → number' }),
  }],
  [Op.SET_TRIAL_PARAM]: ['SET_TRIAL_PARAM', { trial_id: id, param_name: str, param_value_internal: num, distribution: { ok: () => true, want: '' } }],
  [Op.SET_TRIAL_STATE_VALUES]: ['SET_TRIAL_STATE_VALUES', { trial_id: id, state, values: opt(values), datetime_start: opt(date), datetime_complete: opt(date) }],
  [Op.SET_TRIAL_INTERMEDIATE_VALUE]: ['SET_TRIAL_INTERMEDIATE_VALUE', { trial_id: id, step: id, intermediate_value: num }],
  [Op.SET_TRIAL_USER_ATTR]: ['SET_TRIAL_USER_ATTR', { trial_id: id, user_attr: oneKey }],
  [Op.SET_TRIAL_SYSTEM_ATTR]: ['SET_TRIAL_SYSTEM_ATTR', { trial_id: id, system_attr: oneKey }],
};

/** Short text of a value for messages. */
function show(v: unknown): string {
  let s: string;
  try { s = v === undefined ? 'nothing' : JSON.stringify(v) ?? String(v); } catch { s = String(v); }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** The name of an operation's op_code (for reports), or its number. */
export function opName(code: unknown): string {
  return SCHEMA[code as number]?.[0] ?? String(code);
}

/** What is wrong with `v` as a journal operation, or null if replay can apply it. */
export function journalOpProblem(v: unknown): string | null {
  if (!isObj(v)) return `not a journal operation (a JSON object), got ${show(v)}`;
  const entry = Number.isInteger(v.op_code) ? SCHEMA[v.op_code as number] : undefined;
  if (!entry) return `op_code must be an Optuna journal operation 0–9, got ${show(v.op_code)}`;
  const [name, fields] = entry;
  if (typeof v.worker_id !== 'string') return `${name}: worker_id must be a string, got ${show(v.worker_id)}`;
  for (const [k, f] of Object.entries(fields)) {
    if (!Object.hasOwn(v, k) ? !f.optional : !f.ok(v[k])) return `${name}: ${k} must be ${f.want}, got ${show(v[k])}`;
  }
  try {
    if (v.op_code === Op.SET_TRIAL_PARAM) {
      return paramProblem(name, v.param_name as string, distributionFromJson(v.distribution, v.param_name as string), v.param_value_internal as number);
    }
    if (v.op_code === Op.CREATE_TRIAL) return createdParamsProblem(name, v);
  } catch (e) {
    return `${name}: ${(e as Error).message}`;
  }
  return null;
}

function createdParamsProblem(name: string, v: Obj): string | null {
  const dists = (v.distributions ?? {}) as Obj, params = (v.params ?? {}) as Obj;
  for (const k of Object.keys(params)) {
    if (!Object.hasOwn(dists, k)) return `${name}: parameter '${k}' has no distribution`;
    const p = paramProblem(name, k, distributionFromJson(dists[k], k), params[k]);
    if (p) return p;
  }
  for (const k of Object.keys(dists)) if (!Object.hasOwn(params, k)) distributionFromJson(dists[k], k);
  return null;
}

/** A parameter's internal value must be a number its distribution can map back (a categorical: an index). */
function paramProblem(name: string, param: string, d: Distribution, x: unknown): string | null {
  if (typeof x !== 'number' || !Number.isFinite(x)) return `${name}: parameter '${param}' must have a finite internal value, got ${show(x)}`;
  if (d.kind === 'categorical' && !(Number.isInteger(x) && x >= 0 && x < d.choices.length)) {
    return `${name}: parameter '${param}' has choice index ${x}, outside its ${d.choices.length} choices`;
  }
  return null;
}
