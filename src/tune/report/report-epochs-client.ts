// The browser side of report.html's sweep sections: the stylesheet of the plain tables (settings,
// search space, held-out comparison) and the script that draws the per-epoch learning curves from
// the data block's `epochs` ([{ series, trials: [{ number, state, mean, folds }] }]): one chart per
// series with a line per trial (the mean over its folds at each epoch), and one chart of the best
// trial's folds for the first series. Contract: plain ES2017 strings, no network; runs after
// uPlot's script and report-client.ts's (it reuses nothing of theirs but the global uPlot) and
// writes text via textContent only.

/** CSS of the sweep sections. */
export const REPORT_SWEEP_CSS = `
table.plain{width:auto;min-width:40%}table.plain th{cursor:default;position:static}table.plain th:after{content:""}
table.plain td.s{white-space:normal}#epoch-charts{grid-template-columns:repeat(auto-fill,minmax(480px,1fr))}
.headline{font-size:17px;font-weight:600;margin:6px 0}details{margin:8px 0}pre{background:#f4f6f8;padding:8px;overflow:auto;font-size:12px}
`;

/** Draws the per-epoch charts into #epoch-charts. */
export const REPORT_EPOCHS_JS = String.raw`
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("report-data").textContent);
  var COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"];
  var root = document.getElementById("epoch-charts");
  if (!root) return;
  function note(text) { var p = document.createElement("p"); p.className = "note"; p.textContent = text; root.appendChild(p); }
  function fmt(v) { return v == null ? "" : Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : +v.toPrecision(5) + ""; }
  function chart(title, label, lines) {
    var n = 0;
    lines.forEach(function (l) { n = Math.max(n, l.values.length); });
    var xs = []; for (var e = 1; e <= n; e++) xs.push(e);
    var data = [xs], series = [{ label: "epoch" }];
    lines.forEach(function (l, i) {
      data.push(xs.map(function (_, k) { var v = l.values[k]; return v == null ? null : v; }));
      series.push({ label: l.label, stroke: COLORS[i % COLORS.length], width: 2, spanGaps: true, points: { show: true, size: 4 } });
    });
    var box = document.createElement("div"); box.className = "chart"; root.appendChild(box);
    try {
      new uPlot({ title: title, width: Math.max(300, Math.min(1050, box.clientWidth || 480)), height: 260, scales: { x: { time: false } }, series: series,
        axes: [{ label: "epoch" }, { label: label, values: function (u, s) { return s.map(fmt); }, size: 60 }] }, data, box);
    } catch (err) { var p = document.createElement("p"); p.className = "note"; p.textContent = "chart failed: " + err.message; box.appendChild(p); }
  }
  if (!D.epochs || !D.epochs.length) { note(D.epochsNote); return; }
  D.epochs.forEach(function (s) {
    chart(s.series + " per epoch (mean over the folds run)", s.series, s.trials.map(function (t) {
      return { label: "#" + t.number + " (" + t.state + ")", values: t.mean };
    }));
  });
  var first = D.epochs[0], best = first.trials[0];
  if (best && best.folds.length > 1) {
    chart(first.series + " per epoch of trial #" + best.number + ", each fold", first.series, best.folds.map(function (f, i) {
      return { label: "fold " + i, values: f };
    }));
  }
})();
`;
