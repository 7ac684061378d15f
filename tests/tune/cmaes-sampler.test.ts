// CmaEsSampler as a sampler (Optuna 3.1's protocol): trials grouped by generation in system
// attributes, each generation told once popsize trials of it are COMPLETE and the new state stored
// on the telling trial — equal to a CMA fed the same solutions by hand — and resumed from the
// trials by any other sampler (another worker); categorical and one-dimensional spaces sampled
// independently; IPOP restarts doubling the population; separable CMA-ES; warm start from earlier
// trials; x0/sigma0; pruned trials; reproducibility by seed; refusals with typed errors.
import { describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { CMA, type CmaState } from '../../src/tune/samplers/cmaes/cma.js';

const { createStudy, CmaEsSampler, RandomSampler, InMemoryStorage } = sg.tune;
type Trial = sg.tune.Trial;

const sphere = (t: Trial) => (t.suggestFloat('x', -4, 4) - 1) ** 2 + (t.suggestFloat('y', -4, 4) + 0.5) ** 2 + t.suggestFloat('z', 1e-3, 1, { log: true });

describe('CmaEsSampler', () => {
  it('groups trials by generation and tells each generation to CMA-ES exactly as a hand-fed CMA would', async () => {
    const study = await createStudy({ sampler: new CmaEsSampler({ seed: 1 }), logger: false });
    await study.optimize(sphere, { nTrials: 1 + 7 * 3 + 1 });
    const gens = study.trials.map((t) => t.systemAttrs['cma:generation']);
    // popsize 4 + ⌊3 ln 3⌋ = 7; trial 0 is the independent startup trial.
    expect(gens).toEqual([undefined, ...Array(7).fill(0), ...Array(7).fill(1), ...Array(7).fill(2), 3]);
    const tellers = study.trials.filter((t) => t.systemAttrs['cma:state'] !== undefined).map((t) => t.number);
    expect(tellers).toEqual([8, 15, 22]);
    // The state on trial 8 = a CMA started at the centre with σ0 = smallest range / 6, told trials 1–7.
    const lo = [-4, -4, Math.log(1e-3)], hi = [4, 4, 0];
    const cma = new CMA({ mean: Float64Array.from(lo, (l, j) => (l + hi[j]!) / 2), sigma: Math.min(...lo.map((l, j) => hi[j]! - l)) / 6,
      bounds: Float64Array.from(lo.flatMap((l, j) => [l, hi[j]!])) });
    cma.tell(study.trials.slice(1, 8).map((t) => ({ x: [t.params.x as number, t.params.y as number, Math.log(t.params.z as number)], value: t.value! })));
    const stored = study.trials[8]!.systemAttrs['cma:state'] as CmaState;
    const mine = cma.toState();
    expect(stored.generation).toBe(1);
    stored.mean.forEach((v, i) => expect(v).toBeCloseTo(mine.mean[i]!, 12));
    stored.C.forEach((v, i) => expect(v).toBeCloseTo(mine.C[i]!, 12));
    expect(stored.sigma).toBeCloseTo(mine.sigma, 12);
    expect(study.trials.every((t) => (t.params.z as number) >= 1e-3 && (t.params.z as number) <= 1)).toBe(true);
  });

  it('resumes from the trials: another sampler (another worker) continues the same generations', async () => {
    const storage = new InMemoryStorage();
    const a = await createStudy({ storage, studyName: 's', sampler: new CmaEsSampler({ seed: 1 }), logger: false });
    await a.optimize(sphere, { nTrials: 17 });
    const b = await createStudy({ storage, studyName: 's', loadIfExists: true, sampler: new CmaEsSampler({ seed: 99 }), logger: false });
    await b.optimize(sphere, { nTrials: 10 });
    const gens = b.trials.map((t) => t.systemAttrs['cma:generation'] as number | undefined);
    expect(gens.slice(15, 22)).toEqual(Array(7).fill(2));
    expect(gens[22]).toBe(3);
    // The state b stored continues a's (generation 2 told on top of a's generation-2 state).
    expect((b.trials[22]!.systemAttrs['cma:state'] as CmaState).generation).toBe(3);
  });

  it('maximises by negating values; is reproducible for a seed and differs for another', async () => {
    const run = async (seed: number, direction: 'minimize' | 'maximize') => {
      const s = await createStudy({ direction, sampler: new CmaEsSampler({ seed }), logger: false });
      await s.optimize((t) => (direction === 'maximize' ? -sphere(t) : sphere(t)), { nTrials: 30 });
      return s.trials.map((t) => t.params);
    };
    const a = await run(5, 'minimize');
    expect(await run(5, 'maximize')).toEqual(a);
    expect(await run(6, 'minimize')).not.toEqual(a);
  });

  it('converges on a rotated ellipsoid far better than random search', async () => {
    const f = (t: Trial) => {
      const x = [0, 1, 2, 3].map((i) => t.suggestFloat(`x${i}`, -5, 5));
      return x.reduce((s, _, i) => s + x.slice(0, i + 1).reduce((a, b) => a + b - 0.5, 0) ** 2, 0);
    };
    const cma = await createStudy({ sampler: new CmaEsSampler({ seed: 2 }), logger: false });
    const rnd = await createStudy({ sampler: new RandomSampler({ seed: 2 }), logger: false });
    await cma.optimize(f, { nTrials: 120 });
    await rnd.optimize(f, { nTrials: 120 });
    expect(cma.bestValue).toBeLessThan(rnd.bestValue / 10);
  });

  it('samples categorical parameters and one-parameter spaces with the independent sampler', async () => {
    const s = await createStudy({ sampler: new CmaEsSampler({ seed: 3 }), logger: false });
    await s.optimize((t) => sphere(t) + (t.suggestCategorical('c', ['a', 'b']) === 'a' ? 0 : 1), { nTrials: 12 });
    expect(s.trials.slice(1).every((t) => t.systemAttrs['cma:generation'] !== undefined)).toBe(true);
    expect(new Set(s.trials.map((t) => t.params.c))).toEqual(new Set(['a', 'b']));
    const one = await createStudy({ sampler: new CmaEsSampler({ seed: 3 }), logger: false });
    await one.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 5 });
    expect(one.trials.every((t) => t.systemAttrs['cma:generation'] === undefined)).toBe(true);
  });

  it("restarts with IPOP (population × incPopsize) when the library's stop tests fire", async () => {
    const s = await createStudy({ sampler: new CmaEsSampler({ seed: 4, restartStrategy: 'ipop', popsize: 4 }), logger: false });
    await s.optimize((t) => { t.suggestFloat('x', 0, 1); t.suggestFloat('y', 0, 1); return 1; }, { nTrials: 110 }); // flat: stops after 10 + ⌈60/4⌉ generations
    const restarts = s.trials.map((t) => t.systemAttrs['cma:n_restarts'] as number | undefined).filter((r) => r !== undefined);
    expect(Math.max(...restarts)).toBe(1);
    const first = s.trials.find((t) => t.systemAttrs['cma:n_restarts'] === 1)!;
    expect((first.systemAttrs['cma:state'] as CmaState).populationSize).toBe(8);
    expect(first.systemAttrs['cma:restart_1:generation']).toBe(0);
    expect(s.trials.some((t) => t.systemAttrs['cma:restart_0:generation'] === 25)).toBe(true);
  });

  it('runs separable CMA-ES (diagonal covariance, sepcma: attributes)', async () => {
    const s = await createStudy({ sampler: new CmaEsSampler({ seed: 5, useSeparableCma: true }), logger: false });
    await s.optimize(sphere, { nTrials: 40 });
    const state = [...s.trials].reverse().find((t) => t.systemAttrs['sepcma:state'] !== undefined)!.systemAttrs['sepcma:state'] as CmaState;
    expect(state.kind).toBe('sepcma');
    expect(state.C).toHaveLength(3);
    expect(s.bestValue).toBeLessThan(0.5);
  });

  it('warm-starts from source trials: the first generation samples around their best region', async () => {
    const src = await createStudy({ sampler: new RandomSampler({ seed: 6 }), logger: false });
    const f = (t: Trial) => (t.suggestFloat('x', -4, 4) - 3) ** 2 + (t.suggestFloat('y', -4, 4) - 3) ** 2;
    await src.optimize(f, { nTrials: 60 });
    const s = await createStudy({ sampler: new CmaEsSampler({ seed: 6, sourceTrials: [...src.trials] }), logger: false });
    await s.optimize(f, { nTrials: 8 });
    const cold = await createStudy({ sampler: new CmaEsSampler({ seed: 6 }), logger: false });
    await cold.optimize(f, { nTrials: 8 });
    const meanValue = (st: sg.tune.Study) => st.trials.slice(1).reduce((a, t) => a + t.value!, 0) / (st.trials.length - 1);
    expect(meanValue(s)).toBeLessThan(meanValue(cold) / 4);
  });

  it('starts from x0 with sigma0, and counts pruned trials with their last value when asked', async () => {
    const s = await createStudy({ sampler: new CmaEsSampler({ seed: 7, x0: { x: 2, y: -3 }, sigma0: 1e-3 }), logger: false });
    await s.optimize((t) => t.suggestFloat('x', -4, 4) + t.suggestFloat('y', -4, 4), { nTrials: 5 });
    for (const t of s.trials.slice(1)) { expect(t.params.x).toBeCloseTo(2, 1); expect(t.params.y).toBeCloseTo(-3, 1); }
    const p = await createStudy({ sampler: new CmaEsSampler({ seed: 7, considerPrunedTrials: true, popsize: 3 }), logger: false });
    const half = (t: Trial) => { const v = t.suggestFloat('x', -4, 4) ** 2 + t.suggestFloat('y', -4, 4) ** 2; t.report(v, 0); if (t.number % 2) throw new sg.tune.TrialPruned(); return v; };
    await p.optimize(half, { nTrials: 6 });
    // Trials 1–3 form generation 0 (two of them pruned): with pruned trials counted, trial 4 tells it.
    expect(p.trials[4]!.systemAttrs['cma:state']).toBeDefined();
    const q = await createStudy({ sampler: new CmaEsSampler({ seed: 7, popsize: 3 }), logger: false });
    await q.optimize(half, { nTrials: 6 });
    expect(q.trials.filter((t) => t.systemAttrs['cma:state'] !== undefined)).toHaveLength(0); // only 1–2 COMPLETE per generation
  });

  it('samples independently once the space changes dimension (as Optuna), and skips a damaged stored state', async () => {
    const s = await createStudy({ sampler: new CmaEsSampler({ seed: 8 }), logger: false });
    await s.optimize(sphere, { nTrials: 10 });
    await s.optimize((t) => t.suggestFloat('x', -4, 4) ** 2 + t.suggestFloat('y', -4, 4) ** 2, { nTrials: 4 }); // z gone: 2 dimensions
    // Trial 10 still sees the old space (it is the first without z); from trial 11 on the space has 2 dimensions.
    expect(s.trials.slice(11).every((t) => t.systemAttrs['cma:generation'] === undefined)).toBe(true);
    const storage = new InMemoryStorage();
    const d = await createStudy({ storage, sampler: new CmaEsSampler({ seed: 8, popsize: 4 }), logger: false });
    await d.optimize(async (t) => {
      const id = d.trials.find((x) => x.number === t.number)!.trialId;
      if (t.number === 5) await storage.setTrialSystemAttr(id, 'cma:state', { kind: 'cma', mean: [1], C: 'garbage' });
      return sphere(t);
    }, { nTrials: 12 });
    expect(d.trials.every((t) => t.state === 'COMPLETE')).toBe(true);
    // Trial 5's state is unreadable: trial 6 tells generation 0 again and stores the state trial 5 had.
    expect(d.trials[6]!.systemAttrs['cma:generation']).toBe(1);
    expect((d.trials[6]!.systemAttrs['cma:state'] as CmaState).generation).toBe(1);
    expect(d.trials.slice(5, 9).map((t) => t.systemAttrs['cma:generation'])).toEqual([1, 1, 1, 1]);
    expect((d.trials[9]!.systemAttrs['cma:state'] as CmaState).generation).toBe(2);
  });

  it('refuses bad options and several objectives with typed errors', async () => {
    expect(() => new CmaEsSampler({ restartStrategy: 'bipop' as 'ipop' })).toThrow(/restartStrategy must be 'ipop' or null, got bipop/);
    expect(() => new CmaEsSampler({ popsize: 1 })).toThrow(/popsize must be an integer ≥ 2, got 1/);
    expect(() => new CmaEsSampler({ sigma0: 0 })).toThrow(/sigma0 must be a finite number > 0, got 0/);
    expect(() => new CmaEsSampler({ sourceTrials: [], x0: { x: 1 } })).toThrow(/sourceTrials cannot be combined with x0 or sigma0/);
    expect(() => new CmaEsSampler({ sourceTrials: [], useSeparableCma: true })).toThrow(/sourceTrials cannot be combined with useSeparableCma/);
    expect(() => new CmaEsSampler({ nStartupTrials: -2 })).toThrow(/nStartupTrials must be an integer ≥ 0, got -2/);
    await expect(createStudy({ directions: ['minimize', 'maximize'], sampler: new CmaEsSampler() })).rejects.toThrow(/CmaEsSampler supports single-objective studies only/);
    const bad = await createStudy({ sampler: new CmaEsSampler({ seed: 1, x0: { x: 9 } }), logger: false });
    await bad.optimize(sphere, { nTrials: 1 });
    await expect(bad.optimize(sphere, { nTrials: 1 })).rejects.toThrow(/x0 has no valid value for 'x' \(got 9\)/);
  });
});
