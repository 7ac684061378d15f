// How TPESampler divides a study's trials into "below" (good, modelled by l(x)) and "above" (g(x)),
// as Optuna 3.1's _get_observation_pairs / _split_observation_pairs:
// - one objective: COMPLETE trials by value, then PRUNED ones by their last step (deeper first) and
//   last value; with constantLiar, RUNNING trials last;
// - several objectives (MOTPE): COMPLETE trials only; whole non-domination ranks while they fit,
//   the rest of "below" picked from the next rank by greedy hypervolume subset selection, and each
//   below trial weighted by its share of the below set's hypervolume (its exclusive contribution,
//   over the largest);
// - constrained studies: feasible trials first — "below" takes the best feasible trials when there
//   are enough, else all feasible ones and the least violating others; infeasible trials weigh
//   ~0 in the multi-objective weights.
// The reference point of every hypervolume here is Optuna's: the worst loss of the set, moved
// outwards by 10% of its magnitude (1e-12 where it is 0).
import type { Direction, FrozenTrial } from '../frozen-trial.js';
import { violation } from '../constraints.js';
import { hypervolumeOfLosses } from '../hypervolume.js';
import { nondominatedRanks } from '../pareto.js';
import type { StudyView } from '../study-view.js';

const EPS = 1e-12;

export interface Split {
  /** Both halves oldest first. */
  below: FrozenTrial[];
  above: FrozenTrial[];
  /** Finished trials counted (COMPLETE, and PRUNED for one objective): what gamma and nStartupTrials see. */
  n: number;
  /** Several objectives: the weight of each `below` trial (its hypervolume share); else null. */
  belowWeights: Float64Array | null;
}

export interface SplitOptions { gamma: (n: number) => number; constantLiar: boolean; constrained: boolean }

interface Scored { t: FrozenTrial; k1: number; loss: number[]; viol: number }

/** Splits the study's trials (all but `trial`) for TPE. */
export function splitTrials(study: StudyView, trial: FrozenTrial, o: SplitOptions): Split {
  const multi = study.directions.length > 1;
  const items = score(study.trials, trial, study.directions, o);
  const n = items.filter((s) => s.k1 !== Infinity).length;
  const nBelow = Math.max(0, Math.min(items.length, Math.floor(o.gamma(n))));
  const all = items.map((_, i) => i);
  let belowIdx: number[];
  if (o.constrained) {
    const byViolation = [...all].sort((a, b) => items[a]!.viol - items[b]!.viol || a - b);
    if (nBelow >= items.length || items[byViolation[nBelow]!]!.viol > 0) belowIdx = byViolation.slice(0, nBelow);
    else belowIdx = splitByLoss(items, all.filter((i) => items[i]!.viol === 0), nBelow, multi);
  } else {
    belowIdx = splitByLoss(items, all, nBelow, multi);
  }
  const isBelow = new Uint8Array(items.length);
  for (const i of belowIdx) isBelow[i] = 1;
  const below: FrozenTrial[] = [], above: FrozenTrial[] = [], inBelow: Scored[] = [];
  items.forEach((s, i) => { if (isBelow[i]) { below.push(s.t); inBelow.push(s); } else above.push(s.t); });
  return { below, above, n, belowWeights: multi ? hypervolumeWeights(inBelow) : null };
}

/** Each usable trial's rank key k1 (−Infinity COMPLETE, −step PRUNED, +Infinity RUNNING), loss and violation. */
function score(trials: readonly FrozenTrial[], trial: FrozenTrial, directions: readonly Direction[], o: SplitOptions): Scored[] {
  const multi = directions.length > 1;
  const sign = directions.map((d) => (d === 'maximize' ? -1 : 1));
  const out: Scored[] = [];
  for (const t of trials) {
    if (t.number === trial.number) continue;
    let k1: number, loss: number[];
    if (t.state === 'COMPLETE') {
      if (t.values === null || t.values.length !== directions.length) continue;
      k1 = -Infinity; loss = t.values.map((v, i) => sign[i]! * v);
    } else if (t.state === 'PRUNED' && !multi) {
      const steps = Object.keys(t.intermediateValues).map(Number);
      if (steps.length) {
        const step = Math.max(...steps), v = t.intermediateValues[step]!;
        k1 = -step; loss = [Number.isNaN(v) ? Infinity : sign[0]! * v];
      } else {
        k1 = 1; loss = [0];
      }
    } else if (t.state === 'RUNNING' && o.constantLiar && !multi) {
      k1 = Infinity; loss = [Infinity];
    } else continue;
    out.push({ t, k1, loss, viol: !o.constrained ? 0 : t.state === 'RUNNING' ? Infinity : violation(t) });
  }
  return out;
}

