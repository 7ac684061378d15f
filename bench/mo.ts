// Multi-objective benchmark (issue 18): the hypervolume of the Pareto front after 200 trials on
// ZDT1, ZDT2, ZDT3 (30 parameters, 2 objectives) and DTLZ2 (12 parameters, 3 objectives), median
// and quartiles over 20 seeds, for NSGAIISampler (Optuna 3.1's defaults; and with SBX crossover),
// multi-objective TPESampler and RandomSampler, run through createStudy/optimize — beside Optuna
// 3.1's NSGAIISampler and MOTPESampler on the same problems, trials and reference points, read from
// bench/optuna-mo-hypervolume.json (written by bench/optuna-mo-hypervolume.py; CI never runs
// Python). Every Optuna front's hypervolume is recomputed here with sg.tune.hypervolume and must
// equal Optuna's WFG value. The optimal hypervolume HV* is the closed form (ZDT1, ZDT2: r1·r2 minus
// the area under the front; DTLZ2: the box minus the unit ball's octant) or that of the true front
// sampled at 200,001 points (ZDT3; for ZDT1 and ZDT2 the sample must agree with the closed form).
// Reference points: (1.1, 11) for ZDT — every point a ZDT problem can produce lies inside — and
// (3.5, 3.5, 3.5) for DTLZ2, likewise. Then each of ours against its Optuna counterpart as two
// independent samples (bench/two-sample.ts): NSGA-II against NSGAIISampler over 200 seeds a side
// (Optuna's hypervolumes alone in bench/data/optuna-mo-nsgaii.json), TPE against MOTPESampler over
// the table's seeds. Deterministic: seeds 0…n−1, seeded resampling. Last, the time per trial of a
// long NSGA-II study on ZDT1 (3,000 trials, in blocks of 1,000) beside RandomSampler's, which is the
// study's own cost: a sampler's work per trial must not grow with the study.
// Run standalone: node --import tsx bench/mo.ts [--seeds=20] [--trials=200] [--spread=200]
import { readFileSync } from 'node:fs';
import { createStudy } from '../src/tune/create-study.js';
import type { Sampler } from '../src/tune/samplers/sampler.js';
import { NSGAIISampler } from '../src/tune/samplers/nsgaii-sampler.js';
import { SBXCrossover } from '../src/tune/samplers/nsgaii-crossover.js';
import { TPESampler } from '../src/tune/samplers/tpe-sampler.js';
import { RandomSampler } from '../src/tune/samplers/random-sampler.js';
import type { Trial } from '../src/tune/trial.js';
import { hypervolume } from '../src/tune/hypervolume.js';
import { Rng } from '../src/tune/rng.js';
import { bootstrapRatio, mannWhitneyP } from './two-sample.js';

export interface MoProblem {
  key: string; name: string; dims: number; objectives: number; reference: number[];
  f: (x: number[]) => number[];
  /** The true Pareto front, sampled densely (2 objectives). */
  front?: () => number[][];
  /** HV* in closed form, where there is one. */
  optimum?: number;
}

const zdtG = (x: number[]) => 1 + (9 * x.slice(1).reduce((a, b) => a + b, 0)) / (x.length - 1);
const zdt = (key: string, h: (r: number, f1: number) => number, optimum?: number): MoProblem => ({
  key, name: `${key.toUpperCase()} (30-D)`, dims: 30, objectives: 2, reference: [1.1, 11],
  f: (x) => { const g = zdtG(x); return [x[0]!, g * h(x[0]! / g, x[0]!)]; },
  front: () => Array.from({ length: 200_001 }, (_, i) => { const f1 = i / 200_000; return [f1, h(f1, f1)]; }),
  ...(optimum !== undefined ? { optimum } : {}),
});
export const PROBLEMS: MoProblem[] = [
  zdt('zdt1', (r) => 1 - Math.sqrt(r), 1.1 * 11 - 1 / 3),
  zdt('zdt2', (r) => 1 - r * r, 1.1 * 11 - 2 / 3),
  zdt('zdt3', (r, f1) => 1 - Math.sqrt(r) - r * Math.sin(10 * Math.PI * f1)),
  {
    key: 'dtlz2', name: 'DTLZ2 (12-D, 3 objectives)', dims: 12, objectives: 3, reference: [3.5, 3.5, 3.5], optimum: 3.5 ** 3 - Math.PI / 6,
    f: (x) => {
      const g = x.slice(2).reduce((s, v) => s + (v - 0.5) ** 2, 0), a = (x[0]! * Math.PI) / 2, b = (x[1]! * Math.PI) / 2;
      return [(1 + g) * Math.cos(a) * Math.cos(b), (1 + g) * Math.cos(a) * Math.sin(b), (1 + g) * Math.sin(a)];
    },
  },
];

