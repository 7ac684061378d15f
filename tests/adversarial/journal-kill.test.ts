// Journal writer processes killed with SIGKILL at random moments, 20 times, four at a time (so one
// may die holding the lock or mid-write), with torn tails of up to 3 MiB between rounds: after
// every round each trial a writer reported finished is COMPLETE with its value, and the journal
// stays writable (journal-battery.ts).
import { describe, expect, it } from 'vitest';
import { journalKillBattery } from './journal-battery.js';

describe('journal writers killed at random moments', () => {
  it('lose no COMPLETE trial and leave the journal writable', async () => {
    const c = await journalKillBattery({ kills: 20 });
    expect({ lostTrials: c.lostTrials, silentWrong: c.silentWrong, untypedErrors: c.untypedErrors, typedErrors: c.typedErrors, inconsistent: c.inconsistent })
      .toEqual({ lostTrials: 0, silentWrong: 0, untypedErrors: 0, typedErrors: 0, inconsistent: 0 });
    expect(c.probes).toBe(20);
    expect(c.intact).toBe(20);
    expect(c.details.reportedDone).toBeGreaterThan(5); // trials finished before their writer died: the check is not vacuous
  }, 90_000);
});
