// examples/node/house-prices.ts: regression with a scaler. Reads houses.csv (written by
// example-csvs.ts when it is not in the working directory) with readCsv — the price as the target,
// the id and the text column district left out — and holds out a fifth of it. A StandardScaler
// fitted on the training rows standardizes the features (areas in the hundreds, distances in
// units) and a second one the prices (hundreds of thousands), so the MLP learns numbers of unit
// scale; fit() with loss 'mse' reports r2 per epoch. saveModel keeps both scalers with the
// weights, so the loaded model takes raw rows and answers in the price's units: its held-out
// metrics are in money, and it prices new-houses.csv, checked against the rule that made the data.
// Beside it, the same MLP trained as long on the raw numbers shows why the scalers are there.
// Exits non-zero if memory leaked.
//   node --import tsx examples/node/house-prices.ts [--epochs 100] [--seed 0]
import { existsSync } from 'node:fs';
import * as sg from 'simdgrad';
import { housePrice, writeExampleCsvs } from './example-csvs.js';

const arg = (name: string, def: number) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : def; };
const epochs = arg('epochs', 100), seed = arg('seed', 0);
const backendName = await sg.init();
const { nn } = sg;
if (!existsSync('houses.csv')) console.log(`wrote ${writeExampleCsvs().join(', ')}`);

const data = await sg.data.readCsv('houses.csv', { target: 'price', exclude: ['id', 'district'] });
const prices = Float32Array.from(data.y!);
const { train, test } = sg.data.trainTestSplit(prices.length, { testSize: 0.2, seed });
const xTrain = sg.data.gatherRows(data.x, train), xTest = sg.data.gatherRows(data.x, test);
const yTrain = sg.tensor(train.map((i) => prices[i]!), [train.length, 1]), yTest = test.map((i) => prices[i]!);
console.log(`simdgrad on ${backendName}: ${prices.length} houses (${data.columns.join(', ')} → ${data.target}), ` +
  `${train.length} to train on, ${test.length} held out`);

const scaler = new sg.data.StandardScaler().fit(xTrain), targetScaler = new sg.data.StandardScaler().fit(yTrain);
const mlp = () => new nn.Sequential(new nn.Linear(data.columns.length, 64), new nn.ReLU(), new nn.Linear(64, 64), new nn.ReLU(), new nn.Linear(64, 1));

/** Trains with fit() on (x, y) and frees the optimizer's state; returns the history. */
function trainMlp(model: sg.nn.Sequential, x: sg.Tensor, y: sg.Tensor) {
  const optimizer = new sg.optim.Adam(model.parameters(), { lr: 3e-3 });
  const history = sg.fit(model, { x, y, loss: 'mse', optimizer, epochs, batchSize: 32, seed, validation: { split: 0.1 }, metrics: ['r2'] });
  optimizer.dispose();
  return history;
}

sg.manualSeed(seed);
const model = mlp();
const [xs, ys] = [scaler.transform(xTrain), targetScaler.transform(yTrain)];
const history = trainMlp(model, xs, ys);
console.log(`scaled: validation r2 ${history.values.valR2!.at(-1)!.toFixed(3)} after ${epochs} epochs`);
await sg.io.saveModel('houses.safetensors', {
  model, preprocessing: { scaler, targetScaler, features: data.columns, target: data.target }, meta: { settings: history.settings },
});

// The saved model takes raw rows and answers in the price's units.
const loaded = await sg.io.loadModel('houses.safetensors');
const mae = (p: number[], y: ArrayLike<number>) => p.reduce((s, v, i) => s + Math.abs(v - y[i]!), 0) / p.length;
const r2 = (p: number[], y: ArrayLike<number>) => {
  const mean = Array.from(y).reduce((s, v) => s + v, 0) / y.length;
  return 1 - p.reduce((s, v, i) => s + (v - y[i]!) ** 2, 0) / Array.from(y).reduce((s, v) => s + (v - mean) ** 2, 0);
};
const held = loaded.predict(xTest).outputs.map((r) => r[0]!);
console.log(`held out, scaled: r2 ${r2(held, yTest).toFixed(3)}, mean absolute error ${Math.round(mae(held, yTest)).toLocaleString('en-US')}`);

sg.manualSeed(seed);
const raw = mlp();
trainMlp(raw, xTrain, yTrain);
const rawHeld = sg.scope(() => raw.eval().forward(xTest).toArray());
console.log(`held out, raw numbers: r2 ${r2(Array.from(rawHeld), yTest).toFixed(3)}, mean absolute error ${Math.round(mae(Array.from(rawHeld), yTest)).toLocaleString('en-US')}`);

// New houses: the columns the model was saved with, found by name; checked against the rule.
const fresh = await sg.data.readCsv('new-houses.csv', { columns: loaded.preprocessing.features! });
const rows = fresh.x.toArray(), k = fresh.columns.length;
const rule = Array.from({ length: fresh.x.shape[0]! }, (_, i) => {
  const [area, rooms, age, distance] = rows.subarray(i * k, i * k + k);
  return housePrice({ area: area!, rooms: rooms!, age: age!, distance: distance! });
});
const priced = loaded.predict(fresh.x).outputs.map((r) => r[0]!);
console.log(`new houses: ${priced.length} priced, r2 against the rule ${r2(priced, rule).toFixed(3)}; the first three: ` +
  priced.slice(0, 3).map((p, i) => `${Math.round(p).toLocaleString('en-US')} (rule ${Math.round(rule[i]!).toLocaleString('en-US')})`).join(', '));

for (const t of [data.x, xTrain, xTest, yTrain, xs, ys, fresh.x]) t.dispose();
for (const m of [model, raw, loaded.model]) m.dispose();
if (sg.memory().tensors !== 0) { console.error(`leaked ${sg.memory().tensors} tensors`); process.exit(1); }
