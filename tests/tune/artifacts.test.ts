// Artifacts (Optuna's artifact layer): trial.uploadArtifact round trips through every storage's
// default store — memory, a journal's `<file>.artifacts/` directory (Optuna's
// FileSystemArtifactStore layout), a PostgreSQL table — and from worker-thread trials; the metadata
// is the `artifacts:<id>` system attribute Optuna writes, read back by Python Optuna where it is
// installed; bad names, bytes, ids and stores are typed errors; a failed write fails its trial.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { startPostgres, type PgServer } from '../helpers/postgres-server.js';

const { createStudy, RandomSampler, InMemoryStorage, JournalFileStorage, PostgresStorage, FileSystemArtifactStore,
  InMemoryArtifactStore, getAllArtifactMeta, downloadArtifact, ArtifactNotFound } = sg.tune;

// Python Optuna reading the artifacts back (Debian python3-optuna, + python3-psycopg2 for PostgreSQL): only where installed.
const hasPy = (mods: string) => spawnSync('/usr/bin/python3', ['-c', `import ${mods}`], { encoding: 'utf8' }).status === 0;
const optunaPy = hasPy('optuna'), optunaPg = hasPy('optuna, psycopg2');
const readBack = fileURLToPath(new URL('../../scripts/fixtures/optuna-read-artifacts.py', import.meta.url));
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const dirs: string[] = [];
const tmp = () => { const d = mkdtempSync(join(tmpdir(), 'sg-artifacts-')); dirs.push(d); return d; };
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

/** Bytes that differ per trial and cover every byte value. */
const idOf = (t: sg.tune.FrozenTrial, filename: string) => getAllArtifactMeta(t).find((m) => m.filename === filename)!.artifactId;
const payload = (n: number) => Uint8Array.from({ length: 777 }, (_, i) => (i * 31 + n * 5) & 255);

/** A 3-trial study whose trials attach a model and a JSON file; returns the study. */
async function sweep(opts: sg.tune.CreateStudyOptions) {
  const study = await createStudy({ sampler: new RandomSampler({ seed: 2 }), logger: false, ...opts });
  await study.optimize((t) => {
    const x = t.suggestFloat('x', 0, 1);
    const bytes = payload(t.number);
    const id = t.uploadArtifact('model.safetensors', bytes);
    bytes.fill(0); // the trial kept a copy
    t.setUserAttr('modelId', id);
    t.uploadArtifact('metrics.json', JSON.stringify({ x }));
    t.uploadArtifact('log.csv.gz', new Uint8Array([31, 139]).buffer, { mimetype: 'text/csv' });
    return x;
  }, { nTrials: 3 });
  return study;
}

