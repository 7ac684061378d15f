// sg.nn.init: gains, fans, and the statistics of every initializer over a large tensor (bounds,
// mean, std), seeded reproducibility, the global stream, in-place writes and errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { BACKENDS } from '../helpers/backends.js';

const { init } = sg.nn;

function stats(v: Float32Array): { mean: number; std: number; min: number; max: number } {
  let s = 0, s2 = 0, min = Infinity, max = -Infinity;
  for (const x of v) { s += x; s2 += x * x; min = Math.min(min, x); max = Math.max(max, x); }
  const mean = s / v.length;
  return { mean, std: Math.sqrt(s2 / v.length - mean * mean), min, max };
}

describe.each(BACKENDS.filter((b) => b === 'js' || b === 'simd'))('nn.init on %s', (name) => {
  beforeAll(async () => { await sg.init({ backend: name }); });
  afterAll(() => sg.manualSeed(0));

  it('calculateGain and fans follow PyTorch', () => {
    expect(init.calculateGain('linear')).toBe(1);
    expect(init.calculateGain('sigmoid')).toBe(1);
    expect(init.calculateGain('tanh')).toBeCloseTo(5 / 3, 12);
    expect(init.calculateGain('relu')).toBeCloseTo(Math.SQRT2, 12);
    expect(init.calculateGain('leakyRelu')).toBeCloseTo(Math.sqrt(2 / (1 + 1e-4)), 12);
    expect(init.calculateGain('leaky_relu', Math.sqrt(5))).toBeCloseTo(Math.sqrt(1 / 3), 12);
    expect(init.calculateGain('selu')).toBe(0.75);
    expect(() => init.calculateGain('swish' as sg.nn.init.Nonlinearity)).toThrow(RangeError);
    expect(init.calculateFans([20, 10])).toEqual([10, 20]);
    expect(init.calculateFans([8, 3, 5, 5])).toEqual([75, 200]);
    expect(() => init.calculateFans([7])).toThrow(sg.ShapeError);
  });

  it('uniform, normal, constant, zeros, ones write in place with the right statistics', () => sg.scope(() => {
    const t = sg.zeros([200, 500]);
    const ptr = t.ptr;
    expect(init.uniform(t, -2, 3, { seed: 1 })).toBe(t);
    expect(t.ptr).toBe(ptr);
    let s = stats(t.toArray());
    expect(s.min).toBeGreaterThanOrEqual(-2);
    expect(s.max).toBeLessThan(3);
    expect(s.mean).toBeCloseTo(0.5, 1);
    expect(s.std).toBeCloseTo(5 / Math.sqrt(12), 1);
    init.normal(t, 1, 0.5, { seed: 2 });
    s = stats(t.toArray());
    expect(Math.abs(s.mean - 1)).toBeLessThan(0.005);
    expect(Math.abs(s.std - 0.5)).toBeLessThan(0.005);
    init.constant(t, 2.5);
    expect(stats(t.toArray())).toEqual({ mean: 2.5, std: 0, min: 2.5, max: 2.5 });
    expect(stats(init.zeros(t).toArray()).max).toBe(0);
    expect(stats(init.ones(t).toArray()).min).toBe(1);
    expect(() => init.uniform(t, 1, 0)).toThrow(RangeError);
    expect(() => init.normal(t, 0, -1)).toThrow(RangeError);
    expect(() => init.zeros(t.T)).toThrow(/must be contiguous/);
  }));

  it('xavier and kaiming have the documented bounds and spread', () => sg.scope(() => {
    const t = sg.zeros([400, 250]); // fanIn 250, fanOut 400
    const a = Math.sqrt(6 / 650) * 2;
    s_uniform(init.xavierUniform(t, { gain: 2, seed: 3 }), a);
    s_normal(init.xavierNormal(t, { seed: 4 }), Math.sqrt(2 / 650));
    s_uniform(init.kaimingUniform(t, { seed: 5 }), Math.sqrt(3) * Math.sqrt(2 / (1 + 0)) / Math.sqrt(250));
    s_uniform(init.kaimingUniform(t, { a: Math.sqrt(5), seed: 6 }), 1 / Math.sqrt(250));
    s_uniform(init.kaimingUniform(t, { mode: 'fanOut', nonlinearity: 'relu', seed: 7 }), Math.sqrt(6 / 400));
    s_normal(init.kaimingNormal(t, { nonlinearity: 'relu', seed: 8 }), Math.sqrt(2 / 250));
    s_normal(init.kaimingNormal(t, { mode: 'fanOut', nonlinearity: 'tanh', seed: 9 }), (5 / 3) / Math.sqrt(400));
    expect(() => init.kaimingUniform(t, { mode: 'fan_in' as sg.nn.init.FanMode })).toThrow(RangeError);
    expect(() => init.xavierUniform(sg.zeros([5]))).toThrow(sg.ShapeError);
  }));

  it('is reproducible with a seed and continues the global stream without one', () => sg.scope(() => {
    const a = sg.zeros([64]), b = sg.zeros([64]);
    init.kaimingNormal(init.zeros(a).reshape([8, 8]), { seed: 11 });
    init.kaimingNormal(b.reshape([8, 8]), { seed: 11 });
    expect([...a.toArray()]).toEqual([...b.toArray()]);
    sg.manualSeed(5);
    init.uniform(a); init.uniform(b);
    expect([...a.toArray()]).not.toEqual([...b.toArray()]);
    const first = a.toArray();
    sg.manualSeed(5);
    init.uniform(b);
    expect([...b.toArray()]).toEqual([...first]);
  }));

  it('layers start as PyTorch: Embedding N(0, 1), norms ones / zeros', () => {
    const e = new sg.nn.Embedding(1000, 64, { seed: 1 }), ln = new sg.nn.LayerNorm(5), bn = new sg.nn.BatchNorm1d(3);
    try {
      const s = stats(e.weight.toArray());
      expect(Math.abs(s.mean)).toBeLessThan(0.01);
      expect(Math.abs(s.std - 1)).toBeLessThan(0.01);
      expect([...ln.weight!.toArray()]).toEqual([1, 1, 1, 1, 1]);
      expect([...ln.bias!.toArray()]).toEqual([0, 0, 0, 0, 0]);
      expect([...bn.weight!.toArray(), ...bn.bias!.toArray()]).toEqual([1, 1, 1, 0, 0, 0]);
      expect([...bn.running_mean!.toArray(), ...bn.running_var!.toArray()]).toEqual([0, 0, 0, 1, 1, 1]);
    } finally { e.dispose(); ln.dispose(); bn.dispose(); }
  });
});

/** U(±bound): inside the bound, reaching close to it, std bound/√3. */
function s_uniform(t: sg.Tensor, bound: number): void {
  const s = stats(t.toArray());
  expect(s.min).toBeGreaterThanOrEqual(-bound);
  expect(s.max).toBeLessThanOrEqual(bound);
  expect(s.max).toBeGreaterThan(bound * 0.999);
  expect(Math.abs(s.mean)).toBeLessThan(bound * 0.01);
  expect(Math.abs(s.std / (bound / Math.sqrt(3)) - 1)).toBeLessThan(0.01);
}

/** N(0, std²): mean and spread within 1% (100,000 samples). */
function s_normal(t: sg.Tensor, std: number): void {
  const s = stats(t.toArray());
  expect(Math.abs(s.mean)).toBeLessThan(std * 0.01);
  expect(Math.abs(s.std / std - 1)).toBeLessThan(0.01);
}
