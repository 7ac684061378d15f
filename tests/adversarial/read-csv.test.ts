// The adversarial battery for readCsv: generated tables with hostile cells (empty, "1e39", text
// with delimiters, quotes and line breaks), every header mode, hostile options and sources that
// cannot be read. Each result must be what the table's oracle predicts, or a typed error.
import { expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { runCsvBattery } from './battery.js';

it('readCsv on hostile tables, options and sources: the predicted result or a typed error', async () => {
  await sg.init();
  const before = sg.memory();
  const { readCsv: t } = await runCsvBattery({ numRuns: Number(process.env.PROBE_RUNS ?? 400) });
  expect(t.failures).toEqual([]);
  expect(t.typed).toBeGreaterThan(t.probes / 5);
  expect(t.correct).toBeGreaterThan(t.probes / 10);
  expect(sg.memory().tensors).toBe(before.tensors);
});
