// RNN / LSTM / GRU layers: finite-difference gradient checks of the fused recurrent op (input,
// initial states and every parameter; both directions, stacked layers, batchFirst), PyTorch
// parameter names loaded from a PyTorch-written safetensors file, dropout between layers, shape
// errors, and a training loop whose memory stays flat.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { BACKENDS, expectClose, randomArray } from '../helpers/backends.js';

const { nn } = sg;
const input = (shape: number[], seed = 1, lo = -1.5, hi = 1.5): sg.Tensor =>
  sg.tensor(randomArray(shape.reduce((a, b) => a * b, 1), seed, lo, hi), shape, { requiresGrad: true });
const flat = (...ts: (sg.Tensor | null)[]): sg.Tensor => sg.concat(ts.filter((t): t is sg.Tensor => t !== null).map((t) => t.reshape([-1])));

interface T { shape: number[]; data: number[] }
type Layer = sg.nn.RNN | sg.nn.LSTM | sg.nn.GRU;
/** Output, h_n and c_n of any recurrent layer as one flat tensor. */
function run(m: Layer, x: sg.Tensor, h0: sg.Tensor | null, c0: sg.Tensor | null): sg.Tensor {
  if (m instanceof nn.LSTM) {
    const [o, [h, c]] = m.forward(x, h0 && c0 ? [h0, c0] : null);
    return flat(o, h, c);
  }
  const [o, h] = m.forward(x, h0);
  return flat(o, h);
}

type Case = [string, () => Layer, number[], number[] | null];
const CASES: Case[] = [
  ['RNN tanh', () => new nn.RNN(3, 4, { seed: 1 }), [4, 2, 3], [1, 2, 4]],
  ['RNN relu 2 layers', () => new nn.RNN(3, 5, { nonlinearity: 'relu', numLayers: 2, seed: 2 }), [3, 2, 3], null],
  ['LSTM', () => new nn.LSTM(3, 5, { seed: 3 }), [4, 2, 3], [1, 2, 5]],
  ['LSTM bidirectional batchFirst', () => new nn.LSTM(2, 3, { bidirectional: true, batchFirst: true, seed: 4 }), [2, 3, 2], [2, 2, 3]],
  ['LSTM 2 layers no bias', () => new nn.LSTM(2, 3, { numLayers: 2, bias: false, seed: 5 }), [3, 1, 2], null],
  ['GRU', () => new nn.GRU(3, 5, { seed: 6 }), [4, 2, 3], [1, 2, 5]],
  ['GRU bidirectional 2 layers', () => new nn.GRU(2, 3, { bidirectional: true, numLayers: 2, seed: 7 }), [3, 2, 2], [4, 2, 3]],
];

describe.each(BACKENDS.filter((b) => b === 'js' || b === 'simd'))('recurrent gradient checks on %s', (name) => {
  beforeAll(async () => { await sg.init({ backend: name }); });

  it.each(CASES)('%s', (_, make, xShape, hShape) => {
    const m = make();
    try {
      sg.scope(() => {
        const x = input(xShape, 3);
        const h0 = hShape ? input(hShape, 4, -0.8, 0.8) : null;
        const c0 = hShape && m instanceof nn.LSTM ? input(hShape, 5, -0.8, 0.8) : null;
        const states = [h0, c0].filter((t): t is sg.Tensor => t !== null);
        const r = sg.gradcheck((xx, ...rest) => run(m, xx, h0 ? rest[0]! : null, c0 ? rest[1]! : null),
          [x, ...states, ...m.parameters()], { eps: 5e-3 });
        expect(r.ok, JSON.stringify(r.worst)).toBe(true);
      });
    } finally { m.dispose(); }
  });
});

