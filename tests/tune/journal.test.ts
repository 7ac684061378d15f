// JournalFileStorage: Optuna's journal format both ways, resume, replay that catches up with
// other writers, crash safety (kill -9 mid-study, a torn last line), lock files, and trial
// numbering / WAITING claims that stay exact with several writers; heartbeats and retries.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, appendFileSync, writeFileSync, utimesSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { parsePyJson } from '../../src/tune/storages/journal/journal-format.js';
import { floatDistribution } from '../../src/tune/distributions.js';

const { createStudy, JournalFileStorage, RandomSampler, TrialPruned, FileLock } = sg.tune;
const dir = mkdtempSync(join(tmpdir(), 'sg-journal-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fresh = () => join(dir, `j${n++}.jsonl`);
const lines = (p: string) => readFileSync(p, 'utf8').split('\n').filter(Boolean);

async function sample(path: string) {
  const study = await createStudy({ storage: new JournalFileStorage(path), studyName: 's', sampler: new RandomSampler({ seed: 5 }) });
  await study.enqueueTrial({ x: 0.5, c: null }, { src: 'manual' });
  await study.optimize((t) => {
    const x = t.suggestFloat('x', -1, 1), lr = t.suggestFloat('lr', 1e-4, 1, { log: true });
    const k = t.suggestInt('k', 1, 9, { step: 2 }), c = t.suggestCategorical('c', ['a', true, null, 3]);
    t.report(x, 0); t.report(-Infinity, 1); t.setUserAttr('u', { deep: [1, 'two'] });
    if (t.number === 2) throw new TrialPruned();
    if (t.number === 3) throw new RangeError('nope');
    return lr + k + (c === 'a' ? 1 : 0) + x;
  }, { nTrials: 6 });
  return study;
}

describe('JournalFileStorage', () => {
  it('writes Optuna operations and resumes a study from the file alone', async () => {
    const path = fresh();
    const study = await sample(path);
    const ops = lines(path).map((l) => parsePyJson(l) as Record<string, unknown>);
    expect(ops[0]).toMatchObject({ op_code: 0, study_name: 's', directions: [1] });
    expect(ops[1]).toMatchObject({ op_code: 4, state: 4, system_attrs: { fixed_params: { x: 0.5, c: null } }, user_attrs: { src: 'manual' } });
    expect(ops.find((o) => o.op_code === 5 && o.param_name === 'c')).toMatchObject({ param_value_internal: 2 });
    expect(lines(path).some((l) => l.includes('-Infinity'))).toBe(true);

    const again = await createStudy({ storage: new JournalFileStorage(path), studyName: 's', loadIfExists: true });
    expect(again.trials).toEqual(study.trials);
    expect(again.trials.map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE', 'PRUNED', 'FAIL', 'COMPLETE', 'COMPLETE']);
    expect(again.trials[3]!.failReason).toBe('RangeError: nope');
    expect(again.trials[2]!.value).toBe(-Infinity);
    expect(again.trials[0]!.params).toMatchObject({ x: 0.5, c: null });
    expect(again.trials[0]!.durationMs).toBeGreaterThanOrEqual(0);
    await again.optimize((t) => t.suggestFloat('x', -1, 1), { nTrials: 2 });
    expect(again.trials.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    await expect(createStudy({ storage: new JournalFileStorage(path), studyName: 's' })).rejects.toThrow(/already exists/);
    await expect(createStudy({ storage: new JournalFileStorage(path), studyName: 's', direction: 'maximize', loadIfExists: true })).rejects.toThrow(/directions/);
  });

  it("reads a journal written by Python's Optuna", async () => {
    const log = fileURLToPath(new URL('../fixtures/optuna-journal.log', import.meta.url));
    const want = parsePyJson(readFileSync(new URL('../fixtures/optuna-journal.json', import.meta.url), 'utf8')) as Record<string, any[]>;
    const copy = fresh();
    writeFileSync(copy, readFileSync(log));
    for (const [name, trials] of Object.entries(want)) {
      const study = await createStudy({ storage: new JournalFileStorage(copy), studyName: name, loadIfExists: true, directions: name === 'py' ? ['minimize'] : ['minimize', 'maximize'] });
      expect(study.trials.map((t) => ({
        number: t.number, state: t.state, values: t.values, params: t.params,
        intermediate_values: Object.fromEntries(Object.entries(t.intermediateValues).map(([k, v]) => [k, Number.isFinite(v) ? v : String(v).replace('Infinity', 'inf')])),
        user_attrs: t.userAttrs,
        system_attrs: Object.fromEntries(Object.entries(t.systemAttrs).map(([k, v]) => [k === 'fixedParams' ? 'fixed_params' : k, v])),
      }))).toEqual(trials);
    }
  });

  it('ignores a torn last line and cuts it before the next append', async () => {
    const path = fresh();
    const study = await sample(path);
    appendFileSync(path, '{"op_code":4,"worker_id":"dead","study_id":0,"datetime_st');
    const resumed = await createStudy({ storage: new JournalFileStorage(path), studyName: 's', loadIfExists: true });
    expect(resumed.trials).toEqual(study.trials);
    await resumed.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 1 });
    expect(lines(path).every((l) => parsePyJson(l) !== undefined)).toBe(true);
    expect(resumed.trials.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('numbers trials and hands out WAITING trials exactly once across writers', async () => {
    const path = fresh();
    const a = await createStudy({ storage: new JournalFileStorage(path), studyName: 'w', sampler: new RandomSampler({ seed: 1 }) });
    const b = await createStudy({ storage: new JournalFileStorage(path), studyName: 'w', loadIfExists: true, sampler: new RandomSampler({ seed: 2 }) });
    for (let i = 0; i < 6; i++) await a.enqueueTrial({ x: i / 10 });
    const run = (s: sg.tune.Study) => s.optimize(async (t) => t.suggestFloat('x', 0, 1), { nTrials: 8, concurrency: 2 });
    await Promise.all([run(a), run(b)]);
    const trials = await b.refresh();
    expect(trials.map((t) => t.number)).toEqual([...Array(16).keys()]);
    expect(trials.every((t) => t.state === 'COMPLETE')).toBe(true);
    expect(trials.slice(0, 6).map((t) => t.params.x)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5]);
  });

  it('breaks a stale lock left by a dead process or by a hung one', async () => {
    const lockPath = join(dir, 'x.lock');
    writeFileSync(lockPath, `999999999 ${(await import('node:os')).hostname()} 0`);
    const lock = new FileLock(lockPath, { staleMs: 60_000 });
    await lock.withLock(async () => expect(existsSync(lockPath)).toBe(true));
    expect(existsSync(lockPath)).toBe(false);
    writeFileSync(lockPath, `${process.ppid} elsewhere 0`);
    utimesSync(lockPath, new Date(Date.now() - 5000), new Date(Date.now() - 5000));
    await new FileLock(lockPath, { staleMs: 1000 }).withLock(async () => undefined);
    writeFileSync(lockPath, `${process.ppid} elsewhere 0`);
    await expect(new FileLock(lockPath, { staleMs: 60_000, timeoutMs: 100 }).acquire()).rejects.toThrow(/could not acquire/);
  });

  it('loses no completed trial when a process is killed with SIGKILL mid-study', async () => {
    const path = fresh();
    const child = (nTrials: number) => spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fixtures/journal-child.ts', import.meta.url)), path, String(nTrials), '30'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const victim = child(10_000), survivor = child(12);
    let done = 0;
    await new Promise<void>((resolve) => victim.stdout.on('data', (d: Buffer) => { done += (String(d).match(/^done/gm) ?? []).length; if (done >= 6) resolve(); }));
    victim.kill('SIGKILL');
    await new Promise((r) => survivor.on('exit', r));
    const study = await createStudy({ storage: new JournalFileStorage(path), studyName: 'shared', loadIfExists: true });
    const trials = study.trials;
    expect(trials.map((t) => t.number)).toEqual([...Array(trials.length).keys()]);
    expect(trials.filter((t) => t.state === 'COMPLETE').length).toBeGreaterThanOrEqual(done + 12);
    expect(trials.filter((t) => t.state === 'RUNNING').length).toBeLessThanOrEqual(1); // the victim's last trial
    await study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 2 });
    expect(study.trials.at(-1)!.number).toBe(trials.length + 1);
  });

  it('fails a trial whose heartbeats stopped, once, and runs its retry; beating trials stay alive', async () => {
    const path = fresh(), opts = { heartbeatInterval: 0.1, gracePeriod: 1, maxRetry: 1 };
    const dead = new JournalFileStorage(path, opts), live = new JournalFileStorage(path, opts);
    const { studyId } = await dead.createStudy('hb', ['minimize']);
    const orphan = await dead.createTrial(studyId); // its process "dies": no more heartbeats
    await dead.setTrialParam(orphan.trialId, 'x', floatDistribution('x', 0, 1), 0.25);
    const study = await createStudy({ storage: live, studyName: 'hb', loadIfExists: true, sampler: new RandomSampler({ seed: 1 }) });
    // A trial that keeps beating outlives the grace period while another process looks for stale ones.
    let checkedWhileRunning: unknown[] | undefined;
    await new Promise((r) => setTimeout(r, 1100));
    await study.optimize(async (t) => {
      const x = t.suggestFloat('x', 0, 1);
      if (t.number === 1) {
        await new Promise((r) => setTimeout(r, 1500));
        checkedWhileRunning = await dead.failStaleTrials(studyId);
      }
      return x;
    }, { nTrials: 2 });
    const [t0, t1, t2] = study.trials;
    expect(t0!.state).toBe('FAIL');
    expect(t0!.failReason).toMatch(/no heartbeat within the grace period/);
    expect(t1!.state).toBe('COMPLETE'); // the retry copy, with the dead trial's parameters
    expect(t1!.params.x).toBe(0.25);
    expect(t1!.systemAttrs.failed_trial).toBe(0);
    expect(checkedWhileRunning).toEqual([]);
    expect(t2!.state).toBe('COMPLETE');
    expect(await dead.failStaleTrials(studyId)).toEqual([]); // failed once, one retry
    expect(study.trials).toHaveLength(3);
    expect(() => new JournalFileStorage(path, { heartbeatInterval: 0 })).toThrow(/heartbeatInterval \(seconds\) must be a finite number > 0, got 0/);
  });
});
