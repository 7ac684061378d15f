// DataLoader: every sample exactly once per epoch, batch sizes and dropLast, the same order as
// fit()'s shuffle and reproducible per seed, tensor targets, non-contiguous x, a transform per
// batch, and flat memory over epochs when batches are disposed.
import { beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { DataLoader, augment } from '../../src/data/index.js';

beforeAll(async () => { await sg.init(); });

/** x[i, j] = 10·i + j, so a row says which sample it is. */
const data = (n: number, d = 3) => sg.tensor(Float32Array.from({ length: n * d }, (_, k) => 10 * Math.floor(k / d) + (k % d)), [n, d]);
const epoch = (l: DataLoader) => {
  const seen: number[][] = [];
  for (const b of l) {
    const v = b.x.toArray(), d = b.x.shape[1]!;
    seen.push(Array.from({ length: b.x.shape[0]! }, (_, i) => v[i * d]! / 10));
    b.dispose();
  }
  return seen;
};

describe('DataLoader', () => {
  it('visits every sample exactly once per epoch, in batches of batchSize', () => sg.scope(() => {
    const x = data(23), y = Int32Array.from({ length: 23 }, (_, i) => 100 + i);
    const l = new DataLoader(x, y, { batchSize: 5, shuffle: true, seed: 3 });
    expect(l.length).toBe(5);
    for (let e = 0; e < 3; e++) {
      const b = [...l.epochBatches(e)];
      expect(b.map((q) => q.x.shape[0])).toEqual([5, 5, 5, 5, 3]);
      const ids = b.flatMap((q) => [...q.indices]);
      expect([...ids].sort((p, q) => p - q)).toEqual(Array.from({ length: 23 }, (_, i) => i));
      for (const q of b) {
        expect([...q.y!]).toEqual([...q.indices].map((i) => 100 + i));
        const v = q.x.toArray();
        q.indices.forEach((i, r) => expect([...v.subarray(3 * r, 3 * r + 3)]).toEqual([10 * i, 10 * i + 1, 10 * i + 2]));
        q.dispose();
      }
    }
  }));

  it('drops the last short batch with dropLast', () => sg.scope(() => {
    const l = new DataLoader(data(23), undefined, { batchSize: 5, dropLast: true });
    expect(l.length).toBe(4);
    const e = epoch(l);
    expect(e.map((b) => b.length)).toEqual([5, 5, 5, 5]);
    expect(e.flat()).toEqual(Array.from({ length: 20 }, (_, i) => i));   // no shuffle: in order
    expect(new DataLoader(data(4), undefined, { batchSize: 5, dropLast: true }).length).toBe(0);
    expect(new DataLoader(data(4), undefined, { batchSize: 5 }).length).toBe(1);
  }));

  it('shuffles reproducibly: a new order per epoch, the same as fit() (permutation(n, seed, e·n))', () => sg.scope(() => {
    const x = data(17);
    const a = new DataLoader(x, undefined, { batchSize: 4, shuffle: true, seed: 9 });
    const b = new DataLoader(x, undefined, { batchSize: 4, shuffle: true, seed: 9 });
    const a0 = epoch(a), a1 = epoch(a);
    expect(epoch(b)).toEqual(a0);
    expect(epoch(b)).toEqual(a1);
    expect(a1).not.toEqual(a0);
    expect(a.epoch).toBe(2);
    expect(a0.flat()).toEqual([...sg.permutation(17, 9, 0)]);
    expect(a1.flat()).toEqual([...sg.permutation(17, 9, 17)]);
    expect(epoch(new DataLoader(x, undefined, { batchSize: 4, shuffle: true, seed: 10 }))).not.toEqual(a0);
  }));

  it('gathers tensor targets and non-contiguous x; applies a transform per batch', () => sg.scope(() => {
    const x = data(6, 4), yt = sg.tensor(Float32Array.from({ length: 12 }, (_, i) => i), [6, 2]);
    const l = new DataLoader(x.T.T.slice([0, 1], [6, 3]), yt, { batchSize: 4, shuffle: true, seed: 1 });
    for (const b of l) {
      const v = b.x.toArray(), yv = (b.y as sg.Tensor).toArray();
      expect(b.x.shape).toEqual([b.indices.length, 2]);
      b.indices.forEach((i, r) => {
        expect([v[2 * r], v[2 * r + 1]]).toEqual([10 * i + 1, 10 * i + 2]);
        expect([yv[2 * r], yv[2 * r + 1]]).toEqual([2 * i, 2 * i + 1]);
      });
      b.dispose();
    }
    const t = new DataLoader(x, undefined, { batchSize: 3, transform: augment.gaussianNoise({ std: 0, mean: 1 }) });
    for (const b of t) {
      expect(b.x.toArray()[0]).toBe(10 * b.indices[0]! + 1);
      b.dispose();
    }
  }));

  it('rejects bad options and mismatched targets', () => sg.scope(() => {
    const x = data(5);
    expect(() => new DataLoader(x, new Int32Array(4))).toThrow(sg.ShapeError);
    expect(() => new DataLoader(x, undefined, { batchSize: 0 })).toThrow(RangeError);
    expect(() => new DataLoader(sg.tensor(1))).toThrow(sg.ShapeError);
  }));

  it('keeps memory flat over epochs when batches are disposed', () => {
    const x = data(50, 8), y = new Int32Array(50);
    const l = new DataLoader(x, y, { batchSize: 7, shuffle: true, seed: 2, transform: augment.gaussianNoise({ seed: 1 }) });
    epoch(l);
    const before = sg.memory();
    for (let e = 0; e < 5; e++) {
      for (const b of l) sg.scope(() => { b.x.mul(2).sum().item(); b.dispose(); });
    }
    expect(sg.memory().bytes).toBe(before.bytes);
    expect(sg.memory().tensors).toBe(before.tensors);
    x.dispose();
  });
});
