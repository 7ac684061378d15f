// WilcoxonPruner (Optuna ≥ 3.6): the signed-rank test's p-values against scipy.stats.wilcoxon
// (zero_method='zsplit'; scripts/fixtures/scipy_wilcoxon.py), the pruner's rules on hand-built
// studies (direction, ties and zeros, nStartupSteps, non-finite values, the average-is-best safety,
// steps the best trial lacks, infeasible trials), and crossValidate's per-fold reports end to end.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import type { FrozenTrial, StudyView } from '../../src/tune/index.js';
import { wilcoxonSignedRank, normalSf, type Alternative } from '../../src/tune/pruners/signed-rank-test.js';

const { WilcoxonPruner, createStudy, crossValidate, RandomSampler } = sg.tune;

interface Case { name: string; d: number[]; method: string; p: Record<Alternative, number>; statistic: Record<Alternative, number> }
const golden = JSON.parse(readFileSync(new URL('../fixtures/scipy-wilcoxon.json', import.meta.url), 'utf8')) as { cases: Case[] };
const ALTS: Alternative[] = ['two-sided', 'greater', 'less'];

describe('the signed-rank test matches scipy.stats.wilcoxon (zsplit)', () => {
  for (const c of golden.cases) {
    it(`${c.name} (${c.method})`, () => {
      for (const alt of ALTS) {
        const r = wilcoxonSignedRank(c.d, alt);
        expect(r.method).toBe(c.method);
        expect(Math.abs(r.pvalue - c.p[alt])).toBeLessThanOrEqual(1e-13 + 1e-10 * c.p[alt]);
        expect(r.statistic).toBe(c.statistic[alt]);
      }
    });
  }

  it('covers every method, with ties and zeros among the cases', () => {
    expect(new Set(golden.cases.map((c) => c.method))).toEqual(new Set(['exact', 'permutation', 'asymptotic']));
    expect(golden.cases.some((c) => c.method === 'permutation' && c.d.includes(0))).toBe(true);
    expect(golden.cases.some((c) => c.method === 'asymptotic' && c.d.includes(0))).toBe(true);
  });

  it('has a normal tail accurate far out (erfc values from tables)', () => {
    expect(normalSf(0)).toBe(0.5);
    expect(normalSf(1.959963984540054)).toBeCloseTo(0.025, 15);
    expect(Math.abs(normalSf(5) / 2.866515718791939e-7 - 1)).toBeLessThan(1e-13);
    expect(Math.abs(normalSf(-3) - 0.9986501019683699)).toBeLessThan(1e-15);
    expect(Math.abs(normalSf(10) / 7.619853024160527e-24 - 1)).toBeLessThan(1e-12);
  });

  it('refuses non-finite differences and gives NaN for none', () => {
    expect(() => wilcoxonSignedRank([1, NaN, 2])).toThrow(/difference 1 is NaN, not a finite number/);
    expect(() => wilcoxonSignedRank([Infinity])).toThrow(/difference 0 is Infinity/);
    expect(wilcoxonSignedRank([]).pvalue).toBeNaN();
  });
});

/** A trial record with intermediate values by step. */
function rec(number: number, state: FrozenTrial['state'], iv: Record<number, number>, value: number | null = null, systemAttrs: Record<string, unknown> = {}): FrozenTrial {
  return {
    number, trialId: number, state, params: {}, distributions: {}, value, values: value === null ? null : [value],
    intermediateValues: iv, userAttrs: {}, systemAttrs, datetimeStart: 0, datetimeComplete: null, durationMs: null,
  };
}
const steps = (v: number[]): Record<number, number> => Object.fromEntries(v.map((x, i) => [i, x]));
const view = (trials: FrozenTrial[], direction: 'minimize' | 'maximize' = 'minimize'): StudyView => ({ directions: [direction], trials });

