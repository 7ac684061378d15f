// report.html (simdgrad/report, src/tune/report/report.ts) of small real studies — MLPs on iris searched
// by TPE with median pruning, validation loss reported per epoch; and the `simdgrad tune` digits
// sweep that `npm start` runs, with fewer trials, folds and epochs — opened from a file in headless
// Chromium: the page script runs without console errors, the page makes no network request, and a
// screenshot of every chart's plot area shows it drawn: ink well above the same area with its
// canvas cleared, and pixels in the series colours (none once cleared). A full-page screenshot is
// written beside the report (in a temporary directory) for a human to look at when this fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as sg from '../../src/index.js';
import { iris } from '../../src/datasets/index.js';
import { renderReport } from '../../src/tune/report/report.js';
import { execFileSync } from 'node:child_process';
import { launchChromium, REPO, type Chromium } from './chromium.js';

let chrome: Chromium;
const dir = mkdtempSync(join(tmpdir(), 'simdgrad-report-'));

beforeAll(async () => {
  [chrome] = await Promise.all([launchChromium(), sg.init()]);
}, 60_000);

afterAll(async () => {
  await chrome?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** 14 trials of an MLP 4-h-3 on a stratified iris split; the objective is the final validation loss. */
async function irisStudy(): Promise<sg.tune.Study> {
  const data = iris();
  const all = sg.tensor(data.x, [150, 4]);
  const split = sg.data.trainTestSplit(data.y, { testSize: 0.3, stratify: true, seed: 0 });
  const scaler = new sg.data.StandardScaler();
  const xa = sg.data.gatherRows(all, split.train), xb = sg.data.gatherRows(all, split.test);
  const xTrain = scaler.fitTransform(xa), xValid = scaler.transform(xb);
  const yTrain = split.train.map((i) => data.y[i]!), yValid = split.test.map((i) => data.y[i]!);
  const study = await sg.tune.createStudy({
    studyName: 'iris-mlp', direction: 'minimize',
    sampler: new sg.tune.TPESampler({ seed: 0, nStartupTrials: 5 }), pruner: new sg.tune.MedianPruner({ nStartupTrials: 4, nWarmupSteps: 2 }),
  });
  await study.optimize((trial) => {
    const lr = trial.suggestFloat('lr', 1e-3, 3e-1, { log: true });
    const hidden = trial.suggestInt('hidden', 4, 64, { log: true });
    const optimizer = trial.suggestCategorical('optimizer', ['adam', 'sgd']);
    const model = new sg.nn.Sequential(new sg.nn.Linear(4, hidden, { seed: trial.number + 1 }), new sg.nn.ReLU(), new sg.nn.Linear(hidden, 3, { seed: trial.number + 100 }));
    const opt = optimizer === 'adam' ? new sg.optim.Adam(model.parameters(), { lr }) : new sg.optim.SGD(model.parameters(), { lr, momentum: 0.9 });
    try {
      let loss = NaN;
      for (let epoch = 0; epoch < 8; epoch++) {
        sg.fit(model, { x: xTrain, y: yTrain, optimizer: opt, epochs: 1, batchSize: 16, seed: epoch });
        loss = sg.evaluate(model, xValid, yValid).loss;
        trial.report(loss, epoch);
        if (trial.shouldPrune()) throw new sg.tune.TrialPruned();
      }
      return loss;
    } finally {
      model.dispose();
      opt.dispose();
    }
  }, { nTrials: 14 });
  for (const t of [all, xa, xb, xTrain, xValid]) t.dispose();
  return study;
}

/** Opens a report file in Chromium and checks it rendered: no console errors or requests, `charts` uPlot charts, each drawn. */
async function expectRendered(file: string, { charts: nCharts, rows }: { charts: number; rows: number }): Promise<void> {
  const url = pathToFileURL(file).href;
  const { page, context } = chrome;
  const requests: string[] = [], problems: string[] = [];
  const onRequest = (r: { url(): string }) => requests.push(r.url());
  const onConsole = (m: { type(): string; text(): string }) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`); };
  const onError = (e: Error) => problems.push(`pageerror: ${e.message}`);
  page.on('request', onRequest);
  page.on('console', onConsole);
  page.on('pageerror', onError);
  try {
    await page.goto(url);
    await page.waitForSelector('body[data-rendered="1"]', { state: 'attached', timeout: 15_000 });
    await page.screenshot({ path: file.replace(/\.html$/, '.png'), fullPage: true });
  } finally {
    page.off('request', onRequest);
    page.off('console', onConsole);
    page.off('pageerror', onError);
  }
  expect(problems).toEqual([]);
  expect(requests).toEqual([url]); // the file itself, nothing else
  expect(await page.locator('.note', { hasText: 'chart failed' }).count()).toBe(0);
  const charts = page.locator('.uplot');
  expect(await charts.count()).toBe(nCharts);
  expect(await page.locator('#trials-table tbody tr').count()).toBe(rows);
  // Screenshot the page and count, in each chart's plot area (uPlot's .u-wrap: the canvas with
  // series, axes, grid and labels, without the legend's colour markers), ink (pixels that are not
  // the white background) and colour (saturated pixels: the plotted series, not grey axes or black
  // text), decoding the PNG in a blank page. The same count with the canvases cleared is the control.
  const boxes = await charts.evaluateAll((els) => els.map((e) => {
    const r = e.querySelector('.u-wrap')!.getBoundingClientRect();
    return { x: Math.round(r.left + scrollX), y: Math.round(r.top + scrollY), w: Math.round(r.width), h: Math.round(r.height) };
  }));
  const titles = await charts.evaluateAll((els) => els.map((e, i) => e.querySelector('.u-title')?.textContent ?? `chart ${i}`));
  const decoder = await context.newPage();
  const measure = async () => decoder.evaluate(async ({ b64, boxes }) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width; c.height = img.height;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    return boxes.map(({ x, y, w, h }) => {
      const px = ctx.getImageData(x, y, w, h).data;
      let ink = 0, colour = 0;
      for (let k = 0; k < px.length; k += 4) {
        const r = px[k]!, g = px[k + 1]!, b = px[k + 2]!;
        if (r < 235 || g < 235 || b < 235) ink++;
        if (Math.max(r, g, b) - Math.min(r, g, b) > 80) colour++;
      }
      return { ink, colour, area: w * h };
    });
  }, { b64: (await page.screenshot({ fullPage: true })).toString('base64'), boxes });
  try {
    const drawn = await measure();
    await page.evaluate(() => document.querySelectorAll<HTMLCanvasElement>('.uplot canvas').forEach((c) => c.getContext('2d')!.clearRect(0, 0, c.width, c.height)));
    const blank = await measure();
    titles.forEach((title, i) => {
      expect(drawn[i]!.area, title).toBeGreaterThan(200 * 100);
      // A slice plot dot is ~35 pixels: these bounds need a few drawn points or lines per chart.
      expect(drawn[i]!.ink, title).toBeGreaterThan(blank[i]!.ink + 150);
      expect(drawn[i]!.colour, title).toBeGreaterThan(60);
      expect(blank[i]!.colour, title).toBe(0);
    });
  } finally {
    await decoder.close();
  }
}

describe('report.html in Chromium', () => {
  it('renders every chart of a real study, offline and without errors', async () => {
    const study = await irisStudy();
    expect(study.trials.filter((t) => t.state === 'COMPLETE').length).toBeGreaterThanOrEqual(5);
    const file = join(dir, 'report.html');
    writeFileSync(file, renderReport(study));
    // History, learning curves, importance, and one slice per parameter (lr, hidden, optimizer).
    await expectRendered(file, { charts: 3 + 3, rows: 14 });
  }, 60_000);

  it("renders the report of the simdgrad command's digits sweep (npm start, smaller)", async () => {
    const file = join(dir, 'cli-report.html');
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(REPO, 'src/cli/main.ts'), 'tune', '--data', 'digits',
      '--sampler', 'tpe', '--pruner', 'median', '--trials', '5', '--folds', '2', '--epochs', '2', '--concurrency', '2',
      '--test-size', '0.5', '--report', file, '--json'], { cwd: REPO, encoding: 'utf8' });
    const summary = JSON.parse(out) as { trials: number; complete: number; comparison: unknown };
    expect(summary.trials).toBe(5);
    expect(summary.complete).toBeGreaterThanOrEqual(2);
    expect(summary.comparison).not.toBeNull();
    // History, learning curves (per fold), per-epoch curves (one per series: valAccuracy, loss,
    // valLoss; and the best trial's folds), importance, and a slice per parameter seen in a
    // complete trial (the default space is conditional: width_1, width_2 only with more layers).
    const data = JSON.parse(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(readFileSync(file, 'utf8'))![1]!);
    expect(data.epochs.map((e: { series: string }) => e.series)).toEqual(['valAccuracy', 'loss', 'valLoss']);
    expect(data.slices.length).toBeGreaterThanOrEqual(8);
    await expectRendered(file, { charts: 3 + 3 + 1 + data.slices.length, rows: 5 });
  }, 90_000);

  it('renders the Pareto front and hypervolume history of a constrained two-objective study', async () => {
    const study = await sg.tune.createStudy({ studyName: 'pareto', directions: ['minimize', 'minimize'], sampler: new sg.tune.NSGAIISampler({ seed: 1, populationSize: 10 }) });
    await study.optimize((t) => {
      const x = t.suggestFloat('x', 0, 1), y = t.suggestFloat('y', 0, 1);
      t.setConstraint([x - 0.7]);
      return [x + 0.2 * y, 1 - Math.sqrt(x) + y];
    }, { nTrials: 40 });
    expect(study.trials.some((t) => (t.params.x as number) > 0.7)).toBe(true); // some infeasible points to draw
    const file = join(dir, 'pareto.html');
    writeFileSync(file, renderReport(study));
    // One history per objective, the front, the hypervolume history (no curves, importance or slices).
    await expectRendered(file, { charts: 2 + 2, rows: 40 });
  }, 60_000);
});
