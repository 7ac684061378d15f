// Pruners (Optuna's semantics): golden decisions from Optuna 3.1 on fixed learning curves
// (scripts/fixtures/optuna_pruners.py), plus hand-computed cases, rung records and validation.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import type { FrozenTrial, Pruner, StudyView } from '../../src/tune/index.js';
import { nanPercentile } from '../../src/tune/pruners/percentile-pruner.js';
import { crc32 } from '../../src/tune/pruners/hyperband-pruner.js';
import { promotable } from '../../src/tune/pruners/successive-halving-pruner.js';

const { createStudy, TrialPruned, MedianPruner, PercentilePruner, SuccessiveHalvingPruner, HyperbandPruner } = sg.tune;

interface Case { studyName: string; direction: 'minimize' | 'maximize'; kind: string; opts: { percentile: number; nStartupTrials?: number; nWarmupSteps?: number; intervalSteps?: number; nMinTrials?: number; minResource?: number; maxResource?: number; reductionFactor?: number; minEarlyStoppingRate?: number; bootstrapCount?: number }; prunedAt: (number | null)[] }
const golden = JSON.parse(readFileSync(new URL('../fixtures/optuna-pruners.json', import.meta.url), 'utf8')) as
  { nSteps: number; curves: number[][]; cases: Case[] };

function pruner(c: Case): Pruner {
  switch (c.kind) {
    case 'median': return new MedianPruner(c.opts);
    case 'percentile': return new PercentilePruner(c.opts.percentile, c.opts);
    case 'sha': return new SuccessiveHalvingPruner(c.opts);
    default: return new HyperbandPruner(c.opts);
  }
}

/** A trial record with the given intermediate values (steps 0, 1, … unless given as an object). */
function rec(number: number, state: FrozenTrial['state'], iv: number[] | Record<number, number>, value: number | null = null): FrozenTrial {
  const intermediateValues = Array.isArray(iv) ? Object.fromEntries(iv.map((v, i) => [i, v])) : iv;
  return {
    number, trialId: number, state, params: {}, distributions: {}, value, values: value === null ? null : [value],
    intermediateValues, userAttrs: {}, systemAttrs: {}, datetimeStart: 0, datetimeComplete: null, durationMs: null,
  };
}
const view = (trials: FrozenTrial[], direction: 'minimize' | 'maximize' = 'minimize'): StudyView => ({ directions: [direction], trials });

describe('pruners match Optuna on fixed learning curves', () => {
  for (const c of golden.cases) {
    it(`${c.kind} ${JSON.stringify(c.opts)} ${c.direction}`, async () => {
      const study = await createStudy({ studyName: c.studyName, direction: c.direction, pruner: pruner(c) });
      await study.optimize((trial) => {
        const curve = golden.curves[trial.number]!;
        for (let step = 0; step < golden.nSteps; step++) {
          trial.report(curve[step]!, step);
          if (trial.shouldPrune()) throw new TrialPruned();
        }
        return curve.at(-1)!;
      }, { nTrials: golden.curves.length });
      const got = study.trials.map((t) => (t.state === 'PRUNED' ? Math.max(...Object.keys(t.intermediateValues).map(Number)) : null));
      expect(got).toEqual(c.prunedAt);
    });
  }
});

