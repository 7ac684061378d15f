// `simdgrad tune`: a cross-validated sweep (mlp-objective.ts) of the MLP, or of the CNN on image
// data (--model cnn: the digits as 1×8×8 images, a directory of IDX files), with a chosen sampler and pruner,
// in-process or in worker threads (--concurrency > 1: the objective is the module export
// tuneObjective of `objectiveModule`, its job passed in SIMDGRAD_TUNE_JOB), optionally resumable
// from a journal file or a PostgreSQL server (--storage postgresql://…, which `simdgrad worker`
// processes on other hosts can join). Prints a progress bar on stderr, then the top-10 leaderboard and the best
// parameters (or, with --json, one JSON document on stdout). With `--objectives accuracy,params`
// (or accuracy,time; r2,… for a regression) the study has several objectives: no pruning by
// default, the leaderboard and the JSON's `front` are the Pareto front, and `best*` name its
// best-scoring trial. Input mistakes throw CliError.
import { readFile } from 'node:fs/promises';
import * as sg from '../index.js';
import { CliError } from './cli-error.js';
import { dataArg, loadData } from './tabular-data.js';
import { loadOptions } from './column-options.js';
import { DEFAULT_CNN_GRID, DEFAULT_CNN_SPACE, DEFAULT_GRID, DEFAULT_SPACE, parseMlpSpace, spaceJson, type MlpSpace, type ModelName } from './mlp-space.js';
import { checkBlocks } from './cnn-model.js';
import { valuesToCheck } from './search-space.js';
import { describeGrid, mlpGrid } from './mlp-grid.js';
import { JOB_ENV, mlpObjective, type TuneJob } from './mlp-objective.js';
import { compareOnHoldout, describeComparison, tuningPart, type Comparison, type Holdout } from './holdout.js';
import { bestConfig, sweepReportOptions } from './tune-summary.js';
import { makeSampler } from './make-sampler.js';
import { trainModel, type TrainSummary } from './train.js';
import { trialProgress } from './progress.js';
import { bestTrials, frontLeaderboard, frontTrials, leaderboard } from './leaderboard.js';
import { objectiveDirections, parseObjectives } from './objectives.js';
import { writeReportIfAvailable } from './report-hook.js';
import type { Task } from './infer-task.js';

export interface TuneOptions {
  data: string; target?: string; task?: Task; features?: string[]; drop?: string[]; model?: ModelName; space?: string; sampler: string; pruner?: string; objectives?: string;
  trials: number; folds: number; concurrency: number; storage?: string; study: string;
  seed: number; epochs: number; testSize?: number; report?: string; json?: boolean; save?: string;
}