const SAMPLERS: Array<[string, (seed: number) => Sampler]> = [
  ['NSGA-II', (seed) => new NSGAIISampler({ seed })],
  ['NSGA-II (SBX)', (seed) => new NSGAIISampler({ seed, crossover: new SBXCrossover() })],
  ['TPE', (seed) => new TPESampler({ seed })],
  ['Random', (seed) => new RandomSampler({ seed })],
];
const OPTUNA = ['NSGAIISampler', 'MOTPESampler'] as const;

interface OptunaRuns { optuna: string; trials: number; seeds: number; results: Record<string, { reference: number[]; samplers: Record<string, Array<{ seed: number; hypervolume: number; front?: number[][] }>> }> }

const quantile = (a: number[], q: number): number => {
  const s = [...a].sort((x, y) => x - y), p = (s.length - 1) * q, lo = Math.floor(p);
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (p - lo);
};
const cell = (a: number[], digits: number) => `${quantile(a, 0.5).toFixed(digits)} (${quantile(a, 0.25).toFixed(digits)}–${quantile(a, 0.75).toFixed(digits)})`;

/** The hypervolume of one seeded study's Pareto front after nTrials. */
export async function runOnce(p: MoProblem, sampler: Sampler, nTrials: number): Promise<number> {
  const study = await createStudy({ directions: new Array(p.objectives).fill('minimize'), sampler, logger: false });
  await study.optimize((t: Trial) => p.f(Array.from({ length: p.dims }, (_, i) => t.suggestFloat(`x${i}`, 0, 1))), { nTrials });
  return hypervolume(study.bestTrials.map((t) => t.values!), p.reference);
}

/** Optuna's runs, each front's hypervolume checked against ours. */
function optunaRuns(): OptunaRuns {
  const data = JSON.parse(readFileSync(new URL('./optuna-mo-hypervolume.json', import.meta.url), 'utf8')) as OptunaRuns;
  for (const p of PROBLEMS) {
    const r = data.results[p.key];
    if (!r || r.reference.join() !== p.reference.join()) throw new Error(`bench/optuna-mo-hypervolume.json: ${p.key} missing or with another reference point`);
    for (const name of OPTUNA) for (const run of r.samplers[name] ?? []) {
      const ours = hypervolume(run.front!, p.reference);
      if (Math.abs(ours - run.hypervolume) > 1e-9 * Math.max(1, ours)) throw new Error(`${p.key} ${name} seed ${run.seed}: hypervolume ${ours}, Optuna's WFG ${run.hypervolume}`);
    }
  }
  return data;
}

/** "20 seeds" when every Optuna sampler ran as many on every problem, else the range per sampler. */
function optunaSeeds(py: OptunaRuns): string {
  const counts = OPTUNA.map((n) => Object.values(py.results).map((r) => r.samplers[n]?.length ?? 0));
  const flat = counts.flat();
  if (Math.min(...flat) === Math.max(...flat)) return `${flat[0]} seeds`;
  return OPTUNA.map((n, i) => {
    const lo = Math.min(...counts[i]!), hi = Math.max(...counts[i]!);
    return `${n} ${lo === hi ? lo : `${lo}–${hi}`} seeds`;
  }).join(', ');
}

/** Optuna's NSGAIISampler over many seeds, hypervolumes only (same problems, trials, references). */
function optunaSpread(trials: number): OptunaRuns {
  const data = JSON.parse(readFileSync(new URL('./data/optuna-mo-nsgaii.json', import.meta.url), 'utf8')) as OptunaRuns;
  if (data.trials !== trials) throw new Error(`bench/data/optuna-mo-nsgaii.json has ${data.trials} trials, the bench runs ${trials}`);
  for (const p of PROBLEMS) {
    const r = data.results[p.key];
    if (!r || r.reference.join() !== p.reference.join()) throw new Error(`bench/data/optuna-mo-nsgaii.json: ${p.key} missing or with another reference point`);
    r.samplers.NSGAIISampler!.forEach((run, i) => { if (run.seed !== i) throw new Error(`bench/data/optuna-mo-nsgaii.json: ${p.key} seed ${run.seed} at ${i}`); });
  }
  return data;
}

