// Kernel threads end to end (src/threads/): the init option and sg.threads(); seeded training of an
// MLP, an LSTM, a Transformer encoder layer and a small CNN gives the same bits on 1, 2 and 3 threads (3
// oversubscribes this 2-core machine) with calls really split and shares really run on workers;
// split kernels on memory grown after the workers started, across and above 2 GiB; the 4 GiB
// limit; a worker that dies (one warning, one thread after, same bits); a kernel trapping on a
// worker (a BackendError naming it, the pool still works); a program with a pool exits on its own.
// (Every kernel split however small, at awkward sizes, against one thread's bits: the kernel
// tables in tests/backend/, through harness.ts.)
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as sg from '../../src/index.js';
import { active } from '../../src/runtime/context.js';
import type { KernelPool } from '../../src/threads/kernel-pool.js';
import { BackendError, MemoryLimitError } from '../../src/errors.js';
import { sameBits } from '../backend/harness.js';
import { randomArray } from '../helpers/backends.js';

const pool = () => (active() as { pool?: KernelPool }).pool;
const bits = (ts: sg.Tensor[]) => ts.map((t) => t.toArray());
const expectSameBits = (a: Float32Array[], b: Float32Array[], what: string) => {
  expect(a.length).toBe(b.length);
  a.forEach((x, i) => { if (!sameBits(x, b[i]!)) expect.fail(`${what}: tensor ${i} differs`); });
};

afterAll(async () => { await sg.init({ backend: 'simd', threads: 1 }); }); // stops the last pool
afterEach(() => { vi.restoreAllMocks(); });

describe('init({ threads })', () => {
  it('refuses a count that is not auto or an integer from 1 to 64, naming it', async () => {
    for (const bad of [0, -1, 1.5, 65, NaN, '2', 'all']) {
      await expect(sg.init({ threads: bad as never })).rejects.toThrow(/threads/);
      await expect(sg.init({ threads: bad as never })).rejects.toBeInstanceOf(RangeError);
    }
  });

  it('runs on the threads asked for; auto takes every core; one thread has no pool', async () => {
    await sg.init({ backend: 'simd', threads: 1 });
    expect(sg.threads()).toBe(1);
    expect(pool()).toBeUndefined();
    await sg.init({ backend: 'simd', threads: 3 });
    expect(sg.threads()).toBe(3);
    const { availableParallelism } = await import('node:os');
    await sg.init({ backend: 'simd' });
    expect(sg.threads()).toBe(Math.max(1, availableParallelism()));
  });
});

/** A classifier trained `steps` Adam steps on the fixed batch x, y (cross-entropy): its losses
 * and parameters; everything disposed after. */
function trainClassifier(model: sg.nn.Sequential, x: sg.Tensor, y: number[], steps: number): Float32Array[] {
  const opt = new sg.optim.Adam(model.parameters(), { lr: 1e-3 });
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    const loss = sg.scope(() => sg.nn.functional.crossEntropy(model.forward(x), y));
    loss.backward();
    opt.step();
    losses.push(loss.item());
    loss.dispose();
  }
  const out = [Float32Array.from(losses), ...bits(model.parameters())];
  x.dispose(); opt.dispose(); model.dispose();
  return out;
}

/** An MLP 784-256-128-10 trained 3 steps with Adam on a fixed batch of 64: its losses and parameters. */
function trainMlp(): Float32Array[] {
  sg.manualSeed(7);
  const model = new sg.nn.Sequential(new sg.nn.Linear(784, 256), new sg.nn.ReLU(), new sg.nn.Linear(256, 128),
    new sg.nn.ReLU(), new sg.nn.Linear(128, 10));
  return trainClassifier(model, sg.tensor(randomArray(64 * 784, 3), [64, 784]), Array.from({ length: 64 }, (_, i) => (i * 7) % 10), 3);
}

