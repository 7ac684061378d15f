// The sequence and convolutional models of bench/threads.ts: one training step (forward, backward,
// Adam) of an LSTM (input 64, hidden 256, batch 32 × 32 steps, a linear head), of a Transformer
// encoder layer (d_model 256, 8 heads, feed-forward 1024, batch 16 × 64 tokens, causal), of LeNet-5
// (batch 64 of 1×28×28, cross-entropy) and of a conv block (32→32 3×3 'same', BatchNorm2d, ReLU,
// 2×2 max pooling; batch 32 of 32×16×16), on fixed seeded inputs, each as a bench/train.ts Trainer
// named with its thread count.
import * as sg from '../src/index.js';
import { Adam } from '../src/optim/index.js';
import { randomArray } from '../tests/helpers/backends.js';
import type { Trainer } from './mlp-trainers.js';

function trainer(name: string, modules: sg.nn.Module[], x: sg.Tensor, loss: () => sg.Tensor): Trainer {
  const opts = modules.map((m) => new Adam(m.parameters(), { lr: 1e-3 }));
  return {
    name,
    step: () => sg.scope(() => {
      for (const o of opts) o.zeroGrad();
      const l = loss();
      l.backward();
      for (const o of opts) o.step();
      return l.item();
    }),
    live: () => { const m = sg.memory(); return m.tensors * 2 ** 32 + m.bytes; },
    dispose: () => { for (const o of opts) o.dispose(); for (const m of modules) m.dispose(); x.dispose(); },
  };
}

const label = (threads: number) => `${threads} thread${threads > 1 ? 's' : ''}`;

/** LeNet-5 and a conv block with batch norm, trainers on the active backend. */
export function convTrainers(threads: number): Trainer[] {
  const t = label(threads), nn = sg.nn;
  sg.manualSeed(5);
  const lenet = new nn.Sequential(new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(6, 16, 5), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(),
    new nn.Linear(400, 120), new nn.ReLU(), new nn.Linear(120, 84), new nn.ReLU(), new nn.Linear(84, 10));
  const xl = sg.tensor(randomArray(64 * 784, 4), [64, 1, 28, 28]), yl = Array.from({ length: 64 }, (_, i) => (i * 7) % 10);
  const block = new nn.Sequential(new nn.Conv2d(32, 32, 3, { padding: 1 }), new nn.BatchNorm2d(32), new nn.ReLU(), new nn.MaxPool2d(2));
  const xb = sg.tensor(randomArray(32 * 32 * 16 * 16, 6), [32, 32, 16, 16]);
  return [
    trainer(`LeNet-5, batch 64, ${t}`, [lenet], xl, () => nn.functional.crossEntropy(lenet.forward(xl), yl)),
    trainer(`conv 32→32 3×3 + BatchNorm2d + ReLU + max pool, batch 32 × 16×16, ${t}`, [block], xb, () => block.forward(xb).pow(2).mean()),
  ];
}

/** An LSTM and a Transformer encoder layer trainer on the active backend. */
export function sequenceTrainers(threads: number): Trainer[] {
  const t = label(threads);
  sg.manualSeed(3);
  const lstm = new sg.nn.LSTM(64, 256, { batchFirst: true }), head = new sg.nn.Linear(256, 64);
  const xs = sg.tensor(randomArray(32 * 32 * 64, 1), [32, 32, 64]);
  const enc = new sg.nn.TransformerEncoderLayer(256, 8, { dimFeedforward: 1024, dropout: 0, batchFirst: true });
  const xe = sg.tensor(randomArray(16 * 64 * 256, 2), [16, 64, 256]);
  return [
    trainer(`LSTM 64→256, batch 32 × 32 steps, ${t}`, [lstm, head], xs, () => head.forward(lstm.forward(xs)[0]).pow(2).mean()),
    trainer(`Transformer encoder layer 256/8/1024, batch 16 × 64, ${t}`, [enc], xe, () => enc.forward(xe, { isCausal: true }).pow(2).mean()),
  ];
}
