// The regression example (examples/node/house-prices.ts), run as a program in a scratch directory
// with its defaults (about 2 s). Without houses.csv it writes the example CSVs, which must hold
// what example-csvs.ts says: 500 houses whose prices are the rule (restated here) within the 5 %
// noise, rounded to hundreds. The scaled model must explain the held-out prices (r2 > 0.9) better
// than the same MLP on the raw numbers, and the saved model, loaded here, must price a new house
// within 15 % of the rule from its raw columns (its scalers travel with it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sg from '../../src/index.js';
import { runExample } from '../helpers/run-example.js';

/** The prices' rule as example-csvs.ts documents it. */
const rule = (area: number, rooms: number, age: number, distance: number) =>
  2500 * area * (1 + Math.exp(-distance / 4)) * (1 - age / 200) + 10_000 * rooms;
const rows = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => l.split(','));

let dir = '';
beforeAll(async () => { await sg.init(); dir = mkdtempSync(join(tmpdir(), 'simdgrad-houses-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('house-prices example', () => {
  it('scales features and prices, beats the raw numbers, saves a model that prices raw rows', async () => {
    const r = await runExample('house-prices.ts', [], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('wrote houses.csv, new-houses.csv, flowers.csv, new-flowers.csv');
    expect(r.stdout).toContain('500 houses (area, rooms, age, distance → price), 400 to train on, 100 held out');

    const [head, ...houses] = rows(join(dir, 'houses.csv'));
    expect(head).toEqual(['id', 'district', 'area', 'rooms', 'age', 'distance', 'price']);
    expect(houses).toHaveLength(500);
    const ratios = houses.map(([, , a, r_, g, d, p]) => Number(p) / rule(+a!, +r_!, +g!, +d!));
    expect(houses.every((h) => Number(h[6]) % 100 === 0)).toBe(true);
    expect(Math.max(...ratios.map((q) => Math.abs(q - 1)))).toBeLessThan(0.25);
    expect(Math.abs(ratios.reduce((s, q) => s + q, 0) / ratios.length - 1)).toBeLessThan(0.01);

    const scaled = r.stdout.match(/held out, scaled: r2 ([\d.-]+), mean absolute error ([\d,]+)/);
    const raw = r.stdout.match(/held out, raw numbers: r2 ([\d.-]+), mean absolute error ([\d,]+)/);
    const fresh = r.stdout.match(/new houses: 100 priced, r2 against the rule ([\d.-]+)/);
    expect(scaled && raw && fresh, r.stdout).toBeTruthy();
    expect(Number(scaled![1])).toBeGreaterThan(0.9);
    expect(Number(raw![1])).toBeLessThan(Number(scaled![1]));
    expect(Number(fresh![1])).toBeGreaterThan(0.9);

    const loaded = await sg.io.loadModel(join(dir, 'houses.safetensors'));
    try {
      expect(loaded.preprocessing.features).toEqual(['area', 'rooms', 'age', 'distance']);
      const [, first] = rows(join(dir, 'new-houses.csv'));
      const [area, rooms, age, distance] = first!.slice(2).map(Number);
      const price = loaded.predict([[area!, rooms!, age!, distance!]]).outputs[0]![0]!;
      expect(Math.abs(price / rule(area!, rooms!, age!, distance!) - 1)).toBeLessThan(0.15);
    } finally { loaded.dispose(); }
  }, 30_000);
});
