// PgConnection's retry window and its message: against a port where nothing listens (a refused
// connection is a transient error), a call gives up after retryTimeoutMs, and its
// StorageUnavailableError says how long the server has been unreachable — across calls that
// waited in turn, not only the last call's own retries (a worker that ended ~58 s into an outage
// used to say 29 s).
import { describe, expect, it } from 'vitest';
import { PgConnection } from '../../src/tune/storages/postgres/postgres-connection.js';

describe('PgConnection', () => {
  it('gives up after its retry window and reports the whole outage, not only the last call', async () => {
    const pg = new PgConnection('postgresql://nobody@127.0.0.1:1/none', { retryTimeoutMs: 400, connectTimeoutMs: 1000 });
    const fail = async () => {
      const t0 = Date.now();
      const e = await pg.query('SELECT 1').then(() => null, (x: unknown) => x as Error);
      return { e: e!, ms: Date.now() - t0 };
    };
    try {
      const first = await fail();
      expect(first.e.name).toBe('StorageUnavailableError');
      const [, down1, call1] = first.e.message.match(/unreachable for (\d+) ms \(this call gave up after retrying for (\d+) ms\): .*ECONNREFUSED/)!.map(Number);
      expect(call1).toBeGreaterThanOrEqual(150);
      expect(call1).toBeLessThanOrEqual(first.ms);
      expect(down1).toBe(call1);
      const second = await fail();
      const [, down2, call2] = second.e.message.match(/unreachable for (\d+) ms \(this call gave up after retrying for (\d+) ms\)/)!.map(Number);
      expect(call2).toBeLessThanOrEqual(second.ms);
      expect(down2).toBeGreaterThanOrEqual(call1! + call2!); // both calls' waits: the true time
    } finally {
      await pg.close();
    }
  });
});
