// The on-disk format of JournalFileStorage: Optuna's journal operations (op codes, field names,
// enum numbers, distribution JSON, ISO datetimes) and JSON that round-trips NaN/±Infinity the way
// Python's json module writes them. Read by journal-storage.ts; nothing here touches files.
import { categoricalDistribution, floatDistribution, intDistribution, type Distribution, type ParamValue } from '../../distributions.js';
import type { Direction, TrialState } from '../../frozen-trial.js';

/** Optuna's JournalOperation op_code values. */
export const Op = {
  CREATE_STUDY: 0, DELETE_STUDY: 1, SET_STUDY_USER_ATTR: 2, SET_STUDY_SYSTEM_ATTR: 3, CREATE_TRIAL: 4,
  SET_TRIAL_PARAM: 5, SET_TRIAL_STATE_VALUES: 6, SET_TRIAL_INTERMEDIATE_VALUE: 7, SET_TRIAL_USER_ATTR: 8,
  SET_TRIAL_SYSTEM_ATTR: 9,
} as const;

/** One journal line: an op_code, the writer's worker_id and the operation's fields. */
export interface JournalOp { op_code: number; worker_id: string; [field: string]: unknown }

// Optuna's TrialState and StudyDirection enum values.
const STATES: TrialState[] = ['RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING'];
export const stateCode = (s: TrialState): number => STATES.indexOf(s);
export function stateOf(c: unknown): TrialState {
  const s = STATES[Number(c)];
  if (!s) throw new RangeError(`journal: unknown trial state ${String(c)}`);
  return s;
}
export const directionCode = (d: Direction): number => (d === 'minimize' ? 1 : 2);
export function directionOf(c: unknown): Direction {
  if (c === 1) return 'minimize';
  if (c === 2) return 'maximize';
  throw new RangeError(`journal: unsupported study direction ${String(c)} (1 = minimize, 2 = maximize)`);
}

/** Optuna's distribution_to_json: a JSON *string* {"name": class name, "attributes": {...}}. */
export function distributionToJson(d: Distribution): string {
  if (d.kind === 'float') return JSON.stringify({ name: 'FloatDistribution', attributes: { step: d.step, low: d.low, high: d.high, log: d.log } });
  if (d.kind === 'int') return JSON.stringify({ name: 'IntDistribution', attributes: { log: d.log, step: d.step, low: d.low, high: d.high } });
  return JSON.stringify({ name: 'CategoricalDistribution', attributes: { choices: d.choices } });
}

/** Optuna's json_to_distribution, including its pre-3.0 classes; validated (a RangeError says what
 *  is wrong, naming `param`). */
export function distributionFromJson(s: unknown, param = '?'): Distribution {
  const j = typeof s === 'string' ? parsePyJson(s) : s;
  const { name, attributes: a } = (j ?? {}) as { name?: unknown; attributes?: Record<string, any> };
  if (typeof name !== 'string' || typeof a !== 'object' || a === null || Array.isArray(a)) {
    throw new RangeError(`parameter '${param}': a distribution is {"name": …, "attributes": {…}}, got ${String(typeof s === 'string' ? s : JSON.stringify(s))}`);
  }
  const log = (v: unknown) => { if (v !== undefined && typeof v !== 'boolean') throw new RangeError(`parameter '${param}': log must be a boolean, got ${String(v)}`); return !!v; };
  const step = (v: unknown) => { if (v != null && typeof v !== 'number') throw new RangeError(`parameter '${param}': step must be a number, got ${String(v)}`); return (v ?? null) as number | null; };
  switch (name) {
    case 'FloatDistribution': return floatDistribution(param, a.low, a.high, { log: log(a.log), step: step(a.step) });
    case 'IntDistribution': return intDistribution(param, a.low, a.high, { log: log(a.log), step: a.step ?? 1 });
    case 'CategoricalDistribution': return categoricalDistribution(param, a.choices);
    case 'UniformDistribution': return floatDistribution(param, a.low, a.high);
    case 'LogUniformDistribution': return floatDistribution(param, a.low, a.high, { log: true });
    case 'DiscreteUniformDistribution': return floatDistribution(param, a.low, a.high, { step: step(a.q) });
    case 'IntUniformDistribution': return intDistribution(param, a.low, a.high, { step: a.step ?? 1 });
    case 'IntLogUniformDistribution': return intDistribution(param, a.low, a.high, { log: true });
    default: throw new RangeError(`parameter '${param}': unknown distribution ${name}`);
  }
}

/** Optuna's to_internal_repr: numbers as they are (no log), categoricals by index. */
export function paramToInternal(d: Distribution, v: ParamValue): number {
  return d.kind === 'categorical' ? d.choices.indexOf(v) : (v as number);
}
/** Optuna's to_external_repr. */
export function paramFromInternal(d: Distribution, x: number): ParamValue {
  if (d.kind === 'categorical') return d.choices[Math.trunc(x)]!;
  return d.kind === 'int' ? Math.trunc(x) : x;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
/** Python's datetime.now().isoformat(timespec='microseconds'): local time, no zone. */
export function isoLocal(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:` +
    `${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}000`;
}
/** Epoch ms of an ISO datetime (a zone-less one is local time, as Python's fromisoformat). */
export function parseIso(s: unknown): number | null {
  if (typeof s !== 'string') return null;
  const m = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?$/.exec(s);
  if (!m) { const t = Date.parse(s); return Number.isNaN(t) ? null : t; }
  const [, y, mo, d, h, mi, sec, frac = '0'] = m;
  return new Date(+y!, +mo! - 1, +d!, +h!, +mi!, +sec!, Math.floor(Number(`0.${frac}`) * 1000)).getTime();
}

// Python's json writes NaN, Infinity and -Infinity as bare tokens; JSON.parse rejects them.
const MARK = '\u0000py:';
/** JSON.stringify, but non-finite numbers as Python writes them. */
export function toPyJson(v: unknown): string {
  const s = JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? `${MARK}${x}` : x));
  return s.replace(/"\\u0000py:(NaN|Infinity|-Infinity)"/g, '$1');
}
/** JSON.parse that also accepts Python's NaN / Infinity / -Infinity tokens. */
export function parsePyJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch (e) {
    if (!/NaN|Infinity/.test(s)) throw e;
  }
  let out = '', inStr = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (inStr) {
      out += c;
      if (c === '\\') out += s[++i] ?? '';
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') { inStr = true; out += c; continue; }
    const tok = ['-Infinity', 'Infinity', 'NaN'].find((t) => s.startsWith(t, i));
    if (tok) { out += JSON.stringify(MARK + tok); i += tok.length - 1; continue; }
    out += c;
  }
  return JSON.parse(out, (_k, x) => (typeof x === 'string' && x.startsWith(MARK) ? Number(x.slice(MARK.length)) : x));
}
