// Autograd: every differentiable op passes a finite-difference gradient check (on the JS
// reference and on the wasm build), and the engine has PyTorch's semantics — accumulation,
// leaves, noGrad, detach, freed graphs, deep chains, flat memory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../src/index.js';
import { BACKENDS, expectClose, randomArray } from './helpers/backends.js';

/** Options: input range, `grid` (input i on a 0.1 grid offset by 0.05·i, so ties and kinks stay
 * farther than eps from each other), eps. */
type Case = [string, number[][], (...xs: sg.Tensor[]) => sg.Tensor, { lo?: number; hi?: number; grid?: boolean; eps?: number }?];
const CASES: Case[] = [
  ['add broadcast', [[3, 4], [4]], (a, b) => a.add(b)],
  ['sub broadcast', [[3, 1], [1, 4]], (a, b) => a.sub(b)],
  ['mul broadcast', [[2, 3, 4], [3, 1]], (a, b) => a.mul(b)],
  ['div', [[3, 4], [3, 4]], (a, b) => a.div(b), { lo: 0.5, hi: 2 }],
  ['pow tensor', [[3, 4], [3, 4]], (a, b) => a.pow(b), { lo: 0.5, hi: 2 }],
  ['pow scalar', [[5]], (a) => a.pow(3)],
  ['maximum', [[3, 4], [4]], (a, b) => sg.maximum(a, b), { grid: true }],
  ['minimum', [[3, 4], [3, 4]], (a, b) => sg.minimum(a, b), { grid: true }],
  ['scalar affine', [[4]], (a) => sg.sub(2, a.mul(3).add(1)).div(4)],
  ['neg abs', [[6]], (a) => a.neg().abs()],
  ['exp', [[6]], (a) => a.exp()],
  ['log', [[6]], (a) => a.log(), { lo: 0.5, hi: 3 }],
  ['sqrt', [[6]], (a) => a.sqrt(), { lo: 0.5, hi: 3 }],
  ['relu', [[7]], (a) => a.relu()],
  ['leakyRelu', [[7]], (a) => a.leakyRelu(0.1)],
  ['gelu', [[7]], (a) => a.gelu()],
  ['silu', [[7]], (a) => a.silu()],
  ['tanh', [[7]], (a) => a.tanh()],
  ['sigmoid', [[7]], (a) => a.sigmoid()],
  ['softmax last', [[3, 5]], (a) => a.softmax()],
  ['softmax axis 0', [[3, 5]], (a) => a.softmax(0)],
  ['logSoftmax', [[2, 3, 4]], (a) => a.logSoftmax(1)],
  ['sum all', [[3, 4]], (a) => a.sum()],
  ['sum axes keepDims', [[2, 3, 4]], (a) => a.sum([0, 2], true)],
  ['mean axis', [[3, 4]], (a) => a.mean(1)],
  ['max axis', [[3, 4]], (a) => a.max(0)],
  ['max all', [[5]], (a) => a.max()],
  ['reshape transpose', [[2, 6]], (a) => a.reshape([3, 4]).T.mul(a.reshape([4, 3]))],
  ['transpose 3-d', [[2, 3, 4]], (a) => a.transpose(0, 2).contiguous()],
  ['flatten', [[2, 3, 2]], (a) => a.flatten(1)],
  ['slice', [[4, 5]], (a) => a.slice([1, 2], [3, 5]).exp()],
  ['concat', [[2, 3], [2, 2]], (a, b) => sg.concat([a, b.mul(2)], 1)],
  ['matmul NN', [[3, 4], [4, 5]], (a, b) => sg.matmul(a, b)],
  ['matmul NT/TN views', [[4, 3], [5, 4]], (a, b) => sg.matmul(a.T, b.T)],
  ['matmul batched broadcast', [[2, 3, 4], [4, 2]], (a, b) => sg.matmul(a, b)],
  ['matmul 1-D', [[4], [4, 3]], (a, b) => sg.matmul(a, b)],
  ['matmul bias relu', [[3, 4], [4, 5], [5]], (a, b, c) => sg.matmul(a, b, { bias: c, activation: 'relu' })],
  ['linear', [[3, 4], [5, 4], [5]], (x, w, b) => sg.linear(x, w, b)],
  ['linear 3-d input', [[2, 3, 4], [5, 4], [5]], (x, w, b) => sg.linear(x, w, b)],
  ['mlp composite', [[4, 6], [8, 6], [3, 8]], (x, w1, w2) => sg.linear(sg.linear(x, w1).tanh(), w2).logSoftmax().mean()],
];

describe.each(BACKENDS.filter((b) => b === 'js' || b === 'simd'))('gradient checks on %s', (name) => {
  beforeAll(async () => { await sg.init({ backend: name }); });
  it.each(CASES)('%s', (_, shapes, fn, range) => {
    sg.scope(() => {
      const xs = shapes.map((s, i) => {
        let v = randomArray(s.reduce((a, b) => a * b, 1), 11 + i, range?.lo ?? -2, range?.hi ?? 2);
        if (range?.grid) v = v.map((x) => Math.round(x * 10) / 10 + 0.05 * i);
        return sg.tensor(v, s, { requiresGrad: true });
      });
      const r = sg.gradcheck(fn, xs, range?.eps ? { eps: range.eps } : {});
      expect(r.ok, JSON.stringify(r.worst)).toBe(true);
    });
  });
});