describe('recurrent layers', () => {
  beforeAll(async () => { await sg.init({ backend: BACKENDS[BACKENDS.length - 1] }); });

  it('names, shapes and init follow PyTorch', () => {
    const m = new nn.GRU(3, 4, { numLayers: 2, bidirectional: true, seed: 1 });
    try {
      const named = m.namedParameters().map(([k, p]) => `${k} ${p.shape.join('x')}`);
      expect(named.slice(0, 8)).toEqual([
        'weight_ih_l0 12x3', 'weight_hh_l0 12x4', 'bias_ih_l0 12', 'bias_hh_l0 12',
        'weight_ih_l0_reverse 12x3', 'weight_hh_l0_reverse 12x4', 'bias_ih_l0_reverse 12', 'bias_hh_l0_reverse 12']);
      expect(named[8]).toBe('weight_ih_l1 12x8');
      expect(m.numParameters()).toBe(2 * (12 * 3 + 12 * 4 + 24) + 2 * (12 * 8 + 12 * 4 + 24));
      for (const p of m.parameters()) for (const v of p.toArray()) expect(Math.abs(v)).toBeLessThanOrEqual(0.5);
      const again = new nn.GRU(3, 4, { numLayers: 2, bidirectional: true, seed: 1 });
      expect(again.parameters()[5]!.toArray()).toEqual(m.parameters()[5]!.toArray());
      again.dispose();
    } finally { m.dispose(); }
  });

  it('loads a PyTorch state dict from safetensors (tests/fixtures/torch-lstm.safetensors) and matches PyTorch', () => {
    const fx = JSON.parse(readFileSync(new URL('../fixtures/torch-recurrent.json', import.meta.url), 'utf8')) as {
      cases: Array<{ name: string; args: [number, number]; opts: Record<string, unknown>; input: T; h0: T; c0: T; output: { data: number[] } }>;
    };
    const c = fx.cases.find((k) => k.name === 'LSTM 2 layers bidirectional batchFirst')!;
    const m = new nn.LSTM(c.args[0], c.args[1], c.opts);
    try {
      sg.io.loadInto(m, readFileSync(new URL('../fixtures/torch-lstm.safetensors', import.meta.url)));
      sg.scope(() => sg.noGrad(() => {
        const t = (v: T): sg.Tensor => sg.tensor(v.data, v.shape);
        const [out] = m.forward(t(c.input), [t(c.h0), t(c.c0)]);
        expectClose(out.toArray(), c.output.data, { rtol: 1e-4, atol: 1e-5 }, 'output');
      }));
    } finally { m.dispose(); }
  });

  it('dropout acts between layers in training only, never after the last layer', () => sg.scope(() => {
    const x = sg.randn([5, 2, 3], { seed: 1 });
    const two = new nn.LSTM(3, 4, { numLayers: 2, dropout: 0.5, seed: 2 });
    const one = new nn.GRU(3, 4, { dropout: 0.5, seed: 3 });
    try {
      const evalOut = sg.noGrad(() => two.eval().forward(x)[0].toArray());
      const trainOut = sg.noGrad(() => two.train().forward(x)[0].toArray());
      expect(trainOut).not.toEqual(evalOut);
      expect(sg.noGrad(() => one.train().forward(x)[0].toArray())).toEqual(sg.noGrad(() => one.eval().forward(x)[0].toArray()));
    } finally { two.dispose(); one.dispose(); }
  }));

  it('unbatched input, batchFirst layout and initial states', () => sg.scope(() => {
    const m = new nn.RNN(3, 4, { seed: 4 }), bf = new nn.RNN(3, 4, { seed: 4, batchFirst: true });
    try {
      const x = sg.randn([5, 2, 3], { seed: 5 }), h0 = sg.randn([1, 2, 4], { seed: 6 });
      const [o, h] = m.forward(x, h0);
      expect(o.shape).toEqual([5, 2, 4]); expect(h.shape).toEqual([1, 2, 4]);
      const [ob, hb] = bf.forward(x.transpose(0, 1), h0);
      expect(ob.shape).toEqual([2, 5, 4]);
      expectClose(ob.transpose(0, 1).contiguous().toArray(), o.toArray(), { rtol: 0, atol: 0 });
      expectClose(hb.toArray(), h.toArray(), { rtol: 0, atol: 0 });
      const [ou, hu] = m.forward(sg.slice(x, [0, 1], [5, 2]).reshape([5, 3]), sg.slice(h0, [0, 1], [1, 2]).reshape([1, 4]));
      expect(ou.shape).toEqual([5, 4]); expect(hu.shape).toEqual([1, 4]);
      expectClose(ou.toArray(), sg.slice(o, [0, 1], [5, 2]).contiguous().toArray(), { rtol: 1e-6, atol: 1e-7 });
    } finally { m.dispose(); bf.dispose(); }
  }));

  it('bad shapes are ShapeErrors naming the shapes', () => sg.scope(() => {
    const m = new nn.LSTM(3, 4);
    try {
      expect(() => m.forward(sg.zeros([5, 2, 6]))).toThrow(/input \[5, 2, 6\]/);
      expect(() => m.forward(sg.zeros([5, 2, 3]), [sg.zeros([1, 3, 4]), sg.zeros([1, 2, 4])])).toThrow(sg.ShapeError);
      expect(() => m.forward(sg.zeros([5, 2, 3]), [sg.zeros([1, 3, 4]), sg.zeros([1, 2, 4])])).toThrow(/\[1, 3, 4\].*\[1, 2, 4\]/);
      expect(() => new nn.RNN(3, 4, { nonlinearity: 'sigmoid' as 'relu' })).toThrow(RangeError);
      expect(() => new nn.GRU(3, 0)).toThrow(RangeError);
    } finally { m.dispose(); }
  }));

  it('a training loop (LSTM + Linear head, Adam) learns and keeps memory flat', () => {
    const lstm = new nn.LSTM(4, 8, { batchFirst: true, numLayers: 2, bidirectional: true, seed: 9 });
    const head = new nn.Linear(16, 3, { seed: 10 });
    const opt = new sg.optim.Adam([...lstm.parameters(), ...head.parameters()], { lr: 0.02 });
    const x = sg.randn([6, 7, 4], { seed: 11 }), y = new Int32Array([0, 1, 2, 0, 1, 2]);
    const step = (): number => sg.scope(() => {
      opt.zeroGrad();
      const [out] = lstm.forward(x);
      const last = sg.slice(out, [0, 6], [6, 7]).reshape([6, 16]);
      const loss = sg.nn.functional.crossEntropy(head.forward(last), y);
      loss.backward();
      opt.step();
      return loss.item();
    });
    try {
      const first = step();
      step();
      const m0 = sg.memory();
      let last = first;
      for (let i = 0; i < 30; i++) last = step();
      const m1 = sg.memory();
      expect({ tensors: m1.tensors, bytes: m1.bytes }).toEqual({ tensors: m0.tensors, bytes: m0.bytes });
      expect(last).toBeLessThan(0.5 * first);
    } finally { opt.dispose(); lstm.dispose(); head.dispose(); x.dispose(); }
  });
});
