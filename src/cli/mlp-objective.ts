// The cross-validated MLP sweep of `simdgrad tune` (examples/node/tune-digits.ts writes the same
// sweep with the public API): a search space → an MLP (in-h-classes with ReLU and dropout) and its
// optimizer → stratified k-fold
// accuracy (a StandardScaler fitted inside each fold), reported per fold so pruners can stop bad
// configurations early. Contract: parameters missing from the space take MLP_DEFAULTS; a diverging
// fold scores chance level; no tensor outlives a fold. `tuneObjective` is the same objective as a
// module export for worker threads: it reads its job (data, space, folds, epochs, seed, objectives)
// from the SIMDGRAD_TUNE_JOB environment variable (JSON, set by the parent before the workers start).
// With several objectives (`--objectives accuracy,params` or `accuracy,time`) it returns the mean
// accuracy and the model's parameter count or its training time in seconds (all folds); every
// trial records both as the user attrs "params" and "seconds".
import * as sg from '../index.js';
import type { tune } from '../index.js';
import { loadData, type TabularData } from './tabular-data.js';
import { suggestAll, type SearchSpace, type SuggestingTrial } from './search-space.js';

export interface MlpConfig { lr: number; batchSize: number; hidden: number; dropout: number; weightDecay: number; optimizer: string }

/** The value of each model parameter that the search space leaves out. */
export const MLP_DEFAULTS: Readonly<MlpConfig> = { lr: 1e-3, batchSize: 32, hidden: 128, dropout: 0, weightDecay: 0, optimizer: 'adam' };
export const MLP_PARAMS = Object.keys(MLP_DEFAULTS);
export const OPTIMIZERS = ['adam', 'adamw', 'sgd'] as const;

/** The default space (tune-digits.ts's): learning rate (log), batch size, width (log), dropout, weight decay (log), optimizer. */
export const DEFAULT_SPACE: SearchSpace = {
  lr: { type: 'float', low: 1e-4, high: 3e-1, log: true },
  batchSize: { type: 'categorical', choices: [16, 32, 64, 128] },
  hidden: { type: 'int', low: 16, high: 512, log: true },
  dropout: { type: 'float', low: 0, high: 0.5 },
  weightDecay: { type: 'float', low: 1e-6, high: 1e-2, log: true },
  optimizer: { type: 'categorical', choices: ['adam', 'sgd'] },
};

/** What `--objectives` can name: accuracy (maximized), parameter count and training seconds (minimized). */
export const OBJECTIVES = ['accuracy', 'params', 'time'] as const;
export type ObjectiveName = typeof OBJECTIVES[number];

export interface TuneJob { space: SearchSpace; folds: number; epochs: number; seed: number; objectives?: ObjectiveName[] }
export type MlpTrial = SuggestingTrial & tune.ReportingTrial & { setUserAttr(key: string, value: unknown): void };

/** Checks and completes a configuration drawn from a space. */
export function mlpConfig(p: Record<string, unknown>): MlpConfig {
  const c = { ...MLP_DEFAULTS, ...p } as MlpConfig;
  if (!OPTIMIZERS.includes(c.optimizer as never)) throw new RangeError(`optimizer must be one of ${OPTIMIZERS.join(', ')}, got ${JSON.stringify(c.optimizer)}`);
  for (const k of ['lr', 'batchSize', 'hidden', 'dropout', 'weightDecay'] as const) {
    if (typeof c[k] !== 'number') throw new RangeError(`${k} must be a number, got ${JSON.stringify(c[k])}`);
  }
  return c;
}

/** The parameter count of buildMlp's model: two Linear layers with biases. */
export function mlpParamCount(inputs: number, classes: number, c: MlpConfig): number {
  return inputs * c.hidden + c.hidden + c.hidden * classes + classes;
}

/** The MLP in-hidden-classes with ReLU and dropout, seeded. */
export function buildMlp(inputs: number, classes: number, c: MlpConfig, seed: number): sg.nn.Sequential {
  const { nn } = sg;
  return new nn.Sequential(
    new nn.Linear(inputs, c.hidden, { seed: seed + 1 }), new nn.ReLU(), new nn.Dropout(c.dropout, { seed: seed + 2 }),
    new nn.Linear(c.hidden, classes, { seed: seed + 3 }));
}

