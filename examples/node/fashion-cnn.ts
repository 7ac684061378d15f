// examples/node/fashion-cnn.ts: a small CNN trained on Fashion-MNIST (60,000 28×28 clothing images,
// 10 classes) read from a directory of IDX files with sg.data.readIdx, then scored on the 10,000
// test images; prints the test accuracy and the training time.
//
// The data: `--data DIR` names a directory holding train-images-idx3-ubyte, train-labels-idx1-ubyte,
// t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (each gzipped, .gz, or not). Without it the
// example looks in /usr/share/datasets/fashion-mnist (Debian: `apt-get install dataset-fashion-mnist`)
// and ./data/fashion-mnist. Exits non-zero when the data are missing.
//
// The model: conv 3×3 (1→16), max-pool 2, BatchNorm, ReLU, conv 3×3 (16→32), max-pool 2, BatchNorm,
// ReLU, linear 1568→10 (20,586 parameters; pooling before the normalisation works on a quarter of
// the values); Adam with a one-cycle learning rate over `--epochs` epochs (default 3) of batches of
// `--batch` (default 64), inputs scaled to [0, 1].
//
//   node --import tsx examples/node/fashion-cnn.ts [--data DIR] [--epochs 3] [--batch 64]
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as sg from '../../src/index.js';

const DIRS = ['/usr/share/datasets/fashion-mnist', 'data/fashion-mnist'];
const FILES = { xTrain: 'train-images-idx3-ubyte', yTrain: 'train-labels-idx1-ubyte', xTest: 't10k-images-idx3-ubyte', yTest: 't10k-labels-idx1-ubyte' };

/** The path of `name` in dir, gzipped or not, or null. */
function find(dir: string, name: string): string | null {
  for (const f of [name, `${name}.gz`]) if (existsSync(join(dir, f))) return join(dir, f);
  return null;
}

/** Images as [n, 1, 28, 28] in [0, 1] and labels as Int32Array. */
async function load(dir: string, images: string, labels: string): Promise<{ x: sg.Tensor; y: Int32Array }> {
  const [xi, yi] = await Promise.all([sg.data.readIdx(find(dir, images)!), sg.data.readIdx(find(dir, labels)!)]);
  const [n, h, w] = xi.shape as [number, number, number];
  const x = new Float32Array(xi.data.length);
  for (let i = 0; i < x.length; i++) x[i] = xi.data[i]! / 255;
  return { x: sg.tensor(x, [n, 1, h, w]), y: Int32Array.from(yi.data) };
}

export interface FashionOptions { data?: string; epochs?: number; batch?: number; log?: (line: string) => void }

/** Trains and scores the CNN; returns the test accuracy and the training seconds. */
export async function fashionCnn({ data, epochs = 3, batch = 64, log = console.log }: FashionOptions = {}): Promise<{ accuracy: number; seconds: number }> {
  const dir = data ?? DIRS.find((d) => Object.values(FILES).every((f) => find(d, f)));
  if (!dir || Object.values(FILES).some((f) => !find(dir, f))) {
    throw new Error(`fashion-cnn: no Fashion-MNIST IDX files in ${data ?? DIRS.join(' or ')} (need ${Object.values(FILES).join(', ')}, ` +
      'gzipped or not); pass --data DIR, or on Debian: apt-get install dataset-fashion-mnist');
  }
  const backend = await sg.init();
  const train = await load(dir, FILES.xTrain, FILES.yTrain), test = await load(dir, FILES.xTest, FILES.yTest);
  const { nn } = sg;
  sg.manualSeed(0);
  const model = new nn.Sequential(
    new nn.Conv2d(1, 16, 3, { padding: 1 }), new nn.MaxPool2d(2), new nn.BatchNorm2d(16), new nn.ReLU(),
    new nn.Conv2d(16, 32, 3, { padding: 1 }), new nn.MaxPool2d(2), new nn.BatchNorm2d(32), new nn.ReLU(),
    new nn.Flatten(), new nn.Linear(32 * 7 * 7, 10));
  const loader = new sg.data.DataLoader(train.x, train.y, { batchSize: batch, shuffle: true, seed: 2 });
  const opt = new sg.optim.Adam(model.parameters(), { lr: 3e-3 });
  const schedule = new sg.optim.OneCycleLR(opt, { maxLr: 6e-3, totalSteps: epochs * loader.length });
  log(`simdgrad on ${backend}: Fashion-MNIST from ${dir}: ${train.y.length} train / ${test.y.length} test images; ` +
    `CNN with ${model.numParameters()} parameters, ${epochs} epochs of batches of ${batch}`);
  const accuracy = (): number => sg.noGrad(() => {
    model.eval();
    let right = 0;
    for (let i = 0; i < test.y.length; i += 1000) {
      const pred = sg.scope(() => model.forward(test.x.slice([i], [Math.min(i + 1000, test.y.length)])).argmax(1));
      pred.forEach((p, j) => { if (p === test.y[i + j]) right++; });
    }
    model.train();
    return right / test.y.length;
  });
  let seconds = 0;
  for (let e = 0; e < epochs; e++) {
    const t0 = performance.now();
    let loss = 0;
    for (const b of loader) {
      loss += sg.scope(() => {
        opt.zeroGrad();
        const l = sg.nn.functional.crossEntropy(model.forward(b.x), b.y!);
        l.backward();
        opt.step();
        schedule.step();
        return l.item();
      });
      b.dispose();
    }
    seconds += (performance.now() - t0) / 1000;
    log(`epoch ${e + 1}: training loss ${(loss / loader.length).toFixed(4)}, test accuracy ${(100 * accuracy()).toFixed(2)}%, ` +
      `${seconds.toFixed(1)} s of training`);
  }
  const acc = accuracy();
  opt.dispose(); model.dispose();
  for (const t of [train.x, test.x]) t.dispose();
  return { accuracy: acc, seconds };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name: string): string | undefined => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : undefined; };
  try {
    const { accuracy, seconds } = await fashionCnn({ data: arg('data'), epochs: Number(arg('epochs') ?? 3), batch: Number(arg('batch') ?? 64) });
    console.log(`test accuracy ${(100 * accuracy).toFixed(2)}% after ${seconds.toFixed(1)} s of training`);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}