/** Checks the study's artifacts: metadata as Optuna records it, bytes back from `store`. */
async function checkRoundTrip(trials: readonly sg.tune.FrozenTrial[], store: sg.tune.ArtifactStore) {
  expect(trials).toHaveLength(3);
  for (const t of trials) {
    // In the order the storage keeps the attributes (a database's need not be upload order).
    const metas = getAllArtifactMeta(t).sort((a, b) => ['model.safetensors', 'metrics.json', 'log.csv.gz'].indexOf(a.filename) -
      ['model.safetensors', 'metrics.json', 'log.csv.gz'].indexOf(b.filename));
    expect(metas.map((m) => [m.filename, m.mimetype, m.encoding])).toEqual([
      ['model.safetensors', 'application/octet-stream', null], ['metrics.json', 'application/json', null], ['log.csv.gz', 'text/csv', 'gzip'],
    ]);
    expect(metas[0]!.artifactId).toBe(t.userAttrs.modelId);
    expect(metas[0]!.artifactId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // The attribute is Optuna's: a JSON string with snake_case keys.
    const raw = t.systemAttrs[`artifacts:${metas[1]!.artifactId}`];
    expect(typeof raw).toBe('string');
    expect(JSON.parse(raw as string)).toEqual({ artifact_id: metas[1]!.artifactId, filename: 'metrics.json', mimetype: 'application/json', encoding: null });
    expect(await downloadArtifact({ artifactStore: store, artifactId: metas[0]!.artifactId })).toEqual(payload(t.number));
    expect(new TextDecoder().decode(await store.read(metas[1]!.artifactId))).toBe(JSON.stringify({ x: t.params.x }));
    expect([...await store.read(metas[2]!.artifactId)]).toEqual([31, 139]);
  }
}

describe('artifacts', () => {
  it('round-trip in memory: the study keeps the storage\'s store', async () => {
    const storage = new InMemoryStorage();
    const study = await sweep({ storage });
    expect(study.artifactStore).toBe(storage.artifactStore());
    await checkRoundTrip(study.trials, study.artifactStore);
    const other = new InMemoryArtifactStore(); // an explicit store wins
    const s2 = await sweep({ artifactStore: other });
    await checkRoundTrip(s2.trials, other);
    await expect(storage.artifactStore().read(idOf(s2.trials[0]!, 'model.safetensors'))).rejects.toBeInstanceOf(ArtifactNotFound);
  });

  it('round-trip through a journal: files named by artifact id in <journal>.artifacts/, read back by a new process and by Optuna', async () => {
    const dir = tmp(), path = join(dir, 'study.log');
    const study = await sweep({ storage: path, studyName: 'j' });
    const files = readdirSync(`${path}.artifacts`).sort();
    expect(files).toEqual(study.trials.flatMap((t) => getAllArtifactMeta(t).map((m) => m.artifactId)).sort()); // no temporary files left
    const id0 = idOf(study.trials[0]!, 'model.safetensors');
    expect(new Uint8Array(readFileSync(join(`${path}.artifacts`, id0)))).toEqual(payload(0));
    const again = await createStudy({ storage: new JournalFileStorage(path), studyName: 'j', loadIfExists: true });
    expect(again.artifactStore).toBeInstanceOf(FileSystemArtifactStore);
    await checkRoundTrip(again.trials, again.artifactStore);
    const out = join(dir, 'best.safetensors');
    expect(await downloadArtifact({ artifactStore: again.artifactStore, artifactId: id0, filePath: out })).toEqual(payload(0));
    expect(new Uint8Array(readFileSync(out))).toEqual(payload(0));
    await expect(downloadArtifact({ artifactStore: again.artifactStore, artifactId: id0, filePath: out })).rejects.toThrow(/file already exists: .*best\.safetensors/);
    if (!optunaPy) return;
    const py = spawnSync('/usr/bin/python3', [readBack, path, `${path}.artifacts`], { encoding: 'utf8' });
    expect(py.stderr).toBe('');
    const got = JSON.parse(py.stdout) as Record<string, Array<{ number: number; artifacts: Array<Record<string, string | null>> }>>;
    expect(got.j!.map((t) => t.number)).toEqual([0, 1, 2]);
    for (const t of got.j!) {
      const ours = getAllArtifactMeta(study.trials[t.number]!);
      expect(t.artifacts.map((a) => a.artifact_id).sort()).toEqual(ours.map((m) => m.artifactId).sort());
      const model = t.artifacts.find((a) => a.filename === 'model.safetensors')!;
      expect(model).toMatchObject({ mimetype: 'application/octet-stream', encoding: null, sha256: sha256(payload(t.number)) });
      expect(t.artifacts.find((a) => a.filename === 'log.csv.gz')).toMatchObject({ mimetype: 'text/csv', encoding: 'gzip' });
    }
  });

  it('from worker-thread trials: the bytes travel to the main thread\'s store; errors come back typed', async () => {
    const dir = tmp(), path = join(dir, 'w.log');
    const study = await createStudy({ storage: path, sampler: new RandomSampler({ seed: 1 }), logger: false });
    const module = new URL('./fixtures/artifact-objectives.ts', import.meta.url);
    await study.optimize({ module, export: 'uploads' }, { nTrials: 4, concurrency: 2 });
    expect(study.trials.map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE', 'COMPLETE', 'COMPLETE']);
    for (const t of study.trials) {
      expect(t.userAttrs.error).toBe('RangeError: uploadArtifact: the name must be a file name (no \'/\' or \'\\\'), got "a/b.bin"');
      const [weights, note] = getAllArtifactMeta(t).sort((a, b) => (a.filename < b.filename ? 1 : -1));
      expect(weights!.artifactId).toBe(t.userAttrs.weightsId);
      expect(await study.artifactStore.read(weights!.artifactId)).toEqual(Uint8Array.from({ length: 1024 }, (_, i) => (i * 7 + t.number) & 255));
      expect(note!.mimetype).toBe('text/plain');
      expect(new TextDecoder().decode(await study.artifactStore.read(note!.artifactId))).toBe(`trial ${t.number}`);
    }
    expect(getAllArtifactMeta(study.trials[0]!)).toHaveLength(2); // the refused upload left nothing
  });

  it('refuses bad names, bytes, ids and stores with typed errors; a failed write fails its trial', async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 3 }), logger: false });
    const trial = await study.ask();
    expect(() => trial.uploadArtifact('', new Uint8Array(1))).toThrow(/the name must be a file name .*got ""/);
    expect(() => trial.uploadArtifact('../x', new Uint8Array(1))).toThrow(RangeError);
    expect(() => trial.uploadArtifact('x.bin', 42 as unknown as Uint8Array)).toThrow(/must be a Uint8Array, an ArrayBuffer or a string, got number/);
    expect(() => trial.uploadArtifact('x.bin', new Uint8Array(1), { mimetype: '' })).toThrow(/mimetype must be a non-empty string/);
    expect(getAllArtifactMeta(trial.frozen)).toEqual([]); // nothing half-recorded
    await study.tell(trial, { value: 1 });
    await expect(createStudy({ artifactStore: {} as sg.tune.ArtifactStore })).rejects.toThrow(/artifactStore must be an ArtifactStore \(with write and read\)/);
    const fsStore = new FileSystemArtifactStore(tmp());
    await expect(fsStore.read('../../etc/passwd')).rejects.toThrow(/artifact id must be .* \(not a path\), got "..\/..\/etc\/passwd"/);
    await expect(fsStore.write('..', new Uint8Array(1))).rejects.toThrow(RangeError);
    await expect(fsStore.read('nope')).rejects.toThrow(/artifact nope not found in/);
    await expect(fsStore.remove('nope')).rejects.toBeInstanceOf(ArtifactNotFound);
    await fsStore.write('a', new Uint8Array([1]));
    await fsStore.remove('a');
    await expect(fsStore.read('a')).rejects.toBeInstanceOf(ArtifactNotFound);
    expect(() => getAllArtifactMeta({ systemAttrs: { 'artifacts:x': '{oops' } })).toThrow(/system attribute artifacts:x is not artifact metadata/);
    // A store that fails: the trial fails with the reason, the study goes on.
    const broken: sg.tune.ArtifactStore = { write: async () => { throw new Error('disk full'); }, read: async () => new Uint8Array(), remove: async () => undefined };
    const s2 = await createStudy({ artifactStore: broken, sampler: new RandomSampler({ seed: 3 }), logger: false });
    await s2.optimize((t) => { t.uploadArtifact('m.bin', 'x'); return 1; }, { nTrials: 2 });
    expect(s2.trials.map((t) => [t.state, t.failReason])).toEqual([['FAIL', 'Error: storage write failed: disk full'], ['FAIL', 'Error: storage write failed: disk full']]);
    // A storage without an artifact store, and no artifactStore option.
    const bare = new InMemoryStorage() as Partial<sg.tune.InMemoryStorage>;
    const noStore = Object.assign(Object.create(Object.getPrototypeOf(bare)), bare, { artifactStore: undefined }) as sg.tune.Storage;
    const s3 = await createStudy({ storage: noStore, logger: false });
    expect(() => s3.artifactStore).toThrow(/this study's storage keeps no artifacts: pass createStudy\(\{ artifactStore \}\)/);
  });
});

