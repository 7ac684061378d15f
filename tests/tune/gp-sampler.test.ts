// GPSampler as a sampler: Optuna's startup (the independent sampler's draws, identical to a
// RandomSampler of the same seed), reproducibility by seed, every kind of distribution (log, step,
// int, categorical) with proposals on their grids, direction symmetry, the best-value constant liar
// over RUNNING trials (their proposals read back from system attributes), robustness (duplicate
// points, infinite values, a changing search space), refusals with typed errors.
import { describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { contains, floatDistribution, type Distribution } from '../../src/tune/distributions.js';
import type { FrozenTrial, TrialState } from '../../src/tune/frozen-trial.js';

const { createStudy, GPSampler, RandomSampler } = sg.tune;
type Trial = sg.tune.Trial;

const quadratic = (t: Trial) => (t.suggestFloat('x', -5, 5) - 1.3) ** 2 + (t.suggestFloat('y', 0, 4) - 2.5) ** 2;
const paramsOf = (s: sg.tune.Study) => s.trials.map((t) => t.params);

function frozen(number: number, state: TrialState, params: Record<string, number>, value: number | null, systemAttrs: Record<string, unknown> = {}): FrozenTrial {
  const distributions: Record<string, Distribution> = {};
  for (const k of Object.keys(params)) distributions[k] = floatDistribution(k, 0, 1);
  return { number, trialId: number, state, params, distributions, value, values: value === null ? null : [value], intermediateValues: {},
    userAttrs: {}, systemAttrs, datetimeStart: 0, datetimeComplete: null, durationMs: null };
}

describe('GPSampler', () => {
  it('samples the first nStartupTrials like RandomSampler({ seed }), then proposes from the GP and records the proposal', async () => {
    const gp = await createStudy({ sampler: new GPSampler({ seed: 11 }), logger: false });
    const rnd = await createStudy({ sampler: new RandomSampler({ seed: 11 }), logger: false });
    await gp.optimize(quadratic, { nTrials: 14 });
    await rnd.optimize(quadratic, { nTrials: 10 });
    expect(paramsOf(gp).slice(0, 10)).toEqual(paramsOf(rnd));
    const t = gp.trials[12]!;
    expect(JSON.parse(t.systemAttrs['gp:relative_params:0'] as string)).toEqual(t.params);
    expect(gp.trials[9]!.systemAttrs['gp:relative_params:0']).toBeUndefined();
  });

  it('is reproducible for a seed and differs for another; finds a quadratic minimum that random search misses', async () => {
    const run = async (seed: number) => {
      const s = await createStudy({ sampler: new GPSampler({ seed, nStartupTrials: 5 }), logger: false });
      await s.optimize(quadratic, { nTrials: 20 });
      return s;
    };
    const [a, b, c] = [await run(3), await run(3), await run(4)];
    expect(paramsOf(a)).toEqual(paramsOf(b));
    expect(paramsOf(a)).not.toEqual(paramsOf(c));
    const random = await createStudy({ sampler: new RandomSampler({ seed: 3 }), logger: false });
    await random.optimize(quadratic, { nTrials: 20 });
    expect(a.bestValue).toBeLessThan(1e-3);
    expect(a.bestValue).toBeLessThan(random.bestValue / 100);
  });

  it('gives identical proposals for minimize f and maximize −f', async () => {
    const s1 = await createStudy({ sampler: new GPSampler({ seed: 5, nStartupTrials: 4 }), logger: false });
    const s2 = await createStudy({ direction: 'maximize', sampler: new GPSampler({ seed: 5, nStartupTrials: 4 }), logger: false });
    await s1.optimize(quadratic, { nTrials: 9 });
    await s2.optimize((t) => -quadratic(t), { nTrials: 9 });
    expect(paramsOf(s2)).toEqual(paramsOf(s1));
  });

  it('handles log, step, int and categorical parameters: proposals inside their distributions and on their grids', async () => {
    const study = await createStudy({ sampler: new GPSampler({ seed: 2, nStartupTrials: 6 }), logger: false });
    await study.optimize((t) => {
      const lr = t.suggestFloat('lr', 1e-4, 1, { log: true }), w = t.suggestFloat('w', 0, 1, { step: 0.25 });
      const n = t.suggestInt('n', 1, 9, { step: 2 }), h = t.suggestInt('h', 2, 300, { log: true }), c = t.suggestCategorical('c', ['a', 'b', null, 3]);
      return (Math.log10(lr) + 2) ** 2 + (w - 0.5) ** 2 + (n - 5) ** 2 / 10 + (Math.log(h) - 3) ** 2 + (c === null ? 0 : 1);
    }, { nTrials: 24 });
    for (const t of study.trials) for (const [k, v] of Object.entries(t.params)) expect(contains(t.distributions[k]!, v), `${k} = ${v}`).toBe(true);
    const proposed = study.trials.filter((t) => t.systemAttrs['gp:relative_params:0'] !== undefined);
    expect(proposed).toHaveLength(18);
    expect(proposed.slice(-6).filter((t) => t.params.c === null).length).toBeGreaterThanOrEqual(4); // it learns the categorical
    expect(study.bestValue).toBeLessThan(0.3);
  });

  it('conditions on RUNNING trials with the best value (constant liar): a second concurrent proposal moves away from the first', () => {
    const completed: FrozenTrial[] = [];
    const f = (x: number, y: number) => (x - 0.62) ** 2 + (y - 0.35) ** 2;
    for (let i = 0; i < 12; i++) {
      const x = ((i * 7) % 12) / 11, y = ((i * 5) % 12) / 11;
      completed.push(frozen(i, 'COMPLETE', { x, y }, f(x, y)));
    }
    const A = frozen(12, 'RUNNING', {}, null), B = frozen(13, 'RUNNING', {}, null);
    const base = { directions: ['minimize'] as const, trials: [...completed, A] };
    const s1 = new GPSampler({ seed: 9 }), s2 = new GPSampler({ seed: 9 });
    const a = s1.sampleRelative(base, A)!, a2 = s2.sampleRelative(base, A)!;
    expect(a2.params).toEqual(a.params); // deterministic
    // B sees A through its recorded proposal, or (second sampler) does not see it at all.
    const seen = s1.sampleRelative({ directions: ['minimize'], trials: [...completed, { ...A, systemAttrs: a.systemAttrs! }, B] }, B)!;
    const blind = s2.sampleRelative({ directions: ['minimize'], trials: [...completed, A, B] }, B)!;
    const dist = (p: Record<string, unknown>, q: Record<string, unknown>) => Math.hypot((p.x as number) - (q.x as number), (p.y as number) - (q.y as number));
    expect(dist(blind.params, a.params)).toBeLessThan(0.05); // without the liar: nearly the same point
    expect(dist(seen.params, a.params)).toBeGreaterThan(4 * Math.max(dist(blind.params, a.params), 0.01));
    // A's suggested parameters count too, once it has them (no system attribute needed).
    const suggested = s1.sampleRelative({ directions: ['minimize'], trials: [...completed, { ...A, params: a.params as Record<string, number>, distributions: completed[0]!.distributions }, B] }, B)!;
    expect(dist(suggested.params, a.params)).toBeGreaterThan(0.01);
  });

  it('runs concurrent async trials without proposing the same point twice', async () => {
    const study = await createStudy({ sampler: new GPSampler({ seed: 4, nStartupTrials: 4 }), logger: false });
    await study.optimize(async (t) => { const v = quadratic(t); await new Promise((r) => setTimeout(r, 2)); return v; }, { nTrials: 16, concurrency: 3 });
    const keys = study.trials.map((t) => `${t.params.x},${t.params.y}`);
    expect(new Set(keys).size).toBe(16);
  });

  it('survives duplicate points, infinite values, failed and pruned trials and a changing search space', async () => {
    const study = await createStudy({ sampler: new GPSampler({ seed: 1, nStartupTrials: 3 }), logger: false });
    for (let i = 0; i < 6; i++) await study.enqueueTrial({ x: 0.5, y: 1 });
    let calls = 0;
    await study.optimize((t) => {
      const x = t.suggestFloat('x', -5, 5), y = t.suggestFloat('y', 0, 4);
      calls++;
      if (calls === 7) return Infinity;
      if (calls === 8) return -Infinity;
      if (calls === 9) throw new Error('boom');
      if (calls === 10) throw new sg.tune.TrialPruned();
      if (calls > 12) t.suggestFloat('extra', 0, 1); // not in every trial: sampled independently
      return x * x + y;
    }, { nTrials: 18 });
    expect(study.trials.filter((t) => t.state === 'COMPLETE')).toHaveLength(16);
    for (const t of study.trials) expect(Number.isFinite(t.params.x as number)).toBe(true);
    expect(study.trials.at(-1)!.params.extra).toBeTypeOf('number');
  });

  it('refuses several objectives and bad options with typed errors', async () => {
    await expect(createStudy({ directions: ['minimize', 'minimize'], sampler: new GPSampler({ seed: 1 }) })).rejects.toThrow(/GPSampler supports single-objective studies only; this study has 2 directions/);
    expect(() => new GPSampler({ nStartupTrials: -1 })).toThrow(/nStartupTrials must be an integer ≥ 0, got -1/);
    expect(() => new GPSampler({ seed: 1.5 })).toThrow(/seed must be a safe integer, got 1.5/);
    expect(() => new GPSampler({ deterministicObjective: 'yes' as unknown as boolean })).toThrow(/deterministicObjective must be a boolean, got yes/);
    expect(() => new GPSampler({ independentSampler: {} as sg.tune.Sampler })).toThrow(/independentSampler must be a Sampler/);
    for (const S of [GPSampler, sg.tune.CmaEsSampler]) { // unseeded samplers draw a fresh seed
      const x = new S(), y = new S();
      expect(Number.isSafeInteger(x.seed)).toBe(true);
      expect(x.seed).not.toBe(y.seed);
      expect(new S({ seed: 9 }).seed).toBe(9);
    }
  });
});