/** One LSTM and one Transformer encoder layer, two Adam steps each: losses and parameters. */
function trainSequence(): Float32Array[] {
  sg.manualSeed(11);
  const lstm = new sg.nn.LSTM(32, 96, { batchFirst: true });
  const enc = new sg.nn.TransformerEncoderLayer(96, 4, { dimFeedforward: 192, dropout: 0.1, batchFirst: true });
  const params = [...lstm.parameters(), ...enc.parameters()];
  const opts = [new sg.optim.Adam(lstm.parameters(), { lr: 1e-3 }), new sg.optim.Adam(enc.parameters(), { lr: 1e-3 })];
  const x = sg.tensor(randomArray(16 * 24 * 32, 5), [16, 24, 32]);
  const losses: number[] = [];
  for (let s = 0; s < 2; s++) {
    for (const o of opts) o.zeroGrad();
    const loss = sg.scope(() => {
      const [h] = lstm.forward(x);
      return enc.forward(h, { isCausal: true }).pow(2).mean();
    });
    loss.backward();
    for (const o of opts) o.step();
    losses.push(loss.item());
    loss.dispose();
  }
  const out = [Float32Array.from(losses), ...bits(params)];
  x.dispose(); for (const o of opts) o.dispose();
  lstm.dispose(); enc.dispose();
  return out;
}

/** A small CNN (convolutions, batch norm, max and average pooling) on a batch of 16 1×20×20
 * images, two Adam steps: losses and parameters. */
function trainCnn(): Float32Array[] {
  sg.manualSeed(13);
  const model = new sg.nn.Sequential(new sg.nn.Conv2d(1, 12, 3, { padding: 1 }), new sg.nn.BatchNorm2d(12), new sg.nn.ReLU(),
    new sg.nn.MaxPool2d(2), new sg.nn.Conv2d(12, 24, 3), new sg.nn.ReLU(), new sg.nn.AvgPool2d(2), new sg.nn.Flatten(),
    new sg.nn.Linear(24 * 4 * 4, 10));
  return trainClassifier(model, sg.tensor(randomArray(16 * 400, 4), [16, 1, 20, 20]), Array.from({ length: 16 }, (_, i) => (i * 3) % 10), 2);
}

describe('bit-identical at any thread count', () => {
  it('a seeded MLP training: the same bits on 1, 2 and 3 threads, work really split', async () => {
    await sg.init({ backend: 'simd', threads: 1 });
    const one = trainMlp();
    for (const n of [2, 3]) {
      await sg.init({ backend: 'simd', threads: n });
      const got = trainMlp();
      expectSameBits(got, one, `${n} threads`);
      const st = pool()!.stats();
      expect(st.jobs, 'calls split').toBeGreaterThan(20);
      expect(st.sharesByWorkers, 'shares run by workers').toBeGreaterThan(0);
    }
  }, 60_000);

  it('LSTM and Transformer encoder steps: the same bits on 1 and 3 threads', async () => {
    await sg.init({ backend: 'simd', threads: 1 });
    const one = trainSequence();
    await sg.init({ backend: 'simd', threads: 3 });
    expectSameBits(trainSequence(), one, '3 threads');
    expect(pool()!.stats().jobs).toBeGreaterThan(10);
  }, 60_000);

  it('a CNN (conv, batch norm, pooling): the same bits on 1 and 3 threads, convolutions split', async () => {
    await sg.init({ backend: 'simd', threads: 1 });
    const one = trainCnn();
    await sg.init({ backend: 'simd', threads: 3 });
    const p = pool()!, run = p.run.bind(p), split = new Set<number>();
    vi.spyOn(p, 'run').mockImplementation((k, n) => { split.add(k); run(k, n); });
    expectSameBits(trainCnn(), one, '3 threads');
    for (const k of ['conv2d_f32', 'conv2d_backward_input_f32', 'max_pool2d_f32', 'batch_norm_f32']) expect(split, k).toContain(p.kernelIndex(k));
  }, 60_000);
});

