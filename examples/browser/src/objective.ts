// The demo sweep's objective module: simdgrad's trial workers (Web Workers, one wasm instance
// each) import it and call `objective(trial)` per trial. An MLP 64-h-10 on digits, trained on a
// stratified 75/25 split for a few epochs; searched: learning rate (log), hidden width (log), batch
// size, weight decay (log) and the optimizer. Reports held-out accuracy after every epoch, so the
// study's pruner can stop a poor configuration early. The data and its split are prepared once per
// worker. Epochs per trial: this module URL's `?epochs=` query (default 6).
import * as sg from '../../../src/index.js';
import { digits } from '../../../src/datasets/index.js';

interface Prepared { xTrain: sg.Tensor; yTrain: Int32Array; xValid: sg.Tensor; yValid: Int32Array }
let prepared: Prepared | undefined;

function prepare(): Prepared {
  if (prepared) return prepared;
  const data = digits();
  const [n, d] = data.shape;
  const all = sg.tensor(data.x, [n, d]);
  const { train, test } = sg.data.trainTestSplit(data.y, { testSize: 0.25, stratify: true, seed: 0 });
  const scaler = new sg.data.StandardScaler();
  const xTr = sg.data.gatherRows(all, train), xVa = sg.data.gatherRows(all, test);
  prepared = {
    xTrain: scaler.fitTransform(xTr), yTrain: train.map((i) => data.y[i]!),
    xValid: scaler.transform(xVa), yValid: test.map((i) => data.y[i]!),
  };
  for (const t of [all, xTr, xVa]) t.dispose();
  return prepared;
}

/** Held-out accuracy of one configuration (maximize). */
export function objective(trial: sg.tune.RemoteTrial): number {
  const lr = trial.suggestFloat('lr', 1e-4, 1e-1, { log: true });
  const hidden = trial.suggestInt('hidden', 16, 256, { log: true });
  const batchSize = trial.suggestCategorical('batchSize', [16, 32, 64, 128]);
  const weightDecay = trial.suggestFloat('weightDecay', 1e-6, 1e-2, { log: true });
  const optimizerName = trial.suggestCategorical('optimizer', ['adam', 'sgd']);
  const epochs = Number(new URL(import.meta.url).searchParams.get('epochs') ?? 6);
  trial.setUserAttr('worker', (globalThis as { name?: string }).name ?? '');
  trial.setUserAttr('backend', sg.backend());
  const { xTrain, yTrain, xValid, yValid } = prepare();
  const model = new sg.nn.Sequential(
    new sg.nn.Linear(64, hidden, { seed: trial.number * 3 + 1 }), new sg.nn.ReLU(), new sg.nn.Linear(hidden, 10, { seed: trial.number * 3 + 2 }));
  const optimizer = optimizerName === 'adam'
    ? new sg.optim.Adam(model.parameters(), { lr, weightDecay })
    : new sg.optim.SGD(model.parameters(), { lr, momentum: 0.9, weightDecay });
  try {
    let accuracy = 0;
    for (let epoch = 0; epoch < epochs; epoch++) {
      sg.fit(model, { x: xTrain, y: yTrain, optimizer, epochs: 1, batchSize, seed: trial.number * 100 + epoch });
      accuracy = sg.evaluate(model, xValid, yValid).accuracy;
      trial.report(accuracy, epoch);
      if (trial.shouldPrune()) throw new sg.tune.TrialPruned(`pruned after epoch ${epoch + 1}`);
    }
    return accuracy;
  } finally {
    model.dispose();
    optimizer.dispose();
  }
}
