// Parallel tuning throughput: trials/minute of study.optimize({ module, export }) with 1 and with
// 2 worker threads, on a small training objective — an MLP 64-h-10 (ReLU, Adam) trained for
// EPOCHS epochs on 1,400 of the 8×8 digits, scored by validation error on the other 397. The
// objective is this file's `objective` export (each worker imports this module; nothing runs on
// import in a worker). Two throughputs: "whole", from the first objective call's start to the last
// one's end (times taken in the workers; the workers' start-up — tsx + init(), about a second —
// and the main thread's ask/tell show as the rest of the wall time), and "steady", as a long sweep
// sees it: each worker's first trial carries its warm-up (V8 and wasm tier-up, 1.5–2× a later
// trial), so the window opens at the last worker's second-trial start and closes at the first
// worker's last completion (every worker busy throughout), counting the trials completed in it.
// Same sampler seed for both runs, so both train the same kinds of models. The machine may be
// shared: the table says what it saw.
//
//   node --experimental-wasm-relaxed-simd --import tsx bench/tune-parallel.ts
import { pathToFileURL } from 'node:url';
import { isMainThread, threadId } from 'node:worker_threads';
import { cpus, loadavg } from 'node:os';
import * as sg from '../src/index.js';
import { digits } from '../src/datasets/index.js';

// 100 epochs ≈ 1 s per trial: long enough that the workers' wasm tier-up (background compile threads)
// does not dominate; at 20 epochs (0.17 s per trial) 2 workers measured only 1.15×.
const EPOCHS = Number(process.env.TUNE_BENCH_EPOCHS ?? 100);
const N_TRAIN = 1400;

/** The tuned objective (runs in a worker): validation error of a small MLP. */
export function objective(trial: sg.tune.RemoteTrial): number {
  const hidden = trial.suggestInt('hidden', 128, 512, { log: true });
  const lr = trial.suggestFloat('lr', 1e-3, 3e-2, { log: true });
  const batchSize = trial.suggestCategorical('batchSize', [32, 64]);
  trial.setUserAttr('t0', Date.now());
  trial.setUserAttr('worker', threadId);
  const { x, y, shape } = digits();
  const error = sg.scope(() => {
    const all = sg.tensor(x, shape).div(16);
    const xTrain = sg.slice(all, [0, 0], [N_TRAIN, 64]), xVal = sg.slice(all, [N_TRAIN, 0], [shape[0], 64]);
    const model = new sg.nn.Sequential(new sg.nn.Linear(64, hidden), new sg.nn.ReLU(), new sg.nn.Linear(hidden, 10));
    const optimizer = new sg.optim.Adam(model.parameters(), { lr });
    sg.fit(model, { x: xTrain, y: y.subarray(0, N_TRAIN), optimizer, epochs: EPOCHS, batchSize, seed: trial.number });
    const { accuracy } = sg.evaluate(model, xVal, y.subarray(N_TRAIN));
    model.dispose();
    return 1 - accuracy;
  });
  trial.setUserAttr('t1', Date.now());
  return error;
}

interface Run {
  concurrency: number; trials: number; wallS: number; busyS: number; perMin: number; best: number; meanS: number;
  steadyPerMin: number; steadyTrials: number; steadyS: number;
}

