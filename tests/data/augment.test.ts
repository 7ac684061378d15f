// Augmentations: shapes, determinism per seed, identity cases, exact geometry against naive loops
// (shift, flips, cutout, rotation by 0), noise statistics, mixup's convex combination — on every
// backend, since the strided copies (negative strides for flips) run in the kernels.
import { beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { augment as A } from '../../src/data/index.js';
import { BACKENDS, expectClose, randomArray } from '../helpers/backends.js';

const img = (n: number, c: number, h: number, w: number, seed = 1) =>
  sg.tensor(randomArray(n * c * h * w, seed, 0, 1), c === 1 ? [n, h, w] : [n, c, h, w]);
const run = (t: A.Transform, x: sg.Tensor) => sg.scope(() => t(x).toArray());
const count = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + (v === b[i] ? 1 : 0), 0);

describe.each(BACKENDS)('augment on %s', (name) => {
  beforeAll(async () => { await sg.init({ backend: name }); });

  it('keep shapes (3-d, 4-d and flattened with images) and leave x untouched', () => sg.scope(() => {
    const x3 = img(5, 1, 6, 7), x4 = img(3, 2, 5, 4), flat = x3.reshape([5, 42]);
    const before = x3.toArray();
    const all = [A.randomShift({ max: 2 }), A.horizontalFlip(), A.verticalFlip(), A.randomRotation(),
      A.cutout({ size: 2 }), A.gaussianNoise(), A.randomCrop({ padding: 1 })];
    for (const t of all) {
      expect(t(x3).shape).toEqual([5, 6, 7]);
      expect(t(x4).shape).toEqual([3, 2, 5, 4]);
    }
    for (const t of [A.randomShift({ images: [6, 7] }), A.horizontalFlip({ images: [6, 7] }), A.cutout({ images: [6, 7] })]) {
      expect(t(flat).shape).toEqual([5, 42]);
    }
    expect(A.randomCrop({ size: [4, 5] })(x3).shape).toEqual([5, 4, 5]);
    expect(A.randomCrop({ images: [6, 7], size: [4, 5] })(flat).shape).toEqual([5, 20]);
    expect(x3.toArray()).toEqual(before);
    expect(() => A.horizontalFlip()(flat)).toThrow(sg.ShapeError);
    expect(() => A.horizontalFlip({ images: [5, 5] })(flat)).toThrow(/\[5, 42\].*\[5, 5\]/);
    expect(() => A.cutout({ p: 2 })).toThrow(RangeError);
  }));

  it('are deterministic per seed and advance their stream batch after batch', () => sg.scope(() => {
    const x = img(8, 1, 8, 8);
    const make = (seed: number) => A.compose(A.randomShift({ max: 1, seed }), A.randomRotation({ degrees: 15, seed: seed + 1 }),
      A.cutout({ size: 3, seed: seed + 2 }), A.gaussianNoise({ std: 0.1, seed: seed + 3 }), A.horizontalFlip({ seed: seed + 4 }));
    const a = make(1), b = make(1), c = make(2);
    const a1 = run(a, x), a2 = run(a, x), b1 = run(b, x), b2 = run(b, x);
    expect(b1).toEqual(a1);
    expect(b2).toEqual(a2);
    expect(a2).not.toEqual(a1);
    expect(run(c, x)).not.toEqual(a1);
    sg.manualSeed(5);                                 // unseeded: the global stream
    const g = A.gaussianNoise({ std: 1 }), g1 = run(g, x);
    sg.manualSeed(5);
    expect(run(A.gaussianNoise({ std: 1 }), x)).toEqual(g1);
  }));

  it('p = 0 (and size 0, std 0, degrees 0, max 0) is the identity', () => sg.scope(() => {
    const x = img(4, 2, 5, 6), v = x.toArray();
    for (const t of [A.randomShift({ p: 0 }), A.randomShift({ max: 0 }), A.horizontalFlip({ p: 0 }), A.verticalFlip({ p: 0 }),
      A.randomRotation({ p: 0 }), A.randomRotation({ degrees: 0 }), A.cutout({ p: 0 }), A.cutout({ size: 0 }),
      A.gaussianNoise({ p: 0 }), A.gaussianNoise({ std: 0 }), A.compose()]) {
      expect(run(t, x)).toEqual(v);
    }
  }));

  it('flips mirror exactly, and twice is the identity', () => sg.scope(() => {
    const n = 3, c = 2, h = 5, w = 7, x = img(n, c, h, w), v = x.toArray();
    const hf = A.horizontalFlip({ p: 1 })(x).toArray(), vf = A.verticalFlip({ p: 1 })(x).toArray();
    for (let i = 0; i < n * c; i++) {
      for (let r = 0; r < h; r++) {
        for (let s = 0; s < w; s++) {
          expect(hf[(i * h + r) * w + s]).toBe(v[(i * h + r) * w + w - 1 - s]);
          expect(vf[(i * h + r) * w + s]).toBe(v[(i * h + h - 1 - r) * w + s]);
        }
      }
    }
    const twice = A.compose(A.horizontalFlip({ p: 1 }), A.horizontalFlip({ p: 1 }), A.verticalFlip({ p: 1 }), A.verticalFlip({ p: 1 }));
    expect(run(twice, x)).toEqual(v);
    const half = A.horizontalFlip({ seed: 3 })(img(200, 1, 2, 2)).toArray(), x200 = img(200, 1, 2, 2).toArray();
    let flipped = 0;
    for (let i = 0; i < 200; i++) if (half[4 * i] !== x200[4 * i]) flipped++;
    expect(flipped).toBeGreaterThan(70);              // p = 0.5 by default
    expect(flipped).toBeLessThan(130);
  }));

  it('shift/crop moves the content by whole pixels with a zero border', () => sg.scope(() => {
    const n = 40, h = 6, w = 5, x = img(n, 1, h, w, 3), v = x.toArray();
    const out = A.randomShift({ max: 2, seed: 9 })(x).toArray();
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) {
      // find the offset that explains the sample: out[r, s] = x[r − dy, s − dx] or 0
      let found = false;
      for (let dy = -2; dy <= 2 && !found; dy++) {
        for (let dx = -2; dx <= 2 && !found; dx++) {
          let ok = true;
          for (let r = 0; r < h && ok; r++) {
            for (let s = 0; s < w && ok; s++) {
              const sr = r - dy, ss = s - dx;
              const e = sr >= 0 && sr < h && ss >= 0 && ss < w ? v[i * h * w + sr * w + ss]! : 0;
              ok = out[i * h * w + r * w + s] === e;
            }
          }
          if (ok) { found = true; seen.add(`${dy},${dx}`); }
        }
      }
      expect(found, `sample ${i}`).toBe(true);
    }
    expect(seen.size).toBeGreaterThan(10);            // offsets vary per sample
  }));

  it('cutout zeroes one clipped box per sample in every channel', () => sg.scope(() => {
    const n = 20, c = 2, h = 6, w = 6, x = sg.ones([n, c, h, w]);
    const out = A.cutout({ size: 3, seed: 2 })(x).toArray();
    for (let i = 0; i < n; i++) {
      const a = out.subarray(i * c * h * w, (i * c + 1) * h * w), b = out.subarray((i * c + 1) * h * w, (i + 1) * c * h * w);
      expect(b).toEqual(a);
      const zeros = a.filter((q) => q === 0).length;
      expect(zeros).toBeGreaterThanOrEqual(4);        // a 3×3 box, centre anywhere: at least 2×2 inside
      expect(zeros).toBeLessThanOrEqual(9);
    }
  }));

  it('rotation by up to 90° keeps the centre pixel, changes the rest; nearest moves values only', () => sg.scope(() => {
    const x = img(6, 1, 5, 5, 4), v = x.toArray();
    const out = A.randomRotation({ degrees: 30, seed: 1 })(x).toArray();
    const near = A.randomRotation({ degrees: 30, mode: 'nearest', seed: 1 })(x).toArray();
    const values = new Set([...v, 0]);
    for (let i = 0; i < 6; i++) {
      expect(out[i * 25 + 12]).toBeCloseTo(v[i * 25 + 12]!, 5);
      expect(near[i * 25 + 12]).toBe(v[i * 25 + 12]);
    }
    expect(count(out, v)).toBeLessThan(v.length / 2);
    expect(near.every((q) => values.has(q))).toBe(true);
    // a quarter turn with nearest sampling is an exact transpose-and-flip
    const q = A.randomRotation({ degrees: 90, p: 1, mode: 'nearest', seed: 0 });
    const hit = sg.scope(() => {
      for (let t = 0; t < 200; t++) {
        const o = q(x).toArray();
        if (o[0] === v[4] || o[0] === v[20]) return true;   // (0,0) came from a corner: ±90°
      }
      return false;
    });
    expect(hit).toBe(true);
  }));

  it('rotation turns counter-clockwise for positive angles, by the angle its stream drew', () => sg.scope(() => {
    // the angle of sample 0 is (2·u1 − 1)·degrees with u0 < p deciding; find seeds with a large ±angle
    const angle = (seed: number) => (2 * new A.RandomSource(seed).uniforms(2)[1]! - 1) * 90;
    const seeds = Array.from({ length: 60 }, (_, s) => s);
    const ccw = seeds.find((s) => angle(s) > 80)!, cw = seeds.find((s) => angle(s) < -80)!;
    const x = sg.zeros([1, 7, 7]);
    sg.noGrad(() => x.backend.heap.f32.fill(1, (x.ptr >> 2) + 3, (x.ptr >> 2) + 4));   // top-centre pixel
    const where = (seed: number) => {
      const o = A.randomRotation({ degrees: 90, p: 1, mode: 'nearest', seed })(x).toArray();
      return o.indexOf(1);
    };
    expect(where(ccw)).toBe(3 * 7 + 0);              // a quarter turn left: to the middle of the left edge
    expect(where(cw)).toBe(3 * 7 + 6);
  }));

  it('noise has the requested mean and std, per-sample p and clipping', () => sg.scope(() => {
    const x = sg.zeros([200, 50]);
    const d = A.gaussianNoise({ std: 0.5, mean: 0.1, seed: 3 })(x).toArray();
    const m = d.reduce((a, b) => a + b, 0) / d.length;
    const sd = Math.sqrt(d.reduce((a, b) => a + (b - m) ** 2, 0) / d.length);
    expect(m).toBeCloseTo(0.1, 1);
    expect(Math.abs(sd - 0.5)).toBeLessThan(0.02);
    const half = A.gaussianNoise({ std: 1, p: 0.5, seed: 4 })(x).toArray();
    let noisy = 0;
    for (let i = 0; i < 200; i++) if (half.subarray(i * 50, i * 50 + 50).some((q) => q !== 0)) noisy++;
    expect(noisy).toBeGreaterThan(70);
    expect(noisy).toBeLessThan(130);
    const clipped = A.gaussianNoise({ std: 1, clip: [-0.5, 0.5], seed: 5 })(x).toArray();
    expect(Math.max(...clipped)).toBe(0.5);
    expect(Math.min(...clipped)).toBe(-0.5);
  }));

  it('mixup is a convex combination with a random partner; its loss mixes both targets', () => sg.scope(() => {
    const n = 16, d = 5, x = sg.tensor(randomArray(n * d, 7), [n, d]), v = x.toArray();
    const y = Int32Array.from({ length: n }, (_, i) => i % 3);
    const mix = A.mixup({ alpha: 0.4, seed: 2 }), m = mix(x, y);
    expect(m.lambda).toBeGreaterThanOrEqual(0);
    expect(m.lambda).toBeLessThanOrEqual(1);
    expect([...m.perm].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    const expected = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) expected[i * d + j] = m.lambda * v[i * d + j]! + (1 - m.lambda) * v[m.perm[i]! * d + j]!;
    }
    expectClose(m.x.toArray(), expected, { rtol: 1e-6, atol: 1e-6 });
    expect(m.yA).toBe(y);
    expect([...m.yB]).toEqual([...m.perm].map((i) => y[i]));
    const m2 = A.mixup({ alpha: 0.4, seed: 2 })(x, y);
    expect(m2.lambda).toBe(m.lambda);
    const lambdas = Array.from({ length: 200 }, () => mix(sg.zeros([2, 1]), new Int32Array(2)).lambda);
    const mean = lambdas.reduce((a, b) => a + b, 0) / lambdas.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.08);  // Beta(α, α) is symmetric
    expect(lambdas.filter((l) => l < 0.1 || l > 0.9).length).toBeGreaterThan(60);  // U-shaped for α < 1
    const logits = sg.tensor(randomArray(n * 3, 8), [n, 3]);
    const { crossEntropy } = sg.nn.functional;
    const loss = A.mixupLoss(crossEntropy, logits, m).item();
    const direct = m.lambda * crossEntropy(logits, m.yA).item() + (1 - m.lambda) * crossEntropy(logits, m.yB).item();
    expect(loss).toBeCloseTo(direct, 5);
    const yt = sg.tensor(Float32Array.from(y), [n]), mt = A.mixup({ seed: 2 })(x, yt);
    expect([...mt.yB.toArray()]).toEqual([...m.yB]);
    expect(() => mix(x, new Int32Array(3))).toThrow(sg.ShapeError);
  }));

  it('leave memory flat when the results are disposed', () => {
    const x = img(16, 1, 8, 8);
    const aug = A.compose(A.randomShift({ max: 1, seed: 1 }), A.randomRotation({ seed: 2 }), A.cutout({ seed: 3 }),
      A.gaussianNoise({ seed: 4 }), A.horizontalFlip({ seed: 5 }));
    const mix = A.mixup({ seed: 6 }), y = new Int32Array(16);
    aug(x).dispose(); mix(x, y).dispose();
    const before = sg.memory();
    for (let i = 0; i < 20; i++) { aug(x).dispose(); mix(x, y).dispose(); }
    expect(sg.memory().bytes).toBe(before.bytes);
    expect(sg.memory().tensors).toBe(before.tensors);
    x.dispose();
  });
});
