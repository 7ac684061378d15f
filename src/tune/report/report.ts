// report.html for a study: one self-contained HTML file (no network: uPlot's JS and CSS are inlined)
// with the optimization history (per objective), for several objectives the Pareto front and the
// hypervolume history (pareto-data.ts), learning curves of the best trials (their intermediate
// values, and per-epoch curves from their `learningCurves` user attribute), parameter importances
// (fANOVA), slice plots of the objective against each parameter, a sortable trials table with the
// trials' user attributes, and the sweep's search space, fixed settings and held-out comparison
// (report-sections.ts). Infeasible trials (constraints.ts) are marked in every chart and the table,
// and never the best. Contract: renderReport is pure and synchronous; every user string (study name, title,
// parameter names and values, fail reasons) is HTML-escaped, and the chart data is embedded as a
// JSON block with `<`, `>`, `&`, U+2028/9 escaped, so nothing in a study can end the <script>.
// Non-finite numbers become null. This module statically imports the ~52 KB uPlot assets, so the
// core entry (src/index.ts, src/tune/index.ts) must not import it: it ships as its own entry.
import { optimizationHistory, paramImportances, trialsTable, type StudyTrials } from '../analysis.js';
import type { FrozenTrial, TrialState } from '../frozen-trial.js';
import type { Distribution, ParamValue } from '../distributions.js';
import { constraintsOf, hasConstraints, isFeasible, violation } from '../constraints.js';
import { paretoFront } from '../pareto.js';
import { paretoData } from './pareto-data.js';
import { UPLOT_CSS, UPLOT_JS, UPLOT_VERSION } from './report-assets.js';
import { REPORT_CSS, REPORT_JS } from './report-client.js';
import { REPORT_SWEEP_CSS, REPORT_EPOCHS_JS } from './report-epochs-client.js';
import {
  epochCurves, holdoutHtml, searchSpaceHtml, settingsHtml, userAttrCell, userAttrColumns, userAttrHead, type HoldoutSummary,
} from './report-sections.js';

export type { HoldoutRow, HoldoutSummary } from './report-sections.js';

/** A study, or a view of stored trials: what a report reads. */
export interface ReportStudy extends StudyTrials {
  readonly studyName?: string;
}

export interface ReportOptions {
  /** Page title and heading (default: "<study name> — simdgrad tune report"). */
  title?: string;
  /** How many of the best trials get a learning curve (default 5). */
  curves?: number;
  /** Seed of the importance forest (default 0). */
  seed?: number;
  /** Several objectives: the hypervolume's reference point, one value per objective (default: each
   *  objective's worst feasible value moved outwards by 10% of its range). */
  referencePoint?: number[];
  /** The sweep's fixed settings (epochs, folds, sampler, pruner, seed, …), shown as a table. */
  settings?: Record<string, string | number | boolean>;
  /** The search space as the user wrote it (any JSON), shown beside the distributions the trials drew. */
  space?: unknown;
  /** Configurations scored on data the sweep never saw (e.g. the default and the tuned one). */
  holdout?: HoldoutSummary;
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESC[c]!);
}

/** JSON safe inside <script type="application/json">: no `</script>`, `<!--`, or JS line separators. */
function safeJson(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? null : x))
    .replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

