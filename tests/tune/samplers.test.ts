// TPESampler, GridSampler, QMCSampler (Optuna's semantics): reproducibility, distribution
// handling, TPE convergence and constant liar, grid exhaustiveness under concurrency, Sobol points
// against scipy's (tests/fixtures/sobol_scipy.json, from scripts/fixtures/sobol_scipy.py).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import * as sg from '../../src/index.js';
import { contains, floatDistribution, type Distribution } from '../../src/tune/distributions.js';
import type { FrozenTrial, TrialState } from '../../src/tune/frozen-trial.js';

const { createStudy, TPESampler, GridSampler, QMCSampler, RandomSampler, InMemoryStorage, Sobol } = sg.tune;
const sobolFx = JSON.parse(readFileSync(new URL('../fixtures/sobol_scipy.json', import.meta.url), 'utf8')) as
  { dim: number; indices: number[]; points: number[][] };

const mixed = (t: sg.tune.Trial): number => {
  const a = t.suggestFloat('a', 1e-4, 1, { log: true });
  const b = t.suggestFloat('b', -1, 1, { step: 0.25 });
  const c = t.suggestInt('c', 0, 10, { step: 2 });
  const d = t.suggestInt('d', 1, 1000, { log: true });
  const e = t.suggestCategorical('e', ['x', 'y', 'z', null]);
  return Math.log10(a) ** 2 + b * b + (c - 4) ** 2 + Math.abs(Math.log(d) - 3) + (e === 'y' ? 0 : 1);
};

function frozen(number: number, state: TrialState, params: Record<string, number>, dists: Record<string, Distribution>, value: number | null): FrozenTrial {
  return { number, trialId: number, state, params, distributions: dists, value, values: value === null ? null : [value],
    intermediateValues: {}, userAttrs: {}, systemAttrs: {}, datetimeStart: 0, datetimeComplete: null, durationMs: null };
}

/** Centered L2 discrepancy (Hickernell) of points in [0, 1)^d. */
function cd2(pts: number[][]): number {
  const n = pts.length, d = pts[0]!.length;
  let s1 = 0, s2 = 0;
  for (const x of pts) s1 += x.reduce((p, v) => { const z = Math.abs(v - 0.5); return p * (1 + z / 2 - z * z / 2); }, 1);
  for (const x of pts) for (const y of pts) {
    s2 += x.reduce((p, v, k) => p * (1 + Math.abs(v - 0.5) / 2 + Math.abs(y[k]! - 0.5) / 2 - Math.abs(v - y[k]!) / 2), 1);
  }
  return Math.sqrt((13 / 12) ** d - (2 / n) * s1 + s2 / (n * n));
}

