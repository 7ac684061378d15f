// The demo's training Web Worker: its own simdgrad (own wasm instance) trains an MLP 64-128-10 on
// the built-in digits (80/20 stratified split, StandardScaler fitted on the training part, Adam),
// one fit() epoch at a time so prediction requests are answered between epochs, and posts:
//   { type: 'ready', backend }            after init()
//   { type: 'batch', step, loss }         after every mini-batch (the live loss chart)
//   { type: 'epoch', epoch, loss, testAccuracy }
//   { type: 'done', testAccuracy, seconds }
//   { type: 'probs', id, probs }          the answer to { type: 'predict', id, pixels } (64 values, 0–16)
// Messages in: { type: 'train', epochs, seed }, { type: 'predict', id, pixels }.
import * as sg from '../../../src/index.js';
import { digits } from '../../../src/datasets/index.js';

type In = { type: 'train'; epochs: number; seed: number } | { type: 'predict'; id: number; pixels: number[] };
const post = (m: unknown) => (globalThis as unknown as { postMessage(m: unknown): void }).postMessage(m);

let model: sg.nn.Sequential | undefined;
let scaler: sg.data.StandardScaler | undefined;
const backendName = sg.init();

async function train(epochs: number, seed: number): Promise<void> {
  post({ type: 'ready', backend: await backendName });
  const t0 = performance.now();
  const data = digits();
  const [n, d] = data.shape;
  const all = sg.tensor(data.x, [n, d]);
  const split = sg.data.trainTestSplit(data.y, { testSize: 0.2, stratify: true, seed });
  const rows = (idx: Int32Array) => ({ x: sg.data.gatherRows(all, idx), y: idx.map((i) => data.y[i]!) });
  const tr = rows(split.train), te = rows(split.test);
  scaler = new sg.data.StandardScaler();
  const xTrain = scaler.fitTransform(tr.x), xTest = scaler.transform(te.x);
  sg.manualSeed(seed);
  model = new sg.nn.Sequential(new sg.nn.Linear(d, 128), new sg.nn.ReLU(), new sg.nn.Linear(128, 10));
  const optimizer = new sg.optim.Adam(model.parameters(), { lr: 2e-3 });
  let step = 0, testAccuracy = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const h = sg.fit(model, {
      x: xTrain, y: tr.y, optimizer, epochs: 1, batchSize: 32, seed: seed + epoch,
      onProgress: (p) => post({ type: 'batch', step: step++, loss: p.loss }),
    });
    testAccuracy = sg.evaluate(model, xTest, te.y).accuracy;
    post({ type: 'epoch', epoch, loss: h.values.loss![0], testAccuracy });
    await new Promise((r) => setTimeout(r, 0)); // let 'predict' messages in
  }
  for (const t of [all, tr.x, te.x, xTrain, xTest]) t.dispose();
  optimizer.dispose();
  post({ type: 'done', testAccuracy, seconds: (performance.now() - t0) / 1000 });
}

/** Class probabilities of one 8×8 image (values 0–16, row-major). */
function predict(pixels: number[]): number[] {
  if (!model || !scaler) throw new Error('no model yet');
  const m = model, s = scaler;
  return sg.noGrad(() => sg.scope(() => {
    m.eval();
    const x = s.transform(sg.tensor(pixels, [1, 64]));
    return Array.from(sg.softmax(m.forward(x), -1).toArray());
  }));
}

globalThis.addEventListener('message', (e: Event) => {
  const msg = (e as MessageEvent<In>).data;
  if (msg.type === 'train') {
    train(msg.epochs, msg.seed).catch((err: Error) => post({ type: 'error', message: `${err.name}: ${err.message}` }));
  } else if (msg.type === 'predict') {
    try {
      post({ type: 'probs', id: msg.id, probs: predict(msg.pixels) });
    } catch (err) {
      post({ type: 'error', message: String(err) });
    }
  }
});