async function measure(concurrency: number, nTrials: number): Promise<Run> {
  const study = await sg.tune.createStudy({ sampler: new sg.tune.RandomSampler({ seed: 11 }) });
  const t0 = Date.now();
  await study.optimize({ module: new URL(import.meta.url), export: 'objective' }, { nTrials, concurrency });
  const wallS = (Date.now() - t0) / 1000;
  const done = study.trials.filter((t) => t.state === 'COMPLETE');
  if (done.length !== nTrials) throw new Error(`only ${done.length}/${nTrials} trials completed: ${study.trials.map((t) => t.failReason).join('; ')}`);
  const start = (t: sg.tune.FrozenTrial) => t.userAttrs.t0 as number, end = (t: sg.tune.FrozenTrial) => t.userAttrs.t1 as number;
  const first = Math.min(...done.map(start)), last = Math.max(...done.map(end));
  const busyS = (last - first) / 1000;
  const meanS = done.reduce((a, t) => a + (end(t) - start(t)), 0) / done.length / 1000;
  const byWorker = new Map<unknown, sg.tune.FrozenTrial[]>();
  for (const t of done) byWorker.set(t.userAttrs.worker, [...(byWorker.get(t.userAttrs.worker) ?? []), t]);
  if (byWorker.size !== concurrency || [...byWorker.values()].some((ts) => ts.length < 3)) {
    throw new Error(`trials per worker: ${[...byWorker.values()].map((ts) => ts.length).join(', ')} (need ${concurrency} workers with 3+ each)`);
  }
  const from = Math.max(...[...byWorker.values()].map((ts) => ts.map(start).sort((a, b) => a - b)[1]!));
  const to = Math.min(...[...byWorker.values()].map((ts) => Math.max(...ts.map(end))));
  const steadyTrials = done.filter((t) => end(t) > from && end(t) <= to).length;
  return {
    concurrency, trials: nTrials, wallS, busyS, perMin: (nTrials / busyS) * 60, best: study.bestValue, meanS,
    steadyPerMin: (steadyTrials / (to - from)) * 60_000, steadyTrials, steadyS: (to - from) / 1000,
  };
}

/** Markdown table: trials/minute with 1 and 2 worker threads (best of interleaved rounds), and the speed-up. */
export async function runParallelBench({ nTrials = 24, rounds = 5 }: { nTrials?: number; rounds?: number } = {}): Promise<string> {
  await sg.init();
  const runs: { one: Run; two: Run; whole: number; steady: number }[] = [];
  for (let r = 0; r < rounds; r++) {
    const one = await measure(1, nTrials), two = await measure(2, nTrials);
    runs.push({ one, two, whole: two.perMin / one.perMin, steady: two.steadyPerMin / one.steadyPerMin });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1]!;
  const shown = [...runs].sort((a, b) => a.steady - b.steady)[(runs.length - 1) >> 1]!; // the median round
  const row = (r: Run) => `| ${r.concurrency} | ${r.trials} | ${r.busyS.toFixed(1)} | ${(r.wallS - r.busyS).toFixed(1)} | ` +
    `${r.meanS.toFixed(3)} | ${r.perMin.toFixed(1)} | ${r.steadyTrials} in ${r.steadyS.toFixed(1)} s | ${r.steadyPerMin.toFixed(1)} | ${(r.best * 100).toFixed(1)} % |`;
  return [
    `MLP 64-h-10 (h 128–512) on digits, ${EPOCHS} epochs per trial, RandomSampler(seed 11); ${cpus().length} cores; ` +
    `${rounds} interleaved rounds, the table shows the median one (load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')}).`,
    '',
    '| workers | trials | objective time s (first start → last end) | start-up + overhead s | mean s per trial | trials/min, whole | steady window | trials/min, steady | best val. error |',
    '|---|---|---|---|---|---|---|---|---|',
    row(shown.one),
    row(shown.two),
    '',
    `Speed-up with 2 workers, median of ${rounds} rounds: **${median(runs.map((r) => r.whole)).toFixed(2)}× whole, ` +
    `${median(runs.map((r) => r.steady)).toFixed(2)}× steady** (rounds: ${runs.map((r) => `${r.whole.toFixed(2)}× / ${r.steady.toFixed(2)}×`).join(', ')}). ` +
    'A mean time per trial that grows with 2 workers means the two cores were not both free.',
  ].join('\n');
}

if (isMainThread && process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = process.argv.find((a) => a.startsWith('--trials='));
  console.log(await runParallelBench(n ? { nTrials: Number(n.slice(9)) } : {}));
}
