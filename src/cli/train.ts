// `simdgrad train`: one MLP configuration (or a CNN's on image data: --model cnn, with --blocks,
// --channels, --kernel-size, --pooling) on a data set — a held-out split (stratified for class
// labels, plain for a regression; --test-size), fitMlp (scalers fitted on the training part, a
// regression's targets standardized and mapped back for its metrics), per-epoch loss and
// validation score, the held-out metrics, and with --save the whole model (sg.io.saveModel:
// weights, architecture, the fitted feature scaler and a regression's target scaler, class names,
// feature and target names; as meta the task, the hyperparameters and epochs, the held-out
// metrics) — what `simdgrad predict --model FILE` applies to new rows.
// The hyperparameters come from --params FILE (a `tune --json` document or a JSON object of
// parameters), or from the best trial of a stored study (--from-study STORAGE --study NAME), and
// the flags on the command line override them; the rest take the defaults. --json prints one
// JSON document. A CNN is not saved (--save is refused): predict applies models to CSV rows.
import * as sg from '../index.js';
import { CliError } from './cli-error.js';
import { dataArg, loadData } from './tabular-data.js';
import { loadOptions } from './column-options.js';
import { flatParams, mlpConfig, type ModelName } from './mlp-space.js';
import { fitMlp, paramCount, scoreName } from './fit-mlp.js';
import { checkBlocks, describeCnn } from './cnn-model.js';
import { holdoutSplit } from './holdout.js';
import { paramsFromFile, paramsFromStudy, type ParamsSource } from './params-source.js';
import type { Task } from './infer-task.js';

export interface TrainOptions {
  data: string; target?: string; task?: Task; features?: string[]; drop?: string[];
  params?: string; fromStudy?: string; study?: string; model?: ModelName;
  blocks?: number; channels?: number; kernelSize?: number; pooling?: string;
  layers?: number; width?: number[]; activation?: string; optimizer?: string; lr?: number; batchSize?: number;
  dropout?: number; weightDecay?: number; schedule?: string;
  epochs?: number; testSize: number; seed: number; save?: string; json?: boolean;
  /** @internal `tune --save`: the configuration itself (instead of --params/--from-study), and no output of train's own. */
  given?: ParamsSource; quiet?: boolean;
}

const FLAGS = ['layers', 'activation', 'optimizer', 'lr', 'batchSize', 'dropout', 'weightDecay', 'schedule', 'blocks', 'channels', 'kernelSize', 'pooling'] as const;

/** The hyperparameters: the source's, then the flags given (a --width list sets width_0, width_1, …). */
async function resolveParams(o: TrainOptions): Promise<ParamsSource> {
  if (o.given) return o.given;
  if (o.params && o.fromStudy) throw new CliError('--params and --from-study: give one of them');
  if (o.fromStudy && !o.study) throw new CliError('--from-study needs --study <name>');
  const source = o.params ? await paramsFromFile(o.params) : o.fromStudy ? await paramsFromStudy(o.fromStudy, o.study!) : { params: {}, from: 'defaults' };
  const p: Record<string, unknown> = { ...source.params };
  for (const k of FLAGS) if (o[k] !== undefined) p[k] = o[k];
  if (o.width) {
    for (const k of Object.keys(p)) if (k === 'width' || k.startsWith('width_')) delete p[k];
    if (o.width.length === 1) p.width = o.width[0];
    else o.width.forEach((w, i) => { p[`width_${i}`] = w; });
    if (o.width.length > 1 && o.layers === undefined) p.layers = o.width.length;
  }
  return { ...source, params: p };
}

/** Trains one configuration; returns the process exit code. */
export async function runTrain(o: TrainOptions): Promise<number> {
  await trainModel(o);
  return 0;
}

/** What trainModel reports: the held-out metrics (in the target's units for a regression). */
export interface TrainSummary { metrics: Record<string, number>; metric: 'accuracy' | 'r2'; testRows: number; parameters: number }