/** Adam, AdamW or SGD (momentum 0.9, Nesterov) over the model's parameters. */
export function buildOptimizer(model: sg.nn.Module, c: MlpConfig): sg.optim.Optimizer {
  const o = { lr: c.lr, weightDecay: c.weightDecay };
  if (c.optimizer === 'adam') return new sg.optim.Adam(model.parameters(), o);
  if (c.optimizer === 'adamw') return new sg.optim.AdamW(model.parameters(), o);
  return new sg.optim.SGD(model.parameters(), { ...o, momentum: 0.9, nesterov: true });
}

function rows(d: TabularData, idx: Int32Array): { x: sg.Tensor; y: Int32Array } {
  const f = d.shape[1], x = new Float32Array(idx.length * f);
  idx.forEach((r, i) => x.set(d.x.subarray(r * f, r * f + f), i * f));
  return { x: sg.tensor(x, [idx.length, f]), y: Int32Array.from(idx, (r) => d.y[r]!) };
}

/** Validation accuracy of one configuration trained on rows `train` of d. */
export function foldScore(d: TabularData, c: MlpConfig, train: Int32Array, valid: Int32Array, seed: number, epochs: number): number {
  return sg.scope(() => {
    const tr = rows(d, train), va = rows(d, valid);
    const scaler = new sg.data.StandardScaler();
    const xTrain = scaler.fitTransform(tr.x), xValid = scaler.transform(va.x);
    const model = buildMlp(d.shape[1], d.classes, c, seed);
    const opt = buildOptimizer(model, c);
    try {
      sg.fit(model, { x: xTrain, y: tr.y, optimizer: opt, epochs, batchSize: c.batchSize, seed });
      return sg.evaluate(model, xValid, va.y).accuracy;
    } catch (e) {
      if (e instanceof sg.NonFiniteLossError) return 1 / d.classes; // diverged: chance level
      throw e;
    } finally {
      opt.dispose();
      model.dispose();
    }
  });
}

/**
 * The objective: mean k-fold accuracy of the configuration the trial draws from job.space (with
 * job.objectives, the named values: accuracy, params, time).
 * @example await study.optimize(mlpObjective(await loadData('iris'), { space: DEFAULT_SPACE, folds: 5, epochs: 12, seed: 0 }), { nTrials: 20 })
 */
export function mlpObjective(d: TabularData, job: TuneJob): (trial: MlpTrial) => Promise<number | number[]> {
  return async (trial) => {
    const c = mlpConfig(suggestAll(trial, job.space));
    const t0 = performance.now();
    const r = await sg.tune.crossValidate({
      y: d.y, k: job.folds, seed: job.seed, trial,
      fit: (train, valid, fold) => foldScore(d, c, train, valid, 1000 * job.seed + 10 * fold, job.epochs),
    });
    const measured: Record<ObjectiveName, number> = {
      accuracy: r.mean, params: mlpParamCount(d.shape[1], d.classes, c), time: (performance.now() - t0) / 1000,
    };
    trial.setUserAttr('std', r.std);
    trial.setUserAttr('foldScores', r.scores);
    trial.setUserAttr('params', measured.params);
    trial.setUserAttr('seconds', measured.time);
    const names = job.objectives ?? ['accuracy'];
    return names.length === 1 && names[0] === 'accuracy' ? r.mean : names.map((n) => measured[n]);
  };
}

/** The environment variable carrying a worker's job: { data, target?, space, folds, epochs, seed }. */
export const JOB_ENV = 'SIMDGRAD_TUNE_JOB';
let cached: Promise<(trial: MlpTrial) => Promise<number | number[]>> | undefined;

/** mlpObjective as a module export for worker threads (the job comes from SIMDGRAD_TUNE_JOB). */
export async function tuneObjective(trial: tune.RemoteTrial): Promise<number | number[]> {
  cached ??= (async () => {
    const raw = process.env[JOB_ENV];
    if (!raw) throw new Error(`${JOB_ENV} is not set: tuneObjective runs in workers started by \`simdgrad tune\``);
    const job = JSON.parse(raw) as TuneJob & { data: string; target?: string };
    return mlpObjective(await loadData(job.data, job.target), job);
  })();
  return (await cached)(trial);
}
