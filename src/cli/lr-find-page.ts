// lrFindPage: the learning-rate range test as a self-contained HTML page — raw and smoothed loss
// against the learning rate on a log axis, the suggestions marked and listed — drawn by uPlot,
// inlined from the report's vendored assets (no network). Contract: pure; every text is escaped,
// and the data block cannot end its <script> (<, >, & and U+2028/9 escaped; non-finite → null).
import type { train } from '../index.js';
import { UPLOT_CSS, UPLOT_JS } from '../tune/report/report-assets.js';
import { escapeHtml } from '../tune/report/report.js';

const json = (v: unknown): string => JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? null : x))
  .replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

const SCRIPT = String.raw`
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("lr-data").textContent);
  var near = D.lrs.map(function () { return null; });
  var mark = near.slice();
  if (D.suggestedLr != null) {
    var best = 0;
    D.lrs.forEach(function (lr, i) { if (Math.abs(Math.log(lr / D.suggestedLr)) < Math.abs(Math.log(D.lrs[best] / D.suggestedLr))) best = i; });
    mark[best] = D.smoothed[best];
  }
  var finite = D.smoothed.filter(function (v) { return v != null; });
  var lo = Math.min.apply(null, finite), hi = Math.max.apply(null, finite), pad = (hi - lo) * 0.08 || 0.1;
  var node = document.getElementById("chart");
  new uPlot({
    title: "Loss against learning rate", width: Math.max(320, Math.min(1000, node.clientWidth || 1000)), height: 420,
    scales: { x: { time: false, distr: 3 }, y: { range: function () { return [lo - pad, hi + pad]; } } },
    axes: [{ label: "learning rate (log)", values: function (u, vs) { return vs.map(function (v) { return v == null ? "" : v.toExponential(0); }); } },
      { label: "loss" }],
    series: [{ label: "lr", value: function (u, v) { return v == null ? "" : v.toExponential(2); } },
      { label: "loss", stroke: "#9aa7b4", width: 1 },
      { label: "smoothed", stroke: "#1f77b4", width: 2 },
      { label: "suggested (" + D.suggestion + ")", stroke: "#d62728", fill: "#d62728", paths: function () { return null; }, points: { show: true, size: 10 } }],
  }, [D.lrs, D.losses, D.smoothed, mark], node);
})();
`;

/** The page. @example writeFileSync('lr.html', lrFindPage(result, { title: 'iris' })) */
export function lrFindPage(r: train.LrFinderResult, { title }: { title: string }): string {
  const fmt = (v: number) => (Number.isFinite(v) ? v.toExponential(2) : 'none');
  const rows = (Object.entries(r.suggestions) as Array<[string, number]>)
    .map(([k, v]) => `<li>${k === r.suggestion ? '<b>' : ''}${escapeHtml(k)}: ${fmt(v)}${k === r.suggestion ? '</b> (suggested)' : ''}</li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(`lr-find — ${title}`)}</title>
<style>${UPLOT_CSS}
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1040px;padding:16px 24px;color:#1d232a}h1{font-size:20px}</style>
</head><body>
<h1>${escapeHtml(`Learning-rate range test — ${title}`)}</h1>
<p>${r.lrs.length} rates from ${fmt(r.lrs[0] ?? NaN)} to ${fmt(r.lrs.at(-1) ?? NaN)}${r.stopReason ? `; stopped early: ${escapeHtml(r.stopReason)}` : ''}.</p>
<ul>${rows}</ul>
<p>The frame fits the smoothed loss (the curve the suggestions read); the raw loss of each batch may leave it.</p>
<div id="chart"></div>
<script type="application/json" id="lr-data">${json(r)}</script>
<script>${UPLOT_JS}</script>
<script>${SCRIPT}</script>
</body></html>
`;
}
