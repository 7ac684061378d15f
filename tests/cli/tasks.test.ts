// The command line on small CSV files written here, as a user runs it (child processes): a
// regression (a real-valued price, an id and a text column dropped) and a classification (text
// labels) — tune with a held-out comparison and a report, then train from the tune document
// (--params) or from the stored study (--from-study) and save the model, then predict new rows
// (CSV and JSON out) and check the answers against the rule that made the data; the task is
// inferred and said; metrics are in the target's units; the default and the tuned model's
// parameter counts are the naive counts of their layers; mistakes are one line naming the column,
// the parameter or the key.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../helpers/cli.js';

let dir = '';
const at = (f: string) => join(dir, f);

const cli = cliRunner(60_000);
function oneLine(r: { code: number; stdout: string; stderr: string }, message: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(message);
}

/** A small deterministic stream of uniforms in [0, 1) (an LCG: the test needs no library). */
function uniforms(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32; };
}
/** The parameters of an MLP with these layer widths, counted naively: weights and biases per Linear. */
const count = (widths: number[]) => widths.slice(1).reduce((n, w, i) => n + widths[i]! * w + w, 0);
const widthsOf = (c: Record<string, number | string>) => Array.from({ length: c.layers as number }, (_, i) => c[`width_${i}`] as number);

