// TPE's defaults chosen by measurement (issue 18, item 6): Optuna 5 makes multivariate TPE and
// constant liar the default; this measures simdgrad's TPE in the four combinations — univariate or
// multivariate, with or without constantLiar — on Branin (2-D), Hartmann-6, Rosenbrock-4 (on
// [-5, 10]⁴) and Ackley-5 (on [-32.768, 32.768]⁵), median simple regret over `seeds` seeds at 30,
// 60 and 100 trials (the best value among trials 0…n−1 of one 100-trial run), run through
// createStudy/optimize twice: sequentially, and at concurrency: 2.
//
// Concurrency 2 is made reproducible: the objective is async and takes a "duration" of 1–8 event
// loop turns (setImmediate), drawn per trial from an Rng seeded by (seed, trial number). Nothing in
// the loop waits on a clock, so the two lanes interleave the same way on every run: while one trial
// "trains", the other lane finishes, tells and samples its next trial, seeing the first one
// RUNNING with its parameters already stored — what constant liar is for. Durations vary so that
// the lanes do not run in lock step (a trial sampled in the same turn as its neighbour would see the
// neighbour without parameters, which real training times make rare). Sequential runs have no other
// RUNNING trial, so constant liar cannot change them: the table shows them equal, as a check.
//
//   node --import tsx bench/tune-defaults.ts [--seeds=100] [--json=out.json]   (≈ 13 min at 100 seeds)
import { writeFileSync } from 'node:fs';
import { createStudy } from '../src/tune/create-study.js';
import { TPESampler } from '../src/tune/samplers/tpe-sampler.js';
import type { Trial } from '../src/tune/trial.js';
import { Rng } from '../src/tune/rng.js';
import { branin, hartmann6, type Problem } from './tune.js';

export const rosenbrock4: Problem = {
  name: 'Rosenbrock-4', dims: Array.from({ length: 4 }, () => [-5, 10] as [number, number]), optimum: 0,
  f: (x) => x.slice(0, -1).reduce((s, xi, i) => s + 100 * (x[i + 1]! - xi ** 2) ** 2 + (1 - xi) ** 2, 0),
};
export const ackley5: Problem = {
  name: 'Ackley-5', dims: Array.from({ length: 5 }, () => [-32.768, 32.768] as [number, number]), optimum: 0,
  f: (x) => {
    const d = x.length, sq = x.reduce((s, v) => s + v * v, 0), cs = x.reduce((s, v) => s + Math.cos(2 * Math.PI * v), 0);
    return -20 * Math.exp(-0.2 * Math.sqrt(sq / d)) - Math.exp(cs / d) + 20 + Math.E;
  },
};

export const PROBLEMS = [branin, hartmann6, rosenbrock4, ackley5];
export const CONFIGS: Array<{ name: string; multivariate: boolean; constantLiar: boolean }> = [
  { name: 'univariate', multivariate: false, constantLiar: false },
  { name: 'univariate + liar', multivariate: false, constantLiar: true },
  { name: 'multivariate', multivariate: true, constantLiar: false },
  { name: 'multivariate + liar', multivariate: true, constantLiar: true },
];
export const CHECKPOINTS = [30, 60, 100];

const median = (a: number[]): number => {
  const s = [...a].sort((x, y) => x - y), m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Regret at each checkpoint of one seeded 100-trial study (trials ordered by number). */
export async function regrets(p: Problem, cfg: (typeof CONFIGS)[number], seed: number, concurrency: number): Promise<number[]> {
  const study = await createStudy({ sampler: new TPESampler({ seed, multivariate: cfg.multivariate, constantLiar: cfg.constantLiar }), logger: false });
  const nTrials = Math.max(...CHECKPOINTS);
  await study.optimize(async (t: Trial) => {
    const x = p.dims.map(([lo, hi], i) => t.suggestFloat(`x${i}`, lo, hi));
    if (concurrency > 1) {
      const turns = 1 + Math.floor(new Rng(seed * 100_003 + t.number).uniform() * 8);
      for (let i = 0; i < turns; i++) await turn();
    }
    return p.f(x);
  }, { nTrials, concurrency });
  const values = [...study.trials].sort((a, b) => a.number - b.number).map((t) => t.value!);
  return CHECKPOINTS.map((n) => Math.min(...values.slice(0, n)) - p.optimum);
}

export interface DefaultsResult { seeds: number; cells: Record<string, number[][]> } // key problem|config|concurrency → [seed][checkpoint]

export async function runDefaultsBench(seeds = 100): Promise<{ markdown: string; result: DefaultsResult }> {
  const cells: DefaultsResult['cells'] = {};
  const lines: string[] = [];
  for (const concurrency of [1, 2]) {
    lines.push('', `**${concurrency === 1 ? 'Sequential' : 'concurrency: 2'}** — median simple regret over ${seeds} seeds at ${CHECKPOINTS.join(' / ')} trials:`, '',
      `| Function | ${CONFIGS.map((c) => c.name).join(' | ')} |`, `|---|${CONFIGS.map(() => '---:').join('|')}|`);
    for (const p of PROBLEMS) {
      const row: string[] = [];
      for (const cfg of CONFIGS) {
        const per: number[][] = [];
        for (let s = 0; s < seeds; s++) per.push(await regrets(p, cfg, s, concurrency));
        cells[`${p.name}|${cfg.name}|${concurrency}`] = per;
        row.push(CHECKPOINTS.map((_, k) => median(per.map((r) => r[k]!)).toPrecision(3)).join(' / '));
      }
      lines.push(`| ${p.name} | ${row.join(' | ')} |`);
      process.stderr.write(`${p.name} concurrency ${concurrency} done\n`);
    }
  }
  return { markdown: lines.join('\n').trim(), result: { seeds, cells } };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (k: string) => process.argv.find((a) => a.startsWith(`--${k}=`))?.split('=')[1];
  const { markdown, result } = await runDefaultsBench(Number(arg('seeds') ?? 100));
  console.log(markdown);
  const json = arg('json');
  if (json) writeFileSync(json, JSON.stringify(result));
}
