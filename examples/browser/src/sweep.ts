// The demo's sweep: a study on the page (TPE sampler, median pruner, in-memory storage) whose
// trials run in `concurrency` Web Workers via study.optimize({ module, export }). The objective is
// objective.js beside this bundle; each worker has its own simdgrad/wasm instance. The
// leaderboard is redrawn after every finished trial.
import * as sg from '../../../src/index.js';

export interface SweepOptions { trials: number; concurrency: number; epochs: number; seed: number }
export interface SweepRow { number: number; state: string; value: number | null; params: Record<string, unknown>; worker: string; ms: number | null }

const fmt = (v: unknown) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(3)) : String(v));

/** Renders the trials, best first (COMPLETE by accuracy, then PRUNED, then FAIL), into `tbody`. */
export function renderLeaderboard(tbody: HTMLElement, rows: SweepRow[]): void {
  const rank = (r: SweepRow) => (r.state === 'COMPLETE' ? 0 : r.state === 'PRUNED' ? 1 : 2);
  const sorted = [...rows].sort((a, b) => rank(a) - rank(b) || (b.value ?? -1) - (a.value ?? -1) || a.number - b.number);
  tbody.replaceChildren(...sorted.map((r, i) => {
    const tr = document.createElement('tr');
    const cells = [String(i + 1), String(r.number), r.value === null ? '—' : `${(100 * r.value).toFixed(2)}%`, r.state,
      Object.entries(r.params).map(([k, v]) => `${k}=${fmt(v)}`).join(' '), r.worker, r.ms === null ? '' : `${(r.ms / 1000).toFixed(1)} s`];
    for (const c of cells) tr.append(Object.assign(document.createElement('td'), { textContent: c }));
    return tr;
  }));
}

/** Runs the sweep; `onTrial` gets all rows after every finished trial. */
export async function runSweep(o: SweepOptions, onTrial: (rows: SweepRow[]) => void): Promise<{ rows: SweepRow[]; seconds: number }> {
  const { tune } = sg;
  const study = await tune.createStudy({
    direction: 'maximize', studyName: 'browser-demo',
    sampler: new tune.TPESampler({ seed: o.seed, nStartupTrials: Math.min(5, o.trials) }),
    pruner: new tune.MedianPruner({ nStartupTrials: 3, nWarmupSteps: 1 }),
  });
  const rows = (): SweepRow[] => study.trials.filter((t) => t.state !== 'RUNNING').map((t) => ({
    number: t.number, state: t.state, value: t.value ?? null, params: t.params,
    worker: String(t.userAttrs.worker ?? ''), ms: t.durationMs,
  }));
  const t0 = performance.now();
  await study.optimize(
    { module: new URL(`./objective.js?epochs=${o.epochs}`, import.meta.url), export: 'objective' },
    { nTrials: o.trials, concurrency: o.concurrency, trialTimeout: 120, callbacks: [() => onTrial(rows())] },
  );
  return { rows: rows(), seconds: (performance.now() - t0) / 1000 };
}
