// Two independent samples of one benchmark figure (per-seed results of simdgrad's sampler and of
// Optuna's, which draw different random numbers, so seed s of one has nothing to do with seed s of
// the other): is a gap between their medians a difference between the samplers or seed-to-seed
// spread? The two-sided Mann–Whitney p and a bootstrap interval of the ratio of medians.
import { normalCdf } from '../src/tune/samplers/gp/erfcx.js';
import type { Rng } from '../src/tune/rng.js';
import { median } from './regret.js';

/** Two-sided p of the Mann–Whitney U test (normal approximation, ties corrected). */
export function mannWhitneyP(a: readonly number[], b: readonly number[]): number {
  const all = [...a.map((v) => ({ v, g: 0 })), ...b.map((v) => ({ v, g: 1 }))].sort((x, y) => x.v - y.v);
  const n1 = a.length, n2 = b.length, n = n1 + n2;
  let r1 = 0, ties = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j < n && all[j]!.v === all[i]!.v) j++;
    const rank = (i + j + 1) / 2, t = j - i; // ranks i+1 … j share their mean
    ties += t ** 3 - t;
    for (let k = i; k < j; k++) if (all[k]!.g === 0) r1 += rank;
    i = j;
  }
  const u = r1 - n1 * (n1 + 1) / 2, mu = n1 * n2 / 2;
  const sd = Math.sqrt(n1 * n2 / 12 * (n + 1 - ties / (n * (n - 1))));
  const z = Math.abs(u - mu) / sd;
  return 2 * normalCdf(-z);
}

/** The 2.5% and 97.5% quantiles of median(ours*) / median(theirs*) over bootstrap resamples of both sides. */
export function bootstrapRatio(ours: readonly number[], theirs: readonly number[], rng: Rng, draws = 2000): [number, number] {
  const resample = (a: readonly number[]) => median(Array.from(a, () => a[rng.below(a.length)]!));
  const r = Array.from({ length: draws }, () => resample(ours) / resample(theirs)).sort((x, y) => x - y);
  return [r[Math.floor(0.025 * draws)]!, r[Math.ceil(0.975 * draws) - 1]!];
}
