// sg.train.lrFinder: the suggestions on curves worked out by hand (fastai's valley, steep and
// minimum), the range test end to end (rates, the smoothed loss recomputed here, early stop on
// divergence or a NaN loss), and the contract that matters most: the model (parameters and
// buffers), the optimizer (state and rates) and the training flags come back bit for bit, and
// memory comes back to where it was.
import { beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { BACKENDS } from '../helpers/backends.js';

const { nn } = sg;
const { lrFinder, suggestLrs, valleyIndex } = sg.train;

describe('suggestions', () => {
  it("valley: about halfway down the longest decreasing run (fastai's index arithmetic)", () => {
    // run 0…9 (10 points): fastai's start is one before the run (9 − 10 = −1), sections = 10/3:
    // −1 + 3 + 1 = 3
    expect(valleyIndex([10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 5])).toBe(3);
    // run 0…4 (5 points): −1 + 1 + 0 = 0
    expect(valleyIndex([5, 4, 3, 2, 1, 2, 3])).toBe(0);
    // a bump: [3, 1, 2, 0] — the longest run is 3 > 1 > 0 ending at 3, start 3 − 3 = 0: 0 + 1 + 0 = 1
    expect(valleyIndex([3, 1, 2, 0])).toBe(1);
    // a flat start (equal values are no descent), then 4 > 3.9 > … > 0.8 from index 3 to 15 (13
    // points): start 15 − 13 = 2, sections 13/3: 2 + 4 + 2 = 8
    expect(valleyIndex([4, 4, 4, 4, 3.9, 3.8, 3.5, 3, 2.5, 2, 1.5, 1.2, 1, 0.9, 0.85, 0.8, 2, 6])).toBe(8);
  });

  it('steepest slope against log lr, and the minimum / 10', () => {
    const lrs = [1e-3, 1e-2, 1e-1, 1];
    // slopes per decade: −0.1, −1.9, +4 → the second point's rate
    const s = suggestLrs(lrs, [3, 2.9, 1.0, 5]);
    expect(s.steepest).toBe(1e-2);
    expect(s.minimum).toBe(1e-1 / 10);
    expect(s.valley).toBe(lrs[valleyIndex([3, 2.9, 1.0, 5])]);
    expect(suggestLrs([1e-3], [1])).toEqual({ valley: NaN, steepest: NaN, minimum: NaN });
  });
});

describe('lrFinder', () => {
  beforeAll(async () => { await sg.init({ backend: BACKENDS[0] }); });

  const problem = (batchNorm = false) => {
    const x = sg.randn([96, 4], { seed: 1 });
    const v = x.toArray();
    const y = Int32Array.from({ length: 96 }, (_, i) => (v[4 * i]! + v[4 * i + 1]! > 0 ? 1 : 0) + (v[4 * i + 2]! > 0.5 ? 1 : 0));
    const model = new nn.Sequential(new nn.Linear(4, 16, { seed: 2 }), ...(batchNorm ? [new nn.BatchNorm1d(16)] : []), new nn.ReLU(),
      new nn.Dropout(0.1), new nn.Linear(16, 3, { seed: 3 }));
    return { x, y, model };
  };
  const state = (m: sg.nn.Module) => Object.entries(m.stateDict()).map(([k, t]) => [k, t.toArray()]);

  it('tries exponentially spaced rates, smooths the loss as fastai, stops on divergence, and puts everything back', () => {
    const { x, y, model } = problem();
    const optimizer = new sg.optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9, weightDecay: 1e-4 });
    sg.fit(model, { x, y, optimizer, epochs: 1, batchSize: 16 }); // state to put back: momentum buffers, step count
    model.at(2)!.eval(); // a mixed mode to put back
    const weights = state(model), opt = optimizer.stateDict(), flags = model.namedModules().map(([, m]) => m.training);
    const mem = sg.memory();
    const r = lrFinder(model, { x, y }, { optimizer, startLr: 1e-5, endLr: 10, steps: 60, batchSize: 16, seed: 4 });
    expect(sg.memory()).toEqual(mem);
    expect(state(model)).toEqual(weights);
    expect(optimizer.stateDict()).toEqual(opt);
    expect(optimizer.lr).toBe(0.05);
    expect(model.namedModules().map(([, m]) => m.training)).toEqual(flags);
    // rates: 1e-5 · (1e6)^(i/59)
    r.lrs.forEach((lr, i) => expect(lr).toBeCloseTo(1e-5 * 1e6 ** (i / 59), 12));
    expect(r.lrs[0]).toBe(1e-5);
    let avg = 0;
    r.losses.forEach((l, i) => { avg = 0.98 * avg + 0.02 * l; expect(r.smoothed[i]).toBeCloseTo(avg / (1 - 0.98 ** (i + 1)), 12); });
    // SGD at rates up to 10 diverges: the test stops once the smoothed loss passes 4 × its best
    expect(r.lrs.length).toBeLessThan(60);
    expect(r.stopReason).toMatch(/smoothed loss passed 4 × its best at lr/);
    expect(r.smoothed.at(-1)!).toBeGreaterThan(4 * Math.min(...r.smoothed));
    const from = 6, to = r.lrs.length - 5;
    expect(r.suggestions).toEqual(suggestLrs(r.lrs.slice(from, to), r.smoothed.slice(from, to)));
    expect(r.suggestion).toBe('valley');
    expect(r.suggestedLr).toBe(r.suggestions.valley);
    expect(r.suggestedLr).toBeGreaterThanOrEqual(1e-5);
    expect(r.suggestedLr).toBeLessThan(r.lrs.at(-1)!);
    // The same test again gives the same curve (the run changed nothing it depends on).
    expect(lrFinder(model, { x, y }, { optimizer, startLr: 1e-5, endLr: 10, steps: 60, batchSize: 16, seed: 4 }).losses).toEqual(r.losses);
    optimizer.dispose(); model.dispose(); x.dispose();
  });

  it('linear spacing, a DataLoader, another suggestion, and a NaN loss ends the test with the model (and its running statistics) intact', () => {
    const { x, y, model } = problem(true);
    const optimizer = new sg.optim.Adam(model.parameters());
    const weights = state(model);
    const loader = new sg.data.DataLoader(x, y, { batchSize: 32, shuffle: true, seed: 1 });
    const r = lrFinder(model, loader, { optimizer, startLr: 1e-4, endLr: 1e-2, steps: 20, mode: 'linear', suggest: 'steepest', divergeThreshold: 1e9 });
    expect(r.lrs).toHaveLength(20);
    r.lrs.forEach((lr, i) => expect(lr).toBeCloseTo(1e-4 + (1e-2 - 1e-4) * (i / 19), 15));
    expect(r.stopReason).toBeUndefined();
    expect(r.suggestedLr).toBe(r.suggestions.steepest);
    let calls = 0;
    const nanAt3 = (p: sg.Tensor, t: sg.Tensor | Int32Array) => { const l = sg.nn.functional.crossEntropy(p, t as Int32Array); return ++calls === 4 ? l.mul(NaN) : l; };
    const bad = lrFinder(model, { x, y }, { optimizer, loss: nanAt3, steps: 10 });
    expect(bad.losses).toHaveLength(3);
    expect(bad.stopReason).toMatch(/the loss became NaN at lr/);
    expect(bad.suggestedLr).toBeNaN();
    expect(state(model)).toEqual(weights);
    optimizer.dispose(); model.dispose(); x.dispose();
  });

  it('refuses bad options and data', () => {
    const { x, y, model } = problem();
    const optimizer = new sg.optim.SGD(model.parameters());
    const run = (o: Partial<sg.train.LrFinderOptions>, data: { x: sg.Tensor; y: Int32Array } = { x, y }) => () => lrFinder(model, data, { optimizer, ...o });
    expect(run({ startLr: 0 })).toThrow(/lrFinder: startLr must be a finite number > 0, got 0/);
    expect(run({ startLr: 1, endLr: 1 })).toThrow(/endLr must be a finite number > 1, got 1/);
    expect(run({ steps: 1 })).toThrow(/steps must be an integer ≥ 2, got 1/);
    expect(run({ mode: 'log' as 'exp' })).toThrow(/mode must be one of 'exp', 'linear'/);
    expect(run({ beta: 1 })).toThrow(/beta/);
    expect(run({}, { x, y: y.subarray(1) })).toThrow(sg.ShapeError);
    optimizer.dispose(); model.dispose(); x.dispose();
  });
});
