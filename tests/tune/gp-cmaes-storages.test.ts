// GPSampler and CmaEsSampler with every storage and with worker-thread trials: a journal file
// (a second storage object, as another process, resumes the study; Python Optuna reads it back
// where installed), PostgreSQL (two clients work on one study at once, as two workers would; the
// CMA-ES state and the GP's proposals travel through the trials' system attributes), and
// objectives in worker threads (the samplers stay on the main thread), and `simdgrad tune
// --sampler gp|cmaes` (two worker threads into a journal).
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { contains } from '../../src/tune/distributions.js';
import { startPostgres, type PgServer } from '../helpers/postgres-server.js';

const { createStudy, GPSampler, CmaEsSampler, JournalFileStorage, PostgresStorage } = sg.tune;
type Trial = sg.tune.Trial;

const SAMPLERS: Array<[string, (seed: number) => sg.tune.Sampler]> = [
  ['GPSampler', (seed) => new GPSampler({ seed, nStartupTrials: 4 })],
  ['CmaEsSampler', (seed) => new CmaEsSampler({ seed, popsize: 4 })],
];
const objective = (t: Trial) => {
  const x = t.suggestFloat('x', -3, 3), n = t.suggestInt('n', 1, 7, { step: 2 }), lr = t.suggestFloat('lr', 1e-4, 1, { log: true });
  return (x - 1) ** 2 + (n - 3) ** 2 / 10 + (Math.log10(lr) + 2) ** 2 + (t.suggestCategorical('opt', ['adam', 'sgd']) === 'sgd' ? 0.5 : 0);
};
const optunaPy = spawnSync('/usr/bin/python3', ['-c', 'import optuna'], { encoding: 'utf8' }).status === 0;
const valid = (trials: readonly sg.tune.FrozenTrial[]) => trials.every((t) => Object.entries(t.params).every(([k, v]) => contains(t.distributions[k]!, v)));
/** Trials the sampler itself proposed (not the independent startup ones). */
const modelled = (trials: readonly sg.tune.FrozenTrial[]) => trials.filter((t) => Object.keys(t.systemAttrs).some((k) => k.startsWith('gp:') || k.startsWith('cma:')));

let dir = '';
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'sg-gp-cmaes-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('GPSampler and CmaEsSampler in a journal file', () => {
  const written: Record<string, sg.tune.FrozenTrial[]> = {};
  const path = () => join(dir, 'studies.log');
  for (const [name, make] of SAMPLERS) {
    it(`${name}: a second storage (another process) resumes the study`, async () => {
      const a = await createStudy({ storage: new JournalFileStorage(path()), studyName: name, sampler: make(1), logger: false });
      await a.optimize(objective, { nTrials: 9 });
      const b = await createStudy({ storage: new JournalFileStorage(path()), studyName: name, loadIfExists: true, sampler: make(2), logger: false });
      expect(b.trials).toEqual(a.trials); // system attributes (CMA-ES state, GP proposals) included
      await b.optimize(objective, { nTrials: 7 });
      expect(b.trials.filter((t) => t.state === 'COMPLETE')).toHaveLength(16);
      expect(valid(b.trials)).toBe(true);
      expect(modelled(b.trials.slice(9)).length).toBeGreaterThanOrEqual(6);
      if (name === 'CmaEsSampler') expect(b.trials.some((t, i) => i >= 9 && t.systemAttrs['cma:state'] !== undefined)).toBe(true);
      written[name] = [...b.trials];
    }, 30_000);
  }
  it.skipIf(!optunaPy)('is read back by Python Optuna (JournalStorage) with the same trials', () => {
    const script = fileURLToPath(new URL('../../scripts/fixtures/optuna-read-journal.py', import.meta.url));
    const py = spawnSync('/usr/bin/python3', [script, path()], { encoding: 'utf8' });
    expect({ status: py.status, stderr: py.stderr }).toEqual({ status: 0, stderr: '' });
    const read = JSON.parse(py.stdout) as Record<string, { trials: Array<Record<string, unknown>> }>;
    for (const [name] of SAMPLERS) {
      const trials = read[name]!.trials.map(({ number, state, values, params, user_attrs }) => ({ number, state, values, params, user_attrs }));
      expect(trials).toEqual(written[name]!.map((t) => ({ number: t.number, state: t.state, values: t.values, params: { ...t.params }, user_attrs: {} })));
    }
  }, 30_000);
});

