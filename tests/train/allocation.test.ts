// JS heap allocated per training step: fit() on an MLP with Adam must stay a small, bounded amount
// of garbage per step (19.6 KB when measured in bench conditions; 60 KB before the allocation
// work), because two trainings side by side — concurrency: 2 — contend through their young-
// generation GCs. Measured with V8's sampling heap profiler, counting objects minor GCs collected.
import { beforeAll, describe, expect, it } from 'vitest';
import { Session } from 'node:inspector/promises';
import * as sg from '../../src/index.js';
import { randomArray } from '../helpers/backends.js';

beforeAll(async () => { await sg.init({ backend: 'simd' }); });

describe('training allocations', () => {
  it('fit() allocates under 32 KB of JS heap per step (MLP 64-256-10, Adam, batch 32)', async () => {
    const n = 1024, steps = (epochs: number) => epochs * (n / 32);
    const x = sg.tensor(randomArray(n * 64, 1, -1, 1), [n, 64]);
    const y = Int32Array.from({ length: n }, (_, i) => i % 10);
    const train = (epochs: number) => {
      sg.manualSeed(0);
      const model = new sg.nn.Sequential(new sg.nn.Linear(64, 256), new sg.nn.ReLU(), new sg.nn.Linear(256, 10));
      const optimizer = new sg.optim.Adam(model.parameters(), { lr: 1e-3 });
      sg.fit(model, { x, y, optimizer, epochs, batchSize: 32, seed: 1 });
      model.dispose(); optimizer.dispose();
    };
    train(3); // warm: JIT, heap size classes
    const session = new Session();
    session.connect();
    try {
      await session.post('HeapProfiler.startSampling', {
        samplingInterval: 512, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true,
      });
      train(10);
      const { profile } = await session.post('HeapProfiler.stopSampling');
      const total = (node: { selfSize: number; children: unknown[] }): number =>
        node.selfSize + node.children.reduce<number>((a, c) => a + total(c as typeof node), 0);
      const perStep = total(profile.head as never) / steps(10);
      console.log(`fit(): ${(perStep / 1024).toFixed(1)} KB of JS heap per step`);
      expect(perStep).toBeGreaterThan(1024); // the profiler saw the loop at all
      expect(perStep).toBeLessThan(32 * 1024);
    } finally {
      session.disconnect();
      x.dispose();
    }
  }, 60_000);
});
