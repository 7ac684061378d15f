// The adversarial battery for tensor constructors and ops: every probe either returns what a naive
// oracle computes or throws a typed error from src/errors.ts — no silent wrong results, no raw
// TypeError/RangeError from deep inside, no valid input refused, and nothing leaked.
import { describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { runOpBattery } from './battery.js';

describe('adversarial: constructors and ops', () => {
  it('every probe gives the right result or a typed error', async () => {
    await sg.init();
    const before = sg.memory();
    const tallies = runOpBattery({ numRuns: Number(process.env.PROBE_RUNS ?? 100) });
    expect(Object.entries(tallies).flatMap(([name, t]) => t.failures.map((f) => `${name}: ${f}`))).toEqual([]);
    for (const [name, t] of Object.entries(tallies)) {
      expect(t.typed, `${name}: some probes are refused`).toBeGreaterThan(0);
      expect(t.correct, `${name}: some probes succeed`).toBeGreaterThan(0);
    }
    expect(sg.memory().tensors).toBe(before.tensors);
    expect(sg.memory().bytes).toBe(before.bytes);
  });
});