/** Trains one configuration, prints (unless quiet) and saves it as the options say. */
export async function trainModel(o: TrainOptions): Promise<TrainSummary> {
  const source = await resolveParams(o);
  const c = mlpConfig(source.params, source.from, o.model);
  if (c.model === 'cnn' && o.save) throw new CliError('--save: a CNN cannot be saved yet (predict applies saved MLPs to CSV rows)');
  const epochs = o.epochs ?? source.epochs ?? 20;
  const backendName = await sg.init();
  const load = loadOptions(o);
  const data = await loadData(dataArg(o.data), load);
  const split = holdoutSplit(data, { testSize: o.testSize, seed: o.seed });
  const [, f] = data.shape, outputs = data.task === 'regression' ? 1 : data.classes, metric = scoreName(data);
  if (c.model === 'cnn') {
    if (!data.image) throw new CliError(`--model cnn: ${o.data} is not image data (use digits with all its pixels, or a directory of IDX files)`);
    checkBlocks(data.image, c.blocks!, `--blocks ${c.blocks}`);
  }
  const say = (s: string) => { if (!o.json && !o.quiet) console.log(s); };
  say(`simdgrad train on ${backendName}: ${o.data} ${split.train.length} train / ${split.test.length} test, task ${data.task} (${data.taskReason})`);
  say(`${c.model === 'cnn' ? describeCnn(data.image!, c) : `MLP ${[f, ...c.widths, outputs].join('-')} ${c.activation}`}${c.dropout ? `, dropout ${c.dropout}` : ''} ` +
    `(${paramCount(data, c).toLocaleString('en-US')} parameters), ${c.optimizer} lr ${c.lr}, batch ${c.batchSize}, ${epochs} epochs` +
    `${c.schedule !== 'constant' ? `, ${c.schedule} schedule` : ''}; hyperparameters from ${source.from}`);
  const log: Array<Record<string, number>> = [];
  const pct = (v: number) => (metric === 'accuracy' ? `${(100 * v).toFixed(1)}%` : v.toFixed(4));
  const run = fitMlp(data, c, split.train, split.test, {
    seed: 1000 * o.seed, epochs, keep: !!o.save,
    onEpoch: (e, logs) => {
      const score = metric === 'accuracy' ? logs.valAccuracy! : logs.valR2!;
      log.push({ epoch: e + 1, loss: logs.loss!, valLoss: logs.valLoss!, [metric === 'accuracy' ? 'valAccuracy' : 'valR2']: score });
      say(`epoch ${String(e + 1).padStart(3)}  loss ${logs.loss!.toFixed(4)}  val loss ${logs.valLoss!.toFixed(4)}  val ${metric} ${pct(score)}`);
    },
  });
  if (run.diverged) {
    run.model?.dispose();
    throw new CliError(`training diverged (${run.diverged}); try a smaller --lr`);
  }
  const m = run.metrics;
  if (o.save) {
    const model = run.model!;
    try {
      await sg.io.saveModel(o.save, {
        model,
        preprocessing: {
          scaler: run.scaler!, ...(run.targetScaler ? { targetScaler: run.targetScaler } : {}),
          ...(data.classNames ? { classes: data.classNames } : {}), features: data.features, target: data.target,
        },
        meta: {
          format: 'simdgrad-mlp', task: data.task, config: flatParams(c), epochs, seed: o.seed, data: o.data, hyperparametersFrom: source.from,
          test: Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Number.isFinite(v) ? v : null])), testRows: split.test.length,
        },
      });
    } catch (e) {
      throw e instanceof sg.IOError ? new CliError(`--save ${o.save}: ${e.message.replace(/^saveModel: /, '')}`) : e;
    } finally {
      model.dispose();
    }
  }
  const summary: TrainSummary = { metrics: m as Record<string, number>, metric, testRows: split.test.length, parameters: paramCount(data, c) };
  if (o.quiet) return summary;
  if (o.json) {
    process.stdout.write(JSON.stringify({
      data: o.data, task: data.task, backend: backendName, config: flatParams(c), epochs: log, from: source.from,
      test: m, testRows: split.test.length, parameters: paramCount(data, c), saved: o.save ?? null,
    }) + '\n');
  } else {
    const shown = metric === 'accuracy' ? `accuracy ${(100 * m.accuracy!).toFixed(2)}%, loss ${m.loss!.toFixed(4)}`
      : `r2 ${m.r2!.toFixed(4)}, rmse ${m.rmse!.toPrecision(5)}, mae ${m.mae!.toPrecision(5)} (in the units of '${data.target}')`;
    console.log(`held-out ${shown}${o.save ? `; model saved to ${o.save}` : ''}`);
  }
  return summary;
}
