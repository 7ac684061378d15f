// The command-line example (examples/node/tune-train-predict.ts), run as a program in a scratch
// directory, scaled down (4 trials of 3 epochs, 2 folds), with the CLI run from the sources
// (SIMDGRAD_BIN=src/cli/main.ts; the installed bin is the default). It must print the six
// commands in order, each followed by its output (the task inferred as the CLI says on stderr: a regression
// for the prices, a classification for the species), leave the studies, the two models and the
// predictions behind, with one prediction per new row (100 prices; 30 species with a probability
// per class summing to 1), and score them well above a blind guess.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, runExample } from '../helpers/run-example.js';

let dir = '';
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'simdgrad-cli-example-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tune-train-predict example', () => {
  it('tunes, trains and predicts a regression CSV and a classification CSV with the simdgrad command', async () => {
    const r = await runExample('tune-train-predict.ts', ['--trials', '4', '--epochs', '3', '--folds', '2'],
      { cwd: dir, env: { SIMDGRAD_BIN: join(root, 'src', 'cli', 'main.ts') } });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const commands = [...r.stdout.matchAll(/^\$ simdgrad (\w+) (.*)$/gm)].map((m) => `${m[1]} ${m[2]!.split(' ').slice(0, 2).join(' ')}`);
    expect(commands).toEqual([
      'tune --data houses.csv', 'train --data houses.csv', 'predict --model houses.safetensors',
      'tune --data flowers.csv', 'train --data flowers.csv', 'predict --model flowers.safetensors',
    ]);
    expect(r.stderr).toMatch(/^task: regression \(target 'price' /m);
    expect(r.stderr).toMatch(/^task: classification \(target 'species' holds text labels\)/m);
    expect(r.stdout).toMatch(/^held-out r2 [\d.-]+, rmse \d+, mae \d+ \(in the units of 'price'\); model saved to houses.safetensors$/m);
    for (const f of ['houses.jsonl', 'flowers.jsonl', 'houses.safetensors', 'flowers.safetensors']) expect(existsSync(join(dir, f)), f).toBe(true);

    const [priceHead, ...prices] = readFileSync(join(dir, 'houses-predictions.csv'), 'utf8').trim().split('\n');
    expect(priceHead).toBe('price');
    expect(prices).toHaveLength(100);
    for (const p of prices) expect(Number.isFinite(Number(p)), p).toBe(true);
    const [speciesHead, ...species] = readFileSync(join(dir, 'flowers-predictions.csv'), 'utf8').trim().split('\n');
    expect(speciesHead).toBe('species,p_setosa,p_versicolor,p_virginica');
    expect(species).toHaveLength(30);
    for (const line of species) {
      const [name, ...p] = line.split(',');
      expect(['setosa', 'versicolor', 'virginica']).toContain(name);
      expect(p.reduce((s, v) => s + Number(v), 0)).toBeCloseTo(1, 5);
    }

    const r2 = r.stdout.match(/^new houses: 100 prices, r2 against the rule ([\d.-]+)$/m);
    const acc = r.stdout.match(/^new flowers: (\d+) of 30 species right/m);
    expect(r2 && acc, r.stdout).toBeTruthy();
    expect(Number(r2![1])).toBeGreaterThan(0.5);       // a constant guess scores 0
    expect(Number(acc![1])).toBeGreaterThan(18);       // a blind guess gets 10 of 30
  }, 60_000);
});
