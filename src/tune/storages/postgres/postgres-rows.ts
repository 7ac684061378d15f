// How PostgresStorage maps FrozenTrial to Optuna's RDB rows and back: the SELECT list that reads a
// whole trial in one row (params, values, intermediate values and attributes as JSON arrays),
// Optuna's value types for non-finite numbers (value NULL + INF_POS/INF_NEG/NAN), attributes as
// Python-compatible JSON text, and Optuna's system attrs fail_reason / fixed_params for our
// failReason / fixedParams (as the journal storage does).
import { blankTrial, type FrozenTrial, type TrialState } from '../../frozen-trial.js';
import { distributionFromJson, paramFromInternal, parsePyJson, toPyJson } from '../journal/journal-format.js';

/** Columns of `trials t` → one row per trial with everything a FrozenTrial holds. */
export const TRIAL_COLUMNS = `t.trial_id, t.number, t.state::text AS state, t.simdgrad_seq AS seq,
  (extract(epoch FROM t.datetime_start) * 1000)::float8 AS start_ms,
  (extract(epoch FROM t.datetime_complete) * 1000)::float8 AS complete_ms,
  (SELECT json_agg(json_build_array(p.param_name, p.param_value, p.distribution_json)) FROM trial_params p WHERE p.trial_id = t.trial_id) AS params,
  (SELECT json_agg(json_build_array(v.objective, v.value, v.value_type) ORDER BY v.objective) FROM trial_values v WHERE v.trial_id = t.trial_id) AS vals,
  (SELECT json_agg(json_build_array(i.step, i.intermediate_value, i.intermediate_value_type)) FROM trial_intermediate_values i WHERE i.trial_id = t.trial_id) AS inter,
  (SELECT json_agg(json_build_array(a.key, a.value_json)) FROM trial_user_attributes a WHERE a.trial_id = t.trial_id) AS uattrs,
  (SELECT json_agg(json_build_array(a.key, a.value_json)) FROM trial_system_attributes a WHERE a.trial_id = t.trial_id) AS sattrs`;

type Row = Record<string, any>;

/** A number as Optuna stores it: [value or null, value type]. NaN only for intermediate values. */
export function encodeValue(v: number): [number | null, string] {
  if (Number.isFinite(v)) return [v, 'FINITE'];
  if (Number.isNaN(v)) return [null, 'NAN'];
  return [null, v > 0 ? 'INF_POS' : 'INF_NEG'];
}
function decodeValue(v: number | null, type: string): number {
  if (type === 'FINITE') return v!;
  if (type === 'INF_POS') return Infinity;
  if (type === 'INF_NEG') return -Infinity;
  return NaN;
}

/** Attributes as the { key: value_json } object the SQL unpacks with json_each_text. */
export function encodeAttrs(attrs: Record<string, unknown>): string {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) out[k === 'fixedParams' ? 'fixed_params' : k] = toPyJson(v);
  return JSON.stringify(out);
}

/** A FrozenTrial from a row of TRIAL_COLUMNS. */
export function decodeTrial(r: Row): FrozenTrial {
  const t = blankTrial(r.number as number, r.trial_id as number, r.state as TrialState, 0);
  t.datetimeStart = r.start_ms ?? null;
  t.datetimeComplete = r.complete_ms ?? null;
  t.durationMs = t.datetimeStart !== null && t.datetimeComplete !== null ? t.datetimeComplete - t.datetimeStart : null;
  for (const [name, internal, dist] of (r.params ?? []) as Array<[string, number, string]>) {
    const d = distributionFromJson(dist);
    t.distributions[name] = d;
    t.params[name] = paramFromInternal(d, internal);
  }
  const vals = (r.vals ?? []) as Array<[number, number | null, string]>;
  if (vals.length) {
    t.values = vals.map(([, v, type]) => decodeValue(v, type));
    t.value = t.values[0]!;
  }
  for (const [step, v, type] of (r.inter ?? []) as Array<[number, number | null, string]>) t.intermediateValues[step] = decodeValue(v, type);
  for (const [k, v] of (r.uattrs ?? []) as Array<[string, string]>) t.userAttrs[k] = parsePyJson(v);
  for (const [k, v] of (r.sattrs ?? []) as Array<[string, string]>) {
    const x = parsePyJson(v);
    if (k === 'fail_reason') t.failReason = String(x);
    else t.systemAttrs[k === 'fixed_params' ? 'fixedParams' : k] = x;
  }
  return t;
}

/** Freezes a finished trial for sharing from the cache (readers cannot change it). */
export function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}
