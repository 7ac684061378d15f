// Multi-objective pieces against Optuna 3.1 (tests/fixtures/optuna-multi-objective.json, from
// scripts/fixtures/optuna_multi_objective.py): hypervolume (WFG), NSGA-II crowding distances and
// survival (with Deb's constrained dominance), MOTPE's split into below/above and its
// hypervolume weights, and constrained TPE's split of one objective; then NSGAIISampler and
// multi-objective TPESampler in studies: generations recorded as Optuna does, children made of
// their parents, every value inside its distribution, reproducibility, and both moving towards
// the Pareto set of a fixed problem.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import * as sg from '../../src/index.js';
import type { FrozenTrial } from '../../src/tune/frozen-trial.js';
import { contains } from '../../src/tune/distributions.js';
import { constrainedDominance, crowdingDistances, plainDominance, selectElite } from '../../src/tune/samplers/nsgaii-selection.js';
import { splitTrials } from '../../src/tune/samplers/tpe-split.js';

const { createStudy, NSGAIISampler, TPESampler, RandomSampler, SBXCrossover, hypervolume } = sg.tune;
type Num = number | 'Infinity' | '-Infinity';
const fx = JSON.parse(readFileSync(new URL('../fixtures/optuna-multi-objective.json', import.meta.url), 'utf8')) as {
  hypervolume: { points: number[][]; reference: number[]; hv: number }[];
  crowding: { values: Num[][]; distance: Num[] }[];
  elite: { directions: sg.tune.Direction[]; size: number; values: number[][]; constraints: number[][] | null; elite: number[] }[];
  tpe_split: { losses: number[][]; n_below: number; violations: number[] | null; below: number[]; weights: number[] }[];
  tpe_split_single: { values: number[]; steps: (number | null)[]; violations: number[]; n_below: number; below: number[] }[];
};
const n = (v: Num) => (typeof v === 'number' ? v : v === 'Infinity' ? Infinity : -Infinity);

function complete(number: number, values: number[], constraints?: number[] | null): FrozenTrial {
  return { number, trialId: number, state: 'COMPLETE', params: {}, distributions: {}, value: values[0]!, values,
    intermediateValues: {}, userAttrs: {}, systemAttrs: constraints ? { constraints } : {}, datetimeStart: 0, datetimeComplete: 0, durationMs: 0 };
}

