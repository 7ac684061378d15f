// Splits against scikit-learn (tests/fixtures/sklearn-splits.json): size arithmetic, unshuffled
// kFold / stratifiedKFold indices exactly, per-fold class counts (shuffled too) and stratified
// train/test class counts; plus fast-check properties (partitions, reproducibility per seed).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { kFold, shuffleSplit, stratifiedKFold, trainTestSplit, type Split } from '../../src/data/index.js';

type Y = (number | string)[];
interface Fx {
  sklearn: string;
  sizes: { n: number; testSize: number | null; trainSize: number | null; nTrain?: number; nTest?: number; error?: boolean }[];
  kfold: { n: number; k: number; folds: [number[], number[]][] }[];
  stratified: { y: Y; k: number; folds: [number[], number[]][]; shuffledCounts: Record<string, number>[] }[];
  stratifiedSplit: { y: Y; testSize: number; trainSize: number | null; train: Record<string, number>;
    test: Record<string, number>; deterministic: boolean; nTrain: number; nTest: number }[];
}
const FX = JSON.parse(readFileSync(new URL('../fixtures/sklearn-splits.json', import.meta.url), 'utf8')) as Fx;
const arr = (s: Split): [number[], number[]] => [[...s.train], [...s.test]];
const counts = (y: Y, idx: Int32Array): Record<string, number> => {
  const out: Record<string, number> = Object.fromEntries([...new Set(y)].map((c) => [String(c), 0]));
  for (const i of idx) out[String(y[i])]!++;
  return out;
};
const opt = (v: number | null): number | undefined => v ?? undefined;

describe(`splits match scikit-learn ${FX.sklearn}`, () => {
  it.each(FX.sizes.map((c) => [JSON.stringify(c), c] as const))('sizes %s', (_, c) => {
    const run = () => trainTestSplit(c.n, { testSize: opt(c.testSize), trainSize: opt(c.trainSize), seed: 1 });
    if (c.error) { expect(run).toThrow(RangeError); return; }
    const s = run();
    expect([s.train.length, s.test.length]).toEqual([c.nTrain, c.nTest]);
    const ns = trainTestSplit(c.n, { testSize: opt(c.testSize), trainSize: opt(c.trainSize), shuffle: false });
    expect([...ns.train]).toEqual([...Array(c.nTrain!).keys()]);
    expect([...ns.test]).toEqual([...Array(c.nTest!).keys()].map((i) => i + c.nTrain!));
  });

  it.each(FX.kfold.map((c) => [c.n, c.k, c] as const))('kFold n=%i k=%i (unshuffled indices)', (_, __, c) => {
    expect(kFold(c.n, { k: c.k }).map(arr)).toEqual(c.folds);
    const sh = kFold(c.n, { k: c.k, shuffle: true, seed: 3 });
    expect(sh.map((s) => s.test.length)).toEqual(c.folds.map((f) => f[1].length));
  });

  it.each(FX.stratified.map((c) => [JSON.stringify(c.y), c.k, c] as const))('stratifiedKFold y=%s k=%i', (_, __, c) => {
    expect(stratifiedKFold(c.y as string[], { k: c.k }).map(arr)).toEqual(c.folds);
    const sh = stratifiedKFold(c.y as string[], { k: c.k, shuffle: true, seed: 7 });
    expect(sh.map((s) => counts(c.y, s.test))).toEqual(c.shuffledCounts);
  });

  it.each(FX.stratifiedSplit.map((c) => [JSON.stringify(c.y), c] as const))('stratified trainTestSplit y=%s', (_, c) => {
    for (let seed = 0; seed < 5; seed++) {
      const s = trainTestSplit(c.y as string[], { stratify: true, testSize: c.testSize, trainSize: opt(c.trainSize), seed });
      expect([s.train.length, s.test.length]).toEqual([c.nTrain, c.nTest]);
      if (c.deterministic) {
        expect(counts(c.y, s.train)).toEqual(c.train);
        expect(counts(c.y, s.test)).toEqual(c.test);
      }
      expect(new Set([...s.train, ...s.test]).size).toBe(c.nTrain + c.nTest);
    }
  });
});

const labels = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 2, maxLength: 60 });

