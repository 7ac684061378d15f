// Does augmentation help when data are scarce? Trains a 64-64-10 MLP on a random 20% of the
// built-in digits (≈ 360 images) twice — plain, and with a seeded augmentation pipeline (a small
// rotation of half the images, then gaussian noise) applied per batch by the DataLoader — and
// scores both on the held-out 80%. Averages over seeds, prints every number, and exits non-zero
// if the pipeline does not help. (Shifts hurt here: these digits are already centred and
// size-normalised, and one pixel is an eighth of the image.)
//   node --import tsx examples/node/augment-digits.ts [seeds=5] [epochs=100]
import * as sg from 'simdgrad';
import { digits } from 'simdgrad/datasets';

const { DataLoader, augment, gatherRows } = sg.data, { SGD } = sg.optim;

const seeds = Number(process.argv[2] ?? 5), epochs = Number(process.argv[3] ?? 100);
const backendName = await sg.init();
const { nn } = sg, { crossEntropy } = nn.functional;

const data = digits();
const N = data.shape[0], D = data.shape[1];
const X = sg.scope(() => sg.tensor(data.x, data.shape).div(16));  // pixels in [0, 1]

/** Held-out accuracy of a model trained on the rows `train` (with `aug` applied per batch). */
function run(seed: number, train: Int32Array, test: Int32Array, aug?: sg.data.augment.Transform): number {
  return sg.scope(() => {
    const pick = (idx: Int32Array) => ({ x: gatherRows(X, idx), y: Int32Array.from(idx, (i) => data.y[i]!) });
    const tr = pick(train), te = pick(test);
    const model = new nn.Sequential(new nn.Linear(D, 64, { seed }), new nn.ReLU(), new nn.Linear(64, 10, { seed: seed + 2 }));
    const opt = new SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
    const loader = new DataLoader(tr.x, tr.y, { batchSize: 32, shuffle: true, seed, transform: aug });
    for (let e = 0; e < epochs; e++) {
      for (const b of loader) {
        sg.scope(() => {
          const loss = crossEntropy(model.forward(b.x), b.y);
          opt.zeroGrad();
          loss.backward();
          opt.step();
        });
        b.dispose();
      }
    }
    const acc = sg.noGrad(() => {
      const pred = model.eval().forward(te.x).argmax(1);
      return pred.filter((p, i) => p === te.y[i]).length / te.y.length;
    });
    opt.dispose();
    model.dispose();
    return acc;
  });
}

console.log(`simdgrad on ${backendName}: digits, train on 20% (${Math.round(N * 0.2)}), test on the other 80%; ` +
  `MLP ${D}-64-10, SGD lr 0.05 momentum 0.9, batch 32, ${epochs} epochs, ${seeds} seeds`);
const plain: number[] = [], augmented: number[] = [];
const t0 = performance.now();
for (let s = 0; s < seeds; s++) {
  const order = sg.permutation(N, 100 + s), nTrain = Math.round(N * 0.2);
  const train = order.slice(0, nTrain), test = order.slice(nTrain);
  const pipeline = augment.compose(
    augment.randomRotation({ images: [8, 8], degrees: 10, p: 0.5, seed: 10 * s + 1 }),
    augment.gaussianNoise({ std: 0.3, seed: 10 * s + 2 }),
  );
  plain.push(run(s, train, test));
  augmented.push(run(s, train, test, pipeline));
  console.log(`seed ${s}: held-out accuracy plain ${(plain[s]! * 100).toFixed(1)}%  ` +
    `augmented ${(augmented[s]! * 100).toFixed(1)}%`);
}
const mean = (a: number[]) => a.reduce((p, q) => p + q, 0) / a.length;
const gain = mean(augmented) - mean(plain);
console.log(`mean held-out accuracy: plain ${(mean(plain) * 100).toFixed(2)}%, augmented ${(mean(augmented) * 100).toFixed(2)}% ` +
  `(${gain >= 0 ? '+' : ''}${(gain * 100).toFixed(2)} points) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
X.dispose();
if (sg.memory().tensors !== 0) throw new Error(`${sg.memory().tensors} tensors leaked`);
if (!(gain > 0)) process.exit(1);