/** Reads and validates a search-space file of the model (mlp-space.ts: names, values and conditions). */
export async function readSpace(path: string, model: ModelName = 'mlp'): Promise<{ space: MlpSpace; raw: unknown }> {
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
  try {
    return { space: parseMlpSpace(raw, model), raw };
  } catch (e) {
    if (e instanceof CliError) e.message = `${path}: ${e.message}`;
    throw e;
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
  const model = o.model ?? 'mlp', cnn = model === 'cnn';
  if (cnn && o.save) throw new CliError('--save: a CNN cannot be saved yet (predict applies saved MLPs to CSV rows)');
  const read = o.space ? await readSpace(o.space, model) : undefined;
  const space = read?.space ?? (o.sampler === 'grid' ? (cnn ? DEFAULT_CNN_GRID : DEFAULT_GRID) : (cnn ? DEFAULT_CNN_SPACE : DEFAULT_SPACE));
  const log = (s: string) => { if (!o.json) process.stderr.write(s + '\n'); };
  const sampler = await makeSampler(o.sampler, { shared: o.seed, own: o.seed }, () => { // a grid that cannot be is refused before any work
    const grid = mlpGrid(space);
    log(`grid${space === DEFAULT_GRID || space === DEFAULT_CNN_GRID ? ' (the default space\'s; give --space to choose another)' : ''}: ${describeGrid(grid)}`);
    return grid;
  });
  const backendName = await sg.init();
  const load = loadOptions(o);
  const all = await loadData(dataArg(o.data), load);
  const holdout: Holdout | undefined = o.testSize === undefined ? undefined : { testSize: o.testSize, seed: o.seed };
  const data = holdout ? tuningPart(all, holdout) : all;
  if (cnn && !data.image) throw new CliError(`--model cnn: ${o.data} is not image data (use digits with all its pixels, or a directory of IDX files)`);
  if (cnn) { // the most blocks the space can draw must fit the images
    const s = space.params.blocks;
    checkBlocks(data.image!, s ? Math.max(...valuesToCheck(s) as number[]) : 2, `--model cnn on ${o.data}`);
  }
  if (o.folds > data.shape[0]) throw new CliError(`--folds ${o.folds}: ${o.data} has only ${data.shape[0]} rows${holdout ? ' besides the test split' : ''}`);
  const metric = data.task === 'regression' ? 'r2' : 'accuracy';
  const objectives = parseObjectives(o.objectives, metric), multi = objectives.length > 1;
  const directions = objectiveDirections(objectives);
  const prunerName = o.pruner ?? (multi ? 'none' : 'median');
  if (multi && prunerName !== 'none') throw new CliError(`--pruner ${prunerName} cannot prune a study with several objectives (--objectives ${o.objectives}): use --pruner none`);
  log(`task: ${data.task} (${data.taskReason}); tuning the mean ${o.folds}-fold validation ${metric}`);
  const storage = o.storage ? await sg.tune.openStorage(o.storage, { heartbeatInterval: 5 }) : undefined;
  const study = await sg.tune.createStudy({
    directions, studyName: o.study, loadIfExists: !!storage, sampler, pruner: makePruner(prunerName),
    ...(storage ? { storage } : {}), logger: log,
  });
  const before = study.trials.length;
  const job: TuneJob = { space, folds: o.folds, epochs: o.epochs, seed: o.seed, ...(multi ? { objectives } : {}) };
  log(`simdgrad tune on ${backendName}: ${o.data} (${data.shape[0]} rows${holdout ? ` for tuning, ${all.shape[0] - data.shape[0]} held out` : ''}, ` +
    `${data.shape[1]} features, ${data.task === 'regression' ? `target '${data.target}'` : `${data.classes} classes`}), ` +
    `${cnn ? 'CNN' : 'MLP'}, ${o.epochs} epochs per fold, ${o.folds}-fold CV, ${multi ? `objectives ${objectives.join(' and ')}, ` : ''}${o.sampler} + ${prunerName} pruner, ${o.trials} trials` +
    `${o.concurrency > 1 ? ` in ${Math.min(o.concurrency, o.trials)} workers` : ''}${before ? ` (resuming: ${before} trials stored)` : ''}`);
  const progress = trialProgress(o.trials, { quiet: !!o.json && !process.stderr.isTTY });
  // The leaderboard: the top 10, or the Pareto front best score first; its head is the best score so far.
  const topOf = (trials: readonly sg.tune.FrozenTrial[]) => (multi ? frontTrials(trials, directions) : bestTrials(trials, 'maximize', 10));
  const bestOf = (s: sg.tune.Study) => topOf(s.trials)[0]?.value ?? null;
  const callbacks = [(s: sg.tune.Study, t: sg.tune.FrozenTrial) => progress.tick(t, bestOf(s))];
  const t0 = performance.now();
  try {
    if (o.concurrency > 1) {
      process.env[JOB_ENV] = JSON.stringify({ ...job, data: dataArg(o.data), load, ...(holdout ? { holdout } : {}) });
      await study.optimize({ module: objectiveModule, export: 'tuneObjective' }, { nTrials: o.trials, concurrency: o.concurrency, callbacks });
    } else {
      await study.optimize(mlpObjective(data, job), { nTrials: o.trials, callbacks });
    }
  } finally {
    progress.stop();
    await storage?.close?.();
  }
  const seconds = (performance.now() - t0) / 1000;
  const trials = study.trials, top = topOf(trials), best = top[0];
  const named = (t: sg.tune.FrozenTrial) => Object.fromEntries(objectives.map((n, i) => [n, t.values![i]]));
  const count = (s: string, from = 0) => trials.filter((t) => t.number >= from && t.state === s).length;
  const config = best ? bestConfig(best) : null;
  let comparison: Comparison | undefined;
  if (holdout && config) {
    log('training the default and the tuned configuration on the tuning part, scoring both on the test split…');
    comparison = compareOnHoldout(all, holdout, config, o.epochs);
  }
  let saved: TrainSummary | undefined;
  if (o.save && best) { // what `simdgrad train --from-study … --save` would do: the same held-out split, then predict can use it
    const { epochs: _epochs, ...params } = (best.userAttrs.config ?? best.params) as Record<string, unknown>;
    log(`training the best configuration (trial #${best.number}) and saving the whole model to ${o.save}…`);
    saved = await trainModel({
      data: o.data, ...(o.target !== undefined ? { target: o.target } : {}), ...(o.task ? { task: o.task } : {}),
      ...(o.features ? { features: o.features } : {}), ...(o.drop ? { drop: o.drop } : {}), model,
      given: { params, epochs: o.epochs, from: `trial #${best.number}` }, testSize: o.testSize ?? 0.2, seed: o.seed, save: o.save, quiet: true,
    });
  }
  if (o.report) {
    await writeReportIfAvailable(study, o.report, sweepReportOptions({ ...o, pruner: prunerName }, data, read?.raw ?? spaceJson(space), comparison), log);
  }
  if (o.json) {
    process.stdout.write(JSON.stringify({
      study: o.study, data: o.data, task: data.task, taskReason: data.taskReason, metric, backend: backendName, trials: trials.length, newTrials: trials.length - before,
      complete: count('COMPLETE'), pruned: count('PRUNED'), failed: count('FAIL'), seconds,
      bestValue: best?.value ?? null, bestParams: best?.params ?? null, bestTrial: best?.number ?? null, bestConfig: best?.userAttrs.config ?? null,
      leaderboard: top.map((t) => ({ number: t.number, value: t.value, params: t.params, std: t.userAttrs.std ?? null, paramCount: t.userAttrs.params ?? null })),
      ...(multi ? { objectives, directions, front: top.map((t) => ({ number: t.number, values: named(t), params: t.params })) } : {}),
      comparison: comparison ?? null, report: o.report ?? null,
      saved: saved ? { file: o.save, trial: best!.number, test: saved.metrics, testRows: saved.testRows } : null,
    }) + '\n');
  } else {
    console.log(multi ? `Pareto front (${top.length} trials):\n${frontLeaderboard(trials, objectives, directions)}` : leaderboard(trials, 'maximize', 10));
    console.log(`\n${trials.length - before} trials (${count('PRUNED', before)} pruned, ${count('FAIL', before)} failed) in ${seconds.toFixed(1)} s` +
      `${before ? `; the study holds ${trials.length} (${count('PRUNED')} pruned, ${count('FAIL')} failed)` : ''}`);
    if (best) {
      const std = best.userAttrs.std as number | undefined, pct = metric === 'accuracy';
      const v = (x: number) => (pct ? `${(x * 100).toFixed(2)}%` : x.toFixed(4));
      const costs = multi ? `, ${objectives.slice(1).map((n, i) => { const x = best.values![i + 1]!; return `${n} ${Number.isInteger(x) ? x : x.toPrecision(4)}`; }).join(', ')}` : '';
      console.log(`${multi ? 'best-scoring on the front: ' : 'best '}mean ${o.folds}-fold ${metric} ${v(best.value!)}` +
        `${std !== undefined ? ` ± ${pct ? (std * 100).toFixed(2) : std.toFixed(4)}` : ''} (trial #${best.number}${costs})`);
      console.log(`best parameters: ${JSON.stringify(best.params)}`);
    }
    if (comparison) console.log(describeComparison(comparison));
    if (saved) {
      const m = saved.metrics, shown = saved.metric === 'accuracy' ? `accuracy ${(100 * m.accuracy!).toFixed(2)}%` : `r2 ${m.r2!.toFixed(4)}`;
      console.log(`trial #${best!.number}'s model saved to ${o.save} (held-out ${shown} on ${saved.testRows} rows): simdgrad predict --model ${o.save} rows.csv`);
    }
  }
  if (!best) {
    process.stderr.write('simdgrad: no trial completed\n');
    return 1;
  }
  return 0;
}