describe('split properties (fast-check)', () => {
  const partition = (folds: Split[], n: number, cover = true) => {
    const seen = new Int32Array(n);
    for (const { train, test } of folds) {
      expect(train.length + test.length).toBe(n);
      const inTest = new Set(test);
      for (const i of train) expect(inTest.has(i)).toBe(false);
      expect(new Set([...train, ...test]).size).toBe(n);
      for (const i of test) seen[i]!++;
    }
    if (cover) expect([...seen].every((v) => v === 1)).toBe(true);
  };

  it('kFold: every sample in exactly one test fold; seeded shuffles reproduce', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 80 }), fc.integer({ min: 2, max: 10 }), fc.boolean(), fc.nat(1000),
      (n, k, shuffle, seed) => {
        fc.pre(k <= n);
        const f = kFold(n, { k, shuffle, seed });
        partition(f, n);
        const sizes = f.map((s) => s.test.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        expect(kFold(n, { k, shuffle, seed }).map(arr)).toEqual(f.map(arr));
      }), { numRuns: 150 });
  });

  it('stratifiedKFold: partition, class counts within ±1 across folds, reproducible', () => {
    fc.assert(fc.property(labels, fc.integer({ min: 2, max: 6 }), fc.boolean(), fc.nat(1000), (y, k, shuffle, seed) => {
      const sizes = [0, 1, 2, 3, 4].map((c) => y.filter((v) => v === c).length);
      fc.pre(k <= y.length && sizes.some((s) => s >= k));
      const f = stratifiedKFold(y, { k, shuffle, seed });
      partition(f, y.length);
      for (let c = 0; c < 5; c++) {
        const per = f.map((s) => [...s.test].filter((i) => y[i] === c).length);
        expect(Math.max(...per) - Math.min(...per)).toBeLessThanOrEqual(1);
      }
      const fold = f.map((s) => s.test.length);
      expect(Math.max(...fold) - Math.min(...fold)).toBeLessThanOrEqual(1);
      expect(stratifiedKFold(y, { k, shuffle, seed }).map(arr)).toEqual(f.map(arr));
    }), { numRuns: 150 });
  });

  it('trainTestSplit / shuffleSplit: disjoint, sized, stratified within ±1, reproducible', () => {
    fc.assert(fc.property(labels, fc.double({ min: 0.1, max: 0.5, noNaN: true }), fc.nat(1000), (y, testSize, seed) => {
      const sizes = [0, 1, 2, 3, 4].map((c) => y.filter((v) => v === c).length).filter((s) => s > 0);
      const nTest = Math.ceil(testSize * y.length);
      fc.pre(sizes.every((s) => s >= 2) && nTest >= sizes.length && y.length - nTest >= sizes.length);
      const s = trainTestSplit(y, { testSize, stratify: true, seed });
      expect(s.test.length).toBe(nTest);
      expect(s.train.length).toBe(y.length - nTest);
      partition([s], y.length, false);
      for (let c = 0; c < 5; c++) {
        const total = y.filter((v) => v === c).length;
        const got = [...s.test].filter((i) => y[i] === c).length;
        expect(Math.abs(got - (total * nTest) / y.length)).toBeLessThan(1 + 1e-9);
      }
      expect(arr(trainTestSplit(y, { testSize, stratify: true, seed }))).toEqual(arr(s));
      const ss = shuffleSplit(y.length, { nSplits: 3, testSize, seed });
      for (const sp of ss) partition([sp], y.length, false);
    }), { numRuns: 150 });
  });

  it('different seeds give different shuffles; no seed follows manualSeed', () => {
    const a = kFold(50, { k: 5, shuffle: true, seed: 1 }).map(arr);
    const b = kFold(50, { k: 5, shuffle: true, seed: 2 }).map(arr);
    expect(a).not.toEqual(b);
    const t1 = arr(trainTestSplit(40, { seed: 5 })), t2 = arr(trainTestSplit(40, { seed: 6 }));
    expect(t1).not.toEqual(t2);
    const splits = shuffleSplit(30, { nSplits: 4, seed: 9 }).map(arr);
    expect(new Set(splits.map((s) => JSON.stringify(s))).size).toBe(4);
    sg.manualSeed(11);
    const u1 = arr(trainTestSplit(40)), u2 = arr(trainTestSplit(40));
    expect(u1).not.toEqual(u2);
    sg.manualSeed(11);
    expect(arr(trainTestSplit(40))).toEqual(u1);
  });

  it('errors name the problem', () => {
    expect(() => trainTestSplit('abc' as never)).toThrow('trainTestSplit: expected a sample count or an array of labels, got "abc"');
    expect(() => kFold(null as never)).toThrow(sg.DTypeError);
    expect(() => kFold(3, { k: 4 })).toThrow(/k = 4 folds with only 3 samples/);
    expect(() => kFold(10, { k: 1 })).toThrow(RangeError);
    expect(() => stratifiedKFold([0, 0, 1, 1], { k: 3 })).toThrow(/every class/);
    expect(() => trainTestSplit([0, 0, 0, 1], { stratify: true, seed: 0 })).toThrow(/class 1 has only 1 member/);
    expect(() => trainTestSplit(10, { stratify: [0, 1], seed: 0 })).toThrow(sg.ShapeError);
    expect(() => trainTestSplit([0, 1, 0, 1], { stratify: true, shuffle: false })).toThrow(/shuffle/);
    expect(() => trainTestSplit(10, { testSize: 1.5 })).toThrow(/testSize=1.5/);
    expect(() => trainTestSplit(10, { seed: 0.5 })).toThrow(/seed/);
    expect(() => stratifiedKFold([0.5, 1, 0.5, 1], { k: 2 })).toThrow(sg.DTypeError);
  });
});
