// CmaEsSampler against Optuna 3.1's over many seeds (issue 18's goal: median simple regret within
// 1.25× of Optuna's at 30, 60 and 100 trials): is a gap between two medians of 30 seeds a
// difference between the samplers or seed-to-seed spread? The two libraries draw different random
// numbers, so seed s of one has nothing to do with seed s of the other: the comparison is of two
// independent samples, not paired. For each function and budget it prints, over N seeds on both
// sides (bench/data/optuna-cmaes-regret.json, which `bench/optuna-tpe-regret.py --write-cmaes`
// writes): both medians and their ratio, a bootstrap 95% interval of that ratio, the two-sided
// Mann–Whitney p (normal approximation with the tie correction) — and, from Optuna's seeds alone,
// how often two disjoint blocks of 30 of its own seeds are more than 1.25× apart, i.e. how often
// the goal fails at 30 seeds with the same sampler on both sides.
// Deterministic (seeded samplers and resampling). Run: node --import tsx bench/cmaes-spread.ts [--seeds=N]
import { readFileSync } from 'node:fs';
import { CmaEsSampler } from '../src/tune/samplers/cmaes/cmaes-sampler.js';
import { Rng } from '../src/tune/rng.js';
import { BUDGETS, PROBLEMS, median, regrets } from './regret.js';
import { bootstrapRatio, mannWhitneyP } from './two-sample.js';

interface OptunaCmaes { optuna: string; seeds: number; results: Record<string, { cmaes: Record<string, number[]> }> }

/** Of `pairs` draws of two disjoint blocks of 30 seeds from `values`, the share whose medians differ by more than 1.25×. */
function chanceOfGap(values: readonly number[], rng: Rng, pairs = 2000): number {
  let over = 0;
  for (let i = 0; i < pairs; i++) {
    const p = rng.permutation(values.length);
    const a = median(Array.from({ length: 30 }, (_, k) => values[p[k]!]!)), b = median(Array.from({ length: 30 }, (_, k) => values[p[30 + k]!]!));
    if (Math.max(a / b, b / a) > 1.25) over++;
  }
  return over / pairs;
}

export async function runCmaesSpread(seeds?: number): Promise<string> {
  const data = JSON.parse(readFileSync(new URL('./data/optuna-cmaes-regret.json', import.meta.url), 'utf8')) as OptunaCmaes;
  const n = Math.min(seeds ?? data.seeds, data.seeds), rng = new Rng(2024);
  const fmt = (v: number) => v.toPrecision(3);
  const out = [
    `CmaEsSampler against Optuna ${data.optuna}'s CmaEsSampler, median simple regret over seeds 0…${n - 1} on each side ` +
      '(independent samples: the two draw different random numbers). "95% CI" bootstraps the ratio of medians; "p" is the two-sided ' +
      "Mann–Whitney test; \"Optuna vs Optuna > 1.25×\" is how often two disjoint blocks of 30 of Optuna's own seeds have medians more than 1.25× apart.",
    '', '| Function | trials | simdgrad | Optuna | ratio | 95% CI of ratio | p | Optuna vs Optuna > 1.25× |', '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [key, p] of PROBLEMS) {
    const rows: number[][] = [];
    for (let s = 0; s < n; s++) rows.push(await regrets(p, (seed) => new CmaEsSampler({ seed }), s));
    BUDGETS.forEach((b, bi) => {
      const ours = rows.map((r) => r[bi]!), theirs = data.results[key]!.cmaes[String(b)]!.slice(0, n);
      const [lo, hi] = bootstrapRatio(ours, theirs, rng);
      out.push(`| ${p.name} | ${b} | ${fmt(median(ours))} | ${fmt(median(theirs))} | ${fmt(median(ours) / median(theirs))} | ` +
        `${fmt(lo)}–${fmt(hi)} | ${mannWhitneyP(ours, theirs).toFixed(2)} | ${(100 * chanceOfGap(theirs, rng)).toFixed(0)}% |`);
    });
  }
  return out.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const seeds = process.argv.find((a) => a.startsWith('--seeds='))?.split('=')[1];
  console.log(await runCmaesSpread(seeds === undefined ? undefined : Number(seeds)));
}
