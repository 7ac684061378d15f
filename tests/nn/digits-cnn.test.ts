// A small CNN on the built-in digits as [N, 1, 8, 8] images: trained through a DataLoader whose
// transform augments the NCHW batches (random shifts), it must reach ≥ 98.5% on a stratified
// held-out 20% (seeds 0, 1, 2 of the initial weights give 98.6%, 99.2%, 99.4%). And memory stays
// flat over hundreds of training steps of a CNN with every convolutional layer (conv, batch norm,
// max and average pooling, channel dropout).
import { beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { digits } from '../../src/datasets/index.js';

const { nn } = sg;

function step(model: sg.nn.Module, opt: sg.optim.Adam, x: sg.Tensor, y: Int32Array): void {
  sg.scope(() => {
    opt.zeroGrad();
    sg.nn.functional.crossEntropy((model as sg.nn.Sequential).forward(x), y).backward();
    opt.step();
  });
}

describe('CNN on the digits as images', () => {
  beforeAll(async () => { await sg.init(); });

  it('reaches ≥ 98.5% held out, with NCHW batches augmented in the DataLoader', () => {
    const d = digits({ asImages: true });
    expect(d.shape).toEqual([1797, 1, 8, 8]);
    const all = sg.tensor(d.x.map((v) => v / 16), d.shape);
    const { train, test } = sg.data.trainTestSplit(d.y, { testSize: 0.2, stratify: true, seed: 0 });
    const xTr = sg.data.gatherRows(all, train), xTe = sg.data.gatherRows(all, test);
    const yTr = train.map((i) => d.y[i]!), yTe = test.map((i) => d.y[i]!);
    sg.manualSeed(1);
    const model = new nn.Sequential(new nn.Conv2d(1, 16, 3, { padding: 1 }), new nn.BatchNorm2d(16), new nn.ReLU(),
      new nn.Conv2d(16, 32, 3, { padding: 1 }), new nn.BatchNorm2d(32), new nn.ReLU(), new nn.MaxPool2d(2),
      new nn.Flatten(), new nn.Dropout(0.25, { seed: 1 }), new nn.Linear(32 * 16, 10));
    const epochs = 12, opt = new sg.optim.Adam(model.parameters(), { lr: 3e-3 });
    const schedule = new sg.optim.CosineAnnealingLR(opt, { tMax: epochs });
    const loader = new sg.data.DataLoader(xTr, yTr, { batchSize: 32, shuffle: true, seed: 3, transform: sg.data.augment.randomShift({ max: 1, seed: 2 }) });
    try {
      for (let e = 0; e < epochs; e++) {
        for (const b of loader) {
          expect(b.x.shape.slice(1)).toEqual([1, 8, 8]);
          step(model, opt, b.x, b.y!);
          b.dispose();
        }
        schedule.step();
      }
      model.eval();
      const pred = sg.scope(() => sg.noGrad(() => model.forward(xTe).argmax(1)));
      const acc = pred.filter((p, i) => p === yTe[i]).length / yTe.length;
      expect(acc).toBeGreaterThanOrEqual(0.985);
    } finally {
      opt.dispose(); model.dispose();
      for (const t of [all, xTr, xTe]) t.dispose();
    }
  });

  it('memory stays flat over 400 training steps of a CNN', () => {
    const model = new nn.Sequential(new nn.Conv2d(3, 8, 3, { padding: 1, seed: 1 }), new nn.BatchNorm2d(8), new nn.ReLU(),
      new nn.MaxPool2d(2), new nn.Dropout2d(0.1, { seed: 2 }), new nn.Conv2d(8, 8, 3, { groups: 2, seed: 3 }), new nn.ReLU(),
      new nn.AvgPool2d(2, { padding: 1 }), new nn.AdaptiveAvgPool2d(1), new nn.Flatten(), new nn.Linear(8, 4, { seed: 4 }));
    const opt = new sg.optim.Adam(model.parameters());
    const x = sg.rand([6, 3, 12, 12], { seed: 5 }), y = new Int32Array([0, 1, 2, 3, 0, 1]);
    try {
      for (let i = 0; i < 5; i++) step(model, opt, x, y);
      const before = sg.memory();
      for (let i = 0; i < 400; i++) step(model, opt, x, y);
      const after = sg.memory();
      expect(after.tensors).toBe(before.tensors);
      expect(after.bytes).toBe(before.bytes);
      expect(after.capacity).toBe(before.capacity);
    } finally {
      opt.dispose(); model.dispose(); x.dispose();
    }
  });
});
