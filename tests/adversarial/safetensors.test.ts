// The adversarial battery for the safetensors parser: every corrupted file is a SafetensorsError
// or loads exactly what an independent reference decoder reads from it (load, loadInto, metadata);
// a refused loadInto leaves the model as it was; nothing hangs and nothing leaks.
import { expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { runSafetensorsBattery } from './battery.js';

it('corrupted safetensors files: a SafetensorsError or exactly their content', async () => {
  await sg.init();
  const before = sg.memory();
  const { safetensors: t } = runSafetensorsBattery({ numRuns: Number(process.env.PROBE_RUNS ?? 300) });
  expect(t.failures).toEqual([]);
  expect(t.typed).toBeGreaterThan(t.probes / 4);
  expect(t.correct).toBeGreaterThan(t.probes / 20);
  expect(sg.memory().tensors).toBe(before.tensors);
  expect(sg.memory().bytes).toBe(before.bytes);
});