/** The nBelow best of `idx` by loss: one objective by (k1, loss), ties by age; several by rank + HSSP. */
function splitByLoss(items: Scored[], idx: number[], nBelow: number, multi: boolean): number[] {
  if (!multi) {
    const order = [...idx].sort((a, b) => {
      const x = items[a]!, y = items[b]!;
      return x.k1 !== y.k1 ? (x.k1 < y.k1 ? -1 : 1) : x.loss[0] !== y.loss[0] ? (x.loss[0]! < y.loss[0]! ? -1 : 1) : a - b;
    });
    return order.slice(0, nBelow);
  }
  const pts = idx.map((i) => items[i]!.loss);
  const ranks = nondominatedRanks(pts);
  const chosen: number[] = [];
  for (let r = 0; chosen.length < nBelow; r++) {
    const layer = idx.filter((_, j) => ranks[j] === r);
    if (chosen.length + layer.length <= nBelow) { chosen.push(...layer); continue; }
    const picked = greedySubset(layer.map((i) => Float64Array.from(items[i]!.loss)), nBelow - chosen.length);
    chosen.push(...picked.map((j) => layer[j]!));
  }
  return chosen;
}

/** Optuna's reference point for a set of losses, or null if it is not finite. */
function referencePoint(pts: readonly Float64Array[]): Float64Array | null {
  const ref = new Float64Array(pts[0]!.length);
  for (let k = 0; k < ref.length; k++) {
    let worst = -Infinity;
    for (const p of pts) worst = Math.max(worst, p[k]!);
    ref[k] = worst === 0 ? EPS : Math.max(1.1 * worst, 0.9 * worst);
    if (!Number.isFinite(ref[k]!)) return null;
  }
  return ref;
}

/** Greedy hypervolume subset selection (a 1 − 1/e approximation): `k` indices of `pts`, each step
 *  taking the point that adds the most volume (ties: the oldest). Non-finite losses: the oldest k. */
export function greedySubset(pts: readonly Float64Array[], k: number): number[] {
  const ref = referencePoint(pts);
  if (!ref) return pts.slice(0, k).map((_, i) => i);
  const chosen: number[] = [], set: Float64Array[] = [], left = new Set(pts.map((_, i) => i));
  let base = 0;
  while (chosen.length < k) {
    let best = -1, bestGain = -Infinity;
    for (const i of left) {
      const gain = hypervolumeOfLosses([...set, pts[i]!], ref) - base;
      if (gain > bestGain) { bestGain = gain; best = i; }
    }
    chosen.push(best); set.push(pts[best]!); left.delete(best);
    base += bestGain;
  }
  return chosen.sort((a, b) => a - b);
}

/** MOTPE's weights of the below trials: the feasible ones by exclusive hypervolume contribution
 *  (plus 1e-12) over the largest; infeasible ones 1e-12; all 1 if a contribution is not finite. */
function hypervolumeWeights(below: Scored[]): Float64Array {
  const w = new Float64Array(below.length).fill(EPS);
  const feasible = below.map((s, i) => (s.viol === 0 ? i : -1)).filter((i) => i >= 0);
  if (feasible.length === 1) w[feasible[0]!] = 1;
  if (feasible.length < 2) return w;
  const pts = feasible.map((i) => Float64Array.from(below[i]!.loss));
  const ref = referencePoint(pts);
  const total = ref ? hypervolumeOfLosses(pts, ref) : NaN;
  const contrib = pts.map((_, j) => total - hypervolumeOfLosses(pts.filter((_, q) => q !== j), ref!) + EPS);
  if (!contrib.every(Number.isFinite)) { for (const i of feasible) w[i] = 1; return w; }
  const max = Math.max(...contrib);
  feasible.forEach((i, j) => { w[i] = Math.min(1, Math.max(0, contrib[j]! / max)); });
  return w;
}
