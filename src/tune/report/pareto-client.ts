// The browser side of report.html's Pareto section (data from pareto-data.ts): a scatter per pair
// of objectives — the Pareto front as a line through its points, dominated trials in grey,
// infeasible ones hollow orange — and the hypervolume history as a stepped line. Contract: plain ES2017
// source spliced into report-client.ts's page script, where it runs inside the same function and
// uses its helpers (D, el, note, box, width, fmt, plot, INT_INCRS, COLORS); it draws nothing for a
// single-objective study (D.pareto is null).

/** Draws the Pareto scatter plots and the hypervolume history. */
export const PARETO_JS = String.raw`
  // Pareto front: one scatter per pair of objectives, points on a shared sorted x axis.
  if (D.pareto) {
    var P = D.pareto, pc = el("pareto-charts");
    var label = function (k) { return "objective " + k + " (" + P.directions[k] + ")"; };
    P.pairs.forEach(function (pair) {
      var pts = [];
      [["front", pair.front], ["dominated", pair.dominated], ["infeasible", pair.infeasible]].forEach(function (g) {
        g[1].forEach(function (p) { pts.push({ kind: g[0], x: p[0], y: p[1], n: p[2] }); });
      });
      if (!pts.length) { note(pc, "Objectives " + pair.x + " and " + pair.y + ": no COMPLETE trials yet."); return; }
      pts.sort(function (a, b) { return a.x - b.x || a.y - b.y; });
      var col = function (kind) { return pts.map(function (p) { return p.kind === kind ? p.y : null; }); };
      var series = [{ label: label(pair.x) },
        { label: "Pareto front", stroke: COLORS[0], width: 2, spanGaps: true, points: { show: true, size: 8, stroke: COLORS[0], fill: COLORS[0] } },
        { label: "dominated", stroke: "#9aa4ae", fill: "#9aa4ae", paths: function () { return null; }, points: { show: true, size: 6, stroke: "#9aa4ae", fill: "#9aa4ae" } }];
      var data = [pts.map(function (p) { return p.x; }), col("front"), col("dominated")];
      if (P.constrained) {
        series.push({ label: "infeasible", stroke: COLORS[1], paths: function () { return null; }, points: { show: true, size: 7, stroke: COLORS[1], fill: "#fff", width: 2 } });
        data.push(col("infeasible"));
      }
      plot(box(pc), {
        title: "Objective " + pair.y + " against objective " + pair.x, width: Math.min(520, width(pc)), height: 340,
        scales: { x: { time: false } }, series: series,
        axes: [{ label: label(pair.x), values: function (u, s) { return s.map(fmt); } }, { label: label(pair.y), values: function (u, s) { return s.map(fmt); }, size: 70 }],
      }, data);
    });
    var hvNode = el("hypervolume-chart");
    if (!P.hypervolume.length) note(hvNode, P.hypervolumeNote);
    else plot(box(hvNode), {
      title: "Hypervolume of the feasible trials so far (reference point " + P.reference.map(fmt).join(", ") + ")", width: width(hvNode), height: 280,
      scales: { x: { time: false } },
      series: [{ label: "trial" }, { label: "hypervolume", stroke: COLORS[2], width: 2, paths: uPlot.paths.stepped({ align: 1 }), points: { show: false } }],
      axes: [{ label: "trial", incrs: INT_INCRS }, { label: "hypervolume", values: function (u, s) { return s.map(fmt); }, size: 70 }],
    }, [P.hypervolume.map(function (p) { return p[0]; }), P.hypervolume.map(function (p) { return p[1]; })]);
  }
`;