describe('against Optuna 3.1', () => {
  it('hypervolume equals WFG', () => {
    for (const c of fx.hypervolume) expect(hypervolume(c.points, c.reference)).toBeCloseTo(c.hv, 12);
  });

  it('crowding distances equal NSGAIISampler\'s', () => {
    for (const c of fx.crowding) {
      const d = crowdingDistances(c.values.map((v, i) => complete(i, v.map(n))));
      c.distance.forEach((want, i) => (n(want) === Infinity ? expect(d[i]).toBe(Infinity) : expect(d[i]).toBeCloseTo(n(want), 12)));
    }
  });

  it('NSGA-II survival picks Optuna\'s elite, constrained or not, mixed directions', () => {
    for (const c of fx.elite) {
      const pop = c.values.map((v, i) => complete(i, v, c.constraints?.[i]));
      const beats = (c.constraints ? constrainedDominance : plainDominance)(c.directions);
      expect(selectElite(pop, c.size, beats).map((t) => t.number).sort((a, b) => a - b)).toEqual(c.elite);
    }
  });

  it('MOTPE splits below/above and weighs below trials as Optuna', () => {
    fx.tpe_split.forEach((c, k) => {
      // Odd cases maximize the first objective: the stored values are the negated losses.
      const directions: sg.tune.Direction[] = c.losses[0]!.map((_, j) => (k % 2 && j === 0 ? 'maximize' : 'minimize'));
      const trials = c.losses.map((l, i) => complete(i, l.map((v, j) => (directions[j] === 'maximize' ? -v : v)),
        c.violations ? [c.violations[i]! > 0 ? c.violations[i]! : -1] : null));
      const current = { ...complete(trials.length, [0]), state: 'RUNNING' as const, values: null, value: null };
      const split = splitTrials({ directions, trials: [...trials, current] }, current,
        { gamma: () => c.n_below, constantLiar: false, constrained: c.violations !== null });
      expect(split.below.map((t) => t.number)).toEqual(c.below);
      expect(split.above.map((t) => t.number)).toEqual(trials.map((t) => t.number).filter((i) => !c.below.includes(i)));
      c.weights.forEach((w, i) => expect(split.belowWeights![i]!).toBeCloseTo(w, 9)); // tiny contributions differ in rounding only
    });
  });

  it('constrained TPE on one objective splits COMPLETE and PRUNED trials as Optuna (feasible first)', () => {
    fx.tpe_split_single.forEach((c, k) => {
      const direction: sg.tune.Direction = k % 2 ? 'maximize' : 'minimize', sign = k % 2 ? -1 : 1;
      const trials = c.values.map((v, i): FrozenTrial => {
        const t = complete(i, [sign * v], [c.violations[i]! > 0 ? c.violations[i]! : -1]);
        const step = c.steps[i];
        return step == null ? t : { ...t, state: 'PRUNED', values: null, value: null, intermediateValues: { [step]: sign * v } };
      });
      const current = { ...complete(trials.length, [0]), state: 'RUNNING' as const, values: null, value: null };
      const split = splitTrials({ directions: [direction], trials: [...trials, current] }, current, { gamma: () => c.n_below, constantLiar: false, constrained: true });
      expect(split.below.map((t) => t.number)).toEqual(c.below);
      expect(split.belowWeights).toBeNull();
    });
  });
});

/** A small bi-objective problem with a known front: minimize x² + y² and (x − 2)² + (y − 1)². */
const twoBowls = (t: sg.tune.Trial) => {
  const x = t.suggestFloat('x', -2, 4), y = t.suggestFloat('y', -2, 3);
  return [x * x + y * y, (x - 2) ** 2 + (y - 1) ** 2];
};
const front = (s: sg.tune.Study) => s.bestTrials.map((t) => t.values!);

