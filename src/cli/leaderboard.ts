// leaderboard: the top trials of a study as a fixed-width text table (rank, trial, value, state,
// parameters), best first in the study's direction; COMPLETE trials only. With several objectives
// the table is the Pareto front, one column per objective, best first by the first objective.
import { tune } from '../index.js';

const cell = (v: unknown): string =>
  typeof v === 'number' ? (Number.isInteger(v) ? String(v) : Math.abs(v) < 1e-2 || Math.abs(v) >= 1e4 ? v.toExponential(2) : v.toPrecision(4))
    : String(v);

/** The best `top` complete trials, best first. */
export function bestTrials(trials: readonly tune.FrozenTrial[], direction: tune.Direction, top = 10): tune.FrozenTrial[] {
  const sign = direction === 'maximize' ? -1 : 1;
  return trials.filter((t) => t.state === 'COMPLETE' && t.value !== null)
    .sort((a, b) => sign * (a.value! - b.value!) || a.number - b.number).slice(0, top);
}

/** The Pareto front of the complete trials, best first by the first objective (then the next ones). */
export function frontTrials(trials: readonly tune.FrozenTrial[], directions: readonly tune.Direction[]): tune.FrozenTrial[] {
  const sign = directions.map((d) => (d === 'maximize' ? -1 : 1));
  return tune.paretoFront(trials, directions).sort((a, b) => {
    for (let i = 0; i < sign.length; i++) if (a.values![i] !== b.values![i]) return sign[i]! * (a.values![i]! - b.values![i]!);
    return a.number - b.number;
  });
}

function table(head: string[], body: string[][], numeric: number): string {
  const w = head.map((h, j) => Math.max(h.length, ...body.map((r) => r[j]!.length)));
  const line = (r: string[]) => r.map((c, j) => (j < numeric ? c.padStart(w[j]!) : c.padEnd(w[j]!))).join('  ').trimEnd();
  return [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...body.map(line)].join('\n');
}

/**
 * @example console.log(leaderboard(study.trials, 'maximize'))
 */
export function leaderboard(trials: readonly tune.FrozenTrial[], direction: tune.Direction, top = 10): string {
  const best = bestTrials(trials, direction, top);
  if (best.length === 0) return '(no complete trials)';
  const names = [...new Set(best.flatMap((t) => Object.keys(t.params)))];
  const body = best.map((t, i) => [String(i + 1), `#${t.number}`, cell(t.value), ...names.map((n) => (n in t.params ? cell(t.params[n]) : ''))]);
  return table(['rank', 'trial', 'value', ...names], body, 3);
}

/**
 * The Pareto front as a table: one column per objective (named by `objectives`), then the parameters.
 * @example console.log(frontLeaderboard(study.trials, ['accuracy', 'params'], ['maximize', 'minimize']))
 */
export function frontLeaderboard(trials: readonly tune.FrozenTrial[], objectives: readonly string[], directions: readonly tune.Direction[]): string {
  const front = frontTrials(trials, directions);
  if (front.length === 0) return '(no complete trials)';
  const names = [...new Set(front.flatMap((t) => Object.keys(t.params)))];
  const body = front.map((t, i) => [String(i + 1), `#${t.number}`, ...t.values!.map(cell), ...names.map((n) => (n in t.params ? cell(t.params[n]) : ''))]);
  return table(['rank', 'trial', ...objectives, ...names], body, 2 + objectives.length);
}