describe('WilcoxonPruner', () => {
  const best = rec(0, 'COMPLETE', steps([1, 2, 3, 4, 5]), 3);

  it('prunes a trial worse than the best on every shared step (minimize: larger values)', () => {
    // d = +1 at five steps: all |d| tie, so the permutation test: only the all-positive flip
    // reaches r+ = 15, p = 1/32.
    const cur = rec(1, 'RUNNING', steps([2, 3, 4, 5, 6]));
    expect(new WilcoxonPruner().pValue(view([best, cur]), cur)).toBe(1 / 32);
    expect(new WilcoxonPruner().prune(view([best, cur]), cur)).toBe(true);
    expect(new WilcoxonPruner({ pThreshold: 1 / 32 }).prune(view([best, cur]), cur)).toBe(false); // p < threshold, strictly
    const better = rec(1, 'RUNNING', steps([0, 1, 2, 3, 4]));
    expect(new WilcoxonPruner().pValue(view([best, better]), better)).toBe(1);
    expect(new WilcoxonPruner().prune(view([best, better]), better)).toBe(false);
  });

  it('is direction-aware: for maximize, smaller values are worse', () => {
    const bestMax = rec(0, 'COMPLETE', steps([5, 4, 3, 2, 1]), 3);
    const worse = rec(1, 'RUNNING', steps([4, 3, 2, 1, 0]));
    const higher = rec(1, 'RUNNING', steps([6, 5, 4, 3, 2]));
    const p = new WilcoxonPruner();
    expect(p.pValue(view([bestMax, worse], 'maximize'), worse)).toBe(1 / 32);
    expect(p.prune(view([bestMax, worse], 'maximize'), worse)).toBe(true);
    expect(p.prune(view([bestMax, higher], 'maximize'), higher)).toBe(false);
  });

  it('compares with the best COMPLETE feasible trial, on the steps both have', () => {
    const other = rec(2, 'COMPLETE', steps([9, 9, 9, 9, 9]), 9); // worse than trial 0
    const infeasible = rec(3, 'COMPLETE', steps([0, 0, 0, 0, 0]), -5, { constraints: [0.5, -1] });
    const pruned = rec(4, 'PRUNED', steps([0, 0]));
    // Steps 0-4 shared with trial 0; steps 7 and 9 are not in the best trial and are ignored.
    const cur = rec(5, 'RUNNING', { 3: 5, 0: 2, 9: -100, 4: 6, 1: 3, 7: -100, 2: 4 });
    const s = view([best, other, infeasible, pruned, cur]);
    expect(new WilcoxonPruner().pValue(s, cur)).toBe(1 / 32);
    // Its mean over all its steps (−26.6) beats the best's value: the safety keeps it.
    expect(new WilcoxonPruner().prune(s, cur)).toBe(false);
    const feasibleNow = rec(3, 'COMPLETE', steps([0, 0, 0, 0, 0]), -5, { constraints: [0, -1] });
    const cur2 = rec(5, 'RUNNING', steps([2, 3, 4, 5, 6]));
    expect(new WilcoxonPruner().pValue(view([best, feasibleNow, cur2]), cur2)).toBe(1 / 32); // against trial 3 now: d = 2…6
  });

  it("keeps a trial whose mean is as good as the best's value (Optuna's safety)", () => {
    const bestHigh = rec(0, 'COMPLETE', steps([1, 2, 3, 4, 5]), 4); // its value is not the mean of its steps
    const cur = rec(1, 'RUNNING', steps([2, 3, 4, 5, 6])); // mean 4 = the best value
    expect(new WilcoxonPruner().pValue(view([bestHigh, cur]), cur)).toBe(1 / 32);
    expect(new WilcoxonPruner().prune(view([bestHigh, cur]), cur)).toBe(false);
  });

  it('waits for nStartupSteps shared steps; no pruning without a completed trial or with non-finite values', () => {
    const cur = rec(1, 'RUNNING', steps([2, 3, 4, 5, 6]));
    expect(new WilcoxonPruner({ nStartupSteps: 5 }).prune(view([best, cur]), cur)).toBe(true);
    expect(new WilcoxonPruner({ nStartupSteps: 6 }).prune(view([best, cur]), cur)).toBe(false);
    expect(new WilcoxonPruner().prune(view([cur]), cur)).toBe(false);
    expect(new WilcoxonPruner().prune(view([rec(0, 'RUNNING', steps([1, 1, 1, 1, 1])), cur]), cur)).toBe(false);
    const nan = rec(1, 'RUNNING', steps([2, 3, NaN, 5, 6]));
    expect(new WilcoxonPruner().prune(view([best, nan]), nan)).toBe(false);
    const infBest = rec(0, 'COMPLETE', steps([1, 2, -Infinity, 4, 5]), 3);
    expect(new WilcoxonPruner().prune(view([infBest, cur]), cur)).toBe(false);
    const none = rec(1, 'RUNNING', {});
    expect(new WilcoxonPruner().prune(view([best, none]), none)).toBe(false);
    const disjoint = rec(1, 'RUNNING', { 10: 50, 11: 60 });
    expect(new WilcoxonPruner().prune(view([best, disjoint]), disjoint)).toBe(false);
  });

  it('treats equal values as zeros split between the signs', () => {
    // d = [0, 0, 1, 1, 1]: ranks |d| → 1.5, 1.5, 4, 4, 4; r+ = 12 + 1.5 = 13.5. Of the 8 sign
    // patterns of the three ones, only all-positive reaches 13.5: p = 1/8.
    const cur = rec(1, 'RUNNING', steps([1, 2, 4, 5, 6]));
    expect(new WilcoxonPruner().pValue(view([best, cur]), cur)).toBe(1 / 8);
    expect(new WilcoxonPruner({ pThreshold: 0.2 }).prune(view([best, cur]), cur)).toBe(true);
    expect(new WilcoxonPruner().prune(view([best, cur]), cur)).toBe(false);
  });

  it('checks its options and refuses several objectives', async () => {
    expect(() => new WilcoxonPruner({ pThreshold: 1.5 })).toThrow(/WilcoxonPruner: pThreshold must be a finite number ≥ 0 and ≤ 1, got 1.5/);
    expect(() => new WilcoxonPruner({ nStartupSteps: -1 })).toThrow(/nStartupSteps must be an integer ≥ 0, got -1/);
    await expect(createStudy({ directions: ['minimize', 'minimize'], pruner: new WilcoxonPruner() })).rejects.toThrow(/WilcoxonPruner does not support multi-objective/);
  });
});

