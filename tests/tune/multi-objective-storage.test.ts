// Multi-objective, constrained studies in every storage: values (mixed directions), constraint
// values and NSGA-II generations survive a journal file and come back equal; a new process's
// NSGAIISampler resumes the generations; Python Optuna 3.1 reads the journal (values, constraints,
// generations, and its best_trials equal our unconstrained Pareto front) and continues the study
// with its own NSGAIISampler, whose trials we read back (scripts/fixtures/optuna-read-journal.py).
// PostgreSQL: tests/tune/postgres.test.ts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';

const { createStudy, NSGAIISampler, JournalFileStorage, InMemoryStorage, paretoFront } = sg.tune;
const optunaPy = spawnSync('/usr/bin/python3', ['-c', 'import optuna'], { encoding: 'utf8' }).status === 0;
const directions: sg.tune.Direction[] = ['minimize', 'maximize'];
/** The objective of scripts/fixtures/optuna-read-journal.py --continue, with a constraint. */
const objective = (t: sg.tune.Trial) => {
  const x = t.suggestFloat('x', -2, 4), y = t.suggestFloat('y', -2, 3);
  t.setConstraint([x - 3, -y - 1]);
  return [x * x + y * y, -((x - 2) ** 2) - (y - 1) ** 2];
};
const generation = (t: sg.tune.FrozenTrial) => t.systemAttrs['nsga2:generation'] as number;

describe('multi-objective studies in storages', () => {
  it('round-trip values, constraints and generations; NSGA-II resumes; Python Optuna reads and continues them', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sg-mo-')), 'mo.log');
    for (const storage of [new InMemoryStorage(), new JournalFileStorage(path)]) {
      const study = await createStudy({ storage, studyName: 'mo', directions, sampler: new NSGAIISampler({ seed: 1, populationSize: 5 }) });
      await study.optimize(objective, { nTrials: 12 });
      expect(study.trials.map(generation)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2]);
      for (const t of study.trials) expect(t.systemAttrs.constraints).toEqual([(t.params.x as number) - 3, -(t.params.y as number) - 1]);
      // Another process (a fresh sampler, the stored trials) resumes at the right generation.
      const again = await createStudy({ storage: storage instanceof JournalFileStorage ? new JournalFileStorage(path) : storage, studyName: 'mo',
        loadIfExists: true, directions, sampler: new NSGAIISampler({ seed: 2, populationSize: 5 }) });
      expect(again.trials).toEqual(study.trials);
      await again.optimize(objective, { nTrials: 8 });
      expect(again.trials.map(generation).slice(12)).toEqual([2, 2, 2, 3, 3, 3, 3, 3]);
      expect(again.bestTrials.every((t) => (t.params.x as number) <= 3 && (t.params.y as number) >= -1)).toBe(true);
    }

    if (!optunaPy) { console.warn('skipping the Python Optuna read-back: /usr/bin/python3 has no optuna'); return; }
    const mine = (await createStudy({ storage: new JournalFileStorage(path), studyName: 'mo', loadIfExists: true, directions })).trials;
    const script = fileURLToPath(new URL('../../scripts/fixtures/optuna-read-journal.py', import.meta.url));
    const read = (...args: string[]) => {
      const py = spawnSync('/usr/bin/python3', [script, path, ...args], { encoding: 'utf8' });
      expect({ status: py.status, stderr: py.stderr }).toEqual({ status: 0, stderr: '' });
      return JSON.parse(py.stdout) as { mo: { trials: Array<Record<string, unknown>>; best_trials: number[] } };
    };
    expect(read().mo).toEqual({
      trials: mine.map((t) => ({ number: t.number, state: t.state, values: t.values, params: { ...t.params }, user_attrs: {},
        constraints: t.systemAttrs.constraints, generation: generation(t) })),
      best_trials: paretoFront(mine, directions, { constrained: false }).map((t) => t.number),
    });
    // Optuna continues the study with its NSGAIISampler (population 5): after our generations 0–3.
    const py = read('--continue=mo:6').mo.trials;
    expect(py).toHaveLength(26);
    const back = (await createStudy({ storage: new JournalFileStorage(path), studyName: 'mo', loadIfExists: true, directions })).trials;
    expect(back.slice(0, 20)).toEqual(mine);
    for (const t of back.slice(20)) {
      const x = t.params.x as number, y = t.params.y as number;
      expect(t.state).toBe('COMPLETE');
      expect(t.values![0]).toBeCloseTo(x * x + y * y, 12);
      expect(t.values![1]).toBeCloseTo(-((x - 2) ** 2) - (y - 1) ** 2, 12);
    }
    expect(back.slice(20).map(generation)).toEqual([4, 4, 4, 4, 4, 5]);
  }, 60_000);
});
