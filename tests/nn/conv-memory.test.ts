// A CNN (Conv2d, BatchNorm2d, ReLU, MaxPool2d, Dropout2d, AvgPool2d, Linear; Adam) trained for
// 10,000 steps leaks nothing: the heap's tensors and bytes after step 100 are the same after step
// 10,000, and everything is freed at the end. Each step is a scope, as a training loop writes it.
import { beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { BACKENDS, randomArray } from '../helpers/backends.js';

beforeAll(async () => { await sg.init({ backend: BACKENDS[0], threads: 1 }); });

describe('CNN training memory', () => {
  it('stays flat over 10,000 steps', () => {
    const m0 = sg.memory();
    const { nn } = sg;
    sg.manualSeed(5);
    const model = new nn.Sequential(
      new nn.Conv2d(1, 4, 3, { padding: 1 }), new nn.BatchNorm2d(4), new nn.ReLU(), new nn.MaxPool2d(2), // [8, 4, 4, 4]
      new nn.Dropout2d(0.1), new nn.Conv2d(4, 8, 3, { padding: 1 }), new nn.ReLU(), new nn.AvgPool2d(2), // [8, 8, 2, 2]
      new nn.Flatten(), new nn.Linear(32, 3));
    const opt = new sg.optim.Adam(model.parameters(), { lr: 1e-3 });
    const x = sg.tensor(randomArray(8 * 64, 7, -1, 1), [8, 1, 8, 8]), y = new Int32Array([0, 1, 2, 0, 1, 2, 0, 1]);
    let at100: ReturnType<typeof sg.memory> | undefined, first = NaN, last = NaN;
    for (let step = 1; step <= 10_000; step++) {
      const loss = sg.scope(() => {
        opt.zeroGrad();
        const l = nn.functional.crossEntropy(model.forward(x), y);
        l.backward();
        opt.step();
        return l.item();
      });
      if (step === 1) first = loss;
      last = loss;
      if (step === 100) at100 = sg.memory();
    }
    expect(sg.memory()).toMatchObject({ tensors: at100!.tensors, bytes: at100!.bytes });
    expect(last).toBeLessThan(first); // it trained: eight fixed images are easy to fit
    x.dispose(); opt.dispose(); model.dispose();
    expect(sg.memory()).toMatchObject({ tensors: m0.tensors, bytes: m0.bytes });
  }, 120_000);
});
