// The `simdgrad` command run from source (node --import tsx src/cli/main.ts) in child processes:
// --help, one-line errors with exit code 2 for a bad flag, a missing file, a malformed search
// space and a malformed CSV; a small `tune --json` on iris; `tune --concurrency 2` into a journal
// and its resume; `tune --objectives accuracy,params` (the Pareto front in the JSON and the
// leaderboard); `train --save` read back by sg.io.load and sg.io.loadModel.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { runCli } from '../helpers/cli.js';

let dir = '';

const cli = runCli;

function expectOneLineError(r: { code: number; stdout: string; stderr: string }, pattern: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^simdgrad: /);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'simdgrad-cli-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('simdgrad command', () => {
  it('prints help for the program and each command', async () => {
    const [top, tune, train, bench] = await Promise.all([cli('--help'), cli('tune', '--help'), cli('train', '--help'), cli('bench', '--help')]);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/tune[\s\S]*train[\s\S]*bench/);
    expect(tune.stdout).toMatch(/--sampler[\s\S]*--pruner[\s\S]*--concurrency[\s\S]*--storage[\s\S]*--report/);
    // the search-space format: every hyperparameter with its condition
    expect(tune.stdout).toMatch(/Search space \(--space FILE\)[\s\S]*width_i only\s+exists when layers > i[\s\S]*sgd, sgd\+momentum, adam, adamw, rmsprop[\s\S]*momentum +\[0, 1\): sgd\+momentum \(0\.9\), rmsprop/);
    expect(tune.stdout).toMatch(/--task <task>[\s\S]*--features[\s\S]*--drop[\s\S]*--test-size/);
    expect(train.stdout).toMatch(/--params[\s\S]*--from-study[\s\S]*--layers[\s\S]*--width[\s\S]*--save/);
    expect(bench.stdout).toMatch(/--only/);
  });

  it('gives one-line errors and exit code 2 for bad input', async () => {
    writeFileSync(join(dir, 'broken.json'), '{"lr": {"type": "float", "low": 1e-4,');
    writeFileSync(join(dir, 'bad-type.json'), '{"lr": {"type": "uniform", "low": 0, "high": 1}}');
    writeFileSync(join(dir, 'bad.csv'), 'a,b,label\n1,2,x\n3,oops,y\n');
    const [flag, value, file, json, space, csv] = await Promise.all([
      cli('tune', '--bogus'),
      cli('tune', '--trials', 'many'),
      cli('train', '--data', join(dir, 'missing.csv'), '--target', 'y'),
      cli('tune', '--space', join(dir, 'broken.json')),
      cli('tune', '--space', join(dir, 'bad-type.json')),
      cli('train', '--data', join(dir, 'bad.csv'), '--target', 'label'),
    ]);
    expectOneLineError(flag, /unknown option '--bogus'/);
    expectOneLineError(value, /--trials.*many/);
    expectOneLineError(file, /no such file/);
    expectOneLineError(json, /broken\.json: not valid JSON/);
    expectOneLineError(space, /parameter 'lr'.*type/);
    expectOneLineError(csv, /bad\.csv: line 3.*oops/);
  });

  it('tunes on iris and prints one JSON document with the best parameters', async () => {
    const r = await cli('tune', '--data', 'iris', '--trials', '4', '--folds', '2', '--epochs', '2', '--seed', '1', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { trials: number; bestValue: number; bestParams: Record<string, unknown>; leaderboard: unknown[] };
    expect(out.trials).toBe(4);
    // the default space: widths per existing layer (width_i only when layers > i)
    const widths = Array.from({ length: out.bestParams.layers as number }, (_, i) => `width_${i}`);
    expect(Object.keys(out.bestParams).sort()).toEqual(['activation', 'batchSize', 'dropout', 'layers', 'lr', 'optimizer', 'weightDecay', ...widths].sort());
    expect(out.bestValue).toBeGreaterThan(0);
    expect(out.bestValue).toBeLessThanOrEqual(1);
    expect(out.leaderboard.length).toBeGreaterThan(0);
  });

  it('tunes in two worker threads into a journal, then resumes the study from it', async () => {
    const journal = join(dir, 'study.jsonl');
    const common = ['tune', '--data', 'iris', '--folds', '2', '--epochs', '2', '--seed', '2', '--storage', journal, '--json'];
    const first = await cli(...common, '--trials', '4', '--concurrency', '2');
    expect(first.code, first.stderr).toBe(0);
    expect((JSON.parse(first.stdout) as { trials: number }).trials).toBe(4);
    const again = await cli(...common, '--trials', '2');
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as { trials: number }).trials).toBe(6); // 4 resumed + 2 new
    const study = await sg.tune.createStudy({ storage: new sg.tune.JournalFileStorage(journal), studyName: 'simdgrad-tune', loadIfExists: true, direction: 'maximize' });
    expect(study.trials.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(study.trials.every((t) => t.state === 'COMPLETE' || t.state === 'PRUNED')).toBe(true);
  });

  it('tunes accuracy against parameter count: the Pareto front in the JSON and in the leaderboard', async () => {
    const journal = join(dir, 'mo.jsonl');
    const args = ['tune', '--data', 'iris', '--trials', '6', '--folds', '2', '--epochs', '1', '--seed', '3', '--objectives', 'accuracy,params', '--storage', journal];
    const r = await cli(...args, '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { objectives: string[]; directions: string[]; front: Array<{ number: number; values: { accuracy: number; params: number } }>; bestTrial: number };
    expect([out.objectives, out.directions]).toEqual([['accuracy', 'params'], ['maximize', 'minimize']]);
    const trials = (await sg.tune.createStudy({ storage: new sg.tune.JournalFileStorage(journal), studyName: 'simdgrad-tune', loadIfExists: true, directions: ['maximize', 'minimize'] })).trials;
    expect(trials).toHaveLength(6);
    for (const t of trials) { // iris: 4 inputs, hidden layers width_0…, 3 classes; weights and biases
      const widths = Array.from({ length: t.params.layers as number }, (_, i) => t.params[`width_${i}`] as number);
      const sizes = [4, ...widths, 3];
      expect(t.values![1]).toBe(sizes.slice(1).reduce((n, w, i) => n + sizes[i]! * w + w, 0));
    }
    // The front, recomputed here: trials no other trial beats on both (at least as accurate and as small, better in one).
    const beats = (a: sg.tune.FrozenTrial, b: sg.tune.FrozenTrial) => a.values![0]! >= b.values![0]! && a.values![1]! <= b.values![1]! &&
      (a.values![0]! > b.values![0]! || a.values![1]! < b.values![1]!);
    const front = trials.filter((t) => !trials.some((o) => beats(o, t)));
    expect(out.front.map((f) => f.number).sort()).toEqual(front.map((t) => t.number).sort());
    expect(out.bestTrial).toBe(front.reduce((b, t) => (t.values![0]! > b.values![0]! ? t : b)).number);
    const text = await cli(...args.slice(0, -2), '--trials', '3');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/Pareto front \(\d+ trials?\):\nrank\s+trial\s+accuracy\s+params\s+layers\s+width_0/);
    const [pruned, bad] = await Promise.all([cli(...args, '--pruner', 'median'), cli('tune', '--objectives', 'accuracy,size')]);
    expectOneLineError(pruned, /--pruner median cannot prune a study with several objectives/);
    expectOneLineError(bad, /--objectives accuracy,size: 'size' is not one of accuracy, r2, params, time/);
  });

  it('tune --save keeps the best trial as a whole model that predict reads', async () => {
    const file = join(dir, 'best.json'), rows = join(dir, 'rows.csv');
    const r = await cli('tune', '--data', 'iris', '--trials', '3', '--folds', '2', '--epochs', '2', '--seed', '4', '--save', file, '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { bestTrial: number; bestConfig: Record<string, unknown>; saved: { file: string; trial: number; test: { accuracy: number }; testRows: number } };
    expect([out.saved.file, out.saved.trial, out.saved.testRows]).toEqual([file, out.bestTrial, 30]); // iris: 150 rows, 20% held out
    await sg.init();
    const m = await sg.io.loadModel(new Uint8Array(readFileSync(file)));
    try {
      const { epochs, ...config } = out.bestConfig;
      expect(m.meta).toMatchObject({ task: 'classification', epochs, config });
      expect((m.meta as { test: { accuracy: number } }).test.accuracy).toBe(out.saved.test.accuracy);
    } finally {
      m.dispose();
    }
    writeFileSync(rows, 'sepal length (cm),sepal width (cm),petal length (cm),petal width (cm)\n5.1,3.5,1.4,0.2\n6.7,3.0,5.2,2.3\n');
    const p = await cli('predict', '--model', file, rows);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout.trim().split('\n')).toHaveLength(3); // a header and one line per row
    const cnn = await cli('tune', '--data', 'digits', '--model', 'cnn', '--save', file);
    expectOneLineError(cnn, /--save: a CNN cannot be saved yet/);
  });

  it('runs exactly --trials when --concurrency exceeds it (one worker per trial, not 200)', async () => {
    const r = await cli('tune', '--data', 'iris', '--folds', '2', '--epochs', '1', '--trials', '2', '--concurrency', '200', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { trials: number; newTrials: number };
    expect([out.trials, out.newTrials]).toEqual([2, 2]);
  });

  it('worker: refuses to start on a missing objective module or one without the export (exit 2, one line)', async () => {
    writeFileSync(join(dir, 'named.mjs'), 'export function objective(trial) { return trial.suggestFloat("x", 0, 1); }\n');
    const journal = join(dir, 'worker.jsonl');
    const worker = (objective: string) => cli('worker', '--storage', journal, '--study', 'w', '--objective', objective, '--trials', '3');
    const [missing, noExport, wrongExport] = await Promise.all([
      worker(join(dir, 'nope.mjs#objective')), worker(join(dir, 'named.mjs')), worker(join(dir, 'named.mjs#objectiv')),
    ]);
    expectOneLineError(missing, /--objective .*nope\.mjs#objective: no such file .*nope\.mjs/);
    expectOneLineError(noExport, /named\.mjs has no function export 'default' \(found: objective\)/);
    expectOneLineError(wrongExport, /has no function export 'objectiv' \(found: objective\)/);
    const study = await sg.tune.createStudy({ storage: new sg.tune.JournalFileStorage(journal), studyName: 'w', loadIfExists: true });
    expect(study.trials).toHaveLength(0);
  });

  it('trains one configuration and saves the whole model: sg.io.load reads its weights, sg.io.loadModel rebuilds it', async () => {
    const file = join(dir, 'x.safetensors');
    const r = await cli('train', '--data', 'iris', '--epochs', '2', '--width', '8', '--save', file);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/epoch +1 .*loss[\s\S]*epoch +2 /);
    await sg.init();
    const bytes = new Uint8Array(readFileSync(file));
    const w = sg.io.load(bytes);
    try {
      expect(Object.fromEntries(Object.entries(w).map(([k, t]) => [k, t.shape]))).toEqual({
        '0.weight': [8, 4], '0.bias': [8], '2.weight': [3, 8], '2.bias': [3],
      });
    } finally {
      for (const t of Object.values(w)) t.dispose();
    }
    const m = await sg.io.loadModel(bytes);
    try {
      expect(m.meta).toMatchObject({ task: 'classification', epochs: 2, config: { layers: 1, width_0: 8, optimizer: 'adam' } });
      expect(m.classes).toEqual(['setosa', 'versicolor', 'virginica']);
      expect(m.preprocessing.features).toEqual(['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)']);
      expect(m.preprocessing.scaler?.fitted).toBe(true);
      expect(m.predict([[5.1, 3.5, 1.4, 0.2]]).probabilities![0]!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    } finally {
      m.dispose();
    }
  });
});
