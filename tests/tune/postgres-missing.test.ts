// Without the optional `pg` package, a postgresql:// storage fails with an error that says what to
// install — and nothing else in simdgrad imports pg (the core loads without it).
import { describe, expect, it, vi } from 'vitest';

vi.mock('pg', () => { throw new Error("Cannot find package 'pg'"); });

describe('PostgresStorage without pg', () => {
  it('says to install pg, at the first storage call (not at import or construction)', async () => {
    const sg = await import('../../src/index.js');
    const storage = await sg.tune.openStorage('postgresql://nobody@127.0.0.1:1/none');
    expect(storage).toBeInstanceOf(sg.tune.PostgresStorage);
    await expect(sg.tune.createStudy({ storage, studyName: 's' })).rejects.toThrow(/PostgresStorage needs the 'pg' package .*npm install pg/);
    await expect(sg.tune.createStudy({ storage: 'postgres://x@127.0.0.1:1/db', studyName: 's' })).rejects.toThrow(/npm install pg/);
    expect(await sg.tune.openStorage('/tmp/some-journal.jsonl')).toBeInstanceOf(sg.tune.JournalFileStorage);
  });
});
