// Regression is first-class in fit()/evaluate(): the metrics mse, mae, rmse, r2 pinned to
// scikit-learn (tests/fixtures/sklearn-metrics.json from scripts/fixtures/sklearn_metrics.py),
// summed correctly over batches (fit with a zero learning rate logs the whole set's values);
// evaluate reports only what applies; readCsv's targets train as they are with loss 'mse'; a
// real-valued target without a loss is a typed error suggesting loss: 'mse'; crossValidate uses
// plain k-fold for real-valued targets; nothing leaks, on the error paths too.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { BACKENDS, randomArray } from '../helpers/backends.js';

interface Case { name: string; yTrue: number[][]; yPred: number[][]; mse: number; mae: number; rmse: number; r2: number | null }
const fixture = JSON.parse(readFileSync(new URL('../fixtures/sklearn-metrics.json', import.meta.url), 'utf8')) as { cases: Case[] };

beforeAll(async () => { await sg.init({ backend: BACKENDS[0] }); });

/** A Linear layer that outputs its input exactly (identity weights, zero bias). */
function identity(c: number): sg.nn.Linear {
  const m = new sg.nn.Linear(c, c);
  const eye = new Float32Array(c * c);
  for (let i = 0; i < c; i++) eye[i * c + i] = 1;
  m.loadStateDict({ weight: { shape: [c, c], data: eye }, bias: { shape: [c], data: new Float32Array(c) } });
  return m;
}
const matrix = (rows: number[][]) => sg.tensor(Float32Array.from(rows.flat()), [rows.length, rows[0]!.length]);
/** |a − b| within a relative 1e-9 of sklearn's value (both f64 sums of the same f32 inputs). */
function close(a: number | undefined, b: number | null, what: string): void {
  if (b === null) { expect(a, what).toBeNaN(); return; }
  expect(Math.abs(a! - b), `${what}: ${a} vs sklearn ${b}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));
}
/** y = 3·x0 − 2·x1 + 0.5 + a little noise, as CSV text with a header. */
function linearCsv(n: number, seed: number, integer = false): string {
  const r = randomArray(3 * n, seed, -1, 1), lines = ['a,b,y'];
  for (let i = 0; i < n; i++) {
    const a = r[3 * i]! * 2, b = r[3 * i + 1]! * 2, y = 3 * a - 2 * b + 0.5 + 0.05 * r[3 * i + 2]!;
    lines.push(`${a},${b},${integer ? Math.round(10 * y) : y}`);
  }
  return lines.join('\n') + '\n';
}

describe('regression metrics (sklearn)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('evaluate: %s', (_name, c) => {
    const m0 = sg.memory().tensors;
    const model = identity(c.yPred[0]!.length), x = matrix(c.yPred), y = matrix(c.yTrue);
    for (const batchSize of [1, 4, 256]) { // one batch, and sums merged over many
      const r = sg.evaluate(model, x, y, { loss: 'mse', batchSize });
      expect(Object.keys(r).sort()).toEqual(['loss', 'mae', 'mse', 'r2', 'rmse']);
      close(r.mse, c.mse, `mse, batch ${batchSize}`);
      close(r.mae, c.mae, `mae, batch ${batchSize}`);
      close(r.rmse, c.rmse, `rmse, batch ${batchSize}`);
      close(r.r2, c.r2, `r2, batch ${batchSize}`);
      expect(r.loss).toBeCloseTo(c.mse, 5); // the loss is the f32 mean squared error
    }
    x.dispose(); y.dispose(); model.dispose();
    expect(sg.memory().tensors).toBe(m0);
  });

  it('fit logs the metrics summed over its batches (lr 0: the whole set\'s values) and on validation data', () => {
    const c = fixture.cases.find((k) => k.yTrue.length >= 29 && k.yTrue[0]!.length === 3)!;
    const model = identity(3), x = matrix(c.yPred), y = matrix(c.yTrue);
    const opt = new sg.optim.SGD(model.parameters(), { lr: 0 });
    const h = sg.fit(model, { x, y, loss: 'mse', optimizer: opt, epochs: 2, batchSize: 5, metrics: ['mse', 'mae', 'rmse', 'r2'], validation: { x, y } });
    expect(Object.keys(h.values).sort()).toEqual(['loss', 'lr', 'mae', 'mse', 'r2', 'rmse', 'valLoss', 'valMae', 'valMse', 'valR2', 'valRmse']);
    for (const e of [0, 1]) {
      for (const [k, ref] of [['mse', c.mse], ['mae', c.mae], ['rmse', c.rmse], ['r2', c.r2]] as const) {
        close(h.values[k]![e], ref, `epoch ${e} ${k}`);
        close(h.values[`val${k[0]!.toUpperCase()}${k.slice(1)}`]![e], ref, `epoch ${e} val ${k}`);
      }
    }
    x.dispose(); y.dispose(); model.dispose(); opt.dispose();
  });
});

describe('regression in fit and evaluate', () => {
  it("trains on readCsv's targets as they are (Float32Array or Int32Array) with loss 'mse', and reports only what applies", async () => {
    const m0 = sg.memory().tensors;
    for (const integer of [false, true]) {
      const csv = await sg.data.readCsv(linearCsv(200, integer ? 2 : 1, integer), { target: 'y' });
      expect(csv.y).toBeInstanceOf(integer ? Int32Array : Float32Array);
      sg.manualSeed(1);
      const model = new sg.nn.Sequential(new sg.nn.Linear(2, 16), new sg.nn.Tanh(), new sg.nn.Linear(16, 1));
      const opt = new sg.optim.Adam(model.parameters(), { lr: 0.02 });
      const h = sg.fit(model, { x: csv.x, y: csv.y!, loss: 'mse', optimizer: opt, epochs: 40, batchSize: 16, metrics: ['r2'], validation: { split: 0.2 } });
      expect(h.values.valR2!.at(-1)!).toBeGreaterThan(0.95);
      const r = sg.evaluate(model, csv.x, csv.y!, { loss: 'mse' });
      expect(Object.keys(r).sort()).toEqual(['loss', 'mae', 'mse', 'r2', 'rmse']); // no accuracy for a regression
      expect(r.r2).toBeGreaterThan(0.95);
      expect(r.rmse).toBeCloseTo(Math.sqrt(r.mse), 12); // one output: the root of the mse
      csv.x.dispose(); model.dispose(); opt.dispose();
    }
    expect(sg.memory().tensors).toBe(m0);
  });

  it('evaluate: accuracy for class indices, only the loss for a tensor target under a custom loss', () => {
    const model = identity(3), x = sg.tensor([5, 1, 0, 0, 2, 1], [2, 3]);
    expect(sg.evaluate(model, x, new Int32Array([0, 2]))).toEqual({ loss: expect.any(Number), accuracy: 0.5 });
    const custom = (p: sg.Tensor, t: Int32Array | sg.Tensor) => sg.nn.functional.l1Loss(p, t as sg.Tensor);
    expect(Object.keys(sg.evaluate(model, x, x, { loss: custom }))).toEqual(['loss']);
    expect(sg.evaluate(model, x, x, { loss: custom, metrics: ['mae'] })).toEqual({ loss: 0, mae: 0 });
    x.dispose(); model.dispose();
  });

  it("a real-valued target without a loss is a DTypeError suggesting loss: 'mse'; metrics that do not apply are OptionErrors", () => {
    const m0 = sg.memory().tensors;
    const model = identity(1), opt = new sg.optim.SGD(model.parameters(), { lr: 0.1 });
    const x = sg.tensor([1, 2, 3, 4], [4, 1]), column = sg.tensor([0.5, 1, 1.5, 2], [4, 1]);
    const before = model.parameters().map((p) => [...p.toArray()]);
    const cases: Array<[() => unknown, RegExp]> = [
      [() => sg.fit(model, { x, y: new Float32Array([0.5, 1, 1.5, 2]) as never, optimizer: opt }), /^fit: y\[0\] is 0.5, not a class index; for real-valued targets \(regression\) pass loss: 'mse'$/],
      [() => sg.fit(model, { x, y: column, optimizer: opt }), /fit: y is a tensor of shape \[4, 1\].*pass loss: 'mse'/],
      [() => sg.evaluate(model, x, column), /evaluate: y is a tensor of shape \[4, 1\].*pass loss: 'mse'/],
      [() => sg.fit(model, { x, y: [1, 2, NaN, 3], loss: 'mse', optimizer: opt }), /fit: y\[2\] is NaN, not a finite target value/],
    ];
    for (const [run, message] of cases) {
      let err: unknown;
      try { run(); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(sg.DTypeError);
      expect((err as Error).message).toMatch(message);
    }
    expect(() => sg.fit(model, { x, y: column, loss: 'mse', optimizer: opt, metrics: ['accuracy'] })).toThrow(/metric 'accuracy' needs class indices/);
    expect(() => sg.fit(model, { x, y: new Int32Array(4), optimizer: opt, metrics: ['r2'] })).toThrow(/metric 'r2' compares outputs with target values/);
    expect(() => sg.evaluate(model, x, column, { loss: 'mse', metrics: ['f1' as never] })).toThrow(sg.OptionError);
    // a bad validation target after y was converted: the converted y is freed
    expect(() => sg.fit(model, { x, y: [1, 2, 3, 4], loss: 'mse', optimizer: opt, validation: { x, y: [1, 2] } })).toThrow(/validation.x \[4, 1\] has 4 rows but validation.y has 2/);
    expect(model.parameters().map((p) => [...p.toArray()])).toEqual(before);
    x.dispose(); column.dispose(); model.dispose(); opt.dispose();
    expect(sg.memory().tensors).toBe(m0);
  });

  it('earlyStopping maximizes an r2 it monitors', () => {
    const es = sg.earlyStopping({ monitor: 'valR2', patience: 0 }), model = identity(1);
    let stopped = '';
    const ctx = { model, stop: (r: string) => { stopped = r; } };
    es.onTrainBegin!(ctx);
    es.onEpochEnd!(0, { valR2: 0.5 }, ctx);
    es.onEpochEnd!(1, { valR2: 0.7 }, ctx);
    expect([es.best, stopped]).toEqual([0.7, '']);
    es.onEpochEnd!(2, { valR2: 0.6 }, ctx);
    expect(stopped).toMatch(/valR2 did not improve/);
    model.dispose();
  });
});

describe('crossValidate with real-valued targets', () => {
  it('uses plain k-fold (the folds of kFold with the same seed), and refuses to stratify them', async () => {
    const y = Float32Array.from(randomArray(23, 5, -3, 3));
    const seen: number[][] = [];
    await sg.tune.crossValidate({ y, k: 4, seed: 7, fit: (_t, valid) => { seen.push([...valid]); return 0; } });
    expect(seen).toEqual(sg.data.kFold(23, { k: 4, shuffle: true, seed: 7 }).map((f) => [...f.test]));
    await expect(sg.tune.crossValidate({ y, k: 4, stratify: true, fit: () => 0 })).rejects.toThrow(/stratify needs class labels; y holds real-valued targets/);
    // integer class labels are still stratified by default
    const labels = Int32Array.from({ length: 24 }, (_, i) => (i < 20 ? 0 : 1));
    const tests: number[][] = [];
    await sg.tune.crossValidate({ y: labels, k: 4, seed: 1, fit: (_t, valid) => { tests.push([...valid]); return 0; } });
    expect(tests.map((t) => t.filter((i) => labels[i] === 1).length)).toEqual([1, 1, 1, 1]);
  });
});
