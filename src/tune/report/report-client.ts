// The browser side of report.html: the page's stylesheet and the script that draws the charts with
// uPlot (inlined beside it) from the JSON data block `#report-data`, and makes the trials table
// sortable; the Pareto section's code (pareto-client.ts) is spliced into the same function. Contract:
// plain ES2017 strings, no network, no template literals evaluated in the page; the script reads
// only the data block (already escaped by report.ts) and writes text via textContent.
import { PARETO_JS } from './pareto-client.js';

/** The report's own CSS (uPlot's stylesheet is inlined separately). */
export const REPORT_CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1100px;padding:16px 24px;color:#1d232a;background:#fff}
h1{font-size:22px;margin:8px 0}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #dde2e8;padding-bottom:4px}
.meta{color:#53606d}.meta b{color:#1d232a}.note{color:#6b7785;font-style:italic}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:12px}
.chart{min-height:40px}.chart .u-title{font-size:14px;font-weight:600}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{padding:3px 8px;border-bottom:1px solid #eceff3;text-align:right;white-space:nowrap}
th{cursor:pointer;background:#f4f6f8;position:sticky;top:0;user-select:none}th:after{content:" \\2195";color:#aab4bf}
td.s,th.s{text-align:left}tr.infeasible td{color:#98a2ad}tr.infeasible td:nth-child(2):after{content:" (infeasible)";color:#cf222e}tr.COMPLETE td:nth-child(2){color:#1a7f37}tr.PRUNED td:nth-child(2){color:#9a6700}tr.FAIL td:nth-child(2){color:#cf222e}
.tablewrap{max-height:600px;overflow:auto;border:1px solid #dde2e8}
`;

/** Draws every chart from the data block; runs after uPlot's script. */
export const REPORT_JS = String.raw`
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("report-data").textContent);
  var COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"];
  function el(id) { return document.getElementById(id); }
  function note(parent, text) { var p = document.createElement("p"); p.className = "note"; p.textContent = text; parent.appendChild(p); }
  function box(parent) { var d = document.createElement("div"); d.className = "chart"; parent.appendChild(d); return d; }
  function width(node) { return Math.max(300, Math.min(1050, node.clientWidth || 1050)); }
  function fmt(v) { return v == null ? "" : Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : +v.toPrecision(5) + ""; }
  function dots(label, color) { return { label: label, stroke: color, fill: color, paths: function () { return null; }, points: { show: true, size: 7, stroke: color, fill: color } }; }
  function plot(node, opts, data) {
    try { return new uPlot(opts, data, node); } catch (e) { note(node, "chart failed: " + e.message); return null; }
  }
  var INT_INCRS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000];
  function indexAxis(labels) {
    return { splits: function () { return labels.map(function (_, i) { return i; }); },
             values: function (u, splits) { return splits.map(function (i) { return labels[i] == null ? "" : String(labels[i]); }); } };
  }

  // Optimization history: value of each COMPLETE trial and the best so far, per objective;
  // infeasible trials (points [number, value, best, feasible]) as hollow orange dots, never the best.
  var hist = el("history-charts");
  D.history.forEach(function (h) {
    if (!h.points.length) { note(hist, "Objective " + h.objective + ": no COMPLETE trials yet."); return; }
    var node = box(hist), bad = h.points.some(function (p) { return !p[3]; });
    var series = [{ label: "trial" }, dots("value", COLORS[0]), { label: "best so far", stroke: COLORS[3], width: 2, points: { show: false } }];
    var data = [h.points.map(function (p) { return p[0]; }), h.points.map(function (p) { return p[3] ? p[1] : null; }), h.points.map(function (p) { return p[2]; })];
    if (bad) {
      series.push({ label: "infeasible", stroke: COLORS[1], paths: function () { return null; }, points: { show: true, size: 7, stroke: COLORS[1], fill: "#fff", width: 2 } });
      data.push(h.points.map(function (p) { return p[3] ? null : p[1]; }));
    }
    plot(node, {
      title: "Objective " + h.objective + " (" + h.direction + ")", width: width(hist), height: 300,
      scales: { x: { time: false } }, series: series,
      axes: [{ label: "trial", incrs: INT_INCRS }, { label: "objective " + h.objective, values: function (u, s) { return s.map(fmt); }, size: 70 }],
    }, data);
  });
${PARETO_JS}
  // Learning curves: intermediate values by step of the best trials.
  var curves = el("curves-charts");
  if (!D.curves.length) note(curves, D.curvesNote);
  else {
    var steps = [];
    D.curves.forEach(function (c) { c.points.forEach(function (p) { if (steps.indexOf(p[0]) < 0) steps.push(p[0]); }); });
    steps.sort(function (a, b) { return a - b; });
    var data = [steps], series = [{ label: "step" }];
    D.curves.forEach(function (c, i) {
      var m = {}; c.points.forEach(function (p) { m[p[0]] = p[1]; });
      data.push(steps.map(function (s) { return s in m ? m[s] : null; }));
      series.push({ label: "#" + c.number + " (" + c.state + ")", stroke: COLORS[i % COLORS.length], width: 2, spanGaps: true, points: { show: true, size: 5 } });
    });
    plot(box(curves), { title: "Intermediate values of the best trials", width: width(curves), height: 320, scales: { x: { time: false } }, series: series,
      axes: [{ label: "step", incrs: INT_INCRS }, { label: "intermediate value", values: function (u, s) { return s.map(fmt); }, size: 70 }] }, data);
  }

  // Parameter importance (fANOVA): bars on an index axis.
  var imp = el("importance-charts");
  if (!D.importance.length) note(imp, D.importanceNote);
  else {
    var names = D.importance.map(function (p) { return p[0]; });
    var xs = names.map(function (_, i) { return i; });
    plot(box(imp), {
      title: "Parameter importance (fANOVA, objective 0)", width: width(imp), height: 280,
      scales: { x: { time: false, range: [-0.5, names.length - 0.5] }, y: { range: [0, 1] } },
      series: [{ label: "parameter", value: function (u, i) { return i == null ? "" : names[i]; } },
        { label: "importance", stroke: COLORS[0], fill: COLORS[0] + "aa", paths: uPlot.paths.bars({ size: [0.6, 80] }), points: { show: false } }],
      axes: [indexAxis(names), { label: "share of variance" }],
    }, [xs, D.importance.map(function (p) { return p[1]; })]);
  }

  // Slice plots: objective vs each parameter (categoricals on an index axis, log params on a log axis).
  var slices = el("slice-charts");
  if (!D.slices.length) note(slices, D.slicesNote);
  D.slices.forEach(function (s) {
    var pts = s.points.slice().sort(function (a, b) { return a[0] - b[0]; });
    var axis = s.choices ? indexAxis(s.choices) : { values: function (u, v) { return v.map(fmt); } };
    axis.label = s.name;
    var x = { time: false };
    if (s.log) { x.distr = 3; }
    if (s.choices) { x.range = [-0.5, s.choices.length - 0.5]; }
    plot(box(slices), { title: s.name + (s.log ? " (log)" : ""), width: 340, height: 240, scales: { x: x }, legend: { show: false },
      series: [{ label: s.name }, dots("objective", COLORS[0])],
      axes: [axis, { values: function (u, v) { return v.map(fmt); }, size: 60 }] },
      [pts.map(function (p) { return p[0]; }), pts.map(function (p) { return p[1]; })]);
  });

  // Sortable trials table: click a header; cells carry their sort key in data-v.
  var table = el("trials-table");
  if (table) {
    var ths = table.querySelectorAll("th");
    Array.prototype.forEach.call(ths, function (th, col) {
      th.addEventListener("click", function () {
        var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
        var dir = th.getAttribute("data-dir") === "asc" ? -1 : 1;
        Array.prototype.forEach.call(ths, function (o) { o.removeAttribute("data-dir"); });
        th.setAttribute("data-dir", dir === 1 ? "asc" : "desc");
        function key(r) { var v = r.cells[col].getAttribute("data-v"); var n = parseFloat(v); return v === "" || v == null ? null : isNaN(n) ? v : n; }
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          if (x === y) return 0; if (x === null) return 1; if (y === null) return -1;
          return (typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y))) * dir;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }
  document.body.setAttribute("data-rendered", "1");
})();
`;
