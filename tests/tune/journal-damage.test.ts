// A damaged journal is a JournalError naming the file and line — never skipped lines that shift
// trial ids, never a raw TypeError — while a torn last line (a crash mid-write) of any length is
// ignored by readers and cut by the next writer; the lock and journal paths fail with typed errors;
// names such as '__proto__' round-trip as parameter names and user-attr keys (Python Optuna reads
// them back where python3-optuna is installed).
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { JournalFileStorage } from '../../src/tune/index.js';
import { journalLines, loadedTrials, naiveReplay } from '../helpers/journal-fixture.js';

const { JournalError, FileLock, FileLockError, createStudy, TPESampler } = sg.tune;
const dir = mkdtempSync(join(tmpdir(), 'sg-journal-damage-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fresh = () => join(dir, `j${n++}.jsonl`);
const write = (lines: readonly string[], tail = '') => { const p = fresh(); writeFileSync(p, lines.map((l) => `${l}\n`).join('') + tail); return p; };

/** The error a promise rejects with. */
async function failure(p: Promise<unknown>): Promise<Error> {
  try { await p; } catch (e) { return e as Error; }
  throw new Error('expected a rejection');
}

describe('journal damage', () => {
  it('stops at a garbled line in the middle with a JournalError naming the file and line, and writes nothing after it', async () => {
    const lines = journalLines(200);
    const k = lines.findIndex((l, i) => i > 100 && l.includes('"op_code":4')); // a CREATE_TRIAL: skipping it would shift every later id
    const damaged = [...lines];
    damaged[k] = lines[k]!.slice(0, 25); // a torn write that another writer appended after (as Optuna's writer does)
    const path = write(damaged);
    const before = statSync(path).size;
    const e = await failure(createStudy({ storage: new JournalFileStorage(path), studyName: 's', loadIfExists: true }));
    expect(e).toBeInstanceOf(JournalError);
    expect(e).toMatchObject({ path, line: k + 1 });
    expect(e.message).toContain(`journal ${path}, line ${k + 1}: not valid JSON`);
    expect(e.message).toMatch(/simdgrad journal check/);
    expect(statSync(path).size).toBe(before); // a writer never appends past damage

    // The intact lines alone load exactly what the naive replay of those lines says.
    const prefix = write(lines.slice(0, k));
    expect(await loadedTrials(new JournalFileStorage(prefix))).toEqual(naiveReplay(lines.slice(0, k)));
    expect(naiveReplay(lines).filter((t) => t.state === 'COMPLETE')).toHaveLength(160);
  });

  const valid = journalLines(3);
  const cases: Array<[string, string | Buffer, RegExp]> = [
    ['null', 'null', /not a journal operation \(a JSON object\), got null/],
    ['an array', '[4]', /not a journal operation/],
    ['an empty line', '', /an empty line/],
    ['directions: null', '{"op_code":0,"worker_id":"w","study_name":"t","directions":null}', /CREATE_STUDY: directions must be a non-empty array/],
    ['an unknown op_code', '{"op_code":42,"worker_id":"w"}', /op_code must be an Optuna journal operation 0–9, got 42/],
    ['op_code as a string', '{"op_code":"4","worker_id":"w","study_id":0,"datetime_start":null}', /op_code must be/],
    ['no worker_id', '{"op_code":4,"study_id":0,"datetime_start":null}', /worker_id must be a string/],
    ['study_id as a string', '{"op_code":4,"worker_id":"w","study_id":"0","datetime_start":null}', /CREATE_TRIAL: study_id must be an integer ≥ 0, got "0"/],
    ['a bad datetime', '{"op_code":4,"worker_id":"w","study_id":0,"datetime_start":"yesterday"}', /datetime_start must be an ISO datetime/],
    ['a param without distribution', '{"op_code":4,"worker_id":"w","study_id":0,"datetime_start":null,"params":{"x":1}}', /parameter 'x' has no distribution/],
    ['an unknown distribution', '{"op_code":5,"worker_id":"w","trial_id":0,"param_name":"x","param_value_internal":0.5,"distribution":"{\\"name\\":\\"Beta\\",\\"attributes\\":{}}"}', /unknown distribution Beta/],
    ['a distribution that is null', '{"op_code":5,"worker_id":"w","trial_id":0,"param_name":"x","param_value_internal":0.5,"distribution":null}', /a distribution is/],
    ['a choice index out of range', '{"op_code":5,"worker_id":"w","trial_id":0,"param_name":"c","param_value_internal":7,"distribution":{"name":"CategoricalDistribution","attributes":{"choices":["a","b"]}}}', /choice index 7, outside its 2 choices/],
    ['a state out of range', '{"op_code":6,"worker_id":"w","trial_id":0,"state":9,"values":null}', /state must be a trial state 0–4/],
    ['values that are not numbers', '{"op_code":6,"worker_id":"w","trial_id":0,"state":1,"values":["1"]}', /values must be an array of numbers or null/],
    ['an intermediate value as a string', '{"op_code":7,"worker_id":"w","trial_id":0,"step":0,"intermediate_value":"x"}', /intermediate_value must be a number/],
    ['a user attr that is null', '{"op_code":8,"worker_id":"w","trial_id":0,"user_attr":null}', /user_attr must be an object with one key/],
    ['bytes that are not UTF-8', Buffer.from('{"op_code":0,"worker_id":"w","study_name":"\xff\xfe","directions":[1]}', 'latin1'), /not valid UTF-8/],
  ];
  it.each(cases)('rejects a line that is %s with a JournalError, in the middle and as the last line', async (_what, bad, reason) => {
    for (const at of [2, valid.length]) {
      const path = fresh();
      writeFileSync(path, Buffer.concat([
        Buffer.from(valid.slice(0, at).map((l) => `${l}\n`).join('')), Buffer.from(bad), Buffer.from('\n'),
        Buffer.from(valid.slice(at).map((l) => `${l}\n`).join('')),
      ]));
      const e = await failure(new JournalFileStorage(path).loadStudy('s'));
      expect(e).toBeInstanceOf(JournalError);
      expect((e as InstanceType<typeof JournalError>).line).toBe(at + 1);
      expect((e as InstanceType<typeof JournalError>).reason).toMatch(reason);
    }
  });

  it.each([65_537, 1 << 20, (1 << 20) + 1, 3 << 20])('recovers a torn last line of %i bytes: readers ignore it, the next writer cuts it', async (bytes) => {
    const lines = journalLines(6);
    const attr = JSON.stringify({ op_code: 8, worker_id: 'dead', trial_id: 5, user_attr: { big: 'y'.repeat(bytes) } });
    const path = write(lines, attr.slice(0, bytes)); // a write of a huge user attribute, cut by a crash
    expect(await loadedTrials(new JournalFileStorage(path))).toEqual(naiveReplay(lines));
    const study = await createStudy({ storage: new JournalFileStorage(path), studyName: 's', loadIfExists: true });
    await study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 2 });
    const text = readFileSync(path, 'utf8');
    expect(text.startsWith(lines.map((l) => `${l}\n`).join(''))).toBe(true);
    expect(text.endsWith('\n')).toBe(true);
    expect(text).not.toContain('"big"');
    expect(study.trials.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(study.trials.slice(6).map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE']);
  });

  it('fails with typed errors for a lock path or journal path that cannot be used', async () => {
    const lockDir = join(dir, 'lockdir');
    mkdirSync(lockDir);
    const e1 = await failure(new FileLock(lockDir).acquire());
    expect(e1).toBeInstanceOf(FileLockError);
    expect(e1.message).toBe(`lock ${lockDir}: the path is a directory, not a lock file (remove it or choose another path)`);
    const path = fresh();
    mkdirSync(`${path}.lock`); // the journal's own lock file is a directory
    const e2 = await failure(createStudy({ storage: new JournalFileStorage(path), studyName: 's' }));
    expect(e2).toBeInstanceOf(FileLockError);
    const e3 = await failure(new FileLock(join(dir, 'missing', 'x.lock')).acquire());
    expect(e3.message).toMatch(/its directory does not exist/);
    const e4 = await failure(new JournalFileStorage(lockDir).loadStudy('s'));
    expect(e4).toBeInstanceOf(JournalError);
    expect(e4.message).toBe(`journal ${lockDir}: the path is a directory, not a journal file`);
    const e5 = await failure(new JournalFileStorage(join(dir, 'missing', 'j.jsonl')).loadStudy('s'));
    expect(e5.message).toMatch(/its directory does not exist/);
    writeFileSync(join(dir, 'held.lock'), `${process.ppid} elsewhere 0`);
    expect(await failure(new FileLock(join(dir, 'held.lock'), { timeoutMs: 20 }).acquire())).toBeInstanceOf(FileLockError);
  });

  it('refuses a journal that shrank while open', async () => {
    const path = write(journalLines(4));
    const storage = new JournalFileStorage(path);
    await storage.loadStudy('s');
    writeFileSync(path, `${journalLines(1)[0]}\n`);
    const e = await failure(storage.loadStudy('s'));
    expect(e).toBeInstanceOf(JournalError);
    expect(e.message).toMatch(/shrank/);
  });
});

// Debian's python3-optuna, where installed, reads our journal back.
const optunaPy = spawnSync('/usr/bin/python3', ['-c', 'import optuna'], { encoding: 'utf8' }).status === 0;

describe('names that are also Object.prototype properties', () => {
  const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
  const objective = (t: sg.tune.Trial) => {
    let sum = 0;
    for (const [i, name] of NAMES.entries()) {
      sum += t.suggestFloat(name, 0, 1);
      t.setUserAttr(name, { i });
    }
    t.report(sum, 0);
    return sum;
  };
  const check = (trials: readonly sg.tune.FrozenTrial[], count: number) => {
    expect(trials).toHaveLength(count);
    for (const t of trials) {
      expect(Object.keys(t.params)).toEqual(NAMES);
      expect(Object.keys(t.userAttrs)).toEqual(NAMES);
      for (const [i, name] of NAMES.entries()) {
        expect(t.params[name]).toBeTypeOf('number');
        expect(t.userAttrs[name]).toEqual({ i });
      }
      expect(t.value).toBeCloseTo(NAMES.reduce((s, k) => s + (t.params[k] as number), 0), 12);
      expect([Object.getPrototypeOf(t.params), Object.getPrototypeOf(t.userAttrs)]).toEqual([null, null]); // as storages hand them out
    }
  };

  it('round-trip as parameter names and user-attr keys in memory, through a journal and with TPE', async () => {
    const memory = await createStudy({ sampler: new TPESampler({ seed: 3, nStartupTrials: 3, multivariate: true }) });
    await memory.enqueueTrial(JSON.parse('{"__proto__": 0.25, "constructor": 0.5}') as Record<string, number>);
    await memory.optimize(objective, { nTrials: 8 });
    check(memory.trials, 8);
    expect(memory.trials[0]!.params).toMatchObject(JSON.parse('{"__proto__": 0.25, "constructor": 0.5}'));

    const path = fresh();
    const study = await createStudy({ storage: new JournalFileStorage(path), studyName: 'names', sampler: new TPESampler({ seed: 3, nStartupTrials: 3 }) });
    await study.optimize(objective, { nTrials: 6 });
    check(study.trials, 6);
    const again = await createStudy({ storage: new JournalFileStorage(path), studyName: 'names', loadIfExists: true });
    check(again.trials, 6);
    expect(again.trials).toEqual(study.trials);

    if (!optunaPy) { console.warn('skipping the Python Optuna read-back: /usr/bin/python3 has no optuna'); return; }
    const script = fileURLToPath(new URL('../../scripts/fixtures/optuna-read-journal.py', import.meta.url));
    const py = spawnSync('/usr/bin/python3', [script, path], { encoding: 'utf8' });
    expect({ status: py.status, stderr: py.stderr }).toEqual({ status: 0, stderr: '' });
    expect(JSON.parse(py.stdout)).toEqual({
      names: {
        trials: study.trials.map((t) => ({ number: t.number, state: t.state, values: t.values, params: { ...t.params }, user_attrs: { ...t.userAttrs }, constraints: null, generation: null })),
        best_trials: [study.bestTrial.number],
      },
    });
  });

  it('round-trip when two storages write the same journal at once', async () => {
    const path = fresh();
    appendFileSync(path, '');
    const a = await createStudy({ storage: new JournalFileStorage(path), studyName: 'names' });
    const b = await createStudy({ storage: new JournalFileStorage(path), studyName: 'names', loadIfExists: true });
    await Promise.all([a.optimize(objective, { nTrials: 3 }), b.optimize(objective, { nTrials: 3 })]);
    check(await a.refresh(), 6);
  });
});
