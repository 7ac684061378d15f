// Sampler regret benchmark (issue 18): median simple regret (best value found − known optimum)
// after 30, 60 and 100 trials over 30 seeds (0…29), for simdgrad's RandomSampler, TPESampler,
// GPSampler, CmaEsSampler and QMCSampler (defaults) on Branin (2-D), Hartmann-6, Rosenbrock-4 on
// [-5, 10]⁴ and Ackley-5 on [-15, 30]⁵ (asymmetric, so that the centre CMA-ES starts from is not
// the optimum), beside Optuna 3.1's TPE, CMA-ES and Random on the same problems, seeds and budgets
// — read from bench/data/optuna-regret.json, which `bench/optuna-tpe-regret.py --write` writes
// (CI never runs Python). Regret values are deterministic (seeded); the GP's time per trial at 200
// trials (its sampling on Hartmann-6: wall clock, and CPU time, which a loaded machine inflates
// less) depends on the machine and its load.
// Run standalone: node --import tsx bench/regret.ts [--seeds=30] [--samplers=CMA-ES,TPE] (Optuna's
// numbers are taken over the same first seeds of the data file, which holds 100).
import { existsSync, readFileSync } from 'node:fs';
import { createStudy } from '../src/tune/create-study.js';
import type { Sampler } from '../src/tune/samplers/sampler.js';
import { RandomSampler } from '../src/tune/samplers/random-sampler.js';
import { TPESampler } from '../src/tune/samplers/tpe-sampler.js';
import { QMCSampler } from '../src/tune/samplers/qmc-sampler.js';
import { GPSampler } from '../src/tune/samplers/gp/gp-sampler.js';
import { CmaEsSampler } from '../src/tune/samplers/cmaes/cmaes-sampler.js';
import type { Trial } from '../src/tune/trial.js';
import { branin, hartmann6, type Problem } from './tune.js';

export const rosenbrock4: Problem = {
  name: 'Rosenbrock-4 ([-5, 10]⁴)', dims: Array.from({ length: 4 }, () => [-5, 10] as [number, number]), optimum: 0,
  f: (x) => x.slice(0, -1).reduce((s, v, i) => s + 100 * (x[i + 1]! - v * v) ** 2 + (1 - v) ** 2, 0),
};
export const ackley5: Problem = {
  name: 'Ackley-5 ([-15, 30]⁵)', dims: Array.from({ length: 5 }, () => [-15, 30] as [number, number]), optimum: 0,
  f: (x) => {
    const n = x.length, sq = x.reduce((s, v) => s + v * v, 0), cs = x.reduce((s, v) => s + Math.cos(2 * Math.PI * v), 0);
    return -20 * Math.exp(-0.2 * Math.sqrt(sq / n)) - Math.exp(cs / n) + 20 + Math.E;
  },
};

/** Keys as in bench/data/optuna-regret.json. */
export const PROBLEMS: Array<[string, Problem]> = [['branin', branin], ['h6', hartmann6], ['rosenbrock4', rosenbrock4], ['ackley5', ackley5]];
const SAMPLERS: Array<[string, (seed: number) => Sampler]> = [
  ['Random', (seed) => new RandomSampler({ seed })],
  ['TPE', (seed) => new TPESampler({ seed })],
  ['GP', (seed) => new GPSampler({ seed })],
  ['CMA-ES', (seed) => new CmaEsSampler({ seed })],
  ['QMC', (seed) => new QMCSampler({ seed })],
];
const OPTUNA: Array<[string, string]> = [['tpe', 'Optuna TPE'], ['cmaes', 'Optuna CMA-ES'], ['random', 'Optuna Random']];
export const BUDGETS = [30, 60, 100];

interface OptunaData { optuna: string; seeds: number; budgets: number[]; results: Record<string, Record<string, Record<string, number[]>>> }

