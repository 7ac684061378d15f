// Sampler benchmark (issue 6): median simple regret (best value found − known optimum) after 100
// trials over 20 seeds, for RandomSampler, TPESampler (defaults: univariate, unit-height kernels;
// with true-density kernels as later Optuna; multivariate) and
// QMCSampler on Branin (2-D), Hartmann-6 (6-D) and Rosenbrock (2-D, on [-5, 10]²), run through
// createStudy/optimize; then TPE's own time per sampled trial with 1,000 finished trials in the
// study (objective trivial: the sampler is timed alone on a study view of 1,000 trials).
// Run standalone: node --import tsx bench/tune.ts [--seeds=20] [--trials=100]
import { createStudy } from '../src/tune/create-study.js';
import type { Sampler } from '../src/tune/samplers/sampler.js';
import { RandomSampler } from '../src/tune/samplers/random-sampler.js';
import type { StudyView } from '../src/tune/study-view.js';
import { TPESampler } from '../src/tune/samplers/tpe-sampler.js';
import { QMCSampler } from '../src/tune/samplers/qmc-sampler.js';
import type { Trial } from '../src/tune/trial.js';
import type { FrozenTrial } from '../src/tune/frozen-trial.js';
import { floatDistribution } from '../src/tune/distributions.js';
import { Rng } from '../src/tune/rng.js';

export interface Problem { name: string; dims: Array<[number, number]>; f: (x: number[]) => number; optimum: number }

export const branin: Problem = {
  name: 'Branin (2-D)', dims: [[-5, 10], [0, 15]], optimum: 0.397887357729738,
  f: ([x, y]) => {
    const b = 5.1 / (4 * Math.PI ** 2), c = 5 / Math.PI, t = 1 / (8 * Math.PI);
    return (y! - b * x! ** 2 + c * x! - 6) ** 2 + 10 * (1 - t) * Math.cos(x!) + 10;
  },
};
const H_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]];
const H_P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]];
const H_ALPHA = [1, 1.2, 3, 3.2];
export const hartmann6: Problem = {
  name: 'Hartmann-6 (6-D)', dims: Array.from({ length: 6 }, () => [0, 1] as [number, number]), optimum: -3.32236801141551,
  f: (x) => -H_ALPHA.reduce((s, a, i) => s + a * Math.exp(-x.reduce((e, xj, j) => e + H_A[i]![j]! * (xj - H_P[i]![j]! * 1e-4) ** 2, 0)), 0),
};
export const rosenbrock: Problem = {
  name: 'Rosenbrock (2-D, [-5, 10]²)', dims: [[-5, 10], [-5, 10]], optimum: 0,
  f: ([x, y]) => 100 * (y! - x! ** 2) ** 2 + (1 - x!) ** 2,
};

const SAMPLERS: Array<[string, (seed: number) => Sampler]> = [
  ['Random', (seed) => new RandomSampler({ seed })],
  ['TPE', (seed) => new TPESampler({ seed })],
  ['TPE (density kernels)', (seed) => new TPESampler({ seed, normalizeKernels: true })],
  ['TPE (multivariate)', (seed) => new TPESampler({ seed, multivariate: true })],
  ['QMC (Sobol)', (seed) => new QMCSampler({ seed })],
];

const median = (a: number[]): number => {
  const s = [...a].sort((x, y) => x - y), m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function regret(p: Problem, make: (seed: number) => Sampler, seed: number, nTrials: number): Promise<number> {
  const study = await createStudy({ sampler: make(seed) });
  await study.optimize((t: Trial) => p.f(p.dims.map(([lo, hi], i) => t.suggestFloat(`x${i}`, lo, hi))), { nTrials });
  return study.bestValue - p.optimum;
}

/** TPE's time per sampled trial (all parameters) on a view of `n` finished trials of `dims` parameters. */
function samplerOverhead(n: number, dims: number, multivariate: boolean): number {
  const rng = new Rng(1);
  const dist = floatDistribution('x', 0, 1);
  const mk = (number: number, state: FrozenTrial['state']): FrozenTrial => {
    const params: Record<string, number> = {}, distributions: Record<string, typeof dist> = {};
    for (let j = 0; j < dims; j++) { params[`x${j}`] = rng.uniform(); distributions[`x${j}`] = dist; }
    const value = state === 'COMPLETE' ? Object.values(params).reduce((s, v) => s + (v - 0.3) ** 2, 0) : null;
    return { number, trialId: number, state, params, distributions, value, values: value === null ? null : [value],
      intermediateValues: {}, userAttrs: {}, systemAttrs: {}, datetimeStart: 0, datetimeComplete: 0, durationMs: 0 };
  };
  const trials = Array.from({ length: n }, (_, i) => mk(i, 'COMPLETE'));
  const view: StudyView = { directions: ['minimize'], trials };
  const sampler = new TPESampler({ seed: 1, multivariate });
  const reps = 40;
  const one = (): void => {
    const t = mk(n, 'RUNNING');
    t.params = {}; t.distributions = {};
    const rel = sampler.sampleRelative(view, t);
    for (let j = 0; j < dims; j++) if (!rel || !(`x${j}` in rel.params)) sampler.sampleIndependent(view, t, `x${j}`, dist);
  };
  for (let i = 0; i < 5; i++) one();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) one();
  return (performance.now() - t0) / reps;
}

export async function runTuneBench({ seeds = 20, nTrials = 100 }: { seeds?: number; nTrials?: number } = {}): Promise<string> {
  const problems = [branin, hartmann6, rosenbrock];
  const rows: string[] = [];
  const t0 = performance.now();
  for (const p of problems) {
    const cells: string[] = [];
    for (const [, make] of SAMPLERS) {
      const r: number[] = [];
      for (let s = 0; s < seeds; s++) r.push(await regret(p, make, s, nTrials));
      cells.push(median(r).toPrecision(3));
    }
    rows.push(`| ${p.name} | ${cells.join(' | ')} |`);
  }
  const secs = (performance.now() - t0) / 1000;
  const over = [[2, false], [6, false], [6, true]] as const;
  const overRows = over.map(([d, mv]) => `| ${d} | ${mv ? 'multivariate' : 'univariate'} | ${samplerOverhead(1000, d, mv).toFixed(2)} |`);
  return [
    `Median simple regret after ${nTrials} trials over ${seeds} seeds (lower is better; ${secs.toFixed(1)} s in all):`,
    '',
    `| Function | ${SAMPLERS.map(([n]) => n).join(' | ')} |`,
    `|---|${SAMPLERS.map(() => '---:').join('|')}|`,
    ...rows,
    '',
    'TPE sampling time per trial with 1,000 finished trials in the study (all parameters of one trial):',
    '',
    '| Parameters | Mode | ms / trial |',
    '|---:|---|---:|',
    ...overRows,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (k: string) => process.argv.find((a) => a.startsWith(`--${k}=`))?.split('=')[1];
  console.log(await runTuneBench({ seeds: Number(arg('seeds') ?? 20), nTrials: Number(arg('trials') ?? 100) }));
}
