// TPE's Parzen estimator against Optuna 3.1's (tests/fixtures/optuna-parzen.json, written by
// scripts/fixtures/optuna_parzen.py): log l(x) for fixed observations and points, for every
// distribution kind, univariate and multivariate, with unit-height kernels (Optuna 3.1 as
// shipped) and with true densities (later Optuna).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { categoricalDistribution, floatDistribution, intDistribution, toInternal, type Distribution } from '../../src/tune/distributions.js';
import { dimOf, ParzenEstimator } from '../../src/tune/samplers/parzen-estimator.js';
import { defaultWeights } from '../../src/tune/samplers/tpe-sampler.js';

interface Spec { kind: 'float' | 'int' | 'categorical'; low?: number; high?: number; log?: boolean; step?: number; choices?: string[] }
interface Case { space: Record<string, Spec>; multivariate: boolean; observations: Record<string, number[]>; points: Record<string, number[]>; unit: number[]; density: number[] }
const fixture = JSON.parse(readFileSync(new URL('../fixtures/optuna-parzen.json', import.meta.url), 'utf8')) as { cases: Case[] };

function distribution(name: string, s: Spec): Distribution {
  if (s.kind === 'categorical') return categoricalDistribution(name, s.choices!);
  if (s.kind === 'int') return intDistribution(name, s.low!, s.high!, { log: s.log ?? false, step: s.step ?? 1 });
  return floatDistribution(name, s.low!, s.high!, { log: s.log ?? false, step: s.step ?? null });
}

/** External fixture values (categoricals as indices) in the estimator's internal space. */
function internal(d: Distribution, values: number[]): Float64Array {
  return Float64Array.from(values, (v) => (d.kind === 'categorical' ? v : toInternal(d, v)));
}

describe('ParzenEstimator matches Optuna 3.1', () => {
  fixture.cases.forEach((c, i) => {
    const names = Object.keys(c.space);
    const n = c.observations[names[0]!]!.length;
    it(`case ${i}: ${names.join('+')}, ${n} observations${c.multivariate ? ', multivariate' : ''}`, () => {
      const dists = names.map((k) => distribution(k, c.space[k]!));
      for (const mode of ['unit', 'density'] as const) {
        const pe = new ParzenEstimator(dists.map(dimOf), dists.map((d, j) => internal(d, c.observations[names[j]!]!)), {
          priorWeight: 1, considerMagicClip: true, considerEndpoints: false, multivariate: c.multivariate,
          weights: defaultWeights, normalizeKernels: mode === 'density',
        });
        const got = pe.logPdf(dists.map((d, j) => internal(d, c.points[names[j]!]!)));
        c[mode].forEach((want, p) => expect(got[p], `${mode} point ${p}`).toBeCloseTo(want, 5)); // erfc to ~1e-7 relative
      }
    });
  });
});
