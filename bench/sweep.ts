// A real sweep (issue 18): the digits MLP of `simdgrad tune` (src/cli/mlp-space.ts's default space: layers, widths,
// activation, optimizer and its options, learning rate and schedule, batch size, dropout, weight decay), scored by stratified 5-fold
// cross-validation, 30 trials per study, seeds 0…9 (the seed also fixes the folds and the models'
// initialisation, so every sampler sees the same problem per seed), for RandomSampler, TPESampler,
// GPSampler and CmaEsSampler with their defaults and no pruning (a pruned trial is not a finished
// evaluation to GP and CMA-ES; without pruning they compare on equal terms). Reports the mean best
// accuracy over the seeds, its spread, and the time per study — training dominates; the
// samplers' own share is listed apart. Costly: 4 × 10 × 30 trials × 5 folds; `--epochs` (default
// 5) and `--seeds` size it. Times are wall clock on a shared machine: indicative.
// Run standalone: node --import tsx bench/sweep.ts [--seeds=10] [--trials=30] [--epochs=5]
import * as sg from '../src/index.js';
import { loadData } from '../src/cli/tabular-data.js';
import { mlpObjective } from '../src/cli/mlp-objective.js';
import { DEFAULT_SPACE } from '../src/cli/mlp-space.js';

const SAMPLERS: Array<[string, (seed: number) => sg.tune.Sampler]> = [
  ['Random', (seed) => new sg.tune.RandomSampler({ seed })],
  ['TPE', (seed) => new sg.tune.TPESampler({ seed })],
  ['GP', (seed) => new sg.tune.GPSampler({ seed })],
  ['CMA-ES', (seed) => new sg.tune.CmaEsSampler({ seed })],
];

/** A sampler whose calls are timed (milliseconds added to `spent.ms`). */
function timed(inner: sg.tune.Sampler, spent: { ms: number }): sg.tune.Sampler {
  const time = <T>(f: () => T): T => { const t0 = performance.now(); try { return f(); } finally { spent.ms += performance.now() - t0; } };
  return {
    sampleRelative: (s, t) => time(() => inner.sampleRelative?.(s, t) ?? null),
    sampleIndependent: (s, t, n, d) => time(() => inner.sampleIndependent(s, t, n, d)),
    afterTrial: (s, t) => inner.afterTrial?.(s, t),
  };
}

const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
const std = (a: number[]) => Math.sqrt(mean(a.map((v) => (v - mean(a)) ** 2)));

export async function runSweepBench({ seeds = 10, trials = 30, epochs = 5 }: { seeds?: number; trials?: number; epochs?: number } = {}): Promise<string> {
  const backend = await sg.init();
  const data = await loadData('digits');
  const rows: string[] = [];
  const t0 = performance.now();
  for (const [name, make] of SAMPLERS) {
    const best: number[] = [], secs: number[] = [], samplerMs: number[] = [];
    for (let seed = 0; seed < seeds; seed++) {
      const spent = { ms: 0 };
      const study = await sg.tune.createStudy({ direction: 'maximize', sampler: timed(make(seed), spent), pruner: new sg.tune.NopPruner(), logger: false });
      const s0 = performance.now();
      await study.optimize(mlpObjective(data, { space: DEFAULT_SPACE, folds: 5, epochs, seed }), { nTrials: trials });
      secs.push((performance.now() - s0) / 1000);
      samplerMs.push(spent.ms);
      best.push(study.bestValue);
    }
    rows.push(`| ${name} | ${(100 * mean(best)).toFixed(2)}% | ${(100 * std(best)).toFixed(2)} | ${(100 * Math.min(...best)).toFixed(2)}% | ` +
      `${mean(secs).toFixed(1)} | ${(mean(samplerMs) / 1000).toFixed(2)} |`);
  }
  const total = (performance.now() - t0) / 60000;
  return [
    `Digits MLP (${data.shape[0]} images; the space of \`simdgrad tune\`), stratified 5-fold CV, ${epochs} epochs per fold, no pruning, ` +
      `${trials} trials per study, seeds 0…${seeds - 1}, backend ${backend}; ${total.toFixed(0)} min in all (wall clock on a shared machine: times are indicative):`,
    '',
    '| Sampler | Mean best accuracy | Std (points) | Worst seed | s / study | of which sampler (s) |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (k: string, d: number) => Number(process.argv.find((a) => a.startsWith(`--${k}=`))?.split('=')[1] ?? d);
  console.log(await runSweepBench({ seeds: arg('seeds', 10), trials: arg('trials', 30), epochs: arg('epochs', 5) }));
}
