// The journal reader under random corruption (fast-check; the corruption kinds and the oracle are
// in journal-battery.ts): every corrupted journal is a JournalError naming a line past its intact
// prefix, or loads exactly that prefix; `journal check` agrees; a writer refuses or appends right
// after the prefix.
import { describe, expect, it } from 'vitest';
import { journalCorruptionBattery } from './journal-battery.js';

describe('journal reader under corruption', () => {
  it('gives a typed error or exactly the intact prefix, never anything else', async () => {
    const c = await journalCorruptionBattery({ runs: 300 });
    expect({ silentWrong: c.silentWrong, untypedErrors: c.untypedErrors, inconsistent: c.inconsistent }).toEqual({ silentWrong: 0, untypedErrors: 0, inconsistent: 0 });
    expect(c.typedErrors + c.intact).toBe(c.probes);
    expect(c.probes).toBe(300);
    expect(c.typedErrors).toBeGreaterThan(150);
    expect(c.intact).toBeGreaterThan(20);
    expect(Object.keys(c.details).sort()).toEqual(['foreign-line', 'hostile-bytes', 'nul-run', 'split-line', 'torn-then-appended', 'truncate']);
  }, 60_000);
});
