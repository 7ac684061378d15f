// GPSampler on constrained problems (issue 18, item 4): how many of the last 20 of 30 trials are
// feasible, and the best feasible value, with constraint-awareness (the constraint given with
// trial.setConstraint) and without (the same objective, the constraint only counted afterwards),
// over seeds; constrained TPE beside them for scale. Deterministic (counts and values, no clock).
//   ring:   min (x − 3)² + (y − 3)² s.t. x + y ≤ 2 on [−3, 3]²; optimum (1, 1), value 8, outside
//           the unconstrained optimum (3, 3). The test tests/tune/gp-constraints.test.ts runs seed 2.
//   disc:   min x + y s.t. (x + 2)² + (y + 2)² ≤ 1/4 and x − y ≤ 0.3 on [−3, 3]²; optimum −4 − √2/2
//           ≈ −4.7071 on the disc's edge. The feasible region is 2% of the box: the 10 random
//           startup trials are usually all infeasible, so the GP starts from log P(feasible) alone.
//
//   node --import tsx bench/gp-constraints.ts [--seeds=10]
import { createStudy } from '../src/tune/create-study.js';
import { GPSampler } from '../src/tune/samplers/gp/gp-sampler.js';
import { TPESampler } from '../src/tune/samplers/tpe-sampler.js';
import type { Sampler } from '../src/tune/samplers/sampler.js';
import type { Trial } from '../src/tune/trial.js';

interface Constrained { name: string; f: (x: number, y: number) => number; c: (x: number, y: number) => number[]; optimum: number }
const PROBLEMS: Constrained[] = [
  { name: 'ring', f: (x, y) => (x - 3) ** 2 + (y - 3) ** 2, c: (x, y) => [x + y - 2], optimum: 8 },
  { name: 'disc', f: (x, y) => x + y, c: (x, y) => [(x + 2) ** 2 + (y + 2) ** 2 - 0.25, x - y - 0.3], optimum: -4 - Math.SQRT1_2 },
];
const SAMPLERS: Array<{ name: string; aware: boolean; make: (seed: number) => Sampler }> = [
  { name: 'GP, constrained', aware: true, make: (seed) => new GPSampler({ seed }) },
  { name: 'GP, unaware', aware: false, make: (seed) => new GPSampler({ seed }) },
  { name: 'TPE, constrained', aware: true, make: (seed) => new TPESampler({ seed }) },
];
const N_TRIALS = 30, LATE = 20;

/** Feasible trials among the last LATE, and the best feasible value (Infinity: none). */
export async function runOne(p: Constrained, s: (typeof SAMPLERS)[number], seed: number): Promise<{ late: number; best: number }> {
  const study = await createStudy({ sampler: s.make(seed), logger: false });
  await study.optimize((t: Trial) => {
    const x = t.suggestFloat('x', -3, 3), y = t.suggestFloat('y', -3, 3);
    if (s.aware) t.setConstraint(p.c(x, y));
    return p.f(x, y);
  }, { nTrials: N_TRIALS });
  const feasible = study.trials.map((t) => p.c(t.params.x as number, t.params.y as number).every((v) => v <= 0));
  const late = feasible.slice(-LATE).filter(Boolean).length;
  const best = Math.min(Infinity, ...study.trials.filter((_, i) => feasible[i]).map((t) => t.value!));
  return { late, best };
}

const median = (a: number[]): number => { const s = [...a].sort((x, y) => x - y), m = s.length >> 1; return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2; };

export async function runGpConstraintsBench(seeds = 10): Promise<string> {
  const lines = [`Feasible among the last ${LATE} of ${N_TRIALS} trials (per seed 0…${seeds - 1}) and the median regret of the best feasible value:`, '',
    '| Problem | Sampler | late feasible per seed | mean | median regret |', '|---|---|---|---:|---:|'];
  for (const p of PROBLEMS) {
    for (const s of SAMPLERS) {
      const runs: Array<{ late: number; best: number }> = [];
      for (let seed = 0; seed < seeds; seed++) runs.push(await runOne(p, s, seed));
      const mean = runs.reduce((a, r) => a + r.late, 0) / seeds;
      lines.push(`| ${p.name} | ${s.name} | ${runs.map((r) => r.late).join(' ')} | ${mean.toFixed(1)} | ${median(runs.map((r) => r.best - p.optimum)).toPrecision(3)} |`);
    }
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const seeds = Number(process.argv.find((a) => a.startsWith('--seeds='))?.slice(8) ?? 10);
  console.log(await runGpConstraintsBench(seeds));
}
