// fit() records the settings of its run in History.settings: optimizer and schedule with their
// options, the loop's settings, the loss, validation, and the parameter counts (worked out by
// hand here), as plain data that survives JSON.
import { beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { BACKENDS } from '../helpers/backends.js';

const { nn } = sg;

describe('History.settings', () => {
  beforeAll(async () => { await sg.init({ backend: BACKENDS[0] }); });

  it('records optimizer, schedule, loop settings and parameter counts', () => {
    // 5·8 + 8 = 48 (frozen) and 8·3 + 3 = 27 trainable
    const model = new nn.Sequential(new nn.Linear(5, 8, { seed: 1 }), new nn.ReLU(), new nn.Linear(8, 3, { seed: 2 }));
    model.at(0)!.requiresGrad(false);
    const x = sg.randn([40, 5], { seed: 3 }), y = Int32Array.from({ length: 40 }, (_, i) => i % 3);
    const optimizer = new sg.optim.AdamW(model.parameters(), { lr: 3e-3 });
    const schedule = new sg.optim.StepLR(optimizer, { stepSize: 2, gamma: 0.5 });
    const h = sg.fit(model, { x, y, optimizer, schedule, epochs: 3, batchSize: 16, seed: 5, validation: { split: 0.25 }, metrics: ['accuracy'] });
    expect(h.settings).toEqual({
      optimizer: { name: 'AdamW', options: { lr: 3e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false } },
      schedule: { name: 'StepLR', options: { stepSize: 2, gamma: 0.5 } },
      loss: 'crossEntropy', epochs: 3, batchSize: 16, shuffle: true, seed: 5, dropLast: false, metrics: ['accuracy'],
      samples: 30, validation: { split: 0.25 }, params: { total: 75, trainable: 27, frozen: 48 },
    });
    expect(JSON.parse(JSON.stringify(h.settings))).toEqual(h.settings);
    expect(h.values.lr).toEqual([3e-3, 3e-3, 1.5e-3]); // the schedule ran; the settings keep the starting options
    optimizer.dispose(); model.dispose(); x.dispose();
  });

  it('takes batching from a DataLoader, names custom losses and schedules, and counts given validation data', () => {
    const model = new nn.Linear(2, 1, { seed: 1 });
    const x = sg.randn([12, 2], { seed: 1 }), y = sg.randn([12, 1], { seed: 2 }), vx = sg.randn([4, 2], { seed: 3 }), vy = sg.randn([4, 1], { seed: 4 });
    const loader = new sg.data.DataLoader(x, y, { batchSize: 5, shuffle: true, seed: 9, dropLast: true });
    const optimizer = new sg.optim.SGD(model.parameters(), { lr: 0.01 });
    function halfMse(p: sg.Tensor, t: sg.Tensor | Int32Array) { return sg.nn.functional.mseLoss(p, t as sg.Tensor).mul(0.5); }
    class Constant { step(): void {} }
    const h = sg.fit(model, { data: loader, loss: halfMse, optimizer, schedule: new Constant(), epochs: 1, validation: { x: vx, y: vy } });
    expect(h.settings).toMatchObject({
      schedule: { name: 'Constant' }, loss: 'halfMse', batchSize: 5, shuffle: true, seed: 9, dropLast: true,
      samples: 12, validation: { samples: 4 }, params: { total: 3, trainable: 3, frozen: 0 },
    });
    const anonymous = sg.fit(model, { x, y, loss: (p, t) => sg.nn.functional.mseLoss(p, t as sg.Tensor), optimizer, epochs: 0 });
    expect([anonymous.settings.loss, anonymous.settings.schedule, anonymous.settings.validation]).toEqual(['loss', null, null]);
    for (const t of [x, y, vx, vy]) t.dispose();
    optimizer.dispose(); model.dispose();
  });
});