describe('TPESampler', () => {
  it('is reproducible for a seed and keeps every value inside its distribution', async () => {
    const run = async (seed: number) => {
      const s = await createStudy({ sampler: new TPESampler({ seed, nStartupTrials: 5 }) });
      await s.optimize(mixed, { nTrials: 30 });
      return s.trials;
    };
    const [a, b, c] = [await run(3), await run(3), await run(4)];
    expect(a.map((t) => t.params)).toEqual(b.map((t) => t.params));
    expect(a.map((t) => t.params)).not.toEqual(c.map((t) => t.params));
    for (const t of a) {
      expect(t.state).toBe('COMPLETE');
      for (const [k, v] of Object.entries(t.params)) expect(contains(t.distributions[k]!, v), `${k}=${String(v)}`).toBe(true);
    }
    // After the random startup, TPE keeps the categorical near its best choice.
    expect(a.slice(15).filter((t) => t.params.e === 'y').length).toBeGreaterThan(5);
  });

  it('concentrates near the optimum of a 1-D quadratic (and beats random search)', async () => {
    const f = (t: sg.tune.Trial) => (t.suggestFloat('x', -10, 10) - 2) ** 2;
    const tpe = await createStudy({ sampler: new TPESampler({ seed: 1 }) });
    await tpe.optimize(f, { nTrials: 60 });
    const rnd = await createStudy({ sampler: new RandomSampler({ seed: 1 }) });
    await rnd.optimize(f, { nTrials: 60 });
    const lateMedian = (st: sg.tune.Study) => {
      const late = st.trials.slice(40).map((t) => Math.abs((t.params.x as number) - 2)).sort((p, q) => p - q);
      return late[late.length >> 1]!;
    };
    expect(lateMedian(tpe)).toBeLessThan(lateMedian(rnd) / 2);
    expect(tpe.bestValue).toBeLessThan(0.01);
    expect(tpe.bestValue).toBeLessThan(rnd.bestValue);
  });

  it('maximizes, and models a joint space with multivariate: true', async () => {
    const f = (t: sg.tune.Trial) => -((t.suggestFloat('x', -5, 5) - 1) ** 2) - (t.suggestInt('y', -5, 5) + 2) ** 2;
    for (const multivariate of [false, true]) {
      const s = await createStudy({ direction: 'maximize', sampler: new TPESampler({ seed: 2, multivariate }) });
      await s.optimize(f, { nTrials: 60 });
      expect(s.bestValue).toBeGreaterThan(-1);
      expect(s.bestParams.y).toBe(-2);
    }
  });

  it('counts PRUNED trials (ranked by their last step) towards the startup and the split', async () => {
    const s = await createStudy({ sampler: new TPESampler({ seed: 5, nStartupTrials: 4 }) });
    await s.optimize((t) => {
      const x = t.suggestFloat('x', 0, 1);
      t.report(x, 0);
      if (t.number % 2) throw new sg.tune.TrialPruned();
      return x;
    }, { nTrials: 40 });
    expect(s.trials.filter((t) => t.state === 'PRUNED').length).toBe(20);
    const late = s.trials.slice(20).map((t) => t.params.x as number).sort((p, q) => p - q);
    expect(late[late.length >> 1]).toBeLessThan(0.25);
  });

  it('with constantLiar, avoids points RUNNING trials are already evaluating', () => {
    const d = floatDistribution('x', 0, 1);
    const trials: FrozenTrial[] = [];
    for (let i = 0; i < 30; i++) { const x = (i + 0.5) / 30; trials.push(frozen(i, 'COMPLETE', { x }, { x: d }, (x - 0.5) ** 2)); }
    for (let i = 0; i < 10; i++) trials.push(frozen(30 + i, 'RUNNING', { x: 0.48 + i * 0.004 }, { x: d }, null));
    const view = { directions: ['minimize' as const], trials };
    const me = frozen(40, 'RUNNING', {}, {}, null);
    const near = (constantLiar: boolean) => {
      let n = 0;
      for (let seed = 0; seed < 40; seed++) {
        const x = new TPESampler({ seed, constantLiar }).sampleIndependent(view, me, 'x', d) as number;
        if (Math.abs(x - 0.5) < 0.03) n++;
      }
      return n;
    };
    const honest = near(false), liar = near(true);
    expect(honest).toBeGreaterThan(10);
    expect(liar).toBeLessThan(honest / 2);
  });

  it('validates its options and its weights', () => {
    expect(() => new TPESampler({ nEiCandidates: 0 })).toThrow(RangeError);
    expect(() => new TPESampler({ priorWeight: -1 })).toThrow(RangeError);
    expect(Array.from(sg.tune.defaultWeights(3))).toEqual([1, 1, 1]);
    const w = sg.tune.defaultWeights(30);
    expect(w[0]).toBeCloseTo(1 / 30);
    expect(w[4]).toBeCloseTo(1);
    expect(w.slice(5).every((v) => v === 1)).toBe(true);
    expect([0, 1, 9, 10, 11, 300].map(sg.tune.defaultGamma)).toEqual([0, 1, 1, 1, 2, 25]);
  });
});

