// One CLI run (src/cli/fit-mlp.ts) and the held-out comparison (holdout.ts), in process: a
// regression's metrics are in the target's units (mse = (1 − r2) · the test targets' variance,
// computed here naively), its score is r2; a classification's is accuracy; a diverging run scores
// chance level and says so; per-epoch curves have one value per epoch; nothing leaks; the
// comparison trains both sides on the same split, reproducibly, with naive parameter counts.
import { beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { fitMlp } from '../../src/cli/fit-mlp.js';
import { compareOnHoldout, describeComparison, holdoutSplit, type Comparison } from '../../src/cli/holdout.js';
import { mlpConfig } from '../../src/cli/mlp-space.js';
import { loadData, type TabularData } from '../../src/cli/tabular-data.js';

beforeAll(async () => { await sg.init(); });

/** y = 1000·(2a − b) + 5000 + noise: a regression in large units. */
function houses(n: number): TabularData {
  const x = new Float32Array(2 * n), y = new Float32Array(n);
  let s = 12345;
  const u = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32; };
  for (let i = 0; i < n; i++) {
    const a = 4 * u() - 2, b = 4 * u() - 2;
    x[2 * i] = a; x[2 * i + 1] = b; y[i] = 1000 * (2 * a - b) + 5000 + 300 * (u() - 0.5);
  }
  return { name: 'houses', x, y, shape: [n, 2], task: 'regression', classes: 0, features: ['a', 'b'], target: 'price', taskReason: 'test' };
}

describe('fitMlp', () => {
  it("reports a regression's metrics in the target's units and scores it by r2", () => {
    const m0 = sg.memory().tensors;
    const d = houses(200), split = holdoutSplit(d, { testSize: 0.25, seed: 3 });
    const run = fitMlp(d, mlpConfig({ lr: 0.01 }), split.train, split.test, { seed: 0, epochs: 30 });
    const yt = Array.from(split.test, (i) => d.y[i]!), mean = yt.reduce((a, b) => a + b, 0) / yt.length;
    const variance = yt.reduce((a, b) => a + (b - mean) ** 2, 0) / yt.length;
    const { mse, rmse, mae, r2 } = run.metrics as Record<string, number>;
    expect(run.score).toBe(r2);
    expect(r2).toBeGreaterThan(0.95);
    expect(mse! / ((1 - r2!) * variance)).toBeCloseTo(1, 3);
    expect(rmse).toBeCloseTo(Math.sqrt(mse!), 6);
    expect(mae).toBeGreaterThan(10); // thousands of units, not the scaled targets' fractions
    expect(mae).toBeLessThanOrEqual(rmse! + 1e-9);
    for (const k of ['loss', 'valLoss', 'valScore'] as const) expect(run.curve[k]).toHaveLength(30);
    expect(run.curve.valScore.at(-1)).toBeCloseTo(r2!, 4); // the validation r2 of the scaled targets is the same r2
    expect(sg.memory().tensors).toBe(m0);
  });

  it('scores a classification by accuracy, a diverging run by chance level, and keeps the model when asked', async () => {
    const m0 = sg.memory().tensors;
    const d = await loadData('iris'), split = holdoutSplit(d, { testSize: 0.2, seed: 1 });
    const run = fitMlp(d, mlpConfig({ lr: 0.01 }), split.train, split.test, { seed: 0, epochs: 20, keep: true });
    expect(run.score).toBe(run.metrics.accuracy);
    expect(run.score).toBeGreaterThan(0.85);
    expect(Object.keys(run.metrics).sort()).toEqual(['accuracy', 'loss']);
    // the kept model predicts the test rows as scored
    const pred = sg.scope(() => run.model!.eval().forward(run.scaler!.transform(sg.data.gatherRows(sg.tensor(d.x, d.shape), split.test))).argmax(-1));
    expect(pred.filter((k, i) => k === d.y[split.test[i]!]).length / split.test.length).toBe(run.score);
    run.model!.dispose();
    const bad = fitMlp(d, mlpConfig({ optimizer: 'sgd', lr: 1e12 }), split.train, split.test, { seed: 0, epochs: 3 });
    expect(bad.diverged).toMatch(/loss became (NaN|Infinity)/);
    expect(bad.score).toBe(1 / 3);
    expect(sg.memory().tensors).toBe(m0);
  });
});

describe('compareOnHoldout', () => {
  it('trains the default and the tuned configuration on the same split, reproducibly', async () => {
    const d = await loadData('iris'), tuned = mlpConfig({ layers: 2, width_0: 16, width_1: 8, lr: 0.01 });
    const c = compareOnHoldout(d, { testSize: 0.2, seed: 2 }, tuned, 5, 2);
    expect([c.metric, c.trainRows, c.testRows, c.epochs]).toEqual(['accuracy', 120, 30, 5]);
    expect(c.default.params).toBe(4 * 128 + 128 + 128 * 3 + 3);
    expect(c.tuned.params).toBe(4 * 16 + 16 + 16 * 8 + 8 + 8 * 3 + 3);
    expect(c.default.runs).toHaveLength(2);
    expect(c.tuned.score).toBeCloseTo((c.tuned.runs[0]! + c.tuned.runs[1]!) / 2, 12);
    expect(c.default.config).toEqual(mlpConfig({}));
    expect(compareOnHoldout(d, { testSize: 0.2, seed: 2 }, tuned, 5, 2)).toEqual(c);
  });

  it('describes the per-seed differences, and says when their sign changes with the seed', () => {
    const side = (runs: number[], params: number) => ({ score: runs.reduce((a, b) => a + b) / runs.length, runs, metrics: {}, params, config: mlpConfig({}) });
    const c = (def: number[], tuned: number[]): Comparison => ({ metric: 'accuracy', trainRows: 1437, testRows: 360, epochs: 30, default: side(def, 9610), tuned: side(tuned, 12000) });
    const up = describeComparison(c([0.97, 0.975, 0.98], [0.98, 0.98, 0.99]));
    expect(up).toContain('default → 97.50 % (9,610 parameters), tuned → 98.33 % (12,000 parameters); tuned − default per seed: +1.00, +0.50, +1.00 points');
    expect(up).not.toContain('noise');
    const mixed = describeComparison(c([0.97, 0.975, 0.98], [0.98, 0.97, 0.98]));
    expect(mixed).toContain('per seed: +1.00, −0.50, +0.00 points — the sign changes with the seed: the two are within the noise of 360 test rows');
  });
});
