// openStorage: a storage from a string, for createStudy({ storage: '…' }) and the CLI —
// 'postgresql://…' / 'postgres://…' is a PostgresStorage (the optional `pg` package is imported
// only then), anything else a journal file path (JournalFileStorage).
import type { Storage } from './storage.js';
import { JournalFileStorage } from './journal/journal-storage-lazy.js';
import { PostgresStorage } from './postgres/postgres-storage-lazy.js';
import type { PostgresStorageOptions } from './heartbeat-options.js';

/** Whether `spec` names a PostgreSQL server. */
export const isPostgresUrl = (spec: string): boolean => /^postgres(ql)?:\/\//i.test(spec);

/**
 * The storage a URL or path names.
 * @example const storage = await sg.tune.openStorage('postgresql://me@db-host/sweeps');
 */
export async function openStorage(spec: string, opts: PostgresStorageOptions = {}): Promise<Storage> {
  if (typeof spec !== 'string' || spec === '') throw new TypeError('storage: expected a Storage, a postgresql:// URL or a journal file path');
  return isPostgresUrl(spec) ? new PostgresStorage(spec, opts) : new JournalFileStorage(spec);
}