describe.each(BACKENDS)('fused ReLU epilogues on %s', (name) => {
  it('give the same gradients as the unfused ops (no finite-difference kinks)', async () => {
    await sg.init({ backend: name });
    sg.scope(() => {
      const x = sg.tensor(randomArray(2 * 7 * 9, 3), [2, 7, 9], { requiresGrad: true });
      const w = sg.tensor(randomArray(6 * 9, 4), [6, 9], { requiresGrad: true });
      const b = sg.tensor(randomArray(6, 5), [6], { requiresGrad: true });
      const grads = (f: () => sg.Tensor) => {
        for (const t of [x, w, b]) { t.grad?.dispose(); t.grad = null; }
        f().mul(sg.tensor(randomArray(2 * 7 * 6, 6), [2, 7, 6])).sum().backward();
        return [x, w, b].map((t) => t.grad!.toArray());
      };
      const fused = grads(() => sg.linear(x, w, b, { activation: 'relu' }));
      const plain = grads(() => sg.linear(x, w, b).relu());
      const mm = grads(() => sg.matmul(x, w.T, { bias: b, activation: 'relu' }));
      fused.forEach((g, i) => { expectClose(g, plain[i]!, { rtol: 1e-5, atol: 1e-5 }); expectClose(mm[i]!, plain[i]!, { rtol: 1e-5, atol: 1e-5 }); });
    });
  });
});

