// CmaEsSampler against Optuna 3.1's (tests/fixtures/optuna-cmaes-sampler.json, from
// scripts/fixtures/optuna_cmaes_sampler.py): replaying Optuna's trials (enqueued with Optuna's
// parameters, reporting Optuna's values), simdgrad's sampler puts every trial in Optuna's
// generation and restart, and the states it stores equal the ones Optuna pickled — mean, σ, C,
// generation and population size — so what it feeds CMA-ES (the transform of log, int and stepped
// parameters, the centre start with σ0 = smallest range / 6, the startup trial, the sign for
// maximize, pruned trials' last values, IPOP's doubled population) is Optuna's, whatever the
// random numbers. After an IPOP restart the start is random, so only its non-random parts compare.
// Optuna orders the coordinates as the first trial suggested them, simdgrad by name (CMA-ES is
// equivariant under a permutation of coordinates): Optuna's states are permuted into name order.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import * as sg from '../../src/index.js';
import type { CmaState } from '../../src/tune/samplers/cmaes/cma.js';

const { createStudy, CmaEsSampler, TrialPruned } = sg.tune;
type Trial = sg.tune.Trial;

interface Stored { mean: number[]; sigma: number; C: number[]; generation: number; populationSize: number }
interface Recorded {
  params: Record<string, number | string>; state: 'COMPLETE' | 'PRUNED'; value: number | null;
  intermediate: Record<string, number>; generation: Record<string, number>; nRestarts: number | null; stored: Stored | null;
}
interface Case { name: string; direction: 'minimize' | 'maximize'; options: Record<string, unknown>; trials: Recorded[] }
const fx = JSON.parse(readFileSync(new URL('../fixtures/optuna-cmaes-sampler.json', import.meta.url), 'utf8')) as { optuna: string; cmaes: string; cases: Case[] };

/** The fixture's objectives' search spaces (scripts/fixtures/optuna_cmaes_sampler.py), in its order. */
const SPACES: Record<string, (t: Trial) => void> = {
  'mixed space, maximize': (t) => {
    t.suggestFloat('x', -5, 10); t.suggestFloat('lr', 1e-4, 1, { log: true }); t.suggestInt('n', 1, 20);
    t.suggestFloat('s', 0, 2, { step: 0.5 }); t.suggestInt('k', 1, 64, { log: true }); t.suggestCategorical('opt', ['a', 'b']);
  },
  integers: (t) => { t.suggestInt('n', 1, 4); t.suggestInt('k', 1, 8, { log: true }); t.suggestFloat('z', 0, 10); },
  'pruned trials counted': (t) => { t.suggestFloat('x', -3, 3); t.suggestFloat('y', -2, 4); },
  'flat values, IPOP restart': (t) => { t.suggestFloat('x', -1, 1); t.suggestFloat('y', 0, 4); },
};
const OPTIONS: Record<string, ConstructorParameters<typeof CmaEsSampler>[0]> = {
  'mixed space, maximize': {},
  integers: {},
  'pruned trials counted': { considerPrunedTrials: true },
  'flat values, IPOP restart': { restartStrategy: 'ipop' },
};

/** max |a − b| / max(1, |b|). */
function relErr(a: readonly number[], b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  return a.reduce((e, v, i) => Math.max(e, Math.abs(v - b[i]!) / Math.max(1, Math.abs(b[i]!))), 0);
}

describe(`CmaEsSampler replays Optuna ${fx.optuna}'s CmaEsSampler (cmaes ${fx.cmaes})`, () => {
  for (const c of fx.cases) {
    it(`${c.name}: the same generations and stored states over ${c.trials.length} trials`, async () => {
      const study = await createStudy({ direction: c.direction, sampler: new CmaEsSampler({ seed: 3, ...OPTIONS[c.name] }), logger: false });
      for (const r of c.trials) await study.enqueueTrial(r.params);
      await study.optimize((t: Trial) => {
        SPACES[c.name]!(t);
        const r = c.trials[t.number]!;
        expect(t.params).toEqual(r.params); // the enqueued values, not the sampler's
        if (r.state === 'COMPLETE') return r.value!;
        for (const [step, v] of Object.entries(r.intermediate)) t.report(v, Number(step));
        throw new TrialPruned();
      }, { nTrials: c.trials.length });
      const ours = study.trials;
      expect(ours.map((t) => t.state)).toEqual(c.trials.map((r) => r.state));
      const optunaOrder = Object.keys(c.trials[0]!.params).filter((k) => typeof c.trials[0]!.params[k] === 'number');
      const perm = [...optunaOrder].sort().map((k) => optunaOrder.indexOf(k)), n = perm.length;
      const permuted = (o: Stored) => ({ mean: perm.map((p) => o.mean[p]!), C: perm.flatMap((p) => perm.map((q) => o.C[p * n + q]!)) });
      let restarted = false, compared = 0;
      c.trials.forEach((r, i) => {
        const sys = ours[i]!.systemAttrs;
        const gen = Object.fromEntries(Object.entries(sys).filter(([k]) => k.startsWith('cma:') && k.endsWith('generation')));
        expect(gen, `generation of trial ${i}`).toEqual(r.generation);
        if (r.nRestarts !== null) expect(sys['cma:n_restarts'], `restarts of trial ${i}`).toBe(r.nRestarts);
        const s = sys['cma:state'] as CmaState | undefined;
        expect(s !== undefined, `trial ${i} stores a state`).toBe(r.stored !== null);
        if (!s || !r.stored) return;
        expect([s.generation, s.populationSize], `trial ${i}`).toEqual([r.stored.generation, r.stored.populationSize]);
        restarted ||= (r.nRestarts ?? 0) > 0;
        if (restarted && r.stored.generation > 0) return; // after the random restart point the states part
        const want = permuted(r.stored);
        if (!restarted) expect(relErr(s.mean, want.mean), `mean stored by trial ${i}`).toBeLessThan(1e-9);
        expect(Math.abs(s.sigma - r.stored.sigma) / r.stored.sigma, `σ stored by trial ${i}`).toBeLessThan(1e-9);
        expect(relErr(s.C, want.C), `C stored by trial ${i}`).toBeLessThan(1e-9);
        compared++;
      });
      expect(compared).toBeGreaterThanOrEqual(4);
      if (c.options.restart_strategy) expect(restarted).toBe(true);
    });
  }
});
