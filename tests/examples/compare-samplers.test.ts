// The sampler comparison (examples/node/compare-samplers.ts), run as a program on 200 digits with
// one epoch per fold and 26 trials per sampler: grid search stops when its 24 points are taken,
// random and TPE run all 26; every trial finished or was pruned by the median rule; each best
// configuration draws width_1 exactly when it has 2 layers (the conditional parameter) and scores
// far above chance (10%); the program leaks nothing (it throws otherwise).
import { describe, expect, it } from 'vitest';
import { runExample } from '../helpers/run-example.js';

describe('compare-samplers example', () => {
  it('searches a conditional space with grid, random and TPE under 5-fold CV and pruning', async () => {
    const r = await runExample('compare-samplers.ts', ['--trials', '26', '--epochs', '1', '--samples', '200']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const lines = [...r.stdout.matchAll(/^(grid|random|tpe) +best ([\d.]+)% (\{.*\}) +(\d+) complete, (\d+) pruned in ([\d.]+) s$/gm)];
    expect(lines.map((m) => m[1]), r.stdout).toEqual(['grid', 'random', 'tpe']);
    for (const [, name, best, params, complete, pruned, seconds] of lines) {
      expect(Number(complete) + Number(pruned)).toBe(name === 'grid' ? 24 : 26);
      expect(Number(pruned)).toBeGreaterThan(0);
      expect(Number(best)).toBeGreaterThan(50);
      expect(Number(seconds)).toBeGreaterThan(0);
      const p = JSON.parse(params!) as Record<string, number>;
      expect(Object.keys(p).sort()).toEqual(p.layers === 2 ? ['layers', 'lr', 'width_0', 'width_1'] : ['layers', 'lr', 'width_0']);
    }
  });
});
