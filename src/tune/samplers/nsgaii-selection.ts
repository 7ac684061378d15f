// NSGA-II's survival and parent selection (Deb et al. 2002, as Optuna's NSGAIISampler): fast
// non-dominated sorting under a dominance relation (plain Pareto dominance, or Deb's constrained
// dominance when the study is constrained), crowding distance within the last front that fits,
// and binary tournaments for parents. Pure functions of COMPLETE trials; randomness only through
// the Rng given.
import type { Direction, FrozenTrial } from '../frozen-trial.js';
import { constraintsOf, violation } from '../constraints.js';
import { dominates } from '../pareto.js';
import type { Rng } from '../rng.js';

/** Whether trial a beats trial b (both COMPLETE). */
export type Dominance = (a: FrozenTrial, b: FrozenTrial) => boolean;

/** Pareto dominance of the trials' values. */
export function plainDominance(directions: readonly Direction[]): Dominance {
  return (a, b) => dominates(a.values!, b.values!, directions);
}

/**
 * Deb's constrained dominance (Optuna's _constrained_dominates): a feasible trial beats an
 * infeasible one, of two infeasible ones the smaller total violation wins, of two feasible ones
 * Pareto dominance decides; a trial with constraint values beats one without, and two without are
 * compared by dominance. Trials with different numbers of constraint values are a RangeError.
 */
export function constrainedDominance(directions: readonly Direction[]): Dominance {
  const plain = plainDominance(directions);
  return (a, b) => {
    const ca = constraintsOf(a), cb = constraintsOf(b);
    if (ca === null || cb === null) return ca === null && cb === null ? plain(a, b) : ca !== null;
    if (ca.length !== cb.length) {
      throw new RangeError(`trials ${a.number} and ${b.number} have ${ca.length} and ${cb.length} constraint values: ` +
        'every trial of a study must have the same number');
    }
    const va = violation(a), vb = violation(b);
    if (va === 0 && vb === 0) return plain(a, b);
    if (va === 0 || vb === 0) return va === 0;
    return va < vb;
  };
}

/** The population in non-domination fronts, best first (each front in population order). */
export function nondominatedFronts(population: readonly FrozenTrial[], beats: Dominance): FrozenTrial[][] {
  const n = population.length, count = new Int32Array(n), beaten: number[][] = population.map(() => []);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (beats(population[i]!, population[j]!)) { beaten[i]!.push(j); count[j]!++; }
      else if (beats(population[j]!, population[i]!)) { beaten[j]!.push(i); count[i]!++; }
    }
  }
  const fronts: FrozenTrial[][] = [];
  let layer = population.map((_, i) => i).filter((i) => count[i] === 0);
  while (layer.length) {
    fronts.push(layer.map((i) => population[i]!));
    const next: number[] = [];
    for (const i of layer) for (const j of beaten[i]!) if (--count[j]! === 0) next.push(j);
    layer = next.sort((a, b) => a - b);
  }
  return fronts;
}

/**
 * Each trial's crowding distance: per objective, the gap between its two neighbours in value
 * order over the objective's finite range, summed; the extremes get Infinity; an objective where
 * all trials are equal adds nothing; Infinity − Infinity counts as 0.
 */
export function crowdingDistances(front: readonly FrozenTrial[]): Float64Array {
  const n = front.length, dist = new Float64Array(n);
  if (n === 0) return dist;
  // One order, re-sorted (stably) by each objective in turn, as Optuna sorts its list in place:
  // equal values keep the order the previous objectives left, which decides their neighbours.
  const order = front.map((_, i) => i);
  for (let k = 0; k < front[0]!.values!.length; k++) {
    const val = (i: number) => front[i]!.values![k]!;
    order.sort((i, j) => (val(i) < val(j) ? -1 : val(i) > val(j) ? 1 : 0));
    const v = (r: number) => (r < 0 ? -Infinity : r >= n ? Infinity : val(order[r]!));
    if (v(0) === v(n - 1)) continue;
    let lo = 0, hi = n - 1;
    while (lo < n && v(lo) === -Infinity) lo++;
    while (hi >= 0 && v(hi) === Infinity) hi--;
    let width = lo <= hi ? v(hi) - v(lo) : 0;
    if (!(width > 0)) width = 1;
    for (let r = 0; r < n; r++) {
      const a = v(r - 1), b = v(r + 1);
      dist[order[r]!]! += (a === b ? 0 : b - a) / width;
    }
  }
  return dist;
}

/** NSGA-II survival: whole fronts while they fit, then the least crowded of the next front. */
export function selectElite(population: readonly FrozenTrial[], size: number, beats: Dominance): FrozenTrial[] {
  const elite: FrozenTrial[] = [];
  for (const front of nondominatedFronts(population, beats)) {
    if (elite.length + front.length <= size) { elite.push(...front); if (elite.length === size) break; continue; }
    const d = crowdingDistances(front);
    const order = front.map((_, i) => i).sort((i, j) => d[j]! - d[i]! || i - j);
    for (let r = 0; elite.length < size; r++) elite.push(front[order[r]!]!);
    break;
  }
  return elite;
}

/** A binary tournament: two random members (with replacement), the one that beats the other, else the second. */
export function tournament(population: readonly FrozenTrial[], rng: Rng, beats: Dominance): FrozenTrial {
  const a = population[rng.below(population.length)]!, b = population[rng.below(population.length)]!;
  return beats(a, b) ? a : b;
}
