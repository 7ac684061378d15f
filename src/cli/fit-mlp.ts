// fitMlp: one CLI configuration trained on some rows of a data set and scored on others — the
// unit of `tune` (one fold), `train` and the default-versus-tuned comparison. The model is the
// configuration's: the MLP (mlp-model.ts), or the CNN (cnn-model.ts) on image data, whose rows
// become [n, C, H, W] images standardized by one mean and standard deviation of the training
// rows' pixels (no per-pixel scaler: a CNN shares its weights across positions). An MLP's
// features are standardized by a StandardScaler fitted on the training rows. A regression's targets are
// standardized too (a StandardScaler on y fitted on the training rows: the network learns targets
// of unit scale whatever the column's units, so one learning-rate range fits every data set), and
// its predictions are mapped back through the scaler's inverse before any metric is computed, so
// mse, mae and rmse are in the target's own units (r2 is the same either way). The score is the
// validation accuracy (classification) or r2 (regression) after the last epoch. Contract: a run
// that diverges (NonFiniteLossError) scores chance level — 1/classes, or r2 0, what predicting
// the mean scores — and says so in `diverged`; no tensor outlives the call except, with `keep`,
// the returned model (the caller disposes it).
import * as sg from '../index.js';
import type { TabularData } from './tabular-data.js';
import type { MlpConfig } from './mlp-space.js';
import { buildMlp, buildOptimizer, buildSchedule, mlpParamCount } from './mlp-model.js';
import { buildCnn, cnnParamCount } from './cnn-model.js';
import { CliError } from './cli-error.js';

/** Per-epoch values of a run: training loss, validation loss and validation score. */
export interface Curve { loss: number[]; valLoss: number[]; valScore: number[] }

export interface MlpRun {
  /** Validation accuracy (classification) or r2 (regression) at the end. */
  score: number;
  /** Validation metrics at the end, in the target's units: loss and accuracy, or loss, mse, mae, rmse, r2. */
  metrics: Record<string, number>;
  curve: Curve;
  /** Why the run stopped early (a non-finite loss), if it did. */
  diverged?: string;
  model?: sg.nn.Sequential;
  scaler?: sg.data.StandardScaler;
  targetScaler?: sg.data.StandardScaler;
}

export interface FitMlpOptions {
  seed: number;
  epochs: number;
  /** Called after each epoch with its validation logs (in scaled units for a regression's loss). */
  onEpoch?: (epoch: number, logs: Record<string, number>) => void;
  /** Return the trained model and the fitted scalers instead of freeing the model. */
  keep?: boolean;
}

/** A regressor's outputs in the target's units: the model, then the target scaler's inverse. */
class Unscaled extends sg.nn.Module {
  constructor(readonly inner: sg.nn.Module & { forward(x: sg.Tensor): sg.Tensor }, private readonly scaler: sg.data.StandardScaler) { super(); }
  forward(x: sg.Tensor): sg.Tensor { return this.scaler.inverseTransform(this.inner.forward(x)); }
}

/** The mean and standard deviation (1 when 0) of the pixels of rows `idx` of d. */
function pixelStats(d: TabularData, idx: Int32Array): [number, number] {
  const f = d.shape[1];
  let s = 0, ss = 0;
  for (const r of idx) for (let j = r * f; j < r * f + f; j++) { const v = d.x[j]!; s += v; ss += v * v; }
  const n = idx.length * f, mean = s / n, sd = Math.sqrt(Math.max(0, ss / n - mean * mean));
  return [mean, sd > 0 ? sd : 1];
}

/** The parameter count of configuration c's model on d (the CNN's on d's images). */
export function paramCount(d: TabularData, c: MlpConfig): number {
  const outputs = d.task === 'regression' ? 1 : d.classes;
  return c.model === 'cnn' && d.image ? cnnParamCount(d.image, outputs, c) : mlpParamCount(d.shape[1], outputs, c);
}

