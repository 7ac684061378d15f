// Study analysis: trials table, optimization history, fANOVA parameter importances.
import { describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';

const { createStudy, RandomSampler, TrialPruned, trialsTable, optimizationHistory, paramImportances } = sg.tune;

describe('analysis', () => {
  it('tabulates trials and the optimization history', async () => {
    const study = await createStudy({ direction: 'maximize', sampler: new RandomSampler({ seed: 1 }) });
    const values = [0.5, 0.2, 0.7, NaN, 0.6];
    await study.optimize((t) => {
      t.suggestFloat('lr', 1e-4, 1, { log: true });
      if (t.number === 1) { t.report(0.1, 0); throw new TrialPruned(); }
      if (t.number === 4) t.suggestCategorical('opt', ['adam', 'sgd']);
      return values[t.number]!;
    }, { nTrials: 5 });
    const { paramNames, rows } = trialsTable(study);
    expect(paramNames).toEqual(['lr', 'opt']);
    expect(rows.map((r) => [r.number, r.state, r.value])).toEqual([
      [0, 'COMPLETE', 0.5], [1, 'PRUNED', 0.1], [2, 'COMPLETE', 0.7], [3, 'FAIL', null], [4, 'COMPLETE', 0.6]]);
    expect(rows[1]!.lastStep).toBe(0);
    expect(typeof rows[0]!.params.lr).toBe('number');
    expect(rows[4]!.durationMs).toBeGreaterThanOrEqual(0);
    expect(optimizationHistory(study)).toEqual([
      { number: 0, value: 0.5, best: 0.5, feasible: true }, { number: 2, value: 0.7, best: 0.7, feasible: true },
      { number: 4, value: 0.6, best: 0.7, feasible: true }]);
  });

  it('counts only feasible trials as the best so far in a constrained study', async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 1 }) });
    const values = [0.5, 0.2, 0.4, 0.1, 0.3], ok = [false, true, false, false, true];
    await study.optimize((t) => { t.suggestFloat('x', 0, 1); t.setConstraint([ok[t.number] ? -1 : 1]); return values[t.number]!; }, { nTrials: 5 });
    expect(optimizationHistory(study).map((p) => [p.number, p.best, p.feasible])).toEqual([
      [0, Infinity, false], [1, 0.2, true], [2, 0.2, false], [3, 0.2, false], [4, 0.2, true]]);
  });

  it('finds the one parameter that matters', async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 5 }) });
    await study.optimize((t) => {
      const x = t.suggestFloat('x', -3, 3);
      const lr = t.suggestFloat('lr', 1e-5, 1, { log: true });
      const n = t.suggestInt('n', 1, 8);
      const c = t.suggestCategorical('c', ['a', 'b', 'c']);
      return x * x + 0.01 * Math.log10(lr) + 0.01 * n + (c === 'a' ? 0.02 : 0);
    }, { nTrials: 120 });
    const imp = paramImportances(study, { seed: 0 });
    expect(Object.keys(imp)[0]).toBe('x');
    expect(imp.x).toBeGreaterThan(0.8);
    expect(Object.values(imp).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(paramImportances(study, { seed: 0 })).toEqual(imp); // deterministic per seed
    const log = paramImportances(study, { seed: 0, params: ['lr', 'c'], nTrees: 16 });
    expect(Object.keys(log).sort()).toEqual(['c', 'lr']);
  });

  it('rates a categorical and a log-scale parameter', async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 2 }) });
    await study.optimize((t) => {
      const opt = t.suggestCategorical('opt', ['adam', 'sgd', 'rmsprop']);
      const lr = t.suggestFloat('lr', 1e-5, 1e-1, { log: true });
      t.suggestFloat('noise', 0, 1);
      return (opt === 'sgd' ? 1 : 0) + 0.3 * (Math.log10(lr) + 3) ** 2 / 4;
    }, { nTrials: 100 });
    const imp = paramImportances(study, { seed: 1, nTrees: 32 });
    expect(imp.noise).toBeLessThan(0.05);
    expect(imp.opt! + imp.lr!).toBeGreaterThan(0.95);
  });

  it('needs two complete trials', async () => {
    const study = await createStudy();
    await study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 1 });
    expect(() => paramImportances(study)).toThrow(/at least 2 COMPLETE/);
    expect(() => paramImportances(study, { nTrees: 0 })).toThrow(/nTrees/);
  });
});
