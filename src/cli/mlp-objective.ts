// The cross-validated MLP sweep of `simdgrad tune` (examples/node/tune-digits.ts writes a similar
// sweep with the public API): a configuration drawn from the search space (mlp-space.ts) →
// k-fold cross-validation (stratified for class labels, plain for a regression's targets) of
// fitMlp (fit-mlp.ts: scalers fitted inside each fold), the running mean of the fold scores
// (accuracy, or r2 for a regression) reported per fold so pruners can stop bad configurations
// early. Each trial records as user attributes, updated after every fold so pruned trials keep
// theirs: `params` (the model's parameter count), `config` (every hyperparameter it trained with,
// defaults and fixed values included, and the epochs), `foldScores` and `std`, and
// `learningCurves` ({ loss, valLoss, valAccuracy or valR2 }: per fold, the per-epoch values) for the report.
// Contract: a diverging fold scores chance level; no tensor outlives a fold. `tuneObjective` is
// the same objective as a module export for worker threads: it reads its job (data and columns,
// space, folds, epochs, seed, objectives) from the SIMDGRAD_TUNE_JOB environment variable (JSON, set
// by the parent before the workers start). With several objectives (`--objectives accuracy,params`
// or `accuracy,time`; r2 for a regression) it returns the mean score and the model's parameter count
// or its training time in seconds (all folds); every trial records both as the user attrs "params"
// and "seconds".
import * as sg from '../index.js';
import type { tune } from '../index.js';
import { loadData, type LoadOptions, type TabularData } from './tabular-data.js';
import { flatParams, suggestMlp, type MlpSpace } from './mlp-space.js';
import type { SuggestingTrial } from './search-space.js';
import { fitMlp, paramCount, type Curve } from './fit-mlp.js';
import { tuningPart, type Holdout } from './holdout.js';
import type { ObjectiveName } from './objectives.js';

export interface TuneJob { space: MlpSpace; folds: number; epochs: number; seed: number; objectives?: ObjectiveName[] }
export type MlpTrial = SuggestingTrial & tune.ReportingTrial & { setUserAttr(key: string, value: unknown): void };

/**
 * The objective: mean k-fold score of the configuration the trial draws from job.space (with
 * several job.objectives, the named values: the score, params, time).
 * @example await study.optimize(mlpObjective(await loadData('iris'), { space: DEFAULT_SPACE, folds: 5, epochs: 12, seed: 0 }), { nTrials: 20 })
 */
export function mlpObjective(d: TabularData, job: TuneJob): (trial: MlpTrial) => Promise<number | number[]> {
  return async (trial) => {
    const c = suggestMlp(trial, job.space);
    const params = paramCount(d, c), t0 = performance.now();
    trial.setUserAttr('params', params);
    trial.setUserAttr('config', { ...flatParams(c), epochs: job.epochs });
    const curves: Curve[] = [], scores: number[] = [], score = d.task === 'regression' ? 'valR2' : 'valAccuracy';
    const r = await sg.tune.crossValidate({
      y: d.y, k: job.folds, seed: job.seed, trial,
      fit: (train, valid, fold) => {
        const run = fitMlp(d, c, train, valid, { seed: 1000 * job.seed + 10 * fold, epochs: job.epochs });
        curves.push(run.curve); scores.push(run.score);
        trial.setUserAttr('foldScores', scores);
        trial.setUserAttr('learningCurves', { [score]: curves.map((k) => k.valScore), loss: curves.map((k) => k.loss), valLoss: curves.map((k) => k.valLoss) });
        return run.score;
      },
    });
    const seconds = (performance.now() - t0) / 1000;
    trial.setUserAttr('std', r.std);
    trial.setUserAttr('seconds', seconds);
    const names = job.objectives ?? [];
    if (names.length < 2) return r.mean;
    return names.map((n) => (n === 'params' ? params : n === 'time' ? seconds : r.mean));
  };
}

/** The environment variable carrying a worker's job: { data, load, space, folds, epochs, seed, objectives }. */
export const JOB_ENV = 'SIMDGRAD_TUNE_JOB';
let cached: Promise<(trial: MlpTrial) => Promise<number | number[]>> | undefined;

/** mlpObjective as a module export for worker threads (the job comes from SIMDGRAD_TUNE_JOB). */
export async function tuneObjective(trial: tune.RemoteTrial): Promise<number | number[]> {
  cached ??= (async () => {
    const raw = process.env[JOB_ENV];
    if (!raw) throw new Error(`${JOB_ENV} is not set: tuneObjective runs in workers started by \`simdgrad tune\``);
    const job = JSON.parse(raw) as TuneJob & { data: string; load: LoadOptions; holdout?: Holdout };
    const d = await loadData(job.data, job.load);
    return mlpObjective(job.holdout ? tuningPart(d, job.holdout) : d, job);
  })();
  return (await cached)(trial);
}
