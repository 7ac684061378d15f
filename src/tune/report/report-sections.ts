// The report's sections about the sweep itself (report.ts assembles them): the search space (every
// parameter the trials drew, its distribution and how many trials drew it — conditional
// parameters show up with fewer — and the space as the user wrote it, when given), the fixed
// settings of the sweep, the held-out comparison of configurations, the trials' user attributes
// as table columns (scalars and short number lists; `params` is read as the model's parameter
// count), and per-epoch learning curves from the user attribute `learningCurves` (a record of
// series name → per fold, the per-epoch values: { loss: [[…], …], valAccuracy: [[…], …] }).
// Contract: pure functions of the trials and options; every user string is HTML-escaped by the
// caller's escapeHtml; a malformed `learningCurves` is skipped, never an error.
import type { FrozenTrial } from '../frozen-trial.js';
import type { Distribution } from '../distributions.js';

type Escape = (s: string) => string;
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** One configuration scored on held-out data. */
export interface HoldoutRow {
  name: string;
  /** The score (e.g. mean test accuracy). */
  value: number;
  /** Each run's score, when several seeds were averaged. */
  runs?: number[];
  /** The model's parameter count. */
  params?: number;
  metrics?: Record<string, number>;
  config?: Record<string, unknown>;
}
/** Configurations compared on data the sweep never saw (ReportOptions.holdout). */
export interface HoldoutSummary { metric: string; description?: string; rows: HoldoutRow[] }

function fmt(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(3) : String(+v.toPrecision(5));
}
const show = (v: unknown): string => (typeof v === 'number' ? fmt(v) : typeof v === 'string' ? v : JSON.stringify(v));

function describeDistribution(d: Distribution): string {
  if (d.kind === 'categorical') return `categorical: ${d.choices.map((c) => show(c)).join(', ')}`;
  const step = d.step != null && !(d.kind === 'int' && d.step === 1) ? `, step ${fmt(d.step)}` : '';
  return `${d.kind} [${fmt(d.low)}, ${fmt(d.high)}]${d.log ? ', log' : ''}${step}`;
}

