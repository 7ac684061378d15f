// report.html: self-contained (uPlot inlined, no network URLs), every section present, the chart
// data as JSON, user strings escaped, and edge cases (empty, all FAIL, multi-objective,
// categorical). Also checks that the core entry's static import graph never reaches the report or
// its ~52 KB uPlot assets.
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { renderReport, writeReport, escapeHtml } from '../../src/tune/report/report.js';
import { UPLOT_JS } from '../../src/tune/report/report-assets.js';

const { createStudy, RandomSampler, TrialPruned } = sg.tune;

/** The parsed JSON data block of a report. */
function dataOf(html: string): any {
  const m = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  expect(m).not.toBeNull();
  return JSON.parse(m![1]!);
}

function expectSelfContained(html: string): void {
  expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
  expect(html).not.toMatch(/<link\b/i);
  expect(html).not.toMatch(/@import|url\(\s*["']?https?:/i);
  expect(html).toContain(UPLOT_JS);
  // Exactly the three scripts we put there: the data block, uPlot, the page script.
  expect(html.match(/<script\b/g)!.length).toBe(3);
  expect(html.match(/<\/script>/g)!.length).toBe(3);
  for (const id of ['history', 'curves', 'importance', 'slices', 'trials']) expect(html).toContain(`<section id="${id}">`);
}

describe('report', () => {
  it('renders history, curves, importances, slices and the table of a real study', async () => {
    const study = await createStudy({ studyName: 'toy', sampler: new RandomSampler({ seed: 3 }) });
    await study.optimize((t) => {
      const x = t.suggestFloat('x', -3, 3), lr = t.suggestFloat('lr', 1e-4, 1, { log: true });
      const opt = t.suggestCategorical('opt', ['adam', 'sgd']), n = t.suggestInt('n', 1, 8);
      let v = 0;
      for (let step = 0; step < 4; step++) {
        v = (x - 1) ** 2 + (opt === 'sgd' ? 1 : 0) + 0.01 * n + Math.abs(Math.log10(lr) + 2) / (step + 1);
        t.report(v, step);
        if (t.number === 2 && step === 1) throw new TrialPruned();
      }
      if (t.number === 5) throw new Error('boom');
      return v;
    }, { nTrials: 20 });
    const html = renderReport(study, { title: 'Toy sweep' });
    expectSelfContained(html);
    expect(html).toContain('<title>Toy sweep</title>');
    const d = dataOf(html);
    expect(d.studyName).toBe('toy');
    expect(d.history).toHaveLength(1);
    expect(d.history[0].points.length).toBe(study.trials.filter((t) => t.state === 'COMPLETE').length);
    const best = d.history[0].points.at(-1)[2];
    expect(best).toBeCloseTo(study.bestValue, 12);
    expect(d.curves).toHaveLength(5);
    expect(d.curves[0].number).toBe(study.bestTrial.number);
    expect(d.curves[0].points).toHaveLength(4);
    expect(d.importance.map((p: [string, number]) => p[0]).sort()).toEqual(['lr', 'n', 'opt', 'x']);
    expect(d.importance.reduce((a: number, p: [string, number]) => a + p[1], 0)).toBeCloseTo(1, 9);
    const opt = d.slices.find((s: any) => s.name === 'opt');
    expect(opt.choices).toEqual(['adam', 'sgd']);
    expect(opt.points.every((p: number[]) => p[0] === 0 || p[0] === 1)).toBe(true);
    expect(d.slices.find((s: any) => s.name === 'lr').log).toBe(true);
    // Table: a row per trial, states shown.
    expect(html.match(/<tr class="/g)!.length).toBe(20);
    expect(html).toContain('<tr class="PRUNED"');
    expect(html).toMatch(/<tr class="FAIL" title="[^"]*boom/);
  });

  it('escapes malicious parameter values, names, study names and titles', async () => {
    const evil = '</script><img src=x onerror=alert(1)>';
    const study = await createStudy({ studyName: `<b>"${evil}"</b>`, sampler: new RandomSampler({ seed: 1 }) });
    await study.optimize((t) => {
      const c = t.suggestCategorical('choice', [evil, 'ok']);
      t.suggestFloat(`p${evil}`, 0, 1);
      return c === 'ok' ? 1 : 2;
    }, { nTrials: 6 });
    const html = renderReport(study, { title: evil });
    expectSelfContained(html);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('onerror=alert(1)>');
    expect(html).toContain(escapeHtml(evil));
    const d = dataOf(html);              // the JSON survives intact
    expect(d.studyName).toBe(`<b>"${evil}"</b>`);
    expect(d.slices.find((s: any) => s.name === 'choice').choices).toContain(evil);
  });

  it('handles an empty study and one with only FAIL trials', async () => {
    const empty = await createStudy();
    const h0 = renderReport(empty);
    expectSelfContained(h0);
    const d0 = dataOf(h0);
    expect(d0.history[0].points).toEqual([]);
    expect([d0.curves, d0.importance, d0.slices]).toEqual([[], [], []]);
    expect(h0).toContain('0 trials (none)');

    const failing = await createStudy({ sampler: new RandomSampler({ seed: 2 }) });
    await failing.optimize((t) => { t.suggestFloat('x', 0, 1); throw new Error('nope'); }, { nTrials: 3 });
    const h1 = renderReport(failing);
    expectSelfContained(h1);
    expect(h1.match(/<tr class="FAIL"/g)!.length).toBe(3);
    expect(dataOf(h1).history[0].points).toEqual([]);
  });

  it('draws one history per objective for multi-objective studies', async () => {
    const study = await createStudy({ directions: ['minimize', 'maximize'], sampler: new RandomSampler({ seed: 4 }) });
    await study.optimize((t) => { const x = t.suggestFloat('x', 0, 1); return [x, x * x]; }, { nTrials: 5 });
    const html = renderReport(study);
    expectSelfContained(html);
    const d = dataOf(html);
    expect(d.history.map((h: any) => h.direction)).toEqual(['minimize', 'maximize']);
    expect(d.history[1].points.map((p: number[]) => p[2])).toEqual(
      d.history[1].points.map((_: number[], i: number) => Math.max(...d.history[1].points.slice(0, i + 1).map((p: number[]) => p[1]))));
    expect(html).toContain('<th>value 0</th><th>value 1</th>');
  });

  it('draws the Pareto front and the hypervolume history, marking infeasible trials', async () => {
    const study = await createStudy({ studyName: 'mo', directions: ['minimize', 'maximize'], sampler: new RandomSampler({ seed: 6 }) });
    await study.optimize((t) => {
      const x = t.suggestFloat('x', 0, 1), y = t.suggestFloat('y', 0, 1);
      t.setConstraint([y - 0.8]);
      return [x + y, x * x - y];
    }, { nTrials: 40 });
    const html = renderReport(study, { referencePoint: [3, -2] });
    expectSelfContained(html);
    expect(html).toContain('<section id="pareto">');
    const d = dataOf(html), p = d.pareto;
    const feasible = study.trials.filter((t) => (t.params.y as number) <= 0.8);
    const front = study.bestTrials.map((t) => t.number);
    expect(p.pairs).toHaveLength(1);
    expect(p.pairs[0].front.map((q: number[]) => q[2])).toEqual(front);
    expect(p.pairs[0].dominated.length + front.length).toBe(feasible.length);
    expect(p.pairs[0].infeasible.map((q: number[]) => q[2])).toEqual(study.trials.filter((t) => (t.params.y as number) > 0.8).map((t) => t.number));
    // The history: the hypervolume of the feasible trials so far, recomputed here trial by trial.
    expect(p.reference).toEqual([3, -2]);
    expect(p.hypervolume.map((q: number[]) => q[0])).toEqual(feasible.map((t) => t.number));
    p.hypervolume.forEach((q: number[], i: number) => {
      const upTo = feasible.slice(0, i + 1).map((t) => t.values!);
      expect(q[1]).toBeCloseTo(sg.tune.hypervolume(upTo, [3, -2], { directions: ['minimize', 'maximize'] }), 12);
    });
    expect(html).toContain(`Pareto front: <b>${front.length}</b> trials`);
    const bad = study.trials.length - feasible.length;
    expect(html.match(/<tr class="COMPLETE infeasible"/g)!.length).toBe(bad);
    expect(html).toContain(`${bad} COMPLETE trials violate the constraints`);
    expect(d.history[0].points.filter((q: number[]) => q[3] === 0)).toHaveLength(bad);
    // Without a reference point: each objective's worst feasible value plus 10% of its range.
    const auto = dataOf(renderReport(study)).pareto.reference;
    const col = (k: number) => feasible.map((t) => t.values![k]!);
    expect(auto[0]).toBeCloseTo(Math.max(...col(0)) + 0.1 * (Math.max(...col(0)) - Math.min(...col(0))), 12);
    expect(auto[1]).toBeCloseTo(Math.min(...col(1)) - 0.1 * (Math.max(...col(1)) - Math.min(...col(1))), 12);
    expect(() => renderReport(study, { referencePoint: [1] })).toThrow(/referencePoint must have 2 finite numbers/);
    // Single-objective studies have no Pareto section; their best skips infeasible trials.
    const one = await createStudy({ sampler: new RandomSampler({ seed: 7 }) });
    await one.optimize((t) => { const x = t.suggestFloat('x', 0, 1); t.setConstraint([0.5 - x]); return x; }, { nTrials: 10 });
    const h1 = renderReport(one);
    expect(h1).not.toContain('<section id="pareto">');
    expect(dataOf(h1).pareto).toBeNull();
    expect(h1).toContain(`Best: trial <b>#${one.bestTrial.number}</b>`);
    expect(() => renderReport(one, { referencePoint: [1] })).toThrow(/referencePoint is for studies with several objectives/);
  });

  it('shows the sweep: search space, settings, held-out comparison, user attributes and per-epoch curves', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    const study = await createStudy({ studyName: 'sweep', direction: 'maximize', sampler: new RandomSampler({ seed: 6 }) });
    await study.optimize((t) => {
      const layers = t.suggestInt('layers', 1, 2);
      const widths = Array.from({ length: layers }, (_, i) => t.suggestInt(`width_${i}`, 4, 64, { log: true }));
      t.setUserAttr('params', widths.reduce((n, w) => n + w * 10, 0));
      t.setUserAttr('std', 0.01 * t.number);
      t.setUserAttr('note', evil);
      t.setUserAttr('config', { layers, widths }); // an object: not a column
      // two folds of three epochs; the curve rises towards the trial's value
      const value = 0.5 + 0.01 * t.number;
      t.setUserAttr('learningCurves', { valAccuracy: [[value - 0.2, value - 0.1, value], [value - 0.3, value - 0.1, value]], loss: [[3, 2, 1], [4, 2, 1]], bad: 'x' });
      if (t.number === 7) throw new TrialPruned();
      return value;
    }, { nTrials: 8 });
    const html = renderReport(study, {
      settings: { epochs: 3, folds: 2, sampler: `random ${evil}`, pruner: 'none', seed: 6 },
      space: { layers: { type: 'int', low: 1, high: 2 }, note: evil },
      holdout: { metric: 'accuracy', description: 'on 30 rows', rows: [
        { name: 'default', value: 0.9, runs: [0.9, 0.9], params: 1027, metrics: { loss: 0.3, accuracy: 0.9 } },
        { name: 'tuned', value: 0.95, runs: [0.94, 0.96], params: 41707, config: { layers: 2 } },
      ] },
    });
    expectSelfContained(html);
    expect(html).not.toContain('<img');
    for (const id of ['holdout', 'settings', 'space', 'epochs']) expect(html).toContain(`<section id="${id}">`);
    // the comparison's headline, runs and parameter counts
    expect(html).toContain('<p class="headline">default → 90.00 %, tuned → 95.00 %</p>');
    expect(html).toContain('<td>94.00 %, 96.00 %</td><td>41,707</td>');
    // settings and the space as given (escaped), and the distributions the trials drew
    expect(html).toContain('<tr><th class="s">epochs</th><td class="s">3</td></tr>');
    expect(html).toContain(escapeHtml(`random ${evil}`));
    const drew = (k: string) => new RegExp(`<td class="s">${k}</td><td class="s">[^<]*</td><td>(\\d+) of 8</td>`).exec(html)?.[1];
    expect(drew('layers')).toBe('8');
    expect(Number(drew('width_1'))).toBe(study.trials.filter((t) => (t.params.layers as number) > 1).length);
    expect(html).toContain('int [4, 64], log');
    // user attributes as columns: the parameter count first; objects are not columns
    expect(html).toMatch(/<th>duration<\/th>/);
    expect(html).toMatch(/<th># parameters<\/th><th>note<\/th><th>std<\/th><th>duration<\/th>/);
    const t0 = study.trials[0]!;
    expect(html).toContain(`data-v="${t0.userAttrs.params}">${(t0.userAttrs.params as number).toLocaleString('en-US')}</td>`);
    // per-epoch curves: the valid series, the best trials first, the mean over folds per epoch
    const d = dataOf(html);
    expect(d.epochs.map((e: any) => e.series)).toEqual(['valAccuracy', 'loss']);
    const acc = d.epochs[0].trials;
    expect(acc).toHaveLength(5);
    expect(acc[0].number).toBe(6); // the best COMPLETE trial (7 was pruned)
    expect(acc[0].mean[0]).toBeCloseTo((0.56 - 0.2 + 0.56 - 0.3) / 2, 12);
    expect(acc[0].mean[2]).toBeCloseTo(0.56, 12);
    expect(acc[0].folds).toHaveLength(2);
  });

  it('accepts a plain view of trials and writes the file', async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 5 }) });
    await study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 3 });
    const view = { studyName: 'view', directions: study.directions, trials: study.trials };
    const dir = mkdtempSync(join(tmpdir(), 'sg-report-'));
    try {
      await writeReport(view, join(dir, 'r.html'));
      const html = readFileSync(join(dir, 'r.html'), 'utf8');
      expect(html).toBe(renderReport(view));
      expect(dataOf(html).studyName).toBe('view');
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it('is not in the static import graph of the core entry', () => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const src = readFileSync(file, 'utf8');
      // Static value imports/re-exports only (type-only ones are erased; dynamic import() is lazy).
      for (const m of src.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^;'"]*?from\s+['"](\.[^'"]+)['"]|^\s*import\s+['"](\.[^'"]+)['"]/gm)) {
        const spec = (m[1] ?? m[2])!;
        visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      }
    };
    visit(resolve('src/index.ts'));
    expect(seen.size).toBeGreaterThan(20);
    expect([...seen].some((f) => f.endsWith(join('src', 'tune', 'study.ts')))).toBe(true);
    for (const f of ['report.ts', 'report-assets.ts', 'report-client.ts']) expect(seen.has(resolve('src/tune', f))).toBe(false);
  });
});
