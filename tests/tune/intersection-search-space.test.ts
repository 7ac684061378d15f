// The intersection search space: the incremental IntersectionSearchSpace against a naive
// recomputation written here, over generated studies whose trials finish out of order, change
// distributions, fail or are pruned — and a sampler that is handed another study starts over.
// sameDistribution compares structure (key order is irrelevant; NaN choices equal).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IntersectionSearchSpace, intersectionSearchSpace } from '../../src/tune/samplers/intersection-search-space.js';
import { sameDistribution, type Distribution } from '../../src/tune/distributions.js';
import type { FrozenTrial, TrialState } from '../../src/tune/frozen-trial.js';

const DISTS: Distribution[] = [
  { kind: 'float', low: 0, high: 1, log: false, step: null },
  { kind: 'float', low: 0, high: 2, log: false, step: null },
  { kind: 'int', low: 1, high: 9, log: false, step: 2 },
  { kind: 'categorical', choices: ['a', 'b'] },
];
const trial = (number: number, state: TrialState, dists: Record<string, number>, start = 0): FrozenTrial => ({
  number, trialId: number, state, params: {}, value: null, values: null, intermediateValues: {}, userAttrs: {}, systemAttrs: {},
  distributions: Object.fromEntries(Object.entries(dists).map(([k, i]) => [k, JSON.parse(JSON.stringify(DISTS[i]!)) as Distribution])),
  datetimeStart: start, datetimeComplete: null, durationMs: null,
});

/** Naive: the names every included trial has, each with one distribution compared field by field. */
function naive(trials: FrozenTrial[], include: (t: FrozenTrial) => boolean): string[] {
  const inc = trials.filter(include);
  if (!inc.length) return [];
  return Object.keys(inc[0]!.distributions).filter((k) => inc.every((t) => {
    const a = t.distributions[k], b = inc[0]!.distributions[k]!;
    return a !== undefined && JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
  })).sort();
}

describe('IntersectionSearchSpace', () => {
  it('equals a recomputation at every step of generated studies', () => {
    const step = fc.record({ names: fc.dictionary(fc.constantFrom('x', 'y', 'z', 'w'), fc.integer({ min: 0, max: 3 })), end: fc.constantFrom<TrialState>('COMPLETE', 'COMPLETE', 'PRUNED', 'FAIL'), lag: fc.integer({ min: 0, max: 3 }) });
    fc.assert(fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
      const include = (t: FrozenTrial) => t.state === 'COMPLETE';
      const space = new IntersectionSearchSpace(include), fresh: FrozenTrial[] = [];
      // trial i starts RUNNING and finishes `lag` steps later: the snapshots see trials finish out of order
      for (let i = 0; i < steps.length + 4; i++) {
        if (i < steps.length) fresh.push(trial(i, 'RUNNING', steps[i]!.names));
        fresh.forEach((t, j) => { if (t.state === 'RUNNING' && j + steps[j]!.lag <= i) fresh[j] = { ...t, state: steps[j]!.end }; });
        const snapshot = fresh.map((t) => ({ ...t }));
        const got = space.calculate({ directions: ['minimize'], trials: snapshot, studyName: 's' });
        expect(Object.keys(got)).toEqual(naive(snapshot, include));
        expect(Object.keys(intersectionSearchSpace(snapshot.filter(include)))).toEqual(naive(snapshot, include));
        for (const k of Object.keys(got)) expect(sameDistribution(got[k]!, snapshot.find(include)!.distributions[k]!)).toBe(true);
      }
    }), { numRuns: 200 });
  });

  it('starts over when handed another study', () => {
    const space = new IntersectionSearchSpace((t) => t.state === 'COMPLETE');
    const a = [trial(0, 'COMPLETE', { x: 0, y: 0 }), trial(1, 'COMPLETE', { x: 0 })];
    expect(Object.keys(space.calculate({ directions: ['minimize'], trials: a, studyName: 'a' }))).toEqual(['x']);
    const b = [trial(0, 'COMPLETE', { x: 0, y: 0 }, 5), trial(1, 'COMPLETE', { x: 0, y: 0 }, 5)];
    expect(Object.keys(space.calculate({ directions: ['minimize'], trials: b, studyName: 'b' }))).toEqual(['x', 'y']);
    expect(Object.keys(space.calculate({ directions: ['minimize'], trials: [] }))).toEqual([]);
  });
});

describe('sameDistribution', () => {
  it('compares fields, not their order; NaN choices are equal, 0 and 1 are not', () => {
    expect(sameDistribution({ kind: 'float', low: 0, high: 1, log: false, step: null }, { step: null, log: false, high: 1, low: 0, kind: 'float' } as Distribution)).toBe(true);
    expect(sameDistribution({ kind: 'float', low: 0, high: 1, log: false, step: null }, { kind: 'float', low: 0, high: 1, log: true, step: null })).toBe(false);
    expect(sameDistribution({ kind: 'int', low: 1, high: 9, log: false, step: 2 }, { kind: 'float', low: 1, high: 9, log: false, step: 2 })).toBe(false);
    expect(sameDistribution({ kind: 'categorical', choices: [NaN, 'a'] }, { kind: 'categorical', choices: [NaN, 'a'] })).toBe(true);
    expect(sameDistribution({ kind: 'categorical', choices: [0, 'a'] }, { kind: 'categorical', choices: [1, 'a'] })).toBe(false);
    expect(sameDistribution({ kind: 'categorical', choices: ['a'] }, { kind: 'categorical', choices: ['a', 'b'] })).toBe(false);
  });
});
