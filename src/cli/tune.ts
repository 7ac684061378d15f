// `simdgrad tune`: a cross-validated MLP sweep (mlp-objective.ts) with a chosen sampler and pruner,
// in-process or in worker threads (--concurrency > 1: the objective is the module export
// tuneObjective of `objectiveModule`, its job passed in SIMDGRAD_TUNE_JOB), optionally resumable
// from a journal file or a PostgreSQL server (--storage postgresql://…, which `simdgrad worker`
// processes on other hosts can join). Prints a progress bar on stderr, then the top-10 leaderboard and the best
// parameters (or, with --json, one JSON document on stdout). Input mistakes throw CliError.
import { readFile } from 'node:fs/promises';
import * as sg from '../index.js';
import { CliError } from './cli-error.js';
import { dataArg, loadData } from './tabular-data.js';
import { gridOf, parseSpace, type SearchSpace } from './search-space.js';
import { DEFAULT_SPACE, JOB_ENV, MLP_PARAMS, OPTIMIZERS, mlpObjective, type TuneJob } from './mlp-objective.js';
import { trialProgress } from './progress.js';
import { bestTrials, leaderboard } from './leaderboard.js';
import { writeReportIfAvailable } from './report-hook.js';

export interface TuneOptions {
  data: string; target?: string; space?: string; sampler: string; pruner: string;
  trials: number; folds: number; concurrency: number; storage?: string; study: string;
  seed: number; epochs: number; report?: string; json?: boolean;
}