let priceStd = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'simdgrad-tasks-'));
  const u = uniforms(7), reg = ['id,rooms,area,note,age,price'], prices: number[] = [];
  for (let i = 0; i < 240; i++) {
    const rooms = 1 + Math.floor(u() * 5), area = 30 + 150 * u(), age = 60 * u();
    const price = 40000 + 15000 * rooms + 1200 * area - 500 * age + 2000 * (u() - 0.5);
    prices.push(price);
    reg.push(`h${i},${rooms},${area.toFixed(2)},"${u() < 0.5 ? 'quiet, sunny' : 'busy'}",${age.toFixed(1)},${price.toFixed(2)}`);
  }
  const mean = prices.reduce((a, b) => a + b, 0) / prices.length;
  priceStd = Math.sqrt(prices.reduce((a, b) => a + (b - mean) ** 2, 0) / prices.length);
  writeFileSync(at('house.csv'), reg.join('\n') + '\n');
  const cls = ['a,b,color'];
  for (let i = 0; i < 180; i++) {
    const a = 4 * u() - 2, b = 4 * u() - 2;
    cls.push(`${a.toFixed(3)},${b.toFixed(3)},${a + b > 1 ? 'red' : a - b > 0 ? 'green' : 'blue'}`);
  }
  writeFileSync(at('colors.csv'), cls.join('\n') + '\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('regression from a CSV', () => {
  it('tunes with a held-out comparison and a report, then trains from the tune document and from the stored study', async () => {
    const data = ['--data', at('house.csv'), '--target', 'price', '--drop', 'id,note'];
    const tune = await cli('tune', ...data, '--trials', '6', '--folds', '3', '--epochs', '15', '--seed', '1', '--test-size', '0.25',
      '--storage', at('house.jsonl'), '--study', 'house', '--report', at('house.html'), '--json');
    expect(tune.code, tune.stderr).toBe(0);
    const out = JSON.parse(tune.stdout);
    expect([out.task, out.taskReason, out.metric, out.trials]).toEqual(['regression', "target 'price' holds non-integer numbers", 'r2', 6]);
    expect(out.bestValue).toBeGreaterThan(0.5);
    // 180 tuning rows, 60 held out; three features (rooms, area, age) → … → one output
    const c = out.comparison;
    expect([c.trainRows, c.testRows, c.epochs, c.metric]).toEqual([180, 60, 15, 'r2']);
    expect(c.default.params).toBe(count([3, 128, 1]));
    expect(c.tuned.params).toBe(count([3, ...widthsOf(out.bestConfig), 1]));
    expect(c.default.runs).toHaveLength(3);
    expect(c.default.score).toBeCloseTo(c.default.runs.reduce((a: number, b: number) => a + b, 0) / 3, 12);
    expect(c.default.score).toBeGreaterThan(0.8);
    // errors in the price's own units: far above the scaled targets' (about 1), below the spread of the prices
    expect(c.default.metrics.rmse).toBeGreaterThan(100);
    expect(c.default.metrics.rmse).toBeLessThan(priceStd);
    expect(c.default.metrics.mse).toBeCloseTo(c.default.metrics.rmse ** 2, -2);
    for (const e of out.leaderboard) expect(e.paramCount).toBeGreaterThan(0);
    // the report: settings, space, the held-out comparison, parameter counts, per-epoch r2 curves of 15 epochs
    const html = readFileSync(at('house.html'), 'utf8');
    for (const id of ['holdout', 'settings', 'space', 'epochs']) expect(html).toContain(`<section id="${id}">`);
    expect(html).toMatch(/default → 0\.\d{4}, tuned → -?\d\.\d{4}/);
    expect(html).toContain('<th># parameters</th>');
    const block = JSON.parse(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)![1]!);
    const valR2 = block.epochs.find((s: { series: string }) => s.series === 'valR2');
    expect(valR2.trials[0].mean).toHaveLength(15);
    expect(valR2.trials[0].folds.length).toBeGreaterThanOrEqual(1);

    writeFileSync(at('best.json'), tune.stdout);
    const [fromFile, fromStudy, plain] = await Promise.all([
      cli('train', ...data, '--params', at('best.json'), '--json'),
      cli('train', ...data, '--from-study', at('house.jsonl'), '--study', 'house', '--json'),
      cli('train', ...data, '--epochs', '40', '--lr', '0.01', '--json', '--save', at('house.safetensors')),
    ]);
    for (const r of [fromFile, fromStudy, plain]) expect(r.code, r.stderr).toBe(0);
    const a = JSON.parse(fromFile.stdout), b = JSON.parse(fromStudy.stdout), p = JSON.parse(plain.stdout);
    const { epochs: tunedEpochs, ...bestConfig } = out.bestConfig;
    expect(a.config).toEqual(bestConfig);
    expect(a.epochs).toHaveLength(tunedEpochs); // the tuned configuration's epochs
    expect(a.from).toMatch(/best\.json \(bestConfig\)/);
    expect(b.config).toEqual(bestConfig);
    expect(b.from).toMatch(new RegExp(`trial #${out.bestTrial} of study 'house'`));
    expect(b.test).toEqual(a.test); // same configuration, split and seed: the same model
    expect(p.task).toBe('regression');
    expect(Object.keys(p.test).sort()).toEqual(['loss', 'mae', 'mse', 'r2', 'rmse']);
    expect(p.test.r2).toBeGreaterThan(0.95);
    expect(p.test.rmse).toBeGreaterThan(100);
    expect(p.test.rmse).toBeLessThan(0.3 * priceStd);

    // predict new houses: the feature columns are found by name (in another order, the id and a new column ignored)
    const u = uniforms(99), rows = ['age,zip,area,rooms'], truth: number[] = [];
    for (let i = 0; i < 25; i++) {
      const rooms = 1 + Math.floor(u() * 5), area = 30 + 150 * u(), age = 60 * u();
      truth.push(40000 + 15000 * rooms + 1200 * area - 500 * age);
      rows.push(`${age.toFixed(1)},7500${i % 10},${area.toFixed(2)},${rooms}`);
    }
    writeFileSync(at('new-houses.csv'), rows.join('\n') + '\n');
    const [csvOut, jsonOut] = await Promise.all([
      cli('predict', '--model', at('house.safetensors'), at('new-houses.csv')),
      cli('predict', '--model', at('house.safetensors'), at('new-houses.csv'), '--json'),
    ]);
    expect(csvOut.code, csvOut.stderr).toBe(0);
    const lines = csvOut.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('price');
    const predicted = lines.slice(1).map(Number);
    expect(predicted).toHaveLength(25);
    const mae = predicted.reduce((a, v, i) => a + Math.abs(v - truth[i]!), 0) / 25;
    expect(mae).toBeLessThan(0.15 * priceStd); // in the price's units, close to the rule
    const j = JSON.parse(jsonOut.stdout);
    expect([j.task, j.target, j.rows]).toEqual(['regression', 'price', 25]);
    expect(j.predictions.map((v: number) => Math.fround(v))).toEqual(predicted.map((v) => Math.fround(v)));
    // a CSV without one of the model's features, or with text in one
    writeFileSync(at('no-age.csv'), 'area,rooms\n50,2\n');
    writeFileSync(at('text-area.csv'), 'age,area,rooms\n3,50,2\n4,big,3\n');
    const [noAge, textArea] = await Promise.all([
      cli('predict', '--model', at('house.safetensors'), at('no-age.csv')),
      cli('predict', '--model', at('house.safetensors'), at('text-area.csv')),
    ]);
    oneLine(noAge, /no-age\.csv: the model's feature column "age" is missing/);
    oneLine(textArea, /text-area\.csv: line 3, column "area": "big" is not a number/);
  }, 120_000);
});

