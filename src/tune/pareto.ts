// Pareto dominance for multi-objective studies (Optuna's _multi_objective): objective values as
// losses (maximized objectives negated), dominance, the non-dominated front and non-domination
// ranks. Contract: a point dominates another when it is no worse in every objective and better in
// one, so equal points never dominate each other and all stay on the front; NaN never appears
// (a COMPLETE trial's values are numbers, ±Infinity allowed).
import type { Direction, FrozenTrial } from './frozen-trial.js';
import { hasConstraints, isFeasible } from './constraints.js';

/** The values as losses: maximized objectives negated, so smaller is better everywhere. */
export function toLoss(values: readonly number[], directions: readonly Direction[]): number[] {
  return values.map((v, i) => (directions[i] === 'maximize' ? -v : v));
}

/** Whether loss vector `a` dominates `b`: ≤ in every objective and < in one. */
export function dominatesLoss(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  let strict = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]! > b[i]!) return false;
    if (a[i]! < b[i]!) strict = true;
  }
  return strict;
}

/** Whether values `a` dominate `b` under the study's directions. */
export function dominates(a: readonly number[], b: readonly number[], directions: readonly Direction[]): boolean {
  return dominatesLoss(toLoss(a, directions), toLoss(b, directions));
}

/** Lexicographic order of loss vectors (ties by index): a point can be dominated only by one before it. */
function lexOrder(points: readonly ArrayLike<number>[]): number[] {
  return points.map((_, i) => i).sort((i, j) => {
    const a = points[i]!, b = points[j]!;
    for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k]! < b[k]! ? -1 : 1;
    return i - j;
  });
}

/** Indices of the non-dominated loss vectors, in input order. */
export function paretoFrontIndices(points: readonly ArrayLike<number>[]): number[] {
  const front: number[] = [];
  for (const i of lexOrder(points)) {
    if (!front.some((j) => dominatesLoss(points[j]!, points[i]!))) front.push(i);
  }
  return front.sort((a, b) => a - b);
}

/** The non-domination rank of each loss vector: 0 for the front, 1 for the front of the rest, … */
export function nondominatedRanks(points: readonly ArrayLike<number>[]): Int32Array {
  const n = points.length, ranks = new Int32Array(n).fill(-1);
  const order = lexOrder(points);
  let left = n;
  for (let r = 0; left > 0; r++) {
    const layer: number[] = [];
    for (const i of order) {
      if (ranks[i] !== -1) continue;
      if (!layer.some((j) => dominatesLoss(points[j]!, points[i]!))) layer.push(i);
    }
    for (const i of layer) ranks[i] = r;
    left -= layer.length;
  }
  return ranks;
}

/**
 * The Pareto front of the COMPLETE trials, in trial order; in a constrained study (`constrained`,
 * default: any trial carries constraint values) of the feasible ones only.
 * @example const front = paretoFront(study.trials, study.directions);
 */
export function paretoFront(trials: readonly FrozenTrial[], directions: readonly Direction[],
  { constrained = hasConstraints(trials) }: { constrained?: boolean } = {}): FrozenTrial[] {
  const done = trials.filter((t) => t.state === 'COMPLETE' && t.values !== null && t.values.length === directions.length &&
    isFeasible(t, constrained));
  return paretoFrontIndices(done.map((t) => toLoss(t.values!, directions))).map((i) => done[i]!);
}
