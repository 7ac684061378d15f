// The tensor API on every backend: creation, views, broadcasting, reductions, matmul with
// transposed views, softmax, and the typed errors that name the shapes at fault.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as sg from '../src/index.js';
import { BACKENDS, expectClose, randomArray } from './helpers/backends.js';
import { naiveBinary, naiveMatmul, naiveReduce, naiveTranspose } from './helpers/naive.js';

const BIN: Array<[string, (a: sg.Tensor, b: sg.Tensor) => sg.Tensor, (x: number, y: number) => number]> = [
  ['add', sg.add, (x, y) => x + y], ['sub', sg.sub, (x, y) => x - y], ['mul', sg.mul, (x, y) => x * y],
  ['div', sg.div, (x, y) => x / y], ['maximum', sg.maximum, Math.max], ['minimum', sg.minimum, Math.min],
];

describe.each(BACKENDS)('tensor API on %s', (name) => {
  let start: sg.MemoryInfo;
  beforeAll(async () => {
    await sg.init({ backend: name });
    start = sg.memory();
  });

  it('creates tensors from nested arrays, flat data and numbers', () => sg.scope(() => {
    const x = sg.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(x.shape).toEqual([2, 3]);
    expect([...x.toArray()]).toEqual([1, 2, 3, 4, 5, 6]);
    const y = sg.tensor(new Float32Array([1, 2, 3, 4]), [2, 2]);
    expect(y.T.toArray()).toEqual(new Float32Array([1, 3, 2, 4]));
    expect(sg.tensor(7).item()).toBe(7);
    expect([...sg.arange(5).toArray()]).toEqual([0, 1, 2, 3, 4]);
    expect([...sg.arange(1, 2, 0.25).toArray()]).toEqual([1, 1.25, 1.5, 1.75]);
    expect([...sg.full([2], 3.5).toArray()]).toEqual([3.5, 3.5]);
    expect(sg.zeros([0, 3]).toArray().length).toBe(0);
    expect(sg.tensor([1, 2], undefined, { requiresGrad: true }).requiresGrad).toBe(true);
  }));

  it('rejects bad input with typed errors naming the shapes', () => sg.scope(() => {
    expect(() => sg.tensor([[1, 2], [3]])).toThrow(sg.ShapeError);
    expect(() => sg.tensor([1, 2, 3], [2, 2])).toThrow('3 values do not fill shape [2, 2]');
    expect(() => sg.zeros([2, NaN])).toThrow(sg.ShapeError);
    expect(() => sg.tensor([[1, 'a' as unknown as number]])).toThrow(sg.DTypeError);
    expect(() => sg.add(sg.ones([2, 3]), sg.ones([4, 3]))).toThrow('[2, 3] and [4, 3]');
    expect(() => sg.matmul(sg.ones([2, 3]), sg.ones([4, 5]))).toThrow('[2, 3] and [4, 5]');
    expect(() => sg.matmul(sg.tensor(1), sg.ones([2]))).toThrow(/rank/);
    expect(() => sg.ones([6]).reshape([4, 2])).toThrow('[6] (6 elements) into [4, 2]');
    expect(() => sg.ones([2, 3]).item()).toThrow('[2, 3]');
    expect(() => sg.ones([2]).sum(2)).toThrow('axis 2 is out of range for shape [2]');
  }));

  it('seeded random numbers are reproducible', () => sg.scope(() => {
    const a = sg.randn([1000], { seed: 7 }).toArray(), b = sg.randn([1000], { seed: 7 }).toArray();
    expect(a).toEqual(b);
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    expect(Math.abs(mean)).toBeLessThan(0.15);
    const u = sg.rand([1000], { seed: 3, low: 2, high: 4 }).toArray();
    expect(Math.min(...u)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...u)).toBeLessThan(4);
    sg.manualSeed(5);
    const c = sg.rand([10]).toArray(), d = sg.rand([10]).toArray();
    sg.manualSeed(5);
    expect(sg.rand([10]).toArray()).toEqual(c);
    expect(d).not.toEqual(c);
  }));

  it.each(BIN)('%s broadcasts like NumPy (property)', (_, op, f) => {
    const dim = fc.integer({ min: 1, max: 5 });
    const shapes = fc.tuple(fc.array(dim, { minLength: 0, maxLength: 4 }), fc.array(fc.boolean(), { maxLength: 4 }), fc.nat(3))
      .map(([s, ones, drop]) => [s, s.slice(Math.min(drop, s.length)).map((d, i) => (ones[i] ? 1 : d))] as const);
    fc.assert(fc.property(shapes, fc.boolean(), ([sa, sb], swap) => {
      const [s1, s2] = swap ? [sb, sa] : [sa, sb];
      const a = randomArray(s1.reduce((x, y) => x * y, 1), 1), b = randomArray(s2.reduce((x, y) => x * y, 1), 2, 0.5, 2);
      sg.scope(() => {
        const r = op(sg.tensor(a, s1), sg.tensor(b, s2));
        const want = naiveBinary(a, [...s1], b, [...s2], f);
        expect(r.shape).toEqual(want.shape);
        expectClose(r.toArray(), want.data, { rtol: 1e-6, atol: 1e-7 });
      });
    }), { numRuns: 40 });
  });

  it('elementwise ops read transposed and sliced views', () => {
    sg.scope(() => {
      const a = sg.tensor(randomArray(12, 3), [3, 4]);
      const t = a.T; // [4, 3], strided
      const r = t.add(sg.tensor([1, 2, 3]));
      const want = naiveBinary(naiveTranspose(a.toArray(), 3, 4), [4, 3], [1, 2, 3], [3], (x, y) => x + y);
      expectClose(r.toArray(), want.data);
      const s = a.slice([1, 1], [3, 3]);
      expect(s.shape).toEqual([2, 2]);
      const av = a.toArray();
      expectClose(s.exp().toArray(), [av[5]!, av[6]!, av[9]!, av[10]!].map(Math.exp), { rtol: 2e-6 });
      expectClose(sg.mul(2, a).sub(1).toArray(), av.map((v) => 2 * v - 1));
      expectClose(a.pow(2).toArray(), av.map((v) => v * v), { rtol: 1e-5 });
    });
  });

  it('reductions along any axes match a naive reduction (property)', () => {
    const dim = fc.integer({ min: 1, max: 6 });
    fc.assert(fc.property(fc.array(dim, { minLength: 1, maxLength: 4 }), fc.nat(), fc.boolean(), (shape, ax, keep) => {
      const axis = ax % shape.length;
      const x = randomArray(shape.reduce((a, b) => a * b, 1), ax + 1, -3, 3);
      sg.scope(() => {
        const t = sg.tensor(x, shape);
        const s = t.sum(axis, keep), m = t.mean(axis), mx = t.max(axis);
        expect(s.shape).toEqual(keep ? shape.map((d, i) => (i === axis ? 1 : d)) : shape.filter((_, i) => i !== axis));
        expectClose(s.toArray(), naiveReduce(x, shape, axis, 0, (a, v) => a + v), { rtol: 1e-5, atol: 1e-5 });
        expectClose(m.toArray(), naiveReduce(x, shape, axis, 0, (a, v) => a + v, (a, n) => a / n), { rtol: 1e-5, atol: 1e-5 });
        expectClose(mx.toArray(), naiveReduce(x, shape, axis, -Infinity, Math.max));
        expectClose(t.sum().toArray(), [x.reduce((a, v) => a + v, 0)], { rtol: 1e-5, atol: 1e-4 });
      });
    }), { numRuns: 40 });
    sg.scope(() => {
      const t = sg.tensor([[1, 5, 2], [7, 0, 7]]);
      expect([...t.argmax(1)]).toEqual([1, 0]);
      expect([...t.sum([0, 1]).toArray()]).toEqual([22]);
    });
  });

  it.each([[1, 1, 1], [3, 5, 7], [17, 33, 9], [64, 64, 64], [5, 257, 16]])('matmul %i×%i·%i with N, T views and batches', (m, k, n) => {
    sg.scope(() => {
      const a = randomArray(m * k, m), b = randomArray(k * n, n);
      const want = naiveMatmul(a, b, m, k, n);
      const tol = { rtol: 1e-4, atol: 1e-5 * Math.sqrt(k) };
      expectClose(sg.matmul(sg.tensor(a, [m, k]), sg.tensor(b, [k, n])).toArray(), want, tol);
      const at = sg.tensor(naiveTranspose(a, m, k), [k, m]).T; // TN
      const bt = sg.tensor(naiveTranspose(b, k, n), [n, k]).T; // NT
      expectClose(at.matmul(sg.tensor(b, [k, n])).toArray(), want, tol);
      expectClose(sg.tensor(a, [m, k]).matmul(bt).toArray(), want, tol);
      expectClose(at.matmul(bt).toArray(), want, tol);
      const batched = sg.matmul(sg.concat([sg.tensor(a, [1, m, k]), sg.tensor(a, [1, m, k])], 0), sg.tensor(b, [k, n]));
      expect(batched.shape).toEqual([2, m, n]);
      expectClose(batched.slice([1]).toArray(), want, tol);
      const bias = sg.tensor(randomArray(n, 9));
      const lin = sg.linear(sg.tensor(a, [m, k]), sg.tensor(naiveTranspose(b, k, n), [n, k]), bias, { activation: 'relu' });
      const bv = bias.toArray();
      expectClose(lin.toArray(), want.map((v, i) => Math.max(0, v + bv[i % n]!)), tol);
    });
  });

  it('matmul promotes 1-D operands like torch', () => {
    sg.scope(() => {
      const v = sg.tensor([1, 2, 3]), m = sg.tensor([[1, 0], [0, 1], [1, 1]]);
      expect(sg.matmul(v, m).shape).toEqual([2]);
      expect([...sg.matmul(v, m).toArray()]).toEqual([4, 5]);
      expect(sg.matmul(v, v).shape).toEqual([]);
      expect(sg.matmul(v, v).item()).toBe(14);
      expect([...sg.matmul(m.T, v).toArray()]).toEqual([4, 5]);
    });
  });

  it('softmax and logSoftmax along the last and other axes', () => {
    sg.scope(() => {
      const x = randomArray(12, 4, -5, 5);
      const t = sg.tensor(x, [3, 4]);
      const sm = t.softmax().toArray();
      for (let r = 0; r < 3; r++) {
        const row = [...x.slice(r * 4, r * 4 + 4)], mx = Math.max(...row);
        const z = row.reduce((s, v) => s + Math.exp(v - mx), 0);
        expectClose(sm.slice(r * 4, r * 4 + 4), row.map((v) => Math.exp(v - mx) / z));
      }
      const s0 = t.softmax(0);
      expectClose(s0.sum(0).toArray(), [1, 1, 1, 1], { rtol: 1e-6 });
      expectClose(t.logSoftmax(0).exp().toArray(), s0.toArray(), { rtol: 1e-5 });
    });
  });

  it('shape ops: reshape, transpose, flatten, slice, concat', () => {
    sg.scope(() => {
      const t = sg.arange(24).reshape([2, 3, 4]);
      expect(t.reshape([-1, 4]).shape).toEqual([6, 4]);
      expect(t.flatten(1).shape).toEqual([2, 12]);
      const tt = t.transpose(0, 2);
      expect(tt.shape).toEqual([4, 3, 2]);
      expect(tt.toArray()[1]).toBe(12);
      expect(tt.reshape([24]).toArray()[1]).toBe(12); // reshape of a strided view copies
      const c = sg.concat([t, t.mul(-1)], 1);
      expect(c.shape).toEqual([2, 6, 4]);
      expect(c.slice([1, 3], [2, 4]).toArray()).toEqual(new Float32Array([-12, -13, -14, -15]));
      expect(() => sg.concat([t, sg.ones([2, 2, 5])], 1)).toThrow('[2, 2, 5] does not match [2, 3, 4]');
    });
  });

  it('leaves no tensors or bytes behind', () => {
    expect(sg.memory()).toMatchObject({ tensors: start.tensors, bytes: start.bytes });
  });
});