function fmtNum(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(3) : String(+v.toPrecision(5));
}
function fmtParam(v: ParamValue | undefined): string {
  return v === undefined ? '' : typeof v === 'number' ? fmtNum(v) : String(v);
}
function fmtDuration(ms: number | null): string {
  if (ms === null) return '';
  return ms < 1000 ? `${Math.round(ms)} ms` : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 60_000).toFixed(1)} min`;
}

/** Everything the page's script draws, as plain JSON. */
function chartData(study: ReportStudy, opts: ReportOptions) {
  const { directions, trials } = study;
  const history = directions.map((direction, objective) => ({
    objective, direction,
    points: optimizationHistory(study, { objective }).filter((p) => finite(p.value)).map((p) => [p.number, p.value, p.best, p.feasible ? 1 : 0]),
  }));
  const single = directions.length === 1;
  const constrained = hasConstraints(trials);
  const done = trials.filter((t) => t.state === 'COMPLETE' && finite(t.values?.[0]) && isFeasible(t, constrained));
  const multiNote = 'Shown for single-objective studies only.';
  // Learning curves: the best COMPLETE (then PRUNED) trials that reported intermediate values.
  const sign = directions[0] === 'maximize' ? -1 : 1;
  const rank = (t: FrozenTrial) => (t.state === 'COMPLETE' ? 0 : 1);
  const withSteps = trials.filter((t) => (t.state === 'COMPLETE' || t.state === 'PRUNED') && Object.keys(t.intermediateValues).length > 0);
  const lastValue = (t: FrozenTrial) => t.values?.[0] ?? t.intermediateValues[Math.max(...Object.keys(t.intermediateValues).map(Number))] ?? NaN;
  const curves = !single ? [] : withSteps
    .sort((a, b) => rank(a) - rank(b) || sign * (lastValue(a) - lastValue(b)) || a.number - b.number)
    .slice(0, opts.curves ?? 5)
    .map((t) => ({
      number: t.number, state: t.state,
      points: Object.entries(t.intermediateValues).map(([s, v]) => [Number(s), v]).sort((a, b) => a[0]! - b[0]!),
    }));
  const withEpochs = trials.filter((t) => (t.state === 'COMPLETE' || t.state === 'PRUNED') && t.userAttrs.learningCurves !== undefined);
  const epochs = !single ? [] : epochCurves(withEpochs
    .sort((a, b) => rank(a) - rank(b) || sign * (lastValue(a) - lastValue(b)) || a.number - b.number)
    .slice(0, opts.curves ?? 5));
  let importance: [string, number][] = [];
  let importanceNote = single ? 'Needs at least 2 COMPLETE trials with varying parameters.' : multiNote;
  if (single && done.length >= 2) {
    try { importance = Object.entries(paramImportances(study, { seed: opts.seed ?? 0 })); }
    catch (e) { importanceNote = `Not available: ${(e as Error).message}`; }
  }
  // Slices: every parameter seen in a COMPLETE trial, on the distribution of its first appearance.
  const dists = new Map<string, Distribution>();
  for (const t of done) for (const [k, d] of Object.entries(t.distributions)) if (!dists.has(k)) dists.set(k, d);
  const slices = !single ? [] : [...dists].map(([name, d]) => {
    const choices = d.kind === 'categorical' ? d.choices.map((c) => (c === null ? 'null' : String(c))) : null;
    const points: number[][] = [];
    for (const t of done) {
      const v = t.params[name];
      if (v === undefined) continue;
      const x = d.kind === 'categorical' ? d.choices.findIndex((c) => c === v) : (v as number);
      if (finite(x) && x >= 0) points.push([x, t.values![0]!, t.number]);
    }
    return { name, choices, log: d.kind !== 'categorical' && d.log, points };
  });
  return {
    history, curves, epochs, importance, slices, pareto: paretoData(study, opts.referencePoint),
    epochsNote: single ? "No trial recorded per-epoch curves (the user attribute learningCurves: { series: [per-fold per-epoch values] })." : multiNote,
    curvesNote: single ? 'No trial reported intermediate values (trial.report).' : multiNote,
    importanceNote, slicesNote: single ? 'No COMPLETE trials yet.' : multiNote,
  };
}

function tableHtml(study: ReportStudy): string {
  const { paramNames, rows } = trialsTable(study);
  const nObj = study.directions.length, constrained = hasConstraints(study.trials);
  const byNumber = new Map(study.trials.map((t) => [t.number, t]));
  const attrs = userAttrColumns(study.trials);
  const valueHeads = nObj === 1 ? ['value'] : study.directions.map((_, i) => `value ${i}`);
  const head = ['#', 'state', ...valueHeads, ...paramNames, ...attrs.map(userAttrHead), 'duration', 'last step', ...(constrained ? ['violation'] : [])];
  const cls = (h: string, i: number) => (i === 1 || (i >= 2 + nObj && i < 2 + nObj + paramNames.length) ? ' class="s"' : '');
  const cell = (text: string, key: string | number | null, s = false) =>
    `<td${s ? ' class="s"' : ''} data-v="${escapeHtml(key === null ? '' : String(key))}">${escapeHtml(text)}</td>`;
  const body = rows.map((r) => {
    const t = byNumber.get(r.number);
    const vals = nObj === 1 ? [r.value] : study.directions.map((_, i) => t?.values?.[i] ?? null);
    const title = t?.failReason ? ` title="${escapeHtml(t.failReason)}"` : '';
    const bad = constrained && t && (r.state === 'COMPLETE' || r.state === 'PRUNED') && !isFeasible(t, true) ? ' infeasible' : '';
    const viol = !constrained || !t ? '' : constraintsOf(t) === null ? cell('', null) : cell(fmtNum(violation(t)), violation(t));
    return `<tr class="${escapeHtml(r.state)}${bad}"${title}>` + cell(String(r.number), r.number) + cell(r.state, r.state, true) +
      vals.map((v) => (finite(v) ? cell(fmtNum(v), v) : cell('', null))).join('') +
      paramNames.map((p) => { const v = r.params[p]; return cell(fmtParam(v), v === undefined ? null : typeof v === 'number' ? v : String(v), true); }).join('') +
      attrs.map((k) => { const c = userAttrCell(t?.userAttrs[k]); return cell(c.text, c.key); }).join('') +
      cell(fmtDuration(r.durationMs), r.durationMs) + cell(r.lastStep === null ? '' : String(r.lastStep), r.lastStep) + viol + '</tr>';
  }).join('\n');
  return `<div class="tablewrap"><table id="trials-table"><thead><tr>${head.map((h, i) => `<th${cls(h, i)}>${escapeHtml(h)}</th>`).join('')}</tr></thead>\n<tbody>\n${body}\n</tbody></table></div>`;
}

function summaryHtml(study: ReportStudy): string {
  const counts: Partial<Record<TrialState, number>> = {};
  for (const t of study.trials) counts[t.state] = (counts[t.state] ?? 0) + 1;
  const states = Object.entries(counts).map(([s, n]) => `${n} ${s}`).join(', ') || 'none';
  let best = '';
  const constrained = hasConstraints(study.trials);
  const ok = (t: FrozenTrial) => t.state === 'COMPLETE' && isFeasible(t, constrained);
  const infeasible = constrained ? study.trials.filter((t) => t.state === 'COMPLETE' && !isFeasible(t, true)).length : 0;
  if (study.directions.length === 1) {
    const dir = study.directions[0], done = study.trials.filter((t) => ok(t) && finite(t.values?.[0]));
    const b = done.reduce<FrozenTrial | null>((acc, t) => (!acc || (dir === 'maximize' ? t.values![0]! > acc.values![0]! : t.values![0]! < acc.values![0]!) ? t : acc), null);
    if (b) {
      const params = Object.entries(b.params).map(([k, v]) => `${escapeHtml(k)} = ${escapeHtml(fmtParam(v))}`).join(', ');
      best = `<br>Best: trial <b>#${b.number}</b>, value <b>${escapeHtml(fmtNum(b.values![0]!))}</b>${params ? ` — ${params}` : ''}`;
    }
  } else {
    const front = paretoFront(study.trials, study.directions, { constrained });
    const shown = front.slice(0, 12).map((t) => `#${t.number}`).join(', ') + (front.length > 12 ? ', …' : '');
    if (front.length) best = `<br>Pareto front: <b>${front.length}</b> trial${front.length === 1 ? '' : 's'} (${shown})`;
  }
  if (infeasible) best += `<br>${infeasible} COMPLETE trial${infeasible === 1 ? '' : 's'} violate${infeasible === 1 ? 's' : ''} the constraints (marked infeasible, never the best)`;
  return `<p class="meta">Study <b>${escapeHtml(study.studyName ?? '(unnamed)')}</b> · ${escapeHtml(study.directions.join(', '))} · ` +
    `${study.trials.length} trials (${escapeHtml(states)})${best}</p>`;
}