describe('crossValidate with per-fold reports', () => {
  it("reports each fold's score with report: 'score' and is pruned once the test is sure", async () => {
    const study = await createStudy({ direction: 'maximize', sampler: new RandomSampler({ seed: 1 }), pruner: new WilcoxonPruner({ pThreshold: 0.1 }), logger: false });
    const foldScore = [0.91, 0.95, 0.88, 0.93, 0.9, 0.94, 0.92, 0.89, 0.96, 0.9];
    const fitted: number[] = [];
    await study.optimize(async (trial) => {
      const penalty = trial.number === 0 ? 0 : 0.02; // trial 1 is worse on every fold
      const r = await crossValidate({ n: 100, k: 10, trial, report: 'score', fit: (_t, _v, f) => { fitted.push(f); return foldScore[f]! - penalty; } });
      return r.mean;
    }, { nTrials: 2 });
    const [t0, t1] = study.trials;
    expect(t0!.state).toBe('COMPLETE');
    expect(Object.values(t0!.intermediateValues)).toEqual(foldScore); // the scores themselves, not running means
    // All ten differences are −0.02 up to rounding: p = 1/2^f after f folds, first < 0.1 at f = 4.
    expect(t1!.state).toBe('PRUNED');
    expect(Object.keys(t1!.intermediateValues).map(Number)).toEqual([0, 1, 2, 3]);
    expect(fitted).toEqual([...Array(10).keys(), 0, 1, 2, 3]);
  });

  it('keeps running means by default and refuses another report mode', async () => {
    const seen: number[] = [];
    const trial = { report: (v: number) => { seen.push(v); }, shouldPrune: () => false };
    await crossValidate({ n: 6, k: 3, shuffle: false, trial, fit: (_t, _v, f) => f * 3 });
    expect(seen).toEqual([0, 1.5, 3]);
    seen.length = 0;
    await crossValidate({ n: 6, k: 3, shuffle: false, trial, report: 'score', fit: (_t, _v, f) => f * 3 });
    expect(seen).toEqual([0, 3, 6]);
    await expect(crossValidate({ n: 6, trial, report: 'last' as 'score', fit: () => 1 })).rejects.toThrow(/crossValidate: report must be one of 'running', 'score', got "last"/);
  });
});