/** The name of a task's score: what tune maximizes. */
export const scoreName = (d: TabularData): 'accuracy' | 'r2' => (d.task === 'regression' ? 'r2' : 'accuracy');

/**
 * Trains configuration c on rows `train` of d and scores it on rows `valid`.
 * @example const { score } = fitMlp(data, mlpConfig({}), split.train, split.test, { seed: 0, epochs: 20 });
 */
export function fitMlp(d: TabularData, c: MlpConfig, train: Int32Array, valid: Int32Array, o: FitMlpOptions): MlpRun {
  const regression = d.task === 'regression', f = d.shape[1];
  const curve: Curve = { loss: [], valLoss: [], valScore: [] };
  const image = c.model === 'cnn' ? d.image : undefined;
  if (c.model === 'cnn' && !image) throw new CliError(`--model cnn: ${d.name} is not image data (use digits or a directory of IDX files)`);
  return sg.scope(() => {
    const all = sg.tensor(d.x, d.shape), rows = (idx: Int32Array) => sg.data.gatherRows(all, idx);
    const targets = (idx: Int32Array) => (regression ? sg.tensor(Float32Array.from(idx, (i) => d.y[i]!), [idx.length, 1]) : Int32Array.from(idx, (i) => d.y[i]!));
    const [mean, sd] = image ? pixelStats(d, train) : [0, 1];
    const images = (idx: Int32Array) => rows(idx).sub(mean).div(sd).reshape([idx.length, ...image!]);
    const scaler = image ? undefined : new sg.data.StandardScaler();
    const xTrain = scaler ? scaler.fitTransform(rows(train)) : images(train), xValid = scaler ? scaler.transform(rows(valid)) : images(valid);
    let yTrain = targets(train), yValid = targets(valid), targetScaler: sg.data.StandardScaler | undefined;
    if (regression) {
      targetScaler = new sg.data.StandardScaler();
      yTrain = targetScaler.fitTransform(yTrain as sg.Tensor);
      yValid = targetScaler.transform(yValid as sg.Tensor);
    }
    const outputs = regression ? 1 : d.classes;
    const model = image ? buildCnn(image, outputs, c, o.seed) : buildMlp(f, outputs, c, o.seed), opt = buildOptimizer(model, c);
    const loss = regression ? 'mse' as const : 'crossEntropy' as const, metric = scoreName(d);
    let diverged: string | undefined;
    try {
      sg.fit(model, {
        x: xTrain, y: yTrain, loss, optimizer: opt, epochs: o.epochs, batchSize: c.batchSize, seed: o.seed, metrics: [metric],
        validation: { x: xValid, y: yValid }, schedule: buildSchedule(opt, c, o.epochs),
        callbacks: [{
          onEpochEnd: (e, logs) => {
            curve.loss.push(logs.loss!); curve.valLoss.push(logs.valLoss!); curve.valScore.push(regression ? logs.valR2! : logs.valAccuracy!);
            o.onEpoch?.(e, logs);
          },
        }],
      });
    } catch (e) {
      if (!(e instanceof sg.NonFiniteLossError)) { opt.dispose(); model.dispose(); throw e; }
      diverged = e.message;
    }
    opt.dispose();
    const yRaw = targets(valid);
    const evaluated = regression ? sg.evaluate(new Unscaled(model, targetScaler!), xValid, yRaw, { loss: 'mse' }) : sg.evaluate(model, xValid, yRaw as Int32Array);
    const score = diverged ? (regression ? 0 : 1 / d.classes) : ((evaluated as Record<string, number | undefined>)[metric] ?? NaN);
    const metrics = Object.fromEntries(Object.entries(evaluated).filter(([, v]) => v !== undefined)) as Record<string, number>;
    if (!o.keep) { model.dispose(); return { score, metrics, curve, ...(diverged ? { diverged } : {}) }; }
    return { score, metrics, curve, ...(diverged ? { diverged } : {}), model, ...(scaler ? { scaler } : {}), ...(targetScaler ? { targetScaler } : {}) };
  });
}