export const median = (a: readonly number[]): number => {
  const s = [...a].sort((x, y) => x - y), m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Simple regret after each budget of one seeded run. */
export async function regrets(p: Problem, make: (seed: number) => Sampler, seed: number): Promise<number[]> {
  const study = await createStudy({ sampler: make(seed), logger: false });
  await study.optimize((t: Trial) => p.f(p.dims.map(([lo, hi], i) => t.suggestFloat(`x${i}`, lo, hi))), { nTrials: Math.max(...BUDGETS) });
  const values = study.trials.map((t) => t.value!);
  return BUDGETS.map((b) => Math.min(...values.slice(0, b)) - p.optimum);
}

/** GPSampler's sampling time for trials 195…204 of a Hartmann-6 study (medians): wall clock, and this process's CPU time. */
async function gpTimeAt200(): Promise<{ wall: number; cpu: number }> {
  const gp = new GPSampler({ seed: 0 }), wall: number[] = [], cpu: number[] = [];
  const timed: Sampler = {
    sampleRelative: (s, t) => {
      const w0 = performance.now(), c0 = process.cpuUsage();
      const r = gp.sampleRelative(s, t);
      const c = process.cpuUsage(c0);
      if (t.number >= 195) { wall.push(performance.now() - w0); cpu.push((c.user + c.system) / 1000); }
      return r;
    },
    sampleIndependent: (s, t, n, d) => gp.sampleIndependent(s, t, n, d),
  };
  const study = await createStudy({ sampler: timed, logger: false });
  const p = hartmann6;
  await study.optimize((t: Trial) => p.f(p.dims.map(([lo, hi], i) => t.suggestFloat(`x${i}`, lo, hi))), { nTrials: 205 });
  return { wall: median(wall), cpu: median(cpu) };
}

export async function runRegretBench({ seeds = 30, samplers = SAMPLERS.map(([n]) => n) }: { seeds?: number; samplers?: string[] } = {}): Promise<string> {
  const unknown = samplers.filter((n) => !SAMPLERS.some(([m]) => m === n));
  if (unknown.length) throw new RangeError(`regret bench: unknown sampler ${unknown.join(', ')} (one of ${SAMPLERS.map(([n]) => n).join(', ')})`);
  const chosen = SAMPLERS.filter(([n]) => samplers.includes(n));
  const t0 = performance.now();
  const ours = new Map<string, number[][]>(); // `${problem}/${sampler}` → per budget, per seed
  for (const [key, p] of PROBLEMS) {
    for (const [name, make] of chosen) {
      const rows: number[][] = [];
      for (let s = 0; s < seeds; s++) rows.push(await regrets(p, make, s));
      ours.set(`${key}/${name}`, BUDGETS.map((_, i) => rows.map((r) => r[i]!)));
    }
  }
  const secs = (performance.now() - t0) / 1000;
  const file = new URL('./data/optuna-regret.json', import.meta.url);
  const optuna = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) as OptunaData : null;
  const theirSeeds = Math.min(seeds, optuna?.seeds ?? 0);
  const fmt = (v: number | undefined) => (v === undefined ? '—' : v.toPrecision(3));
  const ourMedian = (key: string, name: string, bi: number) => median(ours.get(`${key}/${name}`)![bi]!);
  const theirMedian = (key: string, name: string, b: number) => {
    const v = optuna?.results[key]?.[name]?.[String(b)];
    return v ? median(v.slice(0, theirSeeds)) : undefined; // the same seeds as ours
  };
  const out: string[] = [
    `Median simple regret over ${seeds} seeds (seeds 0…${seeds - 1}; lower is better; simdgrad's samplers with their defaults, ${secs.toFixed(0)} s in all)` +
      (optuna ? `, beside Optuna ${optuna.optuna}'s over seeds 0…${theirSeeds - 1} (bench/data/optuna-regret.json):` : ' (no Optuna data: run bench/optuna-tpe-regret.py --write):'),
  ];
  BUDGETS.forEach((b, bi) => {
    out.push('', `After ${b} trials:`, '',
      `| Function | ${chosen.map(([n]) => n).join(' | ')} | ${OPTUNA.map(([, n]) => n).join(' | ')} |`,
      `|---|${[...chosen, ...OPTUNA].map(() => '---:').join('|')}|`);
    for (const [key, p] of PROBLEMS) {
      out.push(`| ${p.name} | ${chosen.map(([n]) => fmt(ourMedian(key, n, bi))).join(' | ')} | ${OPTUNA.map(([k]) => fmt(theirMedian(key, k, b))).join(' | ')} |`);
    }
  });
  const i60 = BUDGETS.indexOf(60), has = (n: string) => samplers.includes(n);
  out.push('', 'Goals (ratios of medians):', '');
  for (const key of has('GP') && has('TPE') ? ['branin', 'h6'] : []) {
    const r = ourMedian(key, 'GP', i60) / ourMedian(key, 'TPE', i60);
    out.push(`- GP / TPE at 60 trials on ${PROBLEMS.find(([k]) => k === key)![1].name}: ${r.toPrecision(3)} (goal ≤ 0.5)`);
  }
  for (const [key, p] of has('CMA-ES') ? PROBLEMS : []) {
    const ratios = BUDGETS.map((b, bi) => { const t = theirMedian(key, 'cmaes', b); return t === undefined ? '—' : (ourMedian(key, 'CMA-ES', bi) / t).toPrecision(3); });
    out.push(`- CMA-ES / Optuna CMA-ES on ${p.name} at ${BUDGETS.join(', ')} trials: ${ratios.join(', ')} (goal ≤ 1.25)`);
  }
  if (!has('GP')) return out.join('\n');
  const time = await gpTimeAt200();
  out.push('', `GPSampler's sampling time per trial at 200 trials (Hartmann-6, median of trials 195–204; indicative, the machine is shared): ` +
    `${time.wall.toFixed(0)} ms wall clock, ${time.cpu.toFixed(0)} ms of CPU time (goal < 150 ms).`);
  return out.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (k: string) => process.argv.find((a) => a.startsWith(`--${k}=`))?.split('=')[1];
  const samplers = arg('samplers')?.split(',');
  console.log(await runRegretBench({ seeds: Number(arg('seeds') ?? 30), ...(samplers ? { samplers } : {}) }));
}
