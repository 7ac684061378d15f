// PostgresStorage against a real, private PostgreSQL server (tests/helpers/postgres-server.ts):
// the Storage contract (same records as InMemoryStorage), schema creation raced by many clients,
// study-name clashes and creation races, gap-free numbering and exactly-once claims under
// concurrent clients (each a separate pool, as separate processes would be), incremental reads,
// heartbeats with stale-trial failing and retry, grid claims, and surviving a server restart.
// Many processes at once: postgres-workers.test.ts.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { startPostgres, type PgServer } from '../helpers/postgres-server.js';

const { createStudy, GridSampler, RandomSampler, InMemoryStorage, PostgresStorage } = sg.tune;

// Python Optuna (Debian python3-optuna + python3-psycopg2) reading our study: only where installed.
const optunaPy = spawnSync('/usr/bin/python3', ['-c', 'import optuna, psycopg2'], { encoding: 'utf8' }).status === 0;

let server: PgServer;
let dbs = 0;
const opened: sg.tune.PostgresStorage[] = [];
/** A fresh database and n storages on it (separate pools, like separate processes). */
function storages(n: number, opts: sg.tune.PostgresStorageOptions = {}): sg.tune.PostgresStorage[] {
  const db = `t${++dbs}`;
  server.createDatabase(db);
  const out = Array.from({ length: n }, () => new PostgresStorage(server.urlFor(db), opts));
  opened.push(...out);
  return out;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PostgresStorage', () => {
  beforeAll(async () => { server = await startPostgres(); }, 60_000);
  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
    server?.stop();
  });

  it('keeps the same records as InMemoryStorage (params, values, intermediate values, attrs, failures)', async () => {
    const [pg] = storages(1);
    const run = async (storage: sg.tune.Storage) => {
      const study = await createStudy({ storage, studyName: 'same', directions: ['minimize', 'maximize'], sampler: new RandomSampler({ seed: 4 }) });
      await study.enqueueTrial({ lr: 0.01, opt: 'sgd' }, { note: 'enqueued' });
      await study.optimize((t) => {
        const lr = t.suggestFloat('lr', 1e-4, 1, { log: true }), n = t.suggestInt('n', 1, 9, { step: 2 }), opt = t.suggestCategorical('opt', ['adam', 'sgd', null]);
        t.report(lr, 0); t.report(NaN, 1); t.report(-Infinity, 2);
        t.setUserAttr('nested', { a: [1, 'b', null], inf: Infinity });
        if (n === 9) throw new RangeError('nine');
        if (opt === null) throw new sg.tune.TrialPruned();
        return [lr * n, opt === 'adam' ? Infinity : n];
      }, { nTrials: 12 });
      return (await study.refresh()).map(({ datetimeStart, datetimeComplete, durationMs, trialId, ...t }) => t);
    };
    const want = await run(new InMemoryStorage());
    expect(await run(pg!)).toEqual(want);
    expect(want.map((t) => t.state)).toContain('FAIL');
    // A second client reads the same study back.
    const again = await createStudy({ storage: new PostgresStorage(pg!.url), studyName: 'same', loadIfExists: true, directions: ['minimize', 'maximize'] });
    expect(again.trials.map(({ datetimeStart, datetimeComplete, durationMs, trialId, ...t }) => t)).toEqual(want);
    expect(again.trials.every((t) => t.datetimeStart! <= t.datetimeComplete! && t.durationMs! >= 0)).toBe(true);
    await again.storage.close?.();
  });

  it('creates the schema once when many clients start at once, and names studies uniquely', async () => {
    const clients = storages(8);
    const results = await Promise.allSettled(clients.map((s) => s.createStudy('race', ['minimize'])));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(String(r.reason)).toMatch(/a study named 'race' already exists in postgresql:\/\/127\.0\.0\.1:\d+\/t\d+ \(pass loadIfExists/);
    const loads = await Promise.all(clients.map((s) => s.createStudy('race2', ['maximize'], { loadIfExists: true })));
    expect(new Set(loads.map((r) => r.studyId)).size).toBe(1);
    expect(loads[0]!.directions).toEqual(['maximize']);
    expect(server.psql('SELECT string_agg(version::text, \',\' ORDER BY version) FROM simdgrad_schema_version', clients[0]!.url.split('/').pop()).trim()).toBe('1,2');
    await expect(createStudy({ storage: clients[0]!, studyName: 'race2', loadIfExists: true, direction: 'minimize' })).rejects.toThrow(/exists with directions maximize, not minimize/);
    expect(await clients[1]!.loadStudy('nope')).toBeNull();
    await expect(clients[0]!.createTrial(999)).rejects.toThrow(/no study with id 999/);
  });

  it('numbers trials without gaps or duplicates and hands each WAITING trial to exactly one client', async () => {
    const clients = storages(8);
    const { studyId } = await clients[0]!.createStudy('n', ['minimize']);
    for (let i = 0; i < 40; i++) await clients[0]!.createTrial(studyId, { state: 'WAITING', params: { i } });
    const got = await Promise.all(clients.map(async (s) => {
      const mine: Array<{ number: number; i?: number }> = [];
      for (let k = 0; k < 25; k++) {
        const c = await s.claimWaitingTrial(studyId);
        const t = c ?? await s.createTrial(studyId);
        mine.push({ number: t.number, ...(c ? { i: (c.systemAttrs.fixedParams as { i: number }).i } : {}) });
      }
      return mine;
    }));
    const all = got.flat();
    expect(all.map((t) => t.number).sort((a, b) => a - b)).toEqual([...Array(200).keys()]);
    expect(all.filter((t) => t.i !== undefined).map((t) => t.i).sort((a, b) => a! - b!)).toEqual([...Array(40).keys()]);
    const trials = await clients[3]!.getAllTrials(studyId);
    expect(trials.map((t) => t.number)).toEqual([...Array(200).keys()]);
    expect(trials.every((t) => t.state === 'RUNNING')).toBe(true);
  });

  it('reads only what changed since its last look', async () => {
    const [a, b] = storages(2);
    const study = await createStudy({ storage: a!, studyName: 'inc', sampler: new RandomSampler({ seed: 1 }) });
    await study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 300 });
    const before = b!.stats.trialRowsRead;
    expect(await b!.getAllTrials(study.studyId)).toHaveLength(300);
    expect(b!.stats.trialRowsRead - before).toBe(300);
    const other = await createStudy({ storage: b!, studyName: 'inc', loadIfExists: true, sampler: new RandomSampler({ seed: 2 }) });
    const mark = b!.stats.trialRowsRead;
    await other.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 10 });
    // Per trial: ask() reads the new RUNNING trial, tell() its finished state → ~2 rows per trial.
    expect(b!.stats.trialRowsRead - mark).toBeLessThanOrEqual(10 * 3);
    expect(other.trials).toHaveLength(310);
    expect(Object.isFrozen(other.trials[0])).toBe(true);
    // Trials finished by another client appear too.
    await study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 2 });
    expect((await other.refresh()).map((t) => t.number)).toEqual([...Array(312).keys()]);
  });

  it('fails a RUNNING trial whose heartbeats stopped, once, and re-enqueues it as a WAITING copy', async () => {
    const [a, b] = storages(2, { heartbeatInterval: 0.1, gracePeriod: 0.4, maxRetry: 1 });
    const { studyId } = await a!.createStudy('hb', ['minimize']);
    const dead = await a!.createTrial(studyId);
    await a!.setTrialParam(dead.trialId, 'x', { kind: 'float', low: 0, high: 1, log: false, step: null }, 0.25);
    await a!.setTrialUserAttr(dead.trialId, 'u', 1);
    const alive = await a!.createTrial(studyId);
    const beat = setInterval(() => void a!.recordHeartbeat(alive.trialId), 100);
    await sleep(800);
    const [failedB, failedA] = await Promise.all([b!.failStaleTrials(studyId), a!.failStaleTrials(studyId)]);
    clearInterval(beat);
    const failed = [...failedB, ...failedA];
    expect(failed.map((t) => t.number)).toEqual([dead.number]);
    expect(failed[0]!.state).toBe('FAIL');
    expect(failed[0]!.failReason).toMatch(/no heartbeat within the grace period/);
    const trials = await b!.getAllTrials(studyId);
    expect(trials.map((t) => t.state)).toEqual(['FAIL', 'RUNNING', 'WAITING']);
    expect(trials[2]!.systemAttrs).toMatchObject({ fixedParams: { x: 0.25 }, failed_trial: 0, retry_history: [0] });
    expect(trials[2]!.userAttrs).toEqual({ u: 1 });
    // The dead worker's late finish cannot change the verdict.
    await expect(a!.finishTrial(dead.trialId, 'COMPLETE', [1])).rejects.toThrow(/trial 0 is FAIL, not RUNNING/);
    await expect(a!.setTrialParam(dead.trialId, 'y', { kind: 'float', low: 0, high: 1, log: false, step: null }, 0.5)).rejects.toThrow(/is FAIL/);
  });

  it('accepts the stale verdict in tell() and runs the retry copy with the same parameters', async () => {
    // Heartbeats only at creation (interval 10 s), grace 0.3 s: another client fails the trial mid-run.
    const [a, b] = storages(2, { heartbeatInterval: 10, gracePeriod: 0.3, maxRetry: 1 });
    const study = await createStudy({ storage: a!, studyName: 'stall', sampler: new RandomSampler({ seed: 3 }) });
    let first = true;
    await study.optimize(async (t) => {
      const x = t.suggestFloat('x', 0, 1);
      if (first) {
        first = false;
        await sleep(600);
        expect((await b!.failStaleTrials(study.studyId)).map((f) => f.number)).toEqual([0]);
      }
      return x;
    }, { nTrials: 3 });
    const trials = study.trials;
    expect(trials.map((t) => t.state)).toEqual(['FAIL', 'COMPLETE', 'COMPLETE']);
    expect(trials[0]!.failReason).toMatch(/heartbeat/);
    expect(trials[1]!.systemAttrs).toMatchObject({ failed_trial: 0, retry_history: [0] });
    expect(trials[1]!.params.x).toBe(trials[0]!.params.x);
  });

  it('gives each grid point to one trial across clients, then stops', async () => {
    const clients = storages(6);
    const grid = { a: [0, 1, 2, 3, 4, 5, 6], b: ['x', 'y', 'z'] };
    const studies = await Promise.all(clients.map((storage) => createStudy({ storage, studyName: 'grid', loadIfExists: true, sampler: new GridSampler(grid, { seed: 5 }) })));
    await studies[0]!.enqueueTrial({ a: 100, b: 'x' });
    await Promise.all(studies.map((s) => s.optimize(async (t) => t.suggestInt('a', 0, 100) + (t.suggestCategorical('b', ['x', 'y', 'z']) === 'x' ? 0 : 10), { nTrials: 100, concurrency: 2 })));
    const trials = await studies[0]!.refresh();
    expect(trials.map((t) => t.number)).toEqual([...Array(22).keys()]);
    expect(trials.every((t) => t.state === 'COMPLETE')).toBe(true);
    const points = trials.filter((t) => t.params.a !== 100).map((t) => `${t.params.a}${t.params.b}`);
    expect(new Set(points).size).toBe(21);
    expect(await clients[2]!.createClaimingTrial(studies[0]!.studyId, new GridSampler(grid, { seed: 5 }).trialClaim)).toBeNull();
  });

  it('survives a server restart: calls wait with backoff and resume; past the retry period they fail clearly', async () => {
    const [a] = storages(1, { retryTimeoutMs: 20_000 });
    const study = await createStudy({ storage: a!, studyName: 'restart', sampler: new RandomSampler({ seed: 1 }) });
    await study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 3 });
    server.stopServer('fast');
    setTimeout(() => server.startServer(), 1500);
    await study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 3 }); // waits for the server
    expect((await study.refresh()).map((t) => `${t.number}${t.state}`)).toEqual(['0COMPLETE', '1COMPLETE', '2COMPLETE', '3COMPLETE', '4COMPLETE', '5COMPLETE']);
    const impatient = new PostgresStorage(a!.url, { retryTimeoutMs: 300 });
    opened.push(impatient);
    await impatient.loadStudy('restart');
    server.stopServer('immediate');
    try {
      await expect(impatient.loadStudy('restart')).rejects.toThrow(/StorageUnavailable|unreachable for \d+ ms/);
    } finally {
      server.startServer();
    }
    expect((await impatient.loadStudy('restart'))!.studyName).toBe('restart');
  }, 60_000);

  it('fails a trial whose writes cannot reach the server, and the study goes on', async () => {
    const [a] = storages(1, { retryTimeoutMs: 400 });
    const study = await createStudy({ storage: a!, studyName: 'cut', sampler: new RandomSampler({ seed: 1 }) });
    await study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 2 });
    let cut = true;
    await study.optimize(async (t) => {
      if (cut) {
        cut = false;
        server.stopServer('immediate'); // the server goes away mid-trial: the param write gives up after 400 ms
        t.suggestFloat('x', 0, 1);
        await sleep(700);
        server.startServer();
        return 1;
      }
      return t.suggestFloat('x', 0, 1);
    }, { nTrials: 2 });
    const trials = await study.refresh();
    expect(trials.map((t) => `${t.number}${t.state}`)).toEqual(['0COMPLETE', '1COMPLETE', '2FAIL', '3COMPLETE']);
    expect(trials[2]!.failReason).toMatch(/storage write failed: PostgreSQL server unreachable/);
  }, 30_000);

  it.skipIf(!optunaPy)('is read by Python Optuna (RDBStorage) with the same trials, constraints and NSGA-II generations', async () => {
    const [a, b] = storages(2);
    const study = await createStudy({ storage: a!, studyName: 'py', directions: ['minimize', 'maximize'], sampler: new sg.tune.NSGAIISampler({ seed: 2, populationSize: 3 }) });
    await study.enqueueTrial({ lr: 0.01, opt: 'sgd', n: 3 });
    await study.optimize((t) => {
      const lr = t.suggestFloat('lr', 1e-4, 1, { log: true }), n = t.suggestInt('n', 1, 9, { step: 2 }), opt = t.suggestCategorical('opt', ['adam', 'sgd']);
      t.report(lr, 0); t.report(-Infinity, 1); t.setUserAttr('u', { a: [1, 'b'] }); t.setConstraint([lr - 0.1, -Infinity]);
      if (n === 9) throw new RangeError('nine');
      return [lr * n, opt === 'adam' ? Infinity : n];
    }, { nTrials: 8 });
    const script = fileURLToPath(new URL('../../scripts/fixtures/optuna-read-postgres.py', import.meta.url));
    const py = spawnSync('/usr/bin/python3', [script, a!.url, 'py'], { encoding: 'utf8' });
    expect(py.stderr).toMatch(/directions \['MINIMIZE', 'MAXIMIZE'\]/);
    expect(py.stderr).toContain(`best_trials ${JSON.stringify(sg.tune.paretoFront(study.trials, study.directions, { constrained: false }).map((t) => t.number)).replace(/,/g, ', ')}`);
    const inf = (v: number | null) => (v !== null && !Number.isFinite(v) ? null : v);
    expect(JSON.parse(py.stdout)).toEqual(study.trials.map((t) => ({
      number: t.number, state: t.state, values: t.values?.map(inf) ?? null, params: t.params,
      iv: Object.fromEntries(Object.entries(t.intermediateValues).map(([k, v]) => [k, inf(v)])), user_attrs: t.userAttrs,
      constraints: [(t.params.lr as number) - 0.1, null], generation: t.systemAttrs['nsga2:generation'],
    })));
    expect(study.trials.every((t) => typeof t.systemAttrs['nsga2:generation'] === 'number' && t.systemAttrs.constraints !== undefined)).toBe(true);
    const back = await createStudy({ storage: b!, studyName: 'py', loadIfExists: true, directions: ['minimize', 'maximize'] });
    expect(back.trials).toEqual(study.trials); // values, constraints (−Infinity too), generations
  }, 60_000);
});