describe('PercentilePruner / MedianPruner', () => {
  it('interpolates percentiles like numpy, ignoring NaN', () => {
    expect(nanPercentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(nanPercentile([4, NaN, 1, 3, 2], 25)).toBe(1.75);
    expect(nanPercentile([5], 90)).toBe(5);
    expect(nanPercentile([NaN], 50)).toBeNaN();
  });

  it('compares the best value so far with the median at the current step', () => {
    const done = [rec(0, 'COMPLETE', [1, 0.5], 0.5), rec(1, 'COMPLETE', [3, 2], 2), rec(2, 'COMPLETE', [2, 1], 1)];
    const p = new MedianPruner({ nStartupTrials: 3 });
    // step 1 median of 0.5, 2, 1 = 1; best of the trial so far decides
    expect(p.prune(view(done), rec(3, 'RUNNING', [5, 1.2]))).toBe(true);
    expect(p.prune(view(done), rec(3, 'RUNNING', [0.9, 1.2]))).toBe(false);
    // maximize: the median is the same, better means larger
    expect(p.prune(view(done, 'maximize'), rec(3, 'RUNNING', [0.2, 0.9]))).toBe(true);
    expect(p.prune(view(done, 'maximize'), rec(3, 'RUNNING', [0.2, 1.1]))).toBe(false);
    // startup: fewer completed trials than nStartupTrials
    expect(new MedianPruner({ nStartupTrials: 4 }).prune(view(done), rec(3, 'RUNNING', [5, 9]))).toBe(false);
    // warmup: not before step nWarmupSteps
    expect(new MedianPruner({ nStartupTrials: 1, nWarmupSteps: 2 }).prune(view(done), rec(3, 'RUNNING', [5, 9]))).toBe(false);
    // nMinTrials: only 3 trials reported step 1
    expect(new MedianPruner({ nStartupTrials: 1, nMinTrials: 4 }).prune(view(done), rec(3, 'RUNNING', [5, 9]))).toBe(false);
    // a trial with only NaN is pruned
    expect(p.prune(view(done), rec(3, 'RUNNING', [NaN]))).toBe(true);
  });

  it('takes the percentile from the good end', () => {
    const done = [0, 1, 2, 3, 4].map((i) => rec(i, 'COMPLETE', [i], i));
    // minimize, 25th percentile of 0..4 = 1: 1.5 is outside the best quarter
    expect(new PercentilePruner(25).prune(view(done), rec(5, 'RUNNING', [1.5]))).toBe(true);
    expect(new PercentilePruner(25).prune(view(done), rec(5, 'RUNNING', [0.9]))).toBe(false);
    // maximize, top 25 % = 75th percentile = 3
    expect(new PercentilePruner(25).prune(view(done, 'maximize'), rec(5, 'RUNNING', [2.9]))).toBe(true);
    expect(new PercentilePruner(25).prune(view(done, 'maximize'), rec(5, 'RUNNING', [3.1]))).toBe(false);
  });

  it('checks only on the first report of each interval after the warmup', () => {
    const done = [0, 1].map((i) => rec(i, 'COMPLETE', Array(12).fill(0), 0));
    const p = new MedianPruner({ nStartupTrials: 1, nWarmupSteps: 2, intervalSteps: 5 });
    const at = (steps: number[]) => p.prune(view(done), rec(2, 'RUNNING', Object.fromEntries(steps.map((s) => [s, 1]))));
    expect(at([0, 1, 2])).toBe(true);          // step 2 opens the first interval
    expect(at([0, 1, 2, 3])).toBe(false);      // inside it
    expect(at([0, 1, 2, 3, 4, 5, 6, 7])).toBe(true); // step 7 = 2 + 5 opens the next one
    expect(at([0, 1, 2, 9])).toBe(true);       // skipped steps: 9 is the first report since 7
  });

  it('validates its options', () => {
    expect(() => new PercentilePruner(101)).toThrow(/percentile/);
    expect(() => new MedianPruner({ intervalSteps: 0 })).toThrow(/intervalSteps/);
    expect(() => new MedianPruner({ nMinTrials: 0 })).toThrow(/nMinTrials/);
    expect(() => new MedianPruner({ nWarmupSteps: -1 })).toThrow(/nWarmupSteps/);
  });
});

describe('SuccessiveHalvingPruner', () => {
  it('promotes the top 1/η (the best while fewer than η competed)', () => {
    expect(promotable(1, [1, 2, 3], 4, 'minimize')).toBe(true);
    expect(promotable(2, [1, 2, 3], 4, 'minimize')).toBe(false);
    expect(promotable(2, [1, 2, 3, 4, 5, 6, 7, 8], 4, 'minimize')).toBe(true);
    expect(promotable(3, [1, 2, 3, 4, 5, 6, 7, 8], 4, 'minimize')).toBe(false);
    expect(promotable(7, [1, 2, 3, 4, 5, 6, 7, 8], 4, 'maximize')).toBe(true);
    expect(promotable(6, [1, 2, 3, 4, 5, 6, 7, 8], 4, 'maximize')).toBe(false);
  });

  it('records completed rungs in storage and prunes at rung boundaries', async () => {
    const study = await createStudy({ pruner: new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 }) });
    const curves = [[5, 4, 3, 2, 1], [6, 5, 4, 3, 2], [4, 3, 2, 1, 0]];
    await study.optimize((trial) => {
      const c = curves[trial.number]!;
      for (let s = 0; s < c.length; s++) {
        trial.report(c[s]!, s);
        if (trial.shouldPrune()) throw new TrialPruned();
      }
      return c.at(-1)!;
    }, { nTrials: 3 });
    const [a, b, c] = study.trials;
    // trial 0 alone: rungs end at steps 1, 2, 4 → values 4, 3, 1
    expect(a!.systemAttrs).toEqual({ completed_rung_0: 4, completed_rung_1: 3, completed_rung_2: 1 });
    // trial 1 at step 1 has 5 vs 4: fewer than η = 2 competitors → only the best goes on
    expect(b!.state).toBe('PRUNED');
    expect(b!.systemAttrs).toEqual({ completed_rung_0: 5 });
    expect(c!.state).toBe('COMPLETE');
  });

  it("estimates minResource 'auto' from the first completed trial", () => {
    const p = new SuccessiveHalvingPruner();
    expect(p.prune(view([]), rec(0, 'RUNNING', [1, 2]))).toBe(false); // nothing completed yet
    const long = rec(0, 'COMPLETE', Object.fromEntries(Array.from({ length: 400 }, (_, i) => [i, 1])), 1);
    const t = rec(1, 'RUNNING', Object.fromEntries(Array.from({ length: 4 }, (_, i) => [i, 2])));
    expect(p.prune(view([long]), t)).toBe(false); // minResource = ⌊399 / 100⌋ = 3: step 3 ends rung 0, alone → promoted
    expect(t.systemAttrs).toEqual({ completed_rung_0: 2 });
  });

  it('prunes NaN at a rung and validates its options', () => {
    const p = new SuccessiveHalvingPruner({ minResource: 1 });
    expect(p.prune(view([]), rec(0, 'RUNNING', [1, NaN]))).toBe(true);
    expect(() => new SuccessiveHalvingPruner({ reductionFactor: 1 })).toThrow(/reductionFactor/);
    expect(() => new SuccessiveHalvingPruner({ bootstrapCount: 1 })).toThrow(/bootstrapCount/);
    expect(() => new SuccessiveHalvingPruner({ minResource: 0 })).toThrow(/minResource/);
  });
});