describe('GridSampler', () => {
  const space = { a: [1, 2, 3], b: ['u', 'v'] };
  const objective = (delays: number[]) => async (t: sg.tune.Trial) => {
    const a = t.suggestInt('a', 1, 3), b = t.suggestCategorical('b', ['u', 'v']);
    await new Promise((r) => setTimeout(r, delays[t.number % delays.length]));
    return a + (b === 'u' ? 0 : 10);
  };
  const points = (trials: readonly FrozenTrial[]) => trials.map((t) => `${String(t.params.a)}${String(t.params.b)}`);

  it('visits every grid point exactly once with two concurrent loops, then stops', async () => {
    const study = await createStudy({ sampler: new GridSampler(space, { seed: 1 }) });
    await study.optimize(objective([3, 1, 2, 0]), { nTrials: 100, concurrency: 2 });
    const seen = points(study.trials);
    expect(study.trials).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
    expect(study.bestValue).toBe(1);
  });

  it('shares a grid between two studies on one storage without repeats', async () => {
    const storage = new InMemoryStorage();
    const s1 = await createStudy({ storage, studyName: 'g', sampler: new GridSampler(space, { seed: 1 }) });
    const s2 = await createStudy({ storage, studyName: 'g', loadIfExists: true, sampler: new GridSampler(space, { seed: 1 }) });
    await Promise.all([s1.optimize(objective([2, 0, 1]), { nTrials: 100 }), s2.optimize(objective([0, 2]), { nTrials: 100 })]);
    const all = await storage.getAllTrials(s1.studyId);
    expect(all).toHaveLength(6);
    expect(new Set(points(all)).size).toBe(6);
  });

  it('fills the holes left by enqueued trials and rejects names or values outside the grid', async () => {
    const study = await createStudy({ sampler: new GridSampler(space, { seed: 2 }) });
    await study.enqueueTrial({ a: 1, b: 'u' });
    await study.optimize(objective([0]), { nTrials: 100 });
    expect(new Set(points(study.trials)).size).toBe(6);
    const bad = await createStudy({ sampler: new GridSampler(space) });
    await bad.optimize((t) => t.suggestFloat('zz', 0, 1), { nTrials: 1 });
    expect(bad.trials[0]!.failReason).toMatch(/'zz' is not in the grid/);
    await bad.optimize((t) => t.suggestInt('a', 5, 6), { nTrials: 1 });
    expect(bad.trials[1]!.failReason).toMatch(/outside/);
    expect(() => new GridSampler({ a: [] })).toThrow(RangeError);
  });
});

describe('QMCSampler / Sobol', () => {
  it('matches scipy.stats.qmc.Sobol (unscrambled, 21 dimensions)', () => {
    const s = new Sobol(sobolFx.dim, { scramble: false });
    sobolFx.indices.forEach((i, r) => expect(Array.from(s.point(i))).toEqual(sobolFx.points[r]));
    expect(() => new Sobol(22)).toThrow(RangeError);
  });

  it('keeps the net property when scrambled (16 points: one per cell of a 4×4 grid)', () => {
    for (const seed of [0, 1, 2]) {
      const s = new Sobol(2, { seed });
      const cells = new Set(Array.from({ length: 16 }, (_, i) => { const [x, y] = s.point(i); return Math.floor(x! * 4) * 4 + Math.floor(y! * 4); }));
      expect(cells.size).toBe(16);
      expect(Array.from(s.point(1))).not.toEqual(Array.from(new Sobol(2, { seed: seed + 10 }).point(1)));
    }
  });

  it('fills the space more evenly than random search, reproducibly, on every distribution kind', async () => {
    const run = async (sampler: sg.tune.Sampler) => {
      const s = await createStudy({ sampler });
      await s.optimize((t) => t.suggestFloat('x', 0, 1) + t.suggestFloat('y', 0, 1) + t.suggestFloat('z', 0, 1), { nTrials: 65 });
      return s.trials.slice(1).map((t) => [t.params.x, t.params.y, t.params.z] as number[]);
    };
    const q = await run(new QMCSampler({ seed: 1 })), r = await run(new RandomSampler({ seed: 1 }));
    expect(cd2(q)).toBeLessThan(0.6 * cd2(r));
    expect(await run(new QMCSampler({ seed: 1 }))).toEqual(q);
    const s = await createStudy({ sampler: new QMCSampler({ seed: 3 }) });
    await s.optimize(mixed, { nTrials: 20 });
    for (const t of s.trials) for (const [k, v] of Object.entries(t.params)) expect(contains(t.distributions[k]!, v)).toBe(true);
    expect(Object.keys((s.sampler as InstanceType<typeof QMCSampler>).searchSpace!)).toEqual(['a', 'b', 'c', 'd']);
  });
});