describe('autograd engine', () => {
  beforeAll(async () => { await sg.init({ backend: BACKENDS[0] }); });
  afterAll(async () => { await sg.init({ backend: BACKENDS[0] }); });

  it('accumulates leaf gradients across backward calls, like PyTorch', () => sg.scope(() => {
    const x = sg.tensor([1, 2, 3], undefined, { requiresGrad: true });
    x.mul(x).sum().backward();
    expect([...x.grad!.toArray()]).toEqual([2, 4, 6]);
    x.mul(3).sum().backward();
    expect([...x.grad!.toArray()]).toEqual([5, 7, 9]);
    expect(x.isLeaf).toBe(true);
    const y = x.mul(2);
    expect(y.isLeaf).toBe(false);
    expect(y.requiresGrad).toBe(true);
    expect(y.grad).toBe(null);
  }));

  it('takes an explicit upstream gradient and checks its shape', () => sg.scope(() => {
    const x = sg.tensor([1, 2], undefined, { requiresGrad: true });
    const y = x.mul(3);
    expect(() => y.backward()).toThrow(/one-element/);
    expect(() => y.backward(sg.ones([3]))).toThrow('[3] ≠ tensor shape [2]');
    y.backward(sg.tensor([1, 10]));
    expect([...x.grad!.toArray()]).toEqual([3, 30]);
  }));

  it('noGrad and detach record nothing', () => sg.scope(() => {
    const x = sg.ones([2], { requiresGrad: true });
    const y = sg.noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBe(null);
    const d = x.mul(2).detach();
    expect(d.requiresGrad).toBe(false);
    expect(() => d.sum().backward()).toThrow(/does not require grad/);
    expect(sg.isGradEnabled()).toBe(true);
  }));

  it('frees the graph after backward unless retainGraph', () => sg.scope(() => {
    const x = sg.ones([3], { requiresGrad: true });
    const y = x.exp().sum();
    y.backward(undefined, { retainGraph: true });
    y.backward();
    expect(x.grad!.toArray()[0]).toBeCloseTo(2 * Math.E, 4);
    expect(() => y.backward()).toThrow(/already freed/);
  }));

  it('survives intermediates disposed by a scope before backward', () => sg.scope(() => {
    const w = sg.tensor([[1, 2], [3, 4]], undefined, { requiresGrad: true });
    const loss = sg.scope(() => sg.matmul(sg.ones([1, 2]), w).tanh().sum());
    loss.backward();
    const t = [Math.tanh(4), Math.tanh(6)].map((v) => 1 - v * v);
    const g = w.grad!.toArray();
    [t[0], t[1], t[0], t[1]].forEach((v, i) => expect(g[i]).toBeCloseTo(v!, 5));
  }));

  it('ops that write fresh gradient buffers: shared inputs still sum, uncovered inputs get 0', () => sg.scope(() => {
    // NaN-filled blocks of n floats freed just before backward: an unwritten fresh buffer shows
    const poison = (n: number) => { for (const t of Array.from({ length: 4 }, () => sg.full([n], NaN))) t.dispose(); };
    const xs = [0.3, -0.2, 0.5, 0.1, -0.4, 0.25, 0.15, -0.05];
    const x = sg.tensor(xs, undefined, { requiresGrad: true });
    const a = x.mul(2); // a Node reached by relu and exp (both overwrite) and by mul (accumulates)
    const l1 = a.relu().sum().add(a.exp().sum()).add(a.mul(a).sum());
    poison(8);
    l1.backward();
    x.grad!.toArray().forEach((g, i) => {
      const v = 2 * xs[i]!;
      expect(g).toBeCloseTo(2 * ((v > 0 ? 1 : 0) + Math.exp(v) + 2 * v), 5);
    });
    // one Node as both operands of a conv: Σ t² → 2t, times 2 through a
    const y = sg.tensor(xs, undefined, { requiresGrad: true }), t = y.mul(2).reshape([1, 1, 2, 4]);
    const l2 = sg.nn.functional.conv2d(t, t).sum();
    poison(8);
    l2.backward();
    y.grad!.toArray().forEach((g, i) => expect(g).toBeCloseTo(8 * xs[i]!, 5));
    // 2×2 max pooling over 3×5 (floor mode): the last row and column reach no window
    const z = sg.tensor(Array.from({ length: 15 }, (_, i) => (i * 7) % 11), [1, 1, 3, 5], { requiresGrad: true });
    const l3 = sg.nn.functional.maxPool2d(z.mul(1), 2).sum();
    poison(15);
    l3.backward();
    // values (7i mod 11): window {0,1,5,6} takes 6 (8), window {2,3,7,8} takes 3 (10)
    expect([...z.grad!.toArray()]).toEqual([0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  }));

  it('backpropagates through a 10,000-op chain without overflowing the stack', () => sg.scope(() => {
    const x = sg.tensor([1], undefined, { requiresGrad: true });
    let y = x;
    for (let i = 0; i < 10_000; i++) y = sg.scope(() => y.mul(1.0001));
    y.sum().backward();
    expect(x.grad!.item()).toBeCloseTo(1.0001 ** 10_000, 2);
  }));

  it('a training-style loop keeps memory flat', () => {
    const w1 = sg.randn([16, 8], { seed: 1, requiresGrad: true }), w2 = sg.randn([4, 16], { seed: 2, requiresGrad: true });
    const x = sg.randn([32, 8], { seed: 3 });
    const step = () => {
      sg.scope(() => sg.linear(sg.linear(x, w1, undefined, { activation: 'relu' }), w2).logSoftmax().mean().neg().backward());
      for (const w of [w1, w2]) { w.grad!.dispose(); w.grad = null; }
    };
    step();
    const m0 = sg.memory();
    for (let i = 0; i < 200; i++) step();
    expect(sg.memory()).toMatchObject({ tensors: m0.tensors, bytes: m0.bytes });
    for (const t of [w1, w2, x]) t.dispose();
  });

  it("linear over a non-contiguous input (a recurrent layer's output, a transpose) keeps memory flat", () => {
    const w = sg.randn([4, 8], { seed: 1, requiresGrad: true });
    const x = sg.randn([6, 5, 8], { seed: 3, requiresGrad: true });
    const step = () => {
      const loss = sg.scope(() => sg.linear(x.transpose(0, 1), w).mean()); // rows not contiguous, the last dim is
      loss.backward(); // outside a scope, as fit() and a hand-written loop do
      loss.dispose();
      for (const t of [w, x]) { t.grad!.dispose(); t.grad = null; }
    };
    step();
    const m0 = sg.memory();
    for (let i = 0; i < 20; i++) step();
    expect(sg.memory()).toMatchObject({ tensors: m0.tensors, bytes: m0.bytes });
    for (const t of [w, x]) t.dispose();
  });
});

describe('regularisation penalties', () => {
  it('l1Penalty and l2Penalty have the right values and gradients', async () => {
    await sg.init({ backend: BACKENDS[0] });
    sg.scope(() => {
      const a = sg.tensor([1, -2, 3], undefined, { requiresGrad: true }), b = sg.tensor([[-0.5, 0.5]], undefined, { requiresGrad: true });
      const l1 = sg.nn.functional.l1Penalty([a, b], 0.1);
      expect(l1.item()).toBeCloseTo(0.7, 6);
      l1.backward();
      expectClose(a.grad!.toArray(), [0.1, -0.1, 0.1]);
      expectClose(b.grad!.toArray(), [-0.1, 0.1]);
      a.grad!.dispose(); a.grad = null;
      const l2 = sg.nn.functional.l2Penalty([a], 0.5);
      expect(l2.item()).toBeCloseTo(0.25 * 14, 5);
      l2.backward();
      expectClose(a.grad!.toArray(), [0.5, -1, 1.5]);
      expect(() => sg.nn.functional.l1Penalty([a], -1)).toThrow(RangeError);
      // the strength is checked before any arithmetic: '1' / 2 would pass as 0.5
      expect(() => sg.nn.functional.l2Penalty([a], '1' as never)).toThrow('l2Penalty: strength must be a finite number ≥ 0, got "1"');
      expect(() => sg.nn.functional.l1Penalty([a, 3 as never], 1)).toThrow('l1Penalty: params[1] must be a Tensor, got 3');
      expect(() => sg.nn.functional.l2Penalty([], 1)).toThrow(sg.OptionError);
    });
  });
});