/** The search space: each parameter's distribution (first seen) and how many trials drew it. */
export function searchSpaceHtml(trials: readonly FrozenTrial[], given: unknown, esc: Escape): string {
  const seen = new Map<string, { d: Distribution; n: number }>();
  for (const t of trials) {
    for (const [k, d] of Object.entries(t.distributions)) {
      const e = seen.get(k);
      if (e) e.n++; else seen.set(k, { d, n: 1 });
    }
  }
  const rows = [...seen].map(([k, { d, n }]) => `<tr><td class="s">${esc(k)}</td><td class="s">${esc(describeDistribution(d))}</td><td>${n} of ${trials.length}</td></tr>`);
  const table = rows.length
    ? `<table class="plain"><thead><tr><th class="s">parameter</th><th class="s">distribution</th><th>trials that drew it</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
    : '<p class="note">No trial drew a parameter yet.</p>';
  const json = given === undefined ? '' : `<details><summary>The space as given</summary><pre>${esc(JSON.stringify(given, null, 2))}</pre></details>`;
  return table + json;
}

/** The sweep's fixed settings as a two-column table. */
export function settingsHtml(settings: Record<string, string | number | boolean> | undefined, esc: Escape): string {
  const entries = Object.entries(settings ?? {});
  if (!entries.length) return '<p class="note">Not recorded (pass settings to renderReport).</p>';
  return `<table class="plain"><tbody>${entries.map(([k, v]) => `<tr><th class="s">${esc(k)}</th><td class="s">${esc(show(v))}</td></tr>`).join('')}</tbody></table>`;
}

/** The held-out comparison: one row per configuration, its score, runs, parameter count and metrics. */
export function holdoutHtml(h: HoldoutSummary, esc: Escape): string {
  const pct = h.metric === 'accuracy', v = (x: number) => (pct ? `${(100 * x).toFixed(2)} %` : Math.abs(x) < 1e4 ? x.toFixed(4) : fmt(x));
  const metricNames = [...new Set(h.rows.flatMap((r) => Object.keys(r.metrics ?? {})))];
  const head = ['configuration', h.metric, 'runs', 'parameters', ...metricNames.map((m) => `${m} (first run)`), 'hyperparameters'];
  const body = h.rows.map((r) => `<tr><td class="s"><b>${esc(r.name)}</b></td><td><b>${esc(v(r.value))}</b></td>` +
    `<td>${esc((r.runs ?? []).map(v).join(', '))}</td><td>${r.params === undefined ? '' : esc(r.params.toLocaleString('en-US'))}</td>` +
    metricNames.map((m) => `<td>${finite(r.metrics?.[m]) ? esc(fmt(r.metrics![m]!)) : ''}</td>`).join('') +
    `<td class="s">${esc(Object.entries(r.config ?? {}).map(([k, x]) => `${k} ${show(x)}`).join(', '))}</td></tr>`);
  const line = h.rows.map((r) => `${r.name} → ${v(r.value)}`).join(', ');
  return `<p class="headline">${esc(line)}</p>${h.description ? `<p class="meta">${esc(h.description)}</p>` : ''}` +
    `<div class="tablewrap"><table class="plain"><thead><tr>${head.map((x, i) => `<th${i === 0 || i === head.length - 1 ? ' class="s"' : ''}>${esc(x)}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table></div>`;
}

/** User attributes shown as trials-table columns: keys holding a scalar or a short list of numbers in some trial. */
export function userAttrColumns(trials: readonly FrozenTrial[]): string[] {
  const keys = new Set<string>();
  for (const t of trials) {
    for (const [k, v] of Object.entries(t.userAttrs)) {
      if (['number', 'string', 'boolean'].includes(typeof v) || (Array.isArray(v) && v.length <= 20 && v.every(finite))) keys.add(k);
    }
  }
  return [...keys].sort((a, b) => (a === 'params' ? -1 : b === 'params' ? 1 : a.localeCompare(b)));
}

/** A user attribute's column heading and cell: `params` is the parameter count. */
export const userAttrHead = (k: string): string => (k === 'params' ? '# parameters' : k);
export function userAttrCell(v: unknown): { text: string; key: string | number | null } {
  if (v === undefined || v === null) return { text: '', key: null };
  if (typeof v === 'number') return { text: Number.isInteger(v) ? v.toLocaleString('en-US') : fmt(v), key: v };
  if (Array.isArray(v)) return { text: v.map((x) => fmt(x as number)).join(', '), key: null };
  return { text: String(v), key: String(v) };
}

/** One series of a trial's per-epoch curves: the mean over its folds per epoch, and each fold. */
export interface EpochCurve { number: number; state: string; mean: Array<number | null>; folds: number[][] }

/** Per-epoch learning curves of the given trials, by series name (trials without `learningCurves` are skipped). */
export function epochCurves(trials: readonly FrozenTrial[]): Array<{ series: string; trials: EpochCurve[] }> {
  const out = new Map<string, EpochCurve[]>();
  for (const t of trials) {
    const lc = t.userAttrs.learningCurves;
    if (lc === null || typeof lc !== 'object' || Array.isArray(lc)) continue;
    for (const [series, folds] of Object.entries(lc as Record<string, unknown>)) {
      if (!Array.isArray(folds) || !folds.every((f) => Array.isArray(f) && f.every((x) => x === null || typeof x === 'number'))) continue;
      const rows = folds as number[][], epochs = Math.max(0, ...rows.map((f) => f.length));
      if (!epochs) continue;
      const mean = Array.from({ length: epochs }, (_, e) => {
        const vs = rows.map((f) => f[e]).filter(finite);
        return vs.length ? vs.reduce((a, b) => a + b, 0) / vs.length : null;
      });
      if (!out.has(series)) out.set(series, []);
      out.get(series)!.push({ number: t.number, state: t.state, mean, folds: rows });
    }
  }
  return [...out].map(([series, list]) => ({ series, trials: list }));
}
