// sg.nn.summary / model.summary: parameter counts against counts worked out by hand, output
// shapes of a forward pass, trainable vs frozen, the printed table; and what the pass must not
// do — leak tensors, leave hooks behind, change running statistics or training flags.
// Module.registerForwardHook on its own: order, arguments, removal.
import { beforeAll, describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import * as sg from '../../src/index.js';
import { tensorCount } from '../../src/tensor.js';
import { BACKENDS } from '../helpers/backends.js';

const { nn } = sg;

describe('summary', () => {
  beforeAll(async () => { await sg.init({ backend: BACKENDS[0] }); });

  // 0: 64·128 + 128 = 8320; 3.0: 128·32 + 32 = 4128; 3.1: 32 + 32 (65 buffer values); 4: 32·10 = 320.
  const model = () => new nn.Sequential(new nn.Linear(64, 128), new nn.ReLU(), new nn.Dropout(0.5),
    new nn.Sequential(new nn.Linear(128, 32), new nn.BatchNorm1d(32)), new nn.Linear(32, 10, { bias: false }));

  it('counts parameters per layer and in total, trainable and frozen, with output shapes', () => {
    const m = model();
    try {
      (m.at(3) as sg.nn.Module).requiresGrad(false);
      const s = m.summary([4, 64]);
      expect(s.rows.map((r) => [r.name, r.type, r.depth, r.outputShape, r.params, r.trainable])).toEqual([
        ['', 'Sequential', 0, [4, 10], 0, 0],
        ['0', 'Linear', 1, [4, 128], 8320, 8320],
        ['1', 'ReLU', 1, [4, 128], 0, 0],
        ['2', 'Dropout', 1, [4, 128], 0, 0],
        ['3', 'Sequential', 1, [4, 32], 0, 0],
        ['3.0', 'Linear', 2, [4, 32], 4128, 0],
        ['3.1', 'BatchNorm1d', 2, [4, 32], 64, 0],
        ['4', 'Linear', 1, [4, 10], 320, 320],
      ]);
      expect([s.totalParams, s.trainableParams, s.frozenParams, s.paramBytes]).toEqual([12832, 8640, 4192, 12832 * 4]);
      expect([s.bufferValues, s.bufferBytes, s.inputShape]).toEqual([65, 260, [4, 64]]);
      expect(s.totalParams).toBe(m.numParameters());
      const text = String(s);
      expect(inspect(s)).toBe(text);
      const lines = text.split('\n');
      expect(lines.find((l) => l.includes('0 (Linear)'))).toMatch(/^ {2}0 \(Linear\) +\[4, 128\] +8,320 {3}yes$/);
      expect(lines.find((l) => l.includes('3.0 (Linear)'))).toMatch(/^ {4}3\.0 \(Linear\) +\[4, 32\] +4,128 {3}no$/);
      expect(lines.find((l) => l.includes('1 (ReLU)'))).toMatch(/ --$/);
      expect(text).toContain('Total params: 12,832 (50.1 KiB)\nTrainable params: 8,640\nFrozen params: 4,192\nBuffers: 65 values (260 B)\nInput shape: [4, 64]');
      expect(sg.nn.summary(m, { input: [4, 64] }).rows).toEqual(s.rows);
      (m.at(4) as sg.nn.Linear).weight.requiresGrad = false;
      const partial = sg.nn.summary(m).rows.find((r) => r.name === '');
      expect(partial).toEqual({ name: '', type: 'Sequential', depth: 0, outputShape: null, params: 0, trainable: 0 });
    } finally { m.dispose(); }
  });

  it('runs one eval-mode forward pass that changes nothing and frees everything', () => {
    const m = model();
    try {
      const bn = (m.at(3) as sg.nn.Sequential).at(1) as sg.nn.BatchNorm1d;
      m.at(2)!.eval(); // mixed flags must come back as they were
      const flags = m.namedModules().map(([, c]) => c.training);
      const stats = [bn.running_mean!.toArray(), bn.running_var!.toArray(), bn.num_batches_tracked!.toArray()];
      const x = sg.randn([3, 64], { seed: 1 });
      const before = tensorCount();
      const s = m.summary(x);
      expect(tensorCount()).toBe(before);
      expect(x.disposed).toBe(false);
      expect(s.rows[0]!.outputShape).toEqual([3, 10]);
      expect(m.namedModules().map(([, c]) => c.training)).toEqual(flags);
      expect([bn.running_mean!.toArray(), bn.running_var!.toArray(), bn.num_batches_tracked!.toArray()]).toEqual(stats);
      expect(m.namedModules().every(([, c]) => Object.getOwnPropertyDescriptor(c, 'forward') === undefined)).toBe(true);
      // A forward that throws leaves no hook and no tensor either.
      expect(() => m.summary([3, 65])).toThrow(sg.ShapeError);
      expect(tensorCount()).toBe(before);
      expect(m.namedModules().every(([, c]) => Object.getOwnPropertyDescriptor(c, 'forward') === undefined)).toBe(true);
      x.dispose();
    } finally { m.dispose(); }
  });

  it('feeds zeros as indices to an Embedding, and lists every output of a module returning several', () => {
    const m = new nn.Sequential(new nn.Embedding(50, 8), new nn.Flatten(), new nn.Linear(40, 3));
    const lstm = new nn.LSTM(3, 4, { numLayers: 2 });
    try {
      expect(m.summary([4, 5]).rows.map((r) => [r.outputShape, r.params])).toEqual([[[4, 3], 0], [[4, 5, 8], 400], [[4, 40], 0], [[4, 3], 123]]);
      const s = lstm.summary([6, 2, 3]);
      // 4 gates × 4 units = 16 rows: layer 0: 16·3 + 16·4 + 2·16 = 144; layer 1: 16·4 + 16·4 + 2·16 = 160
      expect(s.rows).toEqual([{ name: '', type: 'LSTM', depth: 0, outputShape: [[6, 2, 4], [2, 2, 4], [2, 2, 4]], params: 304, trainable: 304 }]);
      expect(String(s)).toContain('[6, 2, 4], [2, 2, 4], [2, 2, 4]');
    } finally { m.dispose(); lstm.dispose(); }
  });
});

describe('registerForwardHook', () => {
  beforeAll(async () => { await sg.init({ backend: BACKENDS[0] }); });

  it('calls hooks in order with the module, the arguments and the output, until removed', () => {
    const lin = new nn.Linear(2, 3), seq = new nn.Sequential(lin, new nn.ReLU());
    const calls: string[] = [];
    const a = lin.registerForwardHook((m, args, out) => {
      expect(m).toBe(lin);
      expect((args[0] as sg.Tensor).shape).toEqual([5, 2]);
      calls.push(`a ${(out as sg.Tensor).shape.join('x')}`);
    });
    const b = lin.registerForwardHook(() => calls.push('b'));
    sg.scope(() => { seq.forward(sg.zeros([5, 2])); });
    a.remove();
    a.remove(); // idempotent
    sg.scope(() => { seq.forward(sg.zeros([1, 2])); });
    b.remove();
    sg.scope(() => { seq.forward(sg.zeros([1, 2])); });
    expect(calls).toEqual(['a 5x3', 'b', 'b']);
    expect(Object.getOwnPropertyDescriptor(lin, 'forward')).toBeUndefined();
    // An own forward set by the user is wrapped, then put back.
    const own = (x: sg.Tensor) => x.mul(2);
    (lin as { forward: unknown }).forward = own;
    const h = lin.registerForwardHook(() => calls.push('own'));
    sg.scope(() => { expect(lin.forward(sg.ones([1, 2])).toArray()).toEqual(new Float32Array([2, 2])); });
    h.remove();
    expect(lin.forward).toBe(own);
    expect(calls.at(-1)).toBe('own');
    seq.dispose();
  });
});
