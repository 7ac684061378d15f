// Constraints of a trial (Optuna's constrained optimization): a list of numbers, each ≤ 0 when
// satisfied, stored as the trial's system attribute "constraints" — where Optuna 3.1's
// constraints_func puts them, so Python Optuna reads them (Optuna 5's `trial.constraints` reads
// this list as keys "0", "1", …; its own "constraints:<key>" attributes are read here too). They
// come from a sampler's `constraintsFunc` (called by the study when a trial ends) or from
// `trial.setConstraint(values)` inside the objective. Contract: a study is constrained once any
// trial carries constraint values or its sampler has a constraintsFunc; in a constrained study a
// finished trial without values is infeasible (Optuna ≥ 4: it never becomes the best), and an
// infeasible trial never becomes bestTrial, bestTrials or bestValue.
import type { FrozenTrial } from './frozen-trial.js';

/** The system attribute that holds a trial's constraint values (Optuna's `_CONSTRAINTS_KEY`). */
export const CONSTRAINTS_KEY = 'constraints';
const NAMED_PREFIX = 'constraints:';

/** Optuna 3.1's constraints_func: the constraint values of a finished trial (COMPLETE or PRUNED;
 *  its state and values are set), each ≤ 0 when satisfied. */
export type ConstraintsFunc = (trial: FrozenTrial) => readonly number[];

/** Checked constraint values: an array of numbers, none NaN (±Infinity allowed, as Optuna). */
export function checkConstraints(owner: string, values: unknown): number[] {
  if (!Array.isArray(values)) throw new TypeError(`${owner}: constraints must be an array of numbers, got ${describe(values)}`);
  values.forEach((v, i) => {
    if (typeof v !== 'number' || Number.isNaN(v)) throw new RangeError(`${owner}: constraint ${i} must be a number (not NaN), got ${describe(v)}`);
  });
  return [...values] as number[];
}

function describe(v: unknown): string {
  if (typeof v === 'number' || v === undefined || typeof v === 'function') return String(v);
  try { return JSON.stringify(v) ?? String(v); } catch { return String(v); }
}

/** The trial's constraint values, or null if it has none. Reads Optuna's "constraints" list and
 *  Optuna 5's named "constraints:<key>" attributes (named keys "0", "1", … override list entries). */
export function constraintsOf(t: FrozenTrial): number[] | null {
  const attrs = t.systemAttrs;
  const list = attrs[CONSTRAINTS_KEY];
  let out: number[] | null = Array.isArray(list) ? list.map(Number) : null;
  for (const k of Object.keys(attrs)) {
    if (!k.startsWith(NAMED_PREFIX)) continue;
    out ??= [];
    const key = k.slice(NAMED_PREFIX.length), v = Number(attrs[k]);
    const i = /^\d+$/.test(key) ? Number(key) : -1;
    if (i >= 0 && i < out.length) out[i] = v;
    else out.push(v);
  }
  return out;
}

/** Whether any trial carries constraint values. */
export function hasConstraints(trials: readonly FrozenTrial[]): boolean {
  for (const t of trials) { // constraintsOf(t) !== null, without building the list (samplers ask on every trial)
    const attrs = t.systemAttrs;
    if (Array.isArray(attrs[CONSTRAINTS_KEY])) return true;
    for (const k in attrs) if (k.startsWith(NAMED_PREFIX)) return true;
  }
  return false;
}

/** The total violation: the sum of the positive constraint values (0: feasible); +Infinity for a
 *  trial without values (a constrained study ranks it below every trial that has them). */
export function violation(t: FrozenTrial): number {
  const c = constraintsOf(t);
  if (c === null) return Infinity;
  let s = 0;
  for (const v of c) if (v > 0) s += v;
  return s;
}

/** Whether the trial satisfies its constraints; in an unconstrained study every trial does. */
export function isFeasible(t: FrozenTrial, constrained: boolean): boolean {
  if (!constrained) return true;
  const c = constraintsOf(t);
  return c !== null && c.every((v) => v <= 0);
}
