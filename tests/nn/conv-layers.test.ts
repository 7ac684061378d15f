// Convolutional layers: finite-difference gradient checks (input and parameters) of every layer
// and option family, output shapes against PyTorch's formulas written out here, parameter names
// and shapes (state-dict compatible), and the typed errors for impossible configurations — each
// naming the numbers at fault and leaving the layer usable.
import { beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { BACKENDS, randomArray } from '../helpers/backends.js';

const { nn } = sg;
const F = sg.nn.functional;
const input = (shape: number[], seed = 1): sg.Tensor =>
  sg.tensor(randomArray(shape.reduce((a, b) => a * b, 1), seed, -2, 2), shape, { requiresGrad: true });
/** Distinct values 0.1 apart in a scrambled order: max pooling never ties within eps. */
const distinct = (shape: number[]): sg.Tensor => {
  const n = shape.reduce((a, b) => a * b, 1);
  return sg.tensor(Float32Array.from({ length: n }, (_, i) => ((i * 37) % n) * 0.1 - n * 0.05), shape, { requiresGrad: true });
};

type GradCase = [string, () => sg.nn.Module, () => sg.Tensor];
const GRAD_CASES: GradCase[] = [
  ['Conv2d k3 s2 p1', () => new nn.Conv2d(2, 3, 3, { stride: 2, padding: 1, seed: 1 }), () => input([2, 2, 5, 4])],
  ['Conv2d same dilation 2 no bias', () => new nn.Conv2d(2, 2, 3, { padding: 'same', dilation: 2, bias: false, seed: 2 }), () => input([1, 2, 5, 5])],
  ['Conv2d same even kernel', () => new nn.Conv2d(1, 2, [2, 4], { padding: 'same', seed: 3 }), () => input([2, 1, 4, 5])],
  ['Conv2d depthwise', () => new nn.Conv2d(3, 6, 3, { groups: 3, padding: 1, seed: 4 }), () => input([1, 3, 4, 4])],
  ['Conv2d stride > kernel', () => new nn.Conv2d(2, 2, 2, { stride: 3, seed: 5 }), () => input([1, 2, 7, 7])],
  ['Conv2d unbatched', () => new nn.Conv2d(2, 2, 3, { padding: 1, seed: 6 }), () => input([2, 3, 3])],
  ['Conv1d s2 groups 2', () => new nn.Conv1d(4, 2, 3, { stride: 2, groups: 2, padding: 1, seed: 7 }), () => input([2, 4, 7])],
  ['MaxPool2d k3 s2 p1 ceilMode', () => new nn.MaxPool2d(3, { stride: 2, padding: 1, ceilMode: true }), () => distinct([2, 2, 6, 5])],
  ['MaxPool1d', () => new nn.MaxPool1d(2), () => distinct([2, 3, 6])],
  ['AvgPool2d k3 s2 p1', () => new nn.AvgPool2d(3, { stride: 2, padding: 1 }), () => input([1, 2, 5, 6])],
  ['AvgPool2d countIncludePad false ceilMode', () => new nn.AvgPool2d(2, { countIncludePad: false, padding: 1, ceilMode: true }), () => input([1, 2, 5, 5])],
  ['AdaptiveAvgPool2d [2, 1]', () => new nn.AdaptiveAvgPool2d([2, 1]), () => input([2, 2, 4, 3])],
  ['BatchNorm2d train', () => new nn.BatchNorm2d(3), () => input([2, 3, 2, 3])],
  ['BatchNorm2d eval', () => new nn.BatchNorm2d(2).eval(), () => input([2, 2, 3, 2])],
];

describe.each(BACKENDS.filter((b) => b === 'js' || b === 'simd'))('convolutional layers on %s', (name) => {
  beforeAll(async () => { await sg.init({ backend: name }); });

  it.each(GRAD_CASES)('gradient check: %s', (_, make, x) => {
    const m = make();
    try {
      sg.scope(() => {
        if (m instanceof nn.BatchNorm2d) sg.noGrad(() => m.parameters().forEach((p, i) => sg.nn.init.uniform(p, 0.5, 1.5, { seed: 40 + i })));
        const r = sg.gradcheck((xx) => (m.forward as (t: sg.Tensor) => sg.Tensor)(xx), [x(), ...m.parameters()]);
        expect(r.ok, JSON.stringify(r.worst)).toBe(true);
      });
    } finally { m.dispose(); }
  });
});

describe('convolutional layers: shapes, parameters, errors', () => {
  beforeAll(async () => { await sg.init(); });
  // PyTorch's formulas: conv ⌊(n + 2p − d(k − 1) − 1)/s⌋ + 1; pooling the same with ceil mode
  // rounding up unless the last window would start past the input and left padding
  const conv = (n: number, k: number, s = 1, p = 0, d = 1) => Math.floor((n + 2 * p - d * (k - 1) - 1) / s) + 1;
  const pool = (n: number, k: number, s: number, p: number, ceil: boolean) => {
    let o = (ceil ? Math.ceil : Math.floor)((n + 2 * p - k) / s) + 1;
    if (ceil && (o - 1) * s >= n + p) o--;
    return o;
  };

  it('output shapes follow PyTorch', () => sg.scope(() => sg.noGrad(() => {
    for (const [h, w, k, s, p, d] of [[28, 28, 5, 1, 2, 1], [7, 9, 3, 2, 1, 1], [10, 6, 3, 3, 0, 2], [1, 1, 1, 1, 0, 1], [9, 4, 2, 4, 1, 1]] as const) {
      const m = new nn.Conv2d(2, 3, k, { stride: s, padding: p, dilation: d });
      expect(m.forward(sg.zeros([1, 2, h, w])).shape).toEqual([1, 3, conv(h, k, s, p, d), conv(w, k, s, p, d)]);
      m.dispose();
    }
    for (const [n, k, s, p] of [[5, 2, 2, 0], [6, 3, 2, 1], [7, 3, 3, 1], [1, 1, 1, 0], [8, 4, 3, 2]] as const) {
      for (const ceil of [false, true]) {
        expect(F.maxPool2d(sg.zeros([1, 1, n, n + 1]), k, { stride: s, padding: p, ceilMode: ceil }).shape)
          .toEqual([1, 1, pool(n, k, s, p, ceil), pool(n + 1, k, s, p, ceil)]);
        expect(F.avgPool2d(sg.zeros([2, n, n]), k, { stride: s, padding: p, ceilMode: ceil }).shape).toEqual([2, pool(n, k, s, p, ceil), pool(n, k, s, p, ceil)]);
        expect(F.maxPool1d(sg.zeros([3, n]), k, { stride: s, padding: p, ceilMode: ceil }).shape).toEqual([3, pool(n, k, s, p, ceil)]);
      }
    }
    for (const k of [2, 3, 4, 5]) expect(F.conv2d(sg.zeros([1, 1, 6, 7]), sg.zeros([1, 1, k, k]), null, { padding: 'same' }).shape).toEqual([1, 1, 6, 7]);
    expect(F.conv1d(sg.zeros([2, 4, 9]), sg.zeros([6, 2, 4]), null, { groups: 2, padding: 'same' }).shape).toEqual([2, 6, 9]);
    expect(F.adaptiveAvgPool2d(sg.zeros([2, 3, 6, 4]), [3, 2]).shape).toEqual([2, 3, 3, 2]);
    expect(F.adaptiveAvgPool2d(sg.zeros([3, 5, 7]), 1).shape).toEqual([3, 1, 1]);
  })));

  it('parameters have PyTorch\'s names, shapes and initial bound', () => {
    const c = new nn.Conv2d(4, 6, [3, 2], { groups: 2, seed: 1 }), d = new nn.Conv1d(3, 5, 4, { bias: false });
    const bn = new nn.BatchNorm2d(6);
    try {
      expect(c.namedParameters().map(([k, p]) => [k, p.shape])).toEqual([['weight', [6, 2, 3, 2]], ['bias', [6]]]);
      expect(d.namedParameters().map(([k, p]) => [k, p.shape])).toEqual([['weight', [5, 3, 4]]]);
      expect(Object.keys(bn.stateDict())).toEqual(['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
      const bound = 1 / Math.sqrt(2 * 3 * 2); // 1/√fanIn
      for (const v of [...c.weight.toArray(), ...c.bias!.toArray()]) expect(Math.abs(v)).toBeLessThanOrEqual(bound);
      expect(Math.max(...c.weight.toArray().map(Math.abs))).toBeGreaterThan(0.8 * bound);
    } finally { c.dispose(); d.dispose(); bn.dispose(); }
  });

  it('impossible configurations are typed errors naming the numbers', () => sg.scope(() => {
    const x = sg.zeros([2, 3, 4, 4]);
    const err = (f: () => unknown, type: new (...a: never[]) => Error, ...parts: string[]) => {
      let e: unknown;
      try { f(); } catch (caught) { e = caught; }
      expect(e).toBeInstanceOf(type);
      for (const p of parts) expect((e as Error).message).toContain(p);
    };
    err(() => F.conv2d(x, sg.zeros([2, 3, 5, 5])), sg.ShapeError, '(4 x 4)', '(5 x 5)');
    err(() => F.conv2d(x, sg.zeros([2, 3, 3, 3]), null, { dilation: 2 }), sg.ShapeError, '(4 x 4)', '(5 x 5');
    err(() => F.conv2d(x, sg.zeros([2, 2, 3, 3])), sg.ShapeError, '2 channels', '3 channels');
    err(() => F.conv2d(x, sg.zeros([3, 1, 3, 3]), null, { groups: 2 }), sg.ShapeError, 'groups 2', '3 output channels');
    err(() => F.conv2d(x, sg.zeros([2, 3, 3, 3]), sg.zeros([3])), sg.ShapeError, 'bias must have shape [2]', '[3]');
    err(() => F.conv2d(sg.zeros([3, 4]), sg.zeros([2, 3, 3, 3])), sg.ShapeError, '[N, C, H, W]', '[3, 4]');
    err(() => new nn.Conv2d(3, 4, 3, { groups: 2 }), RangeError, 'inChannels 3', 'groups 2');
    err(() => new nn.Conv2d(4, 6, 3, { groups: 4 }), RangeError, 'outChannels 6', 'groups 4');
    err(() => new nn.Conv2d(3, 4, 3, { padding: 'same', stride: 2 }), RangeError, "'same'", 'stride [2, 2]');
    err(() => new nn.Conv2d(3, 4, 3, { paddingMode: 'reflect' as 'zeros' }), RangeError, 'paddingMode', 'reflect');
    err(() => new nn.Conv2d(3, 4, 0), RangeError, 'kernelSize', '0');
    err(() => new nn.Conv2d(3, 4, [3, 3, 3] as unknown as number), RangeError, 'kernelSize', '[3, 3, 3]');
    err(() => new nn.Conv1d(3, 4, 3, { stride: -1 }), RangeError, 'stride', '-1');
    err(() => new nn.MaxPool2d(2, { padding: 2 }), RangeError, 'padding 2', 'kernel size 2');
    err(() => F.maxPool2d(sg.zeros([1, 1, 2, 2]), 3), sg.ShapeError, '[1, 1, 2, 2]', 'output size [0, 0]');
    err(() => F.avgPool2d(sg.zeros([1, 1, 5]), 2), sg.ShapeError, '[1, 1, 5]');
    err(() => F.adaptiveAvgPool2d(sg.zeros([1, 1, 5, 4]), [2, 2]), sg.ShapeError, '[2, 2]', '[5, 4]');
    const bn = new nn.BatchNorm2d(3);
    err(() => bn.forward(sg.zeros([2, 3, 4])), sg.ShapeError, '[N, 3, H, W]', '[2, 3, 4]');
    err(() => bn.forward(sg.zeros([1, 3, 1, 1])), sg.ShapeError, 'more than 1 value per channel', '[1, 3, 1, 1]');
    expect(bn.forward(sg.ones([2, 3, 1, 1])).shape).toEqual([2, 3, 1, 1]); // still usable
    bn.dispose();
    err(() => new nn.BatchNorm2d(3, { momentum: 2 }), RangeError, 'momentum', '2');
    err(() => new nn.Dropout2d(1.5), RangeError, 'Dropout2d', '1.5');
    err(() => F.dropout2d(sg.zeros([3, 4]), 0.5), sg.ShapeError, '[3, 4]');
  }));

  it('conv2d reads strided views, and gives a bias-only gradient without the weight\'s', () => sg.scope(() => {
    const nhwc = sg.rand([2, 5, 6, 3], { seed: 1 }), x = nhwc.transpose(1, 3).transpose(2, 3); // [2, 3, 5, 6], not contiguous
    expect(x.isContiguous).toBe(false);
    const w = sg.rand([4, 3, 3, 3], { seed: 2 }), b = sg.rand([4], { seed: 3, requiresGrad: true });
    const y = F.conv2d(x, w, b, { padding: 1 });
    expect(Array.from(y.toArray())).toEqual(Array.from(F.conv2d(x.contiguous(), w, b, { padding: 1 }).toArray()));
    const g = sg.rand(y.shape, { seed: 4 });
    y.backward(g);
    const want = Array.from({ length: 4 }, (_, c) => {
      let s = 0;
      const gv = g.toArray();
      for (let n = 0; n < 2; n++) for (let j = 0; j < 30; j++) s += gv[(n * 4 + c) * 30 + j]!;
      return s;
    });
    Array.from(b.grad!.toArray()).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 4));
    expect(w.grad).toBe(null);
  }));

  it('fit() trains a CNN on [N, C, H, W] samples', () => {
    const model = new nn.Sequential(new nn.Conv2d(2, 4, 3, { padding: 1, seed: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
      new nn.Flatten(), new nn.Linear(4 * 3 * 3, 3, { seed: 2 }));
    const x = sg.rand([30, 2, 6, 6], { seed: 3 }), y = Int32Array.from({ length: 30 }, (_, i) => i % 3);
    const optimizer = new sg.optim.Adam(model.parameters(), { lr: 1e-2 });
    try {
      const loss = sg.fit(model, { x, y, optimizer, epochs: 8, batchSize: 10, seed: 4 }).values.loss!;
      expect(loss.at(-1)!).toBeLessThan(loss[0]!);
    } finally { optimizer.dispose(); model.dispose(); x.dispose(); }
  });

  it('Dropout2d zeroes whole channels and scales the rest; eval is the identity', () => sg.scope(() => {
    const d = new nn.Dropout2d(0.5, { seed: 3 });
    const y = d.forward(sg.ones([8, 16, 3, 2])).toArray();
    let zeros = 0;
    for (let c = 0; c < 8 * 16; c++) {
      const plane = Array.from(y.subarray(c * 6, c * 6 + 6));
      expect(plane.every((v) => v === plane[0])).toBe(true);
      expect([0, 2]).toContain(plane[0]);
      if (plane[0] === 0) zeros++;
    }
    expect(zeros).toBeGreaterThan(40); expect(zeros).toBeLessThan(88);
    expect(Array.from(d.eval().forward(sg.full([2, 2, 2], 3)).toArray())).toEqual(new Array(8).fill(3));
  }));
});
