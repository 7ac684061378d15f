// examples/node/fit-digits.ts: the library end to end on the built-in digits data (1,797 8×8 images): a
// stratified train/test split, a StandardScaler fitted on the training part, an MLP
// 64-128-64-10 trained by fit() with AdamW, a cosine learning-rate schedule, a validation split
// and early stopping, then the held-out accuracy. Exits non-zero below 97% or if memory leaks.
import * as sg from 'simdgrad';
import { digits } from 'simdgrad/datasets';

const t0 = performance.now();
const backendName = await sg.init();
const data = digits();
const [n, d] = data.shape;
const all = sg.tensor(data.x, [n, d]);
const { train, test } = sg.data.trainTestSplit(data.y, { testSize: 0.2, stratify: true, seed: 0 });
const take = (idx: Int32Array) => ({ x: sg.data.gatherRows(all, idx), y: idx.map((i) => data.y[i]!) });
const tr = take(train), te = take(test);
const scaler = new sg.data.StandardScaler();
const xTrain = scaler.fitTransform(tr.x), xTest = scaler.transform(te.x);

sg.manualSeed(0);
const model = new sg.nn.Sequential(
  new sg.nn.Linear(d, 128), new sg.nn.ReLU(),
  new sg.nn.Linear(128, 64), new sg.nn.ReLU(),
  new sg.nn.Linear(64, 10),
);
const epochs = 40;
const optimizer = new sg.optim.AdamW(model.parameters(), { lr: 1e-3, weightDecay: 1e-2 });
const schedule = new sg.optim.CosineAnnealingLR(optimizer, { tMax: epochs });
console.log(`simdgrad on ${backendName}: digits ${train.length} train / ${test.length} test, ` +
  `MLP ${d}-128-64-10 (${model.numParameters()} parameters), AdamW + cosine schedule`);

let mem0: sg.MemoryInfo | undefined, memLast: sg.MemoryInfo | undefined;  // after epoch 1 (optimizer state exists) and the last
const history = sg.fit(model, {
  x: xTrain, y: tr.y, optimizer, schedule, epochs, batchSize: 32, seed: 0,
  validation: { split: 0.15 }, metrics: ['accuracy'],
  callbacks: [
    sg.earlyStopping({ monitor: 'valLoss', patience: 8, restoreBest: true }),
    { onEpochEnd: (e, logs) => { mem0 ??= sg.memory(); memLast = sg.memory(); if (e % 5 === 4 || e === 0) {
      console.log(`epoch ${String(e + 1).padStart(2)}  loss ${logs.loss!.toFixed(4)}  val loss ${logs.valLoss!.toFixed(4)}  ` +
        `val accuracy ${(100 * logs.valAccuracy!).toFixed(1)}%  lr ${logs.lr!.toExponential(2)}`);
    } } },
  ],
});
const result = sg.evaluate(model, xTest, te.y);
const flat = !!mem0 && !!memLast && memLast.bytes === mem0.bytes && memLast.tensors === mem0.tensors;
const secs = (performance.now() - t0) / 1000;
console.log(`${history.epochs} epochs${history.stopReason ? ` (stopped early: ${history.stopReason})` : ''}; ` +
  `held-out accuracy ${(100 * result.accuracy).toFixed(2)}%, loss ${result.loss.toFixed(4)}; ${secs.toFixed(1)} s in all; ` +
  `memory ${flat ? 'flat' : 'GREW'} from epoch 1 to ${history.epochs}`);
for (const t of [all, tr.x, te.x, xTrain, xTest]) t.dispose();
model.dispose();
optimizer.dispose();
if (result.accuracy < 0.97 || !flat || sg.memory().tensors !== 0) process.exit(1);