describe('HyperbandPruner', () => {
  it('hashes with zlib CRC-32', () => {
    expect(crc32('hello')).toBe(0x3610a686);
    expect(crc32('')).toBe(0);
    expect(crc32('é_1')).toBe(0xffe8b9ba); // Python: binascii.crc32('é_1'.encode())
  });

  it('splits trials over ⌊log_η(max/min)⌋ + 1 brackets with Optuna budgets', () => {
    const p = new HyperbandPruner({ minResource: 1, maxResource: 27 });
    const v: StudyView = { directions: ['minimize'], trials: [], studyName: 's' };
    p.prune(v, rec(0, 'RUNNING', [1]));
    expect(p.nBrackets).toBe(4);
    // budgets ⌈4·3^s/(s+1)⌉ for s = 3, 2, 1, 0: 27, 12, 6, 4 → shares of 49
    const counts = [0, 0, 0, 0];
    for (let n = 0; n < 4900; n++) counts[p.bracketOf(v, n)]!++;
    [27, 12, 6, 4].forEach((b, i) => expect(Math.abs(counts[i]! / 4900 - b / 49)).toBeLessThan(0.03));
  });

  it('validates its options', () => {
    expect(() => new HyperbandPruner({ minResource: 0 })).toThrow(/minResource/);
    expect(() => new HyperbandPruner({ minResource: 5, maxResource: 4 })).toThrow(/maxResource/);
    expect(() => new HyperbandPruner({ reductionFactor: 1.5 })).toThrow(/reductionFactor/);
  });
});
