// Study analysis for reports and the CLI: a table of trials, the optimization history (value and
// best so far), and parameter importances (fANOVA over a seeded random forest, importance.ts).
// Contract: functions read a study's trial snapshot (`study.trials`) and never change it; values
// are the first objective unless `objective` picks another one; in a constrained study (a trial
// carries constraint values) infeasible trials never count as the best so far.
import type { ParamValue } from './distributions.js';
import type { Direction, FrozenTrial, TrialState } from './frozen-trial.js';
import { hasConstraints, isFeasible } from './constraints.js';

export { paramImportances, type ParamImportancesOptions } from './importance.js';

/** What analysis needs of a study (a Study, or a view built from stored trials). */
export interface StudyTrials {
  readonly directions: readonly Direction[];
  readonly trials: readonly FrozenTrial[];
}

export interface TrialRow {
  number: number;
  state: TrialState;
  /** The objective value: COMPLETE trials, and PRUNED ones (their last intermediate value); else null. */
  value: number | null;
  params: Record<string, ParamValue>;
  durationMs: number | null;
  /** Last reported step, if any. */
  lastStep: number | null;
}

export interface TrialsTable {
  /** Every parameter name seen, in order of first suggestion. */
  paramNames: string[];
  rows: TrialRow[];
}

/**
 * One row per trial: number, state, value, params, durationMs.
 * @example
 * const { paramNames, rows } = sg.tune.trialsTable(study);
 * console.table(rows.map((r) => ({ n: r.number, state: r.state, value: r.value, ...r.params })));
 */
export function trialsTable(study: StudyTrials, { objective = 0 }: { objective?: number } = {}): TrialsTable {
  const names = new Set<string>();
  const rows = study.trials.map((t): TrialRow => {
    for (const k of Object.keys(t.params)) names.add(k);
    const steps = Object.keys(t.intermediateValues).map(Number);
    return {
      number: t.number, state: t.state, value: t.values?.[objective] ?? null, params: { ...t.params },
      durationMs: t.durationMs, lastStep: steps.length ? Math.max(...steps) : null,
    };
  });
  return { paramNames: [...names], rows };
}

export interface HistoryPoint {
  number: number;
  value: number;
  /** Best value of the COMPLETE (feasible) trials up to and including this one; ±Infinity
   *  (the direction's worst) while none is feasible. */
  best: number;
  /** Whether the trial satisfies its constraints (always true in an unconstrained study). */
  feasible: boolean;
}

/**
 * The objective value of every COMPLETE trial in order, with the best so far (Optuna's
 * optimization-history plot data).
 * @example
 * for (const p of sg.tune.optimizationHistory(study)) console.log(p.number, p.value, p.best);
 */
export function optimizationHistory(study: StudyTrials, { objective = 0 }: { objective?: number } = {}): HistoryPoint[] {
  const dir = study.directions[objective];
  if (!dir) throw new RangeError(`objective ${objective} out of range: the study has ${study.directions.length}`);
  const out: HistoryPoint[] = [];
  const constrained = hasConstraints(study.trials);
  let best = dir === 'maximize' ? -Infinity : Infinity;
  for (const t of [...study.trials].sort((a, b) => a.number - b.number)) {
    const v = t.values?.[objective];
    if (t.state !== 'COMPLETE' || v === undefined) continue;
    const feasible = isFeasible(t, constrained);
    if (feasible) best = dir === 'maximize' ? Math.max(best, v) : Math.min(best, v);
    out.push({ number: t.number, value: v, best, feasible });
  }
  return out;
}
