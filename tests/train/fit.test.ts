// fit(): learns, logs a history, validates, shuffles reproducibly, stops early and restores the
// best weights, survives a NaN loss with its last finite weights, and leaks nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { BACKENDS, randomArray } from '../helpers/backends.js';

beforeAll(async () => { await sg.init({ backend: BACKENDS[0] }); });

/** Three separable blobs in 2-D: class = which centre a point is near. */
function blobs(n: number, seed: number): { x: sg.Tensor; y: Int32Array } {
  const noise = randomArray(2 * n, seed, -0.6, 0.6), centres = [[-2, 0], [2, 0], [0, 2.5]];
  const x = new Float32Array(2 * n), y = new Int32Array(n);
  for (let i = 0; i < n; i++) { y[i] = i % 3; x[2 * i] = centres[i % 3]![0]! + noise[2 * i]!; x[2 * i + 1] = centres[i % 3]![1]! + noise[2 * i + 1]!; }
  return { x: sg.tensor(x, [n, 2]), y };
}
const mlp = () => { sg.manualSeed(3); return new sg.nn.Sequential(new sg.nn.Linear(2, 16), new sg.nn.ReLU(), new sg.nn.Linear(16, 3)); };

describe('fit', () => {
  it('learns a separable problem and logs per-epoch history', () => {
    const m0 = sg.memory();
    const { x, y } = blobs(300, 1);
    const model = mlp(), opt = new sg.optim.SGD(model.parameters(), { lr: 0.1 });
    const h = sg.fit(model, { x, y, optimizer: opt, epochs: 8, batchSize: 32, validation: { split: 0.2 }, metrics: ['accuracy'], seed: 1 });
    expect(h.epochs).toBe(8);
    expect(Object.keys(h.values).sort()).toEqual(['accuracy', 'loss', 'lr', 'valAccuracy', 'valLoss']);
    expect(h.values.loss!.at(-1)!).toBeLessThan(h.values.loss![0]!);
    expect(h.values.valAccuracy!.at(-1)!).toBeGreaterThan(0.95);
    const e = sg.evaluate(model, x, y);
    expect(e.accuracy).toBeGreaterThan(0.95);
    x.dispose(); model.dispose(); opt.dispose();
    expect(sg.memory()).toMatchObject({ tensors: m0.tensors, bytes: m0.bytes });
  });

  it('is reproducible for a seed and rejects bad options', () => {
    const { x, y } = blobs(90, 2);
    const run = (seed: number) => {
      const model = mlp(), opt = new sg.optim.SGD(model.parameters(), { lr: 0.05 });
      const h = sg.fit(model, { x, y, optimizer: opt, epochs: 2, batchSize: 16, seed });
      model.dispose(); opt.dispose();
      return h.values.loss;
    };
    expect(run(5)).toEqual(run(5));
    expect(run(6)).not.toEqual(run(5)); // the seed is used: another one shuffles differently
    const model = mlp(), opt = new sg.optim.SGD(model.parameters(), { lr: 0.05 });
    expect(() => sg.fit(model, { x, y: y.subarray(1), optimizer: opt })).toThrow('[90, 2] has 90 rows but y has 89');
    expect(() => sg.fit(model, { x, y, optimizer: opt, batchSize: 0 })).toThrow(RangeError);
    x.dispose(); model.dispose(); opt.dispose();
  });

  it('refuses fractional class labels instead of truncating them, and accepts integer arrays', () => {
    const { x, y } = blobs(30, 3);
    const model = mlp(), opt = new sg.optim.SGD(model.parameters(), { lr: 0.05 });
    const before = model.parameters().map((p) => [...p.toArray()]);
    const frac = Float32Array.from(y, (v, i) => (i === 7 ? 2.5 : v));
    let err: unknown;
    try { sg.fit(model, { x, y: frac as never, optimizer: opt }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(sg.DTypeError);
    expect((err as Error).message).toBe("fit: y[7] is 2.5, not a class index; for real-valued targets (regression) pass loss: 'mse'");
    expect(() => sg.fit(model, { x, y: [...y].map((v, i) => (i === 3 ? NaN : v)) as never, optimizer: opt })).toThrow(/y\[3\] is NaN/);
    expect(() => sg.fit(model, { x, y: 'abc' as never, optimizer: opt })).toThrow(sg.DTypeError);
    expect(() => sg.fit(model, { x: [1, 2] as never, y, optimizer: opt })).toThrow(/fit: x must be a Tensor, got \[1, 2\]/);
    expect(() => sg.evaluate(model, x, frac as never)).toThrow(/evaluate: y\[7\] is 2.5/);
    expect(() => new sg.data.DataLoader(x, frac as never)).toThrow(/DataLoader: y\[7\] is 2.5/);
    expect(model.parameters().map((p) => [...p.toArray()])).toEqual(before);
    // integer class labels in a plain array or a Float32Array train like an Int32Array
    const run = (labels: ArrayLike<number>) => {
      const m = mlp(), o = new sg.optim.SGD(m.parameters(), { lr: 0.05 });
      const h = sg.fit(m, { x, y: labels as never, optimizer: o, epochs: 1, batchSize: 8, seed: 2 });
      m.dispose(); o.dispose();
      return h.values.loss;
    };
    expect(run([...y])).toEqual(run(y));
    expect(run(Float32Array.from(y))).toEqual(run(y));
    x.dispose(); model.dispose(); opt.dispose();
  });

  it('an epoch that would run no step is an error, not a loss of 0', () => {
    const { x, y } = blobs(10, 4);
    const model = mlp(), opt = new sg.optim.SGD(model.parameters(), { lr: 0.05 });
    const empty = sg.zeros([0, 2]);
    expect(() => sg.fit(model, { x: empty, y: new Int32Array(0), optimizer: opt })).toThrow(sg.ShapeError);
    expect(() => sg.fit(model, { x: empty, y: new Int32Array(0), optimizer: opt })).toThrow('fit: x [0, 2] has no rows to train on');
    let err: unknown;
    try { sg.fit(model, { x, y, optimizer: opt, batchSize: 64, dropLast: true }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(sg.OptionError);
    expect((err as Error).message).toMatch(/batchSize 64 with dropLast leaves no batch of the 10 training rows \(0 steps per epoch\)/);
    const loader = new sg.data.DataLoader(x, y, { batchSize: 11, dropLast: true });
    expect(() => sg.fit(model, { data: loader, optimizer: opt })).toThrow(/batchSize 11 with dropLast leaves no batch of the 10/);
    // 8 training rows after the split, batchSize 9: nothing to run either
    expect(() => sg.fit(model, { x, y, optimizer: opt, batchSize: 9, dropLast: true, validation: { split: 0.2 } })).toThrow(/of the 8 training rows/);
    expect(sg.fit(model, { x, y, optimizer: opt, batchSize: 10, dropLast: true }).values.loss![0]).toBeGreaterThan(0);
    expect(() => sg.fit(model, { x, y, optimizer: opt, seed: 'abc' as never })).toThrow(/fit: seed must be a safe integer, got "abc"/);
    empty.dispose(); x.dispose(); model.dispose(); opt.dispose();
  });

  it('trains from a DataLoader exactly as from x/y with the same seed', () => {
    const { x, y } = blobs(100, 6);
    const run = (withLoader: boolean) => {
      const model = mlp(), opt = new sg.optim.SGD(model.parameters(), { lr: 0.05 });
      const h = withLoader
        ? sg.fit(model, { data: new sg.data.DataLoader(x, y, { batchSize: 16, shuffle: true, seed: 4 }), optimizer: opt, epochs: 3 })
        : sg.fit(model, { x, y, optimizer: opt, epochs: 3, batchSize: 16, seed: 4 });
      model.dispose(); opt.dispose();
      return h.values.loss;
    };
    expect(run(true)).toEqual(run(false));
    x.dispose();
  });

  it('earlyStopping stops and really restores the best weights', () => {
    const { x, y } = blobs(120, 3);
    const model = mlp(), opt = new sg.optim.SGD(model.parameters(), { lr: 0.05 });
    const es = sg.earlyStopping({ monitor: 'valLoss', patience: 0, restoreBest: true });
    let bestWeights: Float32Array | undefined;
    const h = sg.fit(model, { x, y, optimizer: opt, epochs: 50, batchSize: 8, validation: { split: 0.25 }, callbacks: [es,
      { onEpochEnd: (ep) => { if (ep === es.bestEpoch) bestWeights = model.parameters()[0]!.toArray(); } },
      // after epoch 3, scramble the first layer: the next validation loss is worse than the best
      { onEpochEnd: (ep) => { if (ep === 3) sg.nn.init.normal(model.parameters()[0]!, 0, 10, { seed: 1 }); } }], seed: 2 });
    expect(h.stopReason).toMatch(/did not improve/);
    expect(h.epochs).toBeLessThan(50);
    expect(model.parameters()[0]!.toArray()).toEqual(bestWeights);
    x.dispose(); model.dispose(); opt.dispose();
  });

  it('a NaN loss stops with the epoch and step named and the last finite weights kept', () => {
    const { x, y } = blobs(60, 4);
    const model = mlp(), opt = new sg.optim.SGD(model.parameters(), { lr: 0.01 });
    let calls = 0;
    const loss = (p: sg.Tensor, t: Int32Array | sg.Tensor) => {
      const l = sg.nn.functional.crossEntropy(p, t);
      return ++calls === 7 ? l.mul(NaN) : l;
    };
    let err: unknown;
    try { sg.fit(model, { x, y, optimizer: opt, epochs: 3, batchSize: 20, loss }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(sg.NonFiniteLossError);
    expect((err as sg.NonFiniteLossError).epoch).toBe(2);
    expect((err as sg.NonFiniteLossError).step).toBe(0);
    expect(model.parameters().every((p) => p.toArray().every(Number.isFinite))).toBe(true);
    x.dispose(); model.dispose(); opt.dispose();
  });
});