/** Reads and validates a search-space file. */
export async function readSpace(path: string): Promise<SearchSpace> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new CliError((e as { code?: string }).code === 'ENOENT' ? `no such file: ${path}` : `cannot read ${path}: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new CliError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  const space = parseSpace(raw, MLP_PARAMS);
  const opt = space.optimizer;
  if (opt && (opt.type !== 'categorical' || opt.choices.some((c) => !OPTIMIZERS.includes(c as never)))) {
    throw new CliError(`${path}: 'optimizer' must be categorical with choices among ${OPTIMIZERS.join(', ')}`);
  }
  for (const k of ['lr', 'batchSize', 'hidden', 'dropout', 'weightDecay']) {
    const s = space[k];
    if (s?.type === 'categorical' && s.choices.some((c) => typeof c !== 'number')) throw new CliError(`${path}: '${k}' choices must be numbers`);
  }
  for (const k of ['batchSize', 'hidden']) {
    const s = space[k];
    if (s && s.type !== 'categorical' && (s.type !== 'int' || s.low < 1)) throw new CliError(`${path}: '${k}' must be an int ≥ 1 (or categorical)`);
  }
  return space;
}

function makeSampler(name: string, space: SearchSpace, seed: number): sg.tune.Sampler {
  const t = sg.tune;
  switch (name) {
    case 'tpe': return new t.TPESampler({ seed });
    case 'random': return new t.RandomSampler({ seed });
    case 'qmc': return new t.QMCSampler({ seed });
    case 'gp': return new t.GPSampler({ seed });
    case 'cmaes': return new t.CmaEsSampler({ seed });
    case 'grid': return new t.GridSampler(gridOf(space), { seed });
    default: throw new CliError(`unknown sampler '${name}'`);
  }
}

function makePruner(name: string): sg.tune.Pruner {
  const t = sg.tune;
  switch (name) {
    case 'median': return new t.MedianPruner({ nStartupTrials: 5 });
    case 'sha': return new t.SuccessiveHalvingPruner();
    case 'hyperband': return new t.HyperbandPruner();
    case 'none': return new t.NopPruner();
    default: throw new CliError(`unknown pruner '${name}'`);
  }
}

/** Runs the sweep; returns the process exit code. `objectiveModule` exports tuneObjective. */
export async function runTune(o: TuneOptions, objectiveModule: string): Promise<number> {
  const space = o.space ? await readSpace(o.space) : DEFAULT_SPACE;
  const backendName = await sg.init();
  const data = await loadData(dataArg(o.data), o.target);
  if (o.folds > data.shape[0]) throw new CliError(`--folds ${o.folds}: ${o.data} has only ${data.shape[0]} rows`);
  const sampler = makeSampler(o.sampler, space, o.seed);
  const storage = o.storage ? await sg.tune.openStorage(o.storage, { heartbeatInterval: 5 }) : undefined;
  const log = (s: string) => { if (!o.json) process.stderr.write(s + '\n'); };
  const study = await sg.tune.createStudy({
    direction: 'maximize', studyName: o.study, loadIfExists: !!storage, sampler, pruner: makePruner(o.pruner),
    ...(storage ? { storage } : {}), logger: log,
  });
  const before = study.trials.length;
  const job: TuneJob = { space, folds: o.folds, epochs: o.epochs, seed: o.seed };
  log(`simdgrad tune on ${backendName}: ${o.data} (${data.shape[0]} rows, ${data.shape[1]} features, ${data.classes} classes), ` +
    `MLP, ${o.epochs} epochs per fold, ${o.folds}-fold CV, ${o.sampler} + ${o.pruner} pruner, ${o.trials} trials` +
    `${o.concurrency > 1 ? ` in ${Math.min(o.concurrency, o.trials)} workers` : ''}${before ? ` (resuming: ${before} trials stored)` : ''}`);
  const progress = trialProgress(o.trials, { quiet: !!o.json && !process.stderr.isTTY });
  const bestOf = (s: sg.tune.Study) => bestTrials(s.trials, 'maximize', 1)[0]?.value ?? null;
  const callbacks = [(s: sg.tune.Study, t: sg.tune.FrozenTrial) => progress.tick(t, bestOf(s))];
  const t0 = performance.now();
  try {
    if (o.concurrency > 1) {
      process.env[JOB_ENV] = JSON.stringify({ ...job, data: dataArg(o.data), target: o.target });
      await study.optimize({ module: objectiveModule, export: 'tuneObjective' }, { nTrials: o.trials, concurrency: o.concurrency, callbacks });
    } else {
      await study.optimize(mlpObjective(data, job), { nTrials: o.trials, callbacks });
    }
  } finally {
    progress.stop();
    await storage?.close?.();
  }
  const seconds = (performance.now() - t0) / 1000;
  const trials = study.trials, top = bestTrials(trials, 'maximize', 10), best = top[0];
  const count = (s: string) => trials.filter((t) => t.state === s).length;
  if (o.report) await writeReportIfAvailable(study, o.report, { title: `simdgrad tune: ${o.data}` }, log);
  if (o.json) {
    process.stdout.write(JSON.stringify({
      study: o.study, data: o.data, backend: backendName, trials: trials.length, newTrials: trials.length - before,
      complete: count('COMPLETE'), pruned: count('PRUNED'), failed: count('FAIL'), seconds,
      bestValue: best?.value ?? null, bestParams: best?.params ?? null, bestTrial: best?.number ?? null,
      leaderboard: top.map((t) => ({ number: t.number, value: t.value, params: t.params, std: t.userAttrs.std ?? null })),
      report: o.report ?? null,
    }) + '\n');
  } else {
    console.log(leaderboard(trials, 'maximize', 10));
    console.log(`\n${trials.length - before} trials (${count('PRUNED')} pruned, ${count('FAIL')} failed) in ${seconds.toFixed(1)} s`);
    if (best) {
      const std = best.userAttrs.std as number | undefined;
      console.log(`best mean ${o.folds}-fold accuracy ${(best.value! * 100).toFixed(2)}%${std !== undefined ? ` ± ${(std * 100).toFixed(2)}` : ''} (trial #${best.number})`);
      console.log(`best parameters: ${JSON.stringify(best.params)}`);
    }
  }
  if (!best) {
    process.stderr.write('simdgrad: no trial completed\n');
    return 1;
  }
  return 0;
}