describe('NSGAIISampler', () => {
  it('records generations as Optuna ("nsga2:generation"), makes children from the parents, and is reproducible', async () => {
    const make = (seed: number) => createStudy({ directions: ['minimize', 'minimize'], sampler: new NSGAIISampler({ seed, populationSize: 10, mutationProb: 0 }) });
    const s = await make(4);
    await s.optimize(twoBowls, { nTrials: 35 });
    expect(s.trials.map((t) => t.systemAttrs['nsga2:generation'])).toEqual([...Array(10).fill(0), ...Array(10).fill(1), ...Array(10).fill(2), ...Array(5).fill(3)]);
    // Without mutation, a child's every value comes from some trial of the previous generations
    // (uniform crossover takes each parameter from one parent).
    for (const t of s.trials.slice(10)) {
      const g = t.systemAttrs['nsga2:generation'] as number, earlier = s.trials.filter((o) => (o.systemAttrs['nsga2:generation'] as number) < g);
      for (const k of ['x', 'y']) expect(earlier.some((o) => o.params[k] === t.params[k]), `trial ${t.number} ${k}`).toBe(true);
    }
    const again = await make(4);
    await again.optimize(twoBowls, { nTrials: 35 });
    expect(again.trials.map((t) => t.params)).toEqual(s.trials.map((t) => t.params));
    const other = await make(5);
    await other.optimize(twoBowls, { nTrials: 35 });
    expect(other.trials.map((t) => t.params)).not.toEqual(s.trials.map((t) => t.params));
  });

  it('with SBX keeps every value inside its distribution (log, step, int, categorical)', async () => {
    const s = await createStudy({ directions: ['minimize', 'maximize'], sampler: new NSGAIISampler({ seed: 2, populationSize: 8, crossover: new SBXCrossover() }) });
    await s.optimize((t) => {
      const a = t.suggestFloat('a', 1e-3, 1, { log: true }), b = t.suggestFloat('b', 0, 1, { step: 0.1 });
      const c = t.suggestInt('c', 1, 64, { log: true }), d = t.suggestInt('d', -4, 4, { step: 2 }), e = t.suggestCategorical('e', ['p', 'q', 'r']);
      return [a + b + c, d + (e === 'q' ? 1 : 0)];
    }, { nTrials: 40 });
    for (const t of s.trials) {
      expect(t.state).toBe('COMPLETE');
      for (const [k, v] of Object.entries(t.params)) expect(contains(t.distributions[k]!, v), `${k}=${String(v)}`).toBe(true);
    }
  });

  it('moves towards the Pareto set (SBX, little mutation), as does multi-objective TPE', async () => {
    // twoBowls' Pareto set is the segment from (0, 0) to (2, 1): a trial's distance to it.
    const gap = (t: FrozenTrial) => {
      const x = t.params.x as number, y = t.params.y as number, u = Math.min(1, Math.max(0, (2 * x + y) / 5));
      return Math.hypot(x - 2 * u, y - u);
    };
    const mean = (ts: FrozenTrial[]) => ts.reduce((a, t) => a + gap(t), 0) / ts.length;
    for (const seed of [1, 2, 3]) {
      const ga = await createStudy({ directions: ['minimize', 'minimize'], sampler: new NSGAIISampler({ seed, populationSize: 10, crossover: new SBXCrossover(), mutationProb: 0.05 }) });
      await ga.optimize(twoBowls, { nTrials: 60 });
      const gen = (g: number) => ga.trials.filter((t) => t.systemAttrs['nsga2:generation'] === g);
      expect(mean(gen(5)), `seed ${seed}`).toBeLessThan(mean(gen(0)) / 2);
      const tpe = await createStudy({ directions: ['minimize', 'minimize'], sampler: new TPESampler({ seed }) });
      await tpe.optimize(twoBowls, { nTrials: 60 });
      expect(mean(tpe.trials.slice(40)), `seed ${seed}`).toBeLessThan(mean(tpe.trials.slice(0, 10)) * 0.6);
    }
  });

  it('refuses bad options', () => {
    expect(() => new NSGAIISampler({ populationSize: 1 })).toThrow(/populationSize must be an integer ≥ 2, got 1/);
    expect(() => new NSGAIISampler({ mutationProb: 1.5 })).toThrow(/mutationProb must be a finite number ≥ 0 and ≤ 1, got 1.5/);
    expect(() => new NSGAIISampler({ crossover: {} as never })).toThrow(/crossover must be a Crossover/);
    expect(() => new NSGAIISampler({ constraintsFunc: 3 as never })).toThrow(/constraintsFunc must be a function/);
    expect(() => new SBXCrossover({ eta: 0 })).toThrow(/eta must be a finite number > 0, got 0/);
  });
});

describe('TPESampler on several objectives', () => {
  it('is reproducible, skips PRUNED trials, and samples inside the space', async () => {
    const run = async (seed: number) => {
      const s = await createStudy({ directions: ['minimize', 'maximize'], sampler: new TPESampler({ seed, nStartupTrials: 5 }) });
      await s.optimize((t) => {
        const [a, b] = twoBowls(t) as [number, number];
        if (t.number % 7 === 3) throw new sg.tune.TrialPruned();
        return [a, -b];
      }, { nTrials: 30 });
      return s.trials;
    };
    const [a, b] = [await run(3), await run(3)];
    expect(a.map((t) => t.params)).toEqual(b.map((t) => t.params));
    expect(a.filter((t) => t.state === 'PRUNED')).toHaveLength(4);
    for (const t of a) { expect(t.params.x).toBeGreaterThanOrEqual(-2); expect(t.params.x).toBeLessThanOrEqual(4); }
  });
});
