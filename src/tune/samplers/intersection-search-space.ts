// The intersection search space (Optuna's IntersectionSearchSpace): the parameters that every trial
// of a set has, each with one and the same distribution — what a relative sampler (multivariate
// TPE, NSGA-II, CMA-ES, GP) samples jointly. `intersectionSearchSpace` computes it from scratch;
// the IntersectionSearchSpace class keeps it per study and folds in only the trials that finished
// since its last call, so a sampler's cost per trial does not grow with the study (the from-scratch
// version compares every distribution of every trial each time: quadratic over a study). Both
// return a fresh record, keys sorted.
import { dict, type FrozenTrial } from '../frozen-trial.js';
import { sameDistribution, type Distribution } from '../distributions.js';
import { studyIdentity, type StudyView } from '../study-view.js';

/** The parameters every trial given has, with the same distribution (keys sorted). */
export function intersectionSearchSpace(trials: readonly FrozenTrial[]): Record<string, Distribution> {
  const space = fold(null, trials);
  return sorted(space ?? {});
}

function fold(space: Record<string, Distribution> | null, trials: Iterable<FrozenTrial>): Record<string, Distribution> | null {
  for (const t of trials) {
    if (space === null) { space = dict(); Object.assign(space, t.distributions); continue; }
    for (const k of Object.keys(space)) {
      const d = t.distributions[k];
      if (d === undefined || !sameDistribution(d, space[k]!)) delete space[k];
    }
  }
  return space;
}

function sorted(space: Record<string, Distribution>): Record<string, Distribution> {
  const out: Record<string, Distribution> = dict();
  for (const k of Object.keys(space).sort()) out[k] = space[k]!;
  return out;
}

/**
 * The intersection space of a study's finished trials that `include` accepts, kept between calls.
 * Trials before the first unfinished one are folded in once (a finished trial never changes); a
 * snapshot of another study (another name or first trial) starts over.
 * @example
 * const space = new IntersectionSearchSpace((t) => t.state === 'COMPLETE');
 * space.calculate(study) // { x: { kind: 'float', … }, … }
 */
export class IntersectionSearchSpace {
  private space: Record<string, Distribution> | null = null;
  /** Every trial at an index below it is finished and folded in. */
  private cursor = 0;
  private study = '';

  constructor(private readonly include: (t: FrozenTrial) => boolean) {}

  calculate(study: StudyView): Record<string, Distribution> {
    const trials = study.trials, id = studyIdentity(study);
    if (id !== this.study || trials.length < this.cursor) { this.space = null; this.cursor = 0; this.study = id; }
    let next = -1;
    for (let i = this.cursor; i < trials.length; i++) {
      const t = trials[i]!, finished = t.state !== 'RUNNING' && t.state !== 'WAITING';
      if (!finished) { if (next < 0) next = i; continue; }
      if (this.include(t)) this.space = fold(this.space, [t]);
    }
    this.cursor = next < 0 ? trials.length : next;
    return sorted(this.space ?? {});
  }
}
