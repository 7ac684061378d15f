// crossValidate: folds in order, running mean reported per fold, pruning after a fold, results.
import { describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';

const { createStudy, crossValidate, MedianPruner, RandomSampler } = sg.tune;

describe('crossValidate', () => {
  it('runs stratified folds in order and returns mean, std and scores', async () => {
    const y = Int32Array.from({ length: 50 }, (_, i) => i % 2);
    const seen: number[][] = [];
    const r = await crossValidate({
      y, k: 5, seed: 3,
      fit: (train, valid, fold) => {
        expect(train.length + valid.length).toBe(50);
        expect(new Set([...train, ...valid]).size).toBe(50);
        seen.push([...valid]);
        expect(valid.reduce((s, i) => s + y[i]!, 0)).toBe(5); // stratified: 5 of each class
        return fold + 1;
      },
    });
    expect(r.scores).toEqual([1, 2, 3, 4, 5]);
    expect(r.mean).toBe(3);
    expect(r.value).toBe(3);
    expect(r.std).toBeCloseTo(Math.sqrt(2), 12);
    expect(new Set(seen.flat()).size).toBe(50); // every sample validated once
    const again: number[][] = [];
    await crossValidate({ y, k: 5, seed: 3, fit: (_t, v) => { again.push([...v]); return 0; } });
    expect(again).toEqual(seen);
  });

  it('uses plain k-fold for n, given folds, async fits and other reductions', async () => {
    const r = await crossValidate({ n: 10, k: 2, shuffle: false, reduce: 'median', fit: async (_t, v) => v[0]! });
    expect(r.scores).toEqual([0, 5]);
    expect(r.value).toBe(2.5);
    const folds = sg.data.kFold(6, { k: 3 });
    const m = await crossValidate({ folds, reduce: 'max', fit: (_t, v) => v.length * 10 + v[0]! });
    expect(m.scores).toEqual([20, 22, 24]);
    expect(m.value).toBe(24);
  });

  it('reports the running mean per fold and is pruned after a bad first fold', async () => {
    const study = await createStudy({ direction: 'maximize', sampler: new RandomSampler({ seed: 0 }), pruner: new MedianPruner({ nStartupTrials: 2 }) });
    const quality = [0.9, 0.8, 0.2, 0.95];
    const calls: number[] = [];
    await study.optimize(async (trial) => {
      const q = quality[trial.number]!;
      const r = await crossValidate({ n: 20, k: 4, trial, fit: (_t, _v, fold) => { calls.push(trial.number); return q + fold * 0.01; } });
      return r.mean;
    }, { nTrials: 4 });
    const [t0, , t2, t3] = study.trials;
    expect(t0!.intermediateValues).toEqual({ 0: 0.9, 1: 0.905, 2: 0.91, 3: 0.915 });
    expect(t0!.value).toBeCloseTo(0.915, 12);
    expect(t2!.state).toBe('PRUNED');
    expect(Object.keys(t2!.intermediateValues)).toEqual(['0']); // stopped after one fold
    expect(calls.filter((n) => n === 2)).toHaveLength(1);
    expect(t3!.state).toBe('COMPLETE');
  });

  it('rejects bad input with clear errors', async () => {
    await expect(crossValidate({ k: 3, fit: () => 1 })).rejects.toThrow(/folds, y or n/);
    await expect(crossValidate({ n: 10, stratify: true, fit: () => 1 })).rejects.toThrow(/stratify needs y/);
    await expect(crossValidate({ n: 10, fit: (_t, _v, f) => (f === 2 ? NaN : 1) })).rejects.toThrow(/fold 2 returned NaN/);
    await expect(crossValidate({ n: 3, k: 5, fit: () => 1 })).rejects.toThrow(/k = 5/);
  });
});