describe('classification from a CSV', () => {
  it('infers the task from text labels, tunes and trains', async () => {
    const data = ['--data', at('colors.csv'), '--target', 'color'];
    const [tune, train] = await Promise.all([
      cli('tune', ...data, '--trials', '4', '--folds', '2', '--epochs', '10', '--json'),
      cli('train', ...data, '--epochs', '30', '--lr', '0.01', '--json', '--save', at('colors.safetensors')),
    ]);
    expect(tune.code, tune.stderr).toBe(0);
    const out = JSON.parse(tune.stdout);
    expect([out.task, out.taskReason, out.metric]).toEqual(['classification', "target 'color' holds text labels", 'accuracy']);
    expect(out.bestValue).toBeGreaterThan(0.6);
    expect(train.code, train.stderr).toBe(0);
    const t = JSON.parse(train.stdout);
    expect(Object.keys(t.test).sort()).toEqual(['accuracy', 'loss']);
    expect(t.test.accuracy).toBeGreaterThan(0.85);
    expect(t.parameters).toBe(count([2, 128, 3]));
    // predict: class names and one probability per class, right by the rule that made the data
    const u = uniforms(5), rows = ['b,a'], truth: string[] = [];
    for (let i = 0; i < 60; i++) {
      const a = 4 * u() - 2, b = 4 * u() - 2;
      truth.push(a + b > 1 ? 'red' : a - b > 0 ? 'green' : 'blue');
      rows.push(`${b.toFixed(3)},${a.toFixed(3)}`);
    }
    writeFileSync(at('new-colors.csv'), rows.join('\n') + '\n');
    const [csvOut, jsonOut] = await Promise.all([
      cli('predict', '--model', at('colors.safetensors'), at('new-colors.csv'), '--output', at('colors-out.csv')),
      cli('predict', '--model', at('colors.safetensors'), at('new-colors.csv'), '--json'),
    ]);
    expect(csvOut.code, csvOut.stderr).toBe(0);
    expect(csvOut.stderr).toContain(`60 predictions written to ${at('colors-out.csv')}`);
    const lines = readFileSync(at('colors-out.csv'), 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('color,p_blue,p_green,p_red');
    const labels = lines.slice(1).map((l) => l.split(',')[0]);
    expect(labels.filter((l, i) => l === truth[i]).length / 60).toBeGreaterThan(0.85);
    const j = JSON.parse(jsonOut.stdout);
    expect([j.task, j.classes, j.predictions]).toEqual(['classification', ['blue', 'green', 'red'], labels]);
    for (const p of j.probabilities as number[][]) expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  }, 60_000);

  it('says which task it inferred and why', async () => {
    const [cls, reg] = await Promise.all([
      cli('tune', '--data', at('colors.csv'), '--target', 'color', '--trials', '1', '--folds', '2', '--epochs', '1'),
      cli('train', '--data', at('house.csv'), '--target', 'price', '--drop', 'id,note', '--epochs', '1'),
    ]);
    expect(cls.code, cls.stderr).toBe(0);
    expect(cls.stderr).toMatch(/task: classification \(target 'color' holds text labels\); tuning the mean 2-fold validation accuracy/);
    expect(reg.code, reg.stderr).toBe(0);
    expect(reg.stdout).toMatch(/task regression \(target 'price' holds non-integer numbers\)/);
    expect(reg.stdout).toMatch(/held-out r2 -?\d\.\d{4}, rmse [\d.]+, mae [\d.]+ \(in the units of 'price'\)/);
  }, 60_000);
});

describe('mistakes', () => {
  it('names the column, the parameter or the key in one line', async () => {
    writeFileSync(at('layers.json'), JSON.stringify({ layers: { type: 'int', low: 1, high: 2 }, width_2: 16 }));
    writeFileSync(at('nostep.json'), JSON.stringify({ lr: { type: 'float', low: 0.001, high: 0.1 } }));
    const house = ['--data', at('house.csv'), '--target', 'price'];
    const [text, task, space, grid, defaultGrid, params] = await Promise.all([
      cli('tune', ...house),
      cli('train', ...house, '--drop', 'id,note', '--task', 'classification'),
      cli('tune', '--space', at('layers.json')),
      cli('tune', '--sampler', 'grid', '--space', at('nostep.json')),
      cli('tune', '--data', 'iris', '--sampler', 'grid', '--trials', '2', '--folds', '2', '--epochs', '1', '--json'),
      cli('train', '--data', 'iris', '--params', at('layers.json')),
    ]);
    oneLine(text, /house\.csv: line 2, column "id": "h0" is not a number \(leave the column out with --drop id, or choose columns with --features\)/);
    oneLine(task, /--task classification: target 'price' holds non-integer numbers/);
    oneLine(space, /layers\.json: search space: parameter 'width_2' never exists: 'layers' is at most 2/);
    oneLine(grid, /--sampler grid: parameter 'lr' is a float range; give it a 'step' or make it categorical with 'choices'/);
    expect(defaultGrid.code, defaultGrid.stderr).toBe(0);
    expect(JSON.parse(defaultGrid.stdout).trials).toBe(2);
    oneLine(params, /layers\.json: 'layers' must be an integer in \[1, 8\], got \{"type":"int","low":1,"high":2\}/);
    writeFileSync(at('weights-only.safetensors'), new Uint8Array([8, 0, 0, 0, 0, 0, 0, 0, ...Buffer.from('{}      ')]));
    const [noModel, weightsOnly] = await Promise.all([
      cli('predict', '--model', at('nope.safetensors'), at('house.csv')),
      cli('predict', '--model', at('weights-only.safetensors'), at('house.csv')),
    ]);
    oneLine(noModel, /--model .*nope\.safetensors: cannot read/);
    oneLine(weightsOnly, /--model .*weights-only\.safetensors: this safetensors file holds weights only/);
  }, 60_000);
});
