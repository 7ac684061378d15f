// leaderboard: the top trials of a study as a fixed-width text table (rank, trial, value, state,
// parameters), best first in the study's direction; COMPLETE trials only.
import type { tune } from '../index.js';

const cell = (v: unknown): string =>
  typeof v === 'number' ? (Number.isInteger(v) ? String(v) : Math.abs(v) < 1e-2 || Math.abs(v) >= 1e4 ? v.toExponential(2) : v.toPrecision(4))
    : String(v);

/** The best `top` complete trials, best first. */
export function bestTrials(trials: readonly tune.FrozenTrial[], direction: tune.Direction, top = 10): tune.FrozenTrial[] {
  const sign = direction === 'maximize' ? -1 : 1;
  return trials.filter((t) => t.state === 'COMPLETE' && t.value !== null)
    .sort((a, b) => sign * (a.value! - b.value!) || a.number - b.number).slice(0, top);
}

/**
 * @example console.log(leaderboard(study.trials, 'maximize'))
 */
export function leaderboard(trials: readonly tune.FrozenTrial[], direction: tune.Direction, top = 10): string {
  const best = bestTrials(trials, direction, top);
  if (best.length === 0) return '(no complete trials)';
  const names = [...new Set(best.flatMap((t) => Object.keys(t.params)))];
  const head = ['rank', 'trial', 'value', ...names];
  const body = best.map((t, i) => [String(i + 1), `#${t.number}`, cell(t.value), ...names.map((n) => (n in t.params ? cell(t.params[n]) : ''))]);
  const w = head.map((h, j) => Math.max(h.length, ...body.map((r) => r[j]!.length)));
  const line = (r: string[]) => r.map((c, j) => (j < 3 ? c.padStart(w[j]!) : c.padEnd(w[j]!))).join('  ').trimEnd();
  return [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...body.map(line)].join('\n');
}