export async function runMoBench({ seeds = 20, nTrials = 200, spread = 200 }: { seeds?: number; nTrials?: number; spread?: number } = {}): Promise<string> {
  const py = optunaRuns(), pySpread = optunaSpread(nTrials);
  spread = Math.min(spread, Math.min(...PROBLEMS.map((p) => pySpread.results[p.key]!.samplers.NSGAIISampler!.length)));
  const rows: string[] = [], gaps: string[] = [], tests: string[] = [], rng = new Rng(2026);
  const median = (a: number[]) => quantile(a, 0.5);
  const pValue = (p: number) => (p < 0.01 ? p.toExponential(1) : p.toFixed(2));
  const compare = (problem: string, pair: string, ours: number[], theirs: number[]) => {
    const [lo, hi] = bootstrapRatio(ours, theirs, rng);
    tests.push(`| ${problem} | ${pair} | ${ours.length} / ${theirs.length} | ${median(ours).toFixed(3)} | ${median(theirs).toFixed(3)} | ` +
      `${(median(ours) / median(theirs)).toFixed(4)} | ${lo.toFixed(4)}–${hi.toFixed(4)} | ${pValue(mannWhitneyP(ours, theirs))} |`);
  };
  const t0 = performance.now();
  for (const p of PROBLEMS) {
    const sampled = p.front ? hypervolume(p.front(), p.reference) : undefined;
    if (p.optimum !== undefined && sampled !== undefined && Math.abs(sampled - p.optimum) > 1e-4) throw new Error(`${p.key}: sampled front HV* ${sampled}, closed form ${p.optimum}`);
    const hv = p.optimum ?? sampled!;
    const ours: number[][] = [];
    for (const [, make] of SAMPLERS) {
      const r: number[] = [];
      for (let s = 0; s < seeds; s++) r.push(await runOnce(p, make(s), nTrials));
      ours.push(r);
    }
    const theirs = OPTUNA.map((n) => py.results[p.key]!.samplers[n]!.map((run) => run.hypervolume));
    const all = [...ours, ...theirs];
    const mine = (name: string) => ours[SAMPLERS.findIndex(([n]) => n === name)]!;
    const nsga = [...mine('NSGA-II')], theirNsga = pySpread.results[p.key]!.samplers.NSGAIISampler!.slice(0, spread).map((run) => run.hypervolume);
    for (let s = seeds; s < theirNsga.length; s++) nsga.push(await runOnce(p, new NSGAIISampler({ seed: s }), nTrials));
    compare(p.name, 'NSGA-II / NSGAIISampler', nsga.slice(0, theirNsga.length), theirNsga);
    compare(p.name, 'TPE / MOTPESampler', mine('TPE'), theirs[OPTUNA.indexOf('MOTPESampler')]!);
    rows.push(`| ${p.name} | ${hv.toFixed(4)} | ${all.map((r) => cell(r, 3)).join(' | ')} |`);
    gaps.push(`| ${p.name} | ${all.map((r) => (hv - quantile(r, 0.5)).toFixed(3)).join(' | ')} |`);
  }
  const secs = (performance.now() - t0) / 1000;
  const timing: string[] = [];
  for (const [name, make] of [['NSGA-II', () => new NSGAIISampler({ seed: 0 })], ['Random', () => new RandomSampler({ seed: 0 })]] as const) {
    const p = PROBLEMS[0]!, study = await createStudy({ directions: ['minimize', 'minimize'], sampler: make(), logger: false });
    const per: string[] = [];
    for (let block = 0; block < 3; block++) {
      const t = performance.now();
      await study.optimize((tr: Trial) => p.f(Array.from({ length: p.dims }, (_, i) => tr.suggestFloat(`x${i}`, 0, 1))), { nTrials: 1000 });
      per.push(((performance.now() - t) / 1000).toFixed(2));
    }
    timing.push(`| ${name} | ${per.join(' | ')} |`);
  }
  const heads = [...SAMPLERS.map(([n]) => n), ...OPTUNA.map((n) => `Optuna ${n}`)];
  return [
    `Hypervolume of the Pareto front after ${nTrials} trials, median (quartiles) over ${seeds} seeds (higher is better; ` +
      `reference (1.1, 11) for ZDT, (3.5, 3.5, 3.5) for DTLZ2; HV* is the true front's; Optuna ${py.optuna}, ${py.trials} trials: ${optunaSeeds(py)}; ${secs.toFixed(0)} s here):`,
    '',
    `| Problem | HV* | ${heads.join(' | ')} |`,
    `|---|---:|${heads.map(() => '---:').join('|')}|`,
    ...rows,
    '',
    'Median gap to the true front, HV* − HV (lower is better):',
    '',
    `| Problem | ${heads.join(' | ')} |`,
    `|---|${heads.map(() => '---:').join('|')}|`,
    ...gaps,
    '',
    `Ours against Optuna's as two independent samples (the libraries draw different random numbers): ratio of the median hypervolumes ` +
      `(above 1: ours higher), its bootstrap 95% interval and the two-sided Mann–Whitney p; NSGA-II over seeds 0…${spread - 1} on each side ` +
      `(Optuna's from bench/data/optuna-mo-nsgaii.json), TPE over the table's seeds:`,
    '',
    '| Problem | simdgrad / Optuna | seeds | simdgrad | Optuna | ratio | 95% CI of ratio | p |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
    ...tests,
    '',
    `Time per trial of one long study on ${PROBLEMS[0]!.name} (ms, wall clock, whole trial: sampling, the objective, storage; RandomSampler's is the study's own cost):`,
    '',
    '| Sampler | trials 1–1,000 | 1,001–2,000 | 2,001–3,000 |',
    '|---|---:|---:|---:|',
    ...timing,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (k: string) => process.argv.find((a) => a.startsWith(`--${k}=`))?.split('=')[1];
  console.log(await runMoBench({ seeds: Number(arg('seeds') ?? 20), nTrials: Number(arg('trials') ?? 200), spread: Number(arg('spread') ?? 200) }));
}