describe('GPSampler and CmaEsSampler in PostgreSQL', () => {
  let server: PgServer;
  const opened: sg.tune.PostgresStorage[] = [];
  beforeAll(async () => { server = await startPostgres(); }, 60_000);
  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
    server?.stop();
  });

  for (const [i, [name, make]] of SAMPLERS.entries()) {
    it(`${name}: two clients (two workers) optimise one study at once`, async () => {
      server.createDatabase(`gc${i}`);
      const [s1, s2] = [0, 1].map(() => new PostgresStorage(server.urlFor(`gc${i}`)));
      opened.push(s1!, s2!);
      const a = await createStudy({ storage: s1!, studyName: 's', sampler: make(1), logger: false });
      const b = await createStudy({ storage: s2!, studyName: 's', loadIfExists: true, sampler: make(2), logger: false });
      await Promise.all([a.optimize(objective, { nTrials: 10 }), b.optimize(objective, { nTrials: 10 })]);
      const trials = await a.refresh();
      expect(trials.map((t) => t.number)).toEqual([...Array(20).keys()]);
      expect(trials.every((t) => t.state === 'COMPLETE')).toBe(true);
      expect(valid(trials)).toBe(true);
      expect(modelled(trials).length).toBeGreaterThanOrEqual(10);
    }, 60_000);
  }
});

describe('GPSampler and CmaEsSampler with trials in worker threads', () => {
  const objectives = new URL('./fixtures/objectives.ts', import.meta.url);
  for (const [name, make] of SAMPLERS) {
    it(`${name}: two worker threads, the sampler on the main thread`, async () => {
      const study = await createStudy({ sampler: make(3), logger: false, pruner: new sg.tune.NopPruner() });
      await study.optimize({ module: objectives, export: 'quadratic' }, { nTrials: 12, concurrency: 2 });
      expect(study.trials.filter((t) => t.state === 'COMPLETE')).toHaveLength(12);
      expect(new Set(study.trials.map((t) => t.userAttrs.thread)).size).toBe(2);
      expect(valid(study.trials)).toBe(true);
      expect(modelled(study.trials).length).toBeGreaterThanOrEqual(6);
      expect(new Set(study.trials.map((t) => JSON.stringify(t.params))).size).toBe(12);
    }, 60_000);
  }
});

describe('simdgrad tune --sampler gp|cmaes', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  for (const name of ['gp', 'cmaes']) {
    it(`--sampler ${name}: two worker threads into a journal`, async () => {
      const journal = join(dir, `cli-${name}.jsonl`);
      const args = ['--import', 'tsx', 'src/cli/main.ts', 'tune', '--data', 'iris', '--sampler', name, '--pruner', 'none', '--trials', '13',
        '--folds', '2', '--epochs', '1', '--concurrency', '2', '--storage', journal, '--json'];
      const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, args, { cwd: root, timeout: 120_000 }, (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr }));
      });
      expect(r.code, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as { trials: number }).trials).toBe(13);
      const study = await createStudy({ storage: new JournalFileStorage(journal), studyName: 'simdgrad-tune', loadIfExists: true, direction: 'maximize' });
      expect(study.trials.every((t) => t.state === 'COMPLETE')).toBe(true);
      expect(modelled(study.trials).length).toBeGreaterThanOrEqual(name === 'gp' ? 2 : 10);
    }, 150_000);
  }
});