describe('artifacts in PostgreSQL', () => {
  let server: PgServer;
  const opened: sg.tune.PostgresStorage[] = [];
  beforeAll(async () => { server = await startPostgres(); }, 60_000);
  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
    server?.stop();
  });

  it('keeps the bytes in simdgrad_artifacts and the metadata where Optuna reads it', async () => {
    server.createDatabase('art');
    const url = server.urlFor('art');
    const storage = new PostgresStorage(url);
    opened.push(storage);
    const study = await sweep({ storage, studyName: 'pg' });
    const reader = new PostgresStorage(url);
    opened.push(reader);
    const again = await createStudy({ storage: reader, studyName: 'pg', loadIfExists: true });
    await checkRoundTrip(again.trials, again.artifactStore);
    expect(server.psql('SELECT count(*) FROM simdgrad_artifacts', 'art').trim()).toBe('9');
    const id = idOf(study.trials[1]!, 'model.safetensors');
    await again.artifactStore.remove(id);
    await expect(study.artifactStore.read(id)).rejects.toThrow(/artifact .* not found in postgresql:\/\//);
    if (!optunaPg) return;
    const py = spawnSync('/usr/bin/python3', [readBack, url], { encoding: 'utf8' });
    expect(py.status).toBe(0);
    const got = JSON.parse(py.stdout) as Record<string, Array<{ number: number; artifacts: Array<Record<string, string | null>> }>>;
    expect(got.pg!.map((t) => t.artifacts.map((a) => a.filename).sort())).toEqual(Array(3).fill(['log.csv.gz', 'metrics.json', 'model.safetensors']));
  }, 60_000);
});
