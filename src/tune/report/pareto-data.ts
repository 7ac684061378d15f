// The multi-objective part of report.html's data: the Pareto front drawn in 2-D (objectives 0–1,
// and 0–2, 1–2 for three or more), each COMPLETE trial classed as on the front, dominated or
// infeasible; and the hypervolume of the feasible COMPLETE trials after each trial. Contract: pure;
// trials with a non-finite value are left out of both (a report must not show an infinite
// volume); the reference point is the given one, else each objective's worst feasible value moved
// outwards by 10% of the range (10% of its size, or 1, when the range is 0) — stated in the data so
// the page can say which. Hypervolume is computed exactly (hypervolume.ts); past 300 points on the
// front of four or more objectives the history is left out with a note, as WFG grows too slow.
import type { Direction, FrozenTrial } from '../frozen-trial.js';
import { hasConstraints, isFeasible } from '../constraints.js';
import { hypervolumeOfLosses } from '../hypervolume.js';
import { dominatesLoss, paretoFrontIndices, toLoss } from '../pareto.js';

/** One 2-D view: [x, y, trial number] points of each class. */
export interface ParetoPair { x: number; y: number; front: number[][]; dominated: number[][]; infeasible: number[][] }

export interface ParetoData {
  directions: readonly Direction[];
  /** The reference point of the hypervolume (in the objectives' own values). */
  reference: number[] | null;
  pairs: ParetoPair[];
  /** [trial number, hypervolume of the feasible COMPLETE trials up to it]. */
  hypervolume: number[][];
  hypervolumeNote: string;
  constrained: boolean;
}

const MAX_WFG_FRONT = 300;

/** The report's Pareto data of a multi-objective study (null for one objective). */
export function paretoData(study: { directions: readonly Direction[]; trials: readonly FrozenTrial[] }, reference?: readonly number[]): ParetoData | null {
  const { directions } = study;
  const m = directions.length;
  if (reference !== undefined && (!Array.isArray(reference) || reference.length !== m || !reference.every(Number.isFinite))) {
    throw new RangeError(`renderReport: referencePoint must have ${m} finite numbers (one per objective), got ${JSON.stringify(reference)}`);
  }
  if (m < 2) {
    if (reference !== undefined) throw new RangeError('renderReport: referencePoint is for studies with several objectives (this one has 1)');
    return null;
  }
  const constrained = hasConstraints(study.trials);
  const done = study.trials.filter((t) => t.state === 'COMPLETE' && t.values?.length === m && t.values.every(Number.isFinite))
    .sort((a, b) => a.number - b.number);
  const ok = done.filter((t) => isFeasible(t, constrained));
  const losses = ok.map((t) => toLoss(t.values!, directions));
  const onFront = new Set(paretoFrontIndices(losses).map((i) => ok[i]!.number));
  const views: Array<[number, number]> = m === 2 ? [[0, 1]] : [[0, 1], [0, 2], [1, 2]];
  const pairs = views.map(([x, y]) => {
    const pick = (ts: FrozenTrial[]) => ts.map((t) => [t.values![x]!, t.values![y]!, t.number]);
    return {
      x, y, front: pick(ok.filter((t) => onFront.has(t.number))), dominated: pick(ok.filter((t) => !onFront.has(t.number))),
      infeasible: pick(done.filter((t) => !isFeasible(t, constrained))),
    };
  });
  const refLoss = reference ? toLoss(reference as number[], directions) : autoReference(losses);
  const history = refLoss ? hypervolumeHistory(ok, losses, Float64Array.from(refLoss)) : null;
  return {
    directions, constrained, pairs,
    reference: refLoss ? toLoss(refLoss, directions) : null,
    hypervolume: history ?? [],
    hypervolumeNote: !refLoss ? 'No feasible COMPLETE trial yet.' : history ? '' : `The front has more than ${MAX_WFG_FRONT} points in ${m} objectives: hypervolume history left out.`,
  };
}

/** Each objective's worst loss plus 10% of the loss range (of the worst's size, or 1, if the range is 0). */
function autoReference(losses: number[][]): number[] | null {
  if (!losses.length) return null;
  return losses[0]!.map((_, k) => {
    const col = losses.map((l) => l[k]!), hi = Math.max(...col), lo = Math.min(...col);
    return hi + (hi > lo ? 0.1 * (hi - lo) : Math.abs(hi) > 0 ? 0.1 * Math.abs(hi) : 1);
  });
}

/** The hypervolume after each feasible trial, the front kept incrementally; null if too large for WFG. */
function hypervolumeHistory(trials: FrozenTrial[], losses: number[][], ref: Float64Array): number[][] | null {
  const front: Float64Array[] = [], out: number[][] = [];
  let hv = 0;
  for (let i = 0; i < trials.length; i++) {
    const p = Float64Array.from(losses[i]!);
    if (p.every((v, k) => v < ref[k]!) && !front.some((q) => dominatesLoss(q, p) || q.every((v, k) => v === p[k]))) {
      for (let j = front.length - 1; j >= 0; j--) if (dominatesLoss(p, front[j]!)) front.splice(j, 1);
      front.push(p);
      if (ref.length > 3 && front.length > MAX_WFG_FRONT) return null;
      hv = hypervolumeOfLosses(front, ref);
    }
    out.push([trials[i]!.number, hv]);
  }
  return out;
}