afterAll(async () => { await sg.init({ backend: BACKENDS[0] }); });

describe('hostile arguments: typed errors, never coercion (issue 15)', () => {
  it('initialises', async () => { await sg.init({ backend: BACKENDS[0] }); });
  const message = (f: () => unknown): string => { try { f(); } catch (e) { return `${(e as Error).name}: ${(e as Error).message}`; } return 'no error'; };

  it('flat and nested data take one validation path', () => sg.scope(() => {
    expect(message(() => sg.tensor([1, 'x'] as never, [2]))).toBe('DTypeError: tensor(): value at [1] is "x", not a number');
    expect(message(() => sg.tensor([{}, null] as never, [2]))).toBe('DTypeError: tensor(): value at [0] is an Object, not a number');
    expect(message(() => sg.tensor([[1, 2], [3, null]] as never))).toBe('DTypeError: tensor(): value at [1][1] is null, not a number');
    expect(message(() => sg.tensor([1, , 3] as never, [3]))).toMatch(/value at \[1\] is undefined/);
    expect(message(() => sg.tensor(new BigInt64Array(2) as never))).toBe('DTypeError: tensor(): a BigInt64Array cannot become f32 data (give numbers)');
    expect(() => sg.tensor(new DataView(new ArrayBuffer(8)) as never)).toThrow(sg.DTypeError);
    expect(() => sg.tensor([[1, 2], [3, 4]], [4])).toThrow('tensor(): nested values of shape [2, 2] given shape [4]');
    expect([...sg.tensor([1, 2, 3, 4], [2, 2]).toArray()]).toEqual([1, 2, 3, 4]);
    expect([...sg.tensor(new Int32Array([1, -2]), [2]).toArray()]).toEqual([1, -2]);
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(() => sg.tensor(deep as never)).toThrow('nested arrays deeper than 64 levels');
    const self: unknown[] = [];
    self.push(self);
    expect(() => sg.tensor(self as never)).toThrow(sg.ShapeError);
    expect(() => sg.full([2], '1' as never)).toThrow(sg.DTypeError);
    expect(() => sg.zeros({} as never)).toThrow(sg.ShapeError);
  }));

  it('non-tensors passed to ops name the argument and what it got; numbers stay allowed where scalars are', () => sg.scope(() => {
    const t = sg.ones([2]);
    expect(message(() => sg.add(t, '5' as never))).toBe('DTypeError: add: b must be a Tensor or a number, got "5"');
    expect(message(() => sg.add(t, null as never))).toBe('DTypeError: add: b must be a Tensor or a number, got null');
    expect(message(() => sg.matmul(3 as never, t))).toBe('DTypeError: matmul: a must be a Tensor, got 3');
    expect(message(() => sg.concat([t, 3 as never]))).toBe('DTypeError: concat: tensors[1] must be a Tensor, got 3');
    expect(message(() => sg.exp({} as never))).toBe('DTypeError: exp: x must be a Tensor, got an Object');
    expect(message(() => sg.sum(Symbol('s') as never))).toBe('DTypeError: sum: x must be a Tensor, got Symbol(s)');
    expect(message(() => sg.reshape(t, null as never))).toBe('ShapeError: reshape: shape must be an array of integers, got null');
    expect(message(() => t.backward('x' as never))).toMatch(/^DTypeError: backward: gradient must be a Tensor/);
    expect(() => sg.nn.functional.mseLoss(t, [1, 1] as never)).toThrow(/mseLoss: target must be a Tensor, got \[1, 1\]/);
    expect(() => sg.add(t, 5n as never)).toThrow(sg.DTypeError);
    expect(() => sg.matmul(t, t, { activation: 'sigmoid' as never })).toThrow(sg.OptionError);
    expect([...sg.add(t, 2).toArray()]).toEqual([3, 3]);
    expect([...sg.sub(1, t).toArray()]).toEqual([0, 0]);
    const gone = sg.ones([2]);
    gone.dispose();
    expect(() => sg.add(t, gone)).toThrow(sg.DisposedError);
    expect(sg.DTypeError.prototype).toBeInstanceOf(TypeError);
    expect(sg.OptionError.prototype).toBeInstanceOf(RangeError);
  }));

  it('rand low > high, randn std < 0 and non-numeric seeds are OptionErrors ("abc" is not NaN\'s stream)', () => sg.scope(() => {
    expect(message(() => sg.rand([2], { low: 2, high: 1 }))).toBe('OptionError: rand: high must be a finite number ≥ 2, got 1');
    expect(message(() => sg.randn([2], { std: -1 }))).toBe('OptionError: randn: std must be a finite number ≥ 0, got -1');
    expect(() => sg.rand([2], { low: NaN })).toThrow(sg.OptionError);
    expect(message(() => sg.rand([2], { seed: 'abc' as never }))).toBe('OptionError: rand: seed must be a safe integer, got "abc"');
    for (const seed of ['abc', NaN, 1.5, 2 ** 53, Infinity]) {
      expect(() => sg.randn([2], { seed: seed as never })).toThrow(sg.OptionError);
      expect(() => sg.permutation(3, seed as never)).toThrow(sg.OptionError);
      expect(() => sg.nn.functional.dropout(sg.ones([2]), 0.5, { seed: seed as never })).toThrow(sg.OptionError);
      expect(() => sg.nn.init.uniform(sg.zeros([2]), 0, 1, { seed: seed as never })).toThrow(sg.OptionError);
      expect(() => new sg.tune.RandomSampler({ seed: seed as never })).toThrow(sg.OptionError);
    }
    expect([...sg.rand([3], { low: 1, high: 1, seed: 1 }).toArray()]).toEqual([1, 1, 1]);
    expect([...sg.randn([2], { mean: 3, std: 0, seed: 1 }).toArray()]).toEqual([3, 3]);
  }));

  it('a reduction axis named twice is a ShapeError; a scalar reduces along 0 or −1 to itself', () => sg.scope(() => {
    const x = sg.arange(6).reshape([2, 3]);
    expect(message(() => x.sum([1, 1]))).toBe('ShapeError: axis 1 appears more than once in [1, 1] (shape [2, 3])');
    expect(() => x.mean([0, -2])).toThrow(/axis 0 appears more than once/);
    expect(() => x.max([1, -1], true)).toThrow(sg.ShapeError);
    expect(() => x.sum(0, 'yes' as never)).toThrow(sg.OptionError);
    const s = sg.tensor(5);
    expect(s.sum(0).item()).toBe(5);           // was 0: the kernel summed an empty axis
    expect(s.mean(-1).item()).toBe(5);
    expect(s.max(0, true).shape).toEqual([]);
    expect(() => s.sum(1)).toThrow(sg.ShapeError);
    expect(sg.softmax(s, 0).item()).toBe(1);
    expect(() => sg.softmax(s, 3)).toThrow(sg.ShapeError);
    expect(() => sg.flatten(s, 2)).toThrow(sg.ShapeError);
  }));

  it('div by a number whose f32 reciprocal overflows or is subnormal still divides', () => sg.scope(() => {
    const f = Math.fround, tiny = f(1e-39); // f32 division of f32 values: f64 division rounded once is exact
    expect([...sg.div(sg.tensor([0, 1e-30, -2e-34]), 1e-39).toArray()]).toEqual([0, f(f(1e-30) / tiny), f(f(-2e-34) / tiny)]);
    expect([...sg.div(sg.tensor([3e38, 1]), 3e38).toArray()]).toEqual([1, f(1 / f(3e38))]);
    expect([...sg.div(sg.tensor([1, 0]), 0).toArray()]).toEqual([Infinity, NaN]);
  }));

  it('a frozen tensor (Object.freeze) is read by ops, backpropagated into, disposed and scoped', () => {
    const before = sg.memory().tensors;
    const r = sg.scope(() => {
      const x = Object.freeze(sg.tensor([1, 2, 3], [3], { requiresGrad: true })) as sg.Tensor;
      sg.mul(x, x).sum().backward();
      const g = [...x.grad!.toArray()];
      return [...sg.add(x, 1).toArray(), ...g];
    });
    expect(r).toEqual([2, 3, 4, 2, 4, 6]);
    const y = Object.freeze(sg.ones([2]));
    y.dispose();
    expect(y.disposed).toBe(true);
    expect(sg.memory().tensors).toBe(before);
  });
});