/**
 * The report of a study as one self-contained HTML page (uPlot inlined, no network).
 * @example
 * import { renderReport } from 'simdgrad/report';
 * const html = renderReport(study, { title: 'digits sweep' });
 */
export function renderReport(study: ReportStudy, opts: ReportOptions = {}): string {
  const title = opts.title ?? `${study.studyName ?? 'study'} — simdgrad tune report`;
  const data = chartData(study, opts);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="generator" content="simdgrad tune report, uPlot ${escapeHtml(UPLOT_VERSION)}">
<title>${escapeHtml(title)}</title>
<style>${UPLOT_CSS}</style>
<style>${REPORT_CSS}${REPORT_SWEEP_CSS}</style>
</head><body>
<h1>${escapeHtml(title)}</h1>
${summaryHtml(study)}
${opts.holdout ? `<section id="holdout"><h2>Held-out test</h2>\n${holdoutHtml(opts.holdout, escapeHtml)}\n</section>\n` : ''}<section id="settings"><h2>Sweep settings</h2>
${settingsHtml(opts.settings, escapeHtml)}
</section>
<section id="space"><h2>Search space</h2>
${searchSpaceHtml(study.trials, opts.space, escapeHtml)}
</section>
<section id="history"><h2>Optimization history</h2><div id="history-charts"></div></section>
${data.pareto ? '<section id="pareto"><h2>Pareto front</h2><div id="pareto-charts" class="grid"></div><div id="hypervolume-chart"></div></section>\n' : ''}<section id="curves"><h2>Learning curves</h2><div id="curves-charts"></div></section>
<section id="epochs"><h2>Per-epoch learning curves</h2><div id="epoch-charts" class="grid"></div></section>
<section id="importance"><h2>Parameter importance</h2><div id="importance-charts"></div></section>
<section id="slices"><h2>Slice plots</h2><div id="slice-charts" class="grid"></div></section>
<section id="trials"><h2>Trials</h2>
${tableHtml(study)}
</section>
<script type="application/json" id="report-data">${safeJson({ studyName: study.studyName ?? null, directions: study.directions, ...data })}</script>
<script>${UPLOT_JS}</script>
<script>${REPORT_JS}
${REPORT_EPOCHS_JS}</script>
</body></html>
`;
}

/**
 * Writes renderReport(study) to `path` (Node, Deno, Bun: uses node:fs/promises, loaded on demand).
 * @example
 * await writeReport(study, 'report.html');
 */
export async function writeReport(study: ReportStudy, path: string, opts: ReportOptions = {}): Promise<void> {
  const html = renderReport(study, opts);
  const { writeFile } = await import('node:fs/promises');
  await writeFile(path, html, 'utf8');
}