describe('memory under threads', () => {
  it('split kernels on memory grown after the workers started, across and above 2 GiB', async () => {
    await sg.init({ backend: 'simd', threads: 2 });
    const pads: sg.Tensor[] = [];
    const capacity = active().heap.stats().capacity;
    const data = randomArray(1 << 20, 9);
    const want = await (async () => {
      await sg.init({ backend: 'simd', threads: 1 });
      const t = sg.tensor(data, [data.length]);
      const r = sg.scope(() => t.exp().mul(t).toArray());
      t.dispose();
      await sg.init({ backend: 'simd', threads: 2 });
      return r;
    })();
    const heap2 = active().heap;
    for (const at of [2 ** 31 - 2 ** 21, 2 ** 31 + 2 ** 24]) {
      for (let gap = at - heap2.stats().top; gap > 0; gap = at - heap2.stats().top) {
        pads.push(sg.Tensor.empty([2 ** Math.floor(Math.log2(gap)) / 4]));
      }
      const jobs = pool()!.stats().jobs;
      const t = sg.tensor(data, [data.length]);
      expect(t.ptr).toBeGreaterThanOrEqual(at);
      const r = sg.scope(() => t.exp().mul(t).toArray());
      expect(pool()!.stats().jobs, 'exp and mul split').toBeGreaterThanOrEqual(jobs + 2);
      expect(sameBits(r, want)).toBe(true);
      t.dispose();
    }
    expect(heap2.stats().capacity).toBeGreaterThan(Math.max(capacity, 2 ** 31));
    expect(() => sg.Tensor.empty([2 ** 30 + 16])).toThrow(MemoryLimitError);
    expect(() => sg.Tensor.empty([2 ** 30 + 16])).toThrow(/wasm32 limit of 4294967296 bytes/);
    for (const p of pads) p.dispose();
  }, 60_000);
});

describe('failures', () => {
  it('a worker that dies: one warning, then one thread and the same bits', async () => {
    await sg.init({ backend: 'simd', threads: 1 });
    const one = trainMlp();
    await sg.init({ backend: 'simd', threads: 3 });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    pool()!.crashWorker(0);
    for (let i = 0; i < 100 && sg.threads() === 3; i++) await new Promise((r) => setTimeout(r, 20));
    expect(sg.threads()).toBe(1);
    expectSameBits(trainMlp(), one, 'after a worker died');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/kernel thread stopped .*exited.*one thread/);
  }, 60_000);

  it('a kernel that traps throws a BackendError naming it; the pool goes on', async () => {
    await sg.init({ backend: 'simd', threads: 2 });
    const { kernels, heap } = active();
    const end = heap.stats().capacity, n = 1 << 20;
    expect(() => kernels.exp_f32(end - 64, end - 64, n)).toThrow(BackendError);
    expect(() => kernels.exp_f32(end - 64, end - 64, n)).toThrow(/exp_f32 failed: .*out of bounds/);
    expect(sg.threads()).toBe(2);
    const t = sg.tensor(randomArray(n, 2), [n]);
    const r = sg.scope(() => t.exp().sum().item());
    t.dispose();
    expect(Number.isFinite(r)).toBe(true);
  });

  it('a program with a pool ends on its own (the workers do not keep Node alive)', async () => {
    const src = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
    const code = `const sg = await import(${JSON.stringify(src)}); await sg.init({ backend: 'simd', threads: 2 });
const x = sg.randn([256, 256], { seed: 1 }); console.log(sg.threads(), sg.matmul(x, x).sum().item() !== 0);`;
    const out = await new Promise<string>((resolve, reject) => execFile(process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', code], { timeout: 30_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout))));
    expect(out.trim()).toBe('2 true');
  }, 40_000);
});

describe("'auto' where threads cannot run", () => {
  it('one thread, said once', async () => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined);
    const sab = globalThis.SharedArrayBuffer;
    try {
      (globalThis as { SharedArrayBuffer?: unknown }).SharedArrayBuffer = undefined;
      await sg.init({ backend: 'simd', threads: 'auto' });
      expect(sg.threads()).toBe(1);
      await sg.init({ backend: 'scalar' });
      await sg.init({ backend: 'simd', threads: 'auto' });
    } finally {
      globalThis.SharedArrayBuffer = sab;
    }
    expect(info).toHaveBeenCalledTimes(1);
    expect(String(info.mock.calls[0]![0])).toMatch(/one thread: no SharedArrayBuffer .*cross-origin isolated/);
  });
});
