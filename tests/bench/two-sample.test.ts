// bench/two-sample.ts: mannWhitneyP against scipy's asymptotic Mann–Whitney U (tests/fixtures/
// scipy-mannwhitney.json from scripts/fixtures/scipy_mannwhitney.py), and bootstrapRatio's
// interval on samples whose ratio of medians is known.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { bootstrapRatio, mannWhitneyP } from '../../bench/two-sample.js';
import { Rng } from '../../src/tune/rng.js';

const fx = JSON.parse(readFileSync(new URL('../fixtures/scipy-mannwhitney.json', import.meta.url), 'utf8')) as { cases: { a: number[]; b: number[]; p: number }[] };

describe('two-sample comparison', () => {
  it('mannWhitneyP equals scipy (ties, unequal sizes, 200 a side)', () => {
    expect(fx.cases.length).toBe(7);
    for (const c of fx.cases) {
      expect(mannWhitneyP(c.a, c.b)).toBeCloseTo(c.p, 10);
      expect(mannWhitneyP(c.b, c.a)).toBeCloseTo(c.p, 10);
    }
  });

  it('bootstrapRatio brackets the ratio of medians', () => {
    const rng = new Rng(5), a = Array.from({ length: 101 }, () => 1 + rng.uniform());
    const [lo, hi] = bootstrapRatio(a.map((v) => 2 * v), a, new Rng(1));
    expect(lo).toBeLessThan(2 * 1.02); expect(hi).toBeGreaterThan(2 * 0.98);
    expect(lo).toBeLessThanOrEqual(hi);
    // one sample against an independent draw of the same distribution: the interval holds 1 and is narrow
    const b = Array.from({ length: 101 }, () => 1 + rng.uniform());
    const [l2, h2] = bootstrapRatio(a, b, new Rng(2));
    expect(l2).toBeLessThan(1); expect(h2).toBeGreaterThan(1); expect(h2 - l2).toBeLessThan(0.3);
  });
});
