// Constrained optimization: a sampler's constraintsFunc (Optuna 3.1) runs when a trial ends and its
// values land in the system attr "constraints" (also through a journal file), trial.setConstraint
// (Optuna 5's way, from inside the objective) stores the same; infeasible trials never become
// bestTrial / bestValue / bestTrials; bad constraint values fail their trial with a clear reason;
// constrained TPE and NSGA-II steer their trials into the feasible region.
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sg from '../../src/index.js';
import type { FrozenTrial } from '../../src/tune/frozen-trial.js';

const { createStudy, TPESampler, NSGAIISampler, RandomSampler, JournalFileStorage, constraintsOf, isFeasible } = sg.tune;

describe('constraints', () => {
  it('constraintsFunc sees the finished trial and its values are stored as "constraints", in memory and in a journal', async () => {
    const seen: Array<Pick<FrozenTrial, 'number' | 'state' | 'values'>> = [];
    const constraintsFunc = (t: FrozenTrial) => { seen.push({ number: t.number, state: t.state, values: t.values }); return [(t.params.x as number) - 1, -1]; };
    const path = join(mkdtempSync(join(tmpdir(), 'sg-cons-')), 'study.log');
    for (const storage of [undefined, new JournalFileStorage(path)]) {
      seen.length = 0;
      const sampler = new TPESampler({ seed: 1, nStartupTrials: 100, constraintsFunc });
      const study = await createStudy({ sampler, ...(storage ? { storage, studyName: 'c' } : {}), logger: false });
      await study.optimize((t) => {
        const x = t.suggestFloat('x', 0, 2);
        if (t.number === 2) { t.report(5, 3); throw new sg.tune.TrialPruned(); }
        if (t.number === 3) throw new Error('boom');
        return x;
      }, { nTrials: 8 });
      expect(seen.map((s) => s.number)).toEqual([0, 1, 2, 4, 5, 6, 7]); // COMPLETE and PRUNED, not FAIL
      expect(seen[2]).toEqual({ number: 2, state: 'PRUNED', values: [5] });
      for (const t of study.trials) {
        if (t.state === 'FAIL') expect(constraintsOf(t)).toBeNull();
        else expect(constraintsOf(t)).toEqual([(t.params.x as number) - 1, -1]);
      }
      const feasible = study.trials.filter((t) => t.state === 'COMPLETE' && (t.params.x as number) <= 1);
      expect(study.bestTrial.number).toBe(feasible.reduce((b, t) => (t.value! < b.value! ? t : b)).number);
      if (storage) {
        const again = await createStudy({ storage: new JournalFileStorage(path), studyName: 'c', loadIfExists: true });
        expect(again.trials.map((t) => t.systemAttrs)).toEqual(study.trials.map((t) => t.systemAttrs));
        expect(again.bestTrial.number).toBe(study.bestTrial.number); // constrained: read from the stored values
      }
    }
  });

  it('trial.setConstraint marks trials infeasible; they never become the best, single or multi-objective', async () => {
    const one = await createStudy({ direction: 'maximize', sampler: new RandomSampler({ seed: 2 }) });
    await one.optimize((t) => { const x = t.suggestFloat('x', 0, 10); t.setConstraint([x - 3]); return x; }, { nTrials: 20 });
    expect(one.constrained).toBe(true);
    expect(one.bestValue).toBeLessThanOrEqual(3);
    expect(one.bestValue).toBe(Math.max(...one.trials.filter((t) => (t.params.x as number) <= 3).map((t) => t.value!)));
    const none = await createStudy({ direction: 'maximize', sampler: new RandomSampler({ seed: 2 }) });
    await none.optimize((t) => { const x = t.suggestFloat('x', 5, 10); t.setConstraint([x - 3, -1]); return x; }, { nTrials: 3 });
    expect(() => none.bestTrial).toThrow(/no feasible trial has completed yet \(3 completed, all violating their constraints\)/);

    const two = await createStudy({ directions: ['minimize', 'minimize'], sampler: new RandomSampler({ seed: 3 }) });
    await two.optimize((t) => { const x = t.suggestFloat('x', 0, 2); t.setConstraint([0.5 - x]); return [x, 2 - x]; }, { nTrials: 30 });
    const front = two.bestTrials;
    expect(front.length).toBe(two.trials.filter((t) => (t.params.x as number) >= 0.5).length); // every feasible trial is on this front
    for (const t of front) expect(isFeasible(t, true)).toBe(true);
    expect(sg.tune.paretoFront(two.trials, two.directions, { constrained: false })).toHaveLength(30);
  });

  it('fails the trial on bad constraint values, naming them', async () => {
    const study = await createStudy({ sampler: new TPESampler({ seed: 1, constraintsFunc: (t) => (t.number === 0 ? [NaN] : t.number === 1 ? 3 as never : [0]) }), logger: false });
    await study.optimize((t) => {
      const x = t.suggestFloat('x', 0, 1);
      if (t.number === 2) t.setConstraint([1, NaN]);
      return x;
    }, { nTrials: 3 });
    expect(study.trials.map((t) => t.failReason)).toEqual([
      'constraintsFunc failed: RangeError: constraintsFunc: constraint 0 must be a number (not NaN), got NaN',
      'constraintsFunc failed: TypeError: constraintsFunc: constraints must be an array of numbers, got 3',
      'RangeError: setConstraint: constraint 1 must be a number (not NaN), got NaN',
    ]);
    expect(() => new TPESampler({ constraintsFunc: 'no' as never })).toThrow(/constraintsFunc must be a function/);
  });

  it('constrained TPE stays in the feasible region and finds the constrained optimum', async () => {
    // minimize (x − 3)² + (y − 3)² subject to x + y ≤ 2: the optimum is (1, 1), value 8.
    const run = async (constrained: boolean) => {
      const s = await createStudy({ sampler: new TPESampler({ seed: 4 }) });
      await s.optimize((t) => {
        const x = t.suggestFloat('x', -3, 3), y = t.suggestFloat('y', -3, 3);
        if (constrained) t.setConstraint([x + y - 2]);
        return (x - 3) ** 2 + (y - 3) ** 2;
      }, { nTrials: 60 });
      return s;
    };
    const c = await run(true), u = await run(false);
    const feasibleShare = (s: sg.tune.Study) => s.trials.slice(20).filter((t) => (t.params.x as number) + (t.params.y as number) <= 2).length / 40;
    expect(feasibleShare(c)).toBeGreaterThan(0.5);
    expect(feasibleShare(u)).toBeLessThan(0.1); // without the constraint TPE heads for (3, 3)
    expect(c.bestValue).toBeLessThan(9);
  });

  it('constrained NSGA-II fills its late generations with feasible trials', async () => {
    const s = await createStudy({
      directions: ['minimize', 'minimize'],
      sampler: new NSGAIISampler({ seed: 5, populationSize: 10, mutationProb: 0.1, constraintsFunc: (t) => [0.6 - (t.params.x as number)] }),
    });
    await s.optimize((t) => { const x = t.suggestFloat('x', 0, 1), y = t.suggestFloat('y', 0, 1); return [x + y, 1 - x + y]; }, { nTrials: 80 });
    const share = (g: number) => { const gen = s.trials.filter((t) => t.systemAttrs['nsga2:generation'] === g); return gen.filter((t) => (t.params.x as number) >= 0.6).length / gen.length; };
    expect(share(0)).toBeLessThanOrEqual(0.6); // random: x ≥ 0.6 four times in ten
    expect((share(4) + share(5) + share(6) + share(7)) / 4).toBeGreaterThanOrEqual(0.9);
    for (const t of s.bestTrials) expect(t.params.x as number).toBeGreaterThanOrEqual(0.6);
  });
});
