// `simdgrad train`: one MLP configuration on a data set — a stratified 80/20 split, a
// StandardScaler fitted on the training part, sg.fit with per-epoch loss and accuracy on both
// parts, the held-out accuracy, and optionally the weights as safetensors (sg.io.save) with the
// configuration and the scaler in the file's metadata. --json prints one JSON document.
import { writeFile } from 'node:fs/promises';
import * as sg from '../index.js';
import { CliError } from './cli-error.js';
import { dataArg, loadData } from './tabular-data.js';
import { buildMlp, buildOptimizer, mlpConfig } from './mlp-objective.js';

export interface TrainOptions {
  data: string; target?: string; hidden: number; lr: number; optimizer: string; epochs: number;
  batchSize: number; seed: number; dropout: number; weightDecay: number; testSize: number; save?: string; json?: boolean;
}

/** Trains one configuration; returns the process exit code. */
export async function runTrain(o: TrainOptions): Promise<number> {
  const backendName = await sg.init();
  const data = await loadData(dataArg(o.data), o.target);
  const c = mlpConfig({ lr: o.lr, batchSize: o.batchSize, hidden: o.hidden, dropout: o.dropout, weightDecay: o.weightDecay, optimizer: o.optimizer });
  const [n, f] = data.shape;
  let split;
  try {
    split = sg.data.trainTestSplit(data.y, { testSize: o.testSize, stratify: true, seed: o.seed });
  } catch (e) {
    throw new CliError(`--test-size ${o.testSize}: ${(e as Error).message}`);
  }
  const epochs: Array<Record<string, number>> = [];
  const result = sg.scope(() => {
    const all = sg.tensor(data.x, [n, f]);
    const take = (idx: Int32Array) => ({ x: sg.data.gatherRows(all, idx), y: Int32Array.from(idx, (i) => data.y[i]!) });
    const tr = take(split.train), te = take(split.test);
    const scaler = new sg.data.StandardScaler();
    const xTrain = scaler.fitTransform(tr.x), xTest = scaler.transform(te.x);
    const model = buildMlp(f, data.classes, c, 1000 * o.seed);
    const opt = buildOptimizer(model, c);
    if (!o.json) {
      console.log(`simdgrad train on ${backendName}: ${o.data} ${split.train.length} train / ${split.test.length} test, ` +
        `MLP ${f}-${c.hidden}-${data.classes} (${model.numParameters()} parameters), ${c.optimizer} lr ${c.lr}`);
    }
    try {
      sg.fit(model, {
        x: xTrain, y: tr.y, optimizer: opt, epochs: o.epochs, batchSize: c.batchSize, seed: o.seed,
        validation: { x: xTest, y: te.y }, metrics: ['accuracy'],
        callbacks: [{
          onEpochEnd: (e, logs) => {
            epochs.push({ epoch: e + 1, ...logs } as Record<string, number>);
            if (!o.json) {
              console.log(`epoch ${String(e + 1).padStart(3)}  loss ${logs.loss!.toFixed(4)}  accuracy ${(100 * logs.accuracy!).toFixed(1)}%  ` +
                `val loss ${logs.valLoss!.toFixed(4)}  val accuracy ${(100 * logs.valAccuracy!).toFixed(1)}%`);
            }
          },
        }],
      });
    } catch (e) {
      opt.dispose();
      model.dispose();
      if (e instanceof sg.NonFiniteLossError) throw new CliError(`training diverged (${e.message}); try a smaller --lr`);
      throw e;
    }
    const r = sg.evaluate(model, xTest, te.y);
    const bytes = o.save ? sg.io.save(model, {
      metadata: {
        format: 'simdgrad-mlp', inputs: String(f), hidden: String(c.hidden), classes: String(data.classes),
        config: JSON.stringify(c), scaler: JSON.stringify(scaler.toJSON()),
      },
    }) : undefined;
    opt.dispose();
    model.dispose();
    return { accuracy: r.accuracy, loss: r.loss, bytes };
  });
  if (o.save && result.bytes) await writeFile(o.save, result.bytes);
  if (o.json) {
    process.stdout.write(JSON.stringify({ data: o.data, backend: backendName, config: c, epochs, testAccuracy: result.accuracy, testLoss: result.loss, saved: o.save ?? null }) + '\n');
  } else {
    console.log(`held-out accuracy ${(100 * result.accuracy).toFixed(2)}%, loss ${result.loss.toFixed(4)}` +
      (o.save ? `; weights saved to ${o.save}` : ''));
  }
  return 0;
}
