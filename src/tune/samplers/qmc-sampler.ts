// QMCSampler: quasi-Monte Carlo search (Optuna's QMCSampler with a Sobol sequence). The search
// space is that of the study's first finished trial (numerical parameters only; that trial, and
// any parameter outside the space, is sampled at random); trial number i gets Sobol point i —
// unique across workers sharing a storage — mapped onto each distribution (log scale for log
// domains, rounded onto steps). Scrambled by default (seeded linear scramble + digital shift).
import { dict, type FrozenTrial } from '../frozen-trial.js';
import { fromInternal, isSingle, type Distribution, type ParamValue } from '../distributions.js';
import { dimOf, roundToGrid } from './parzen-estimator.js';
import { Rng, freshSeed } from '../rng.js';
import type { StudyView } from '../study-view.js';
import type { RelativeSample, Sampler } from './sampler.js';
import { sampleUniform } from './random-sampler.js';
import { Sobol, SOBOL_MAX_DIM } from './sobol.js';
import { checkSeed } from '../../check-option.js';

/**
 * Sobol-sequence sampler.
 * @example
 * const study = await sg.tune.createStudy({ sampler: new sg.tune.QMCSampler({ seed: 3 }) });
 */
export class QMCSampler implements Sampler {
  private rng: Rng;
  private space: Record<string, Distribution> | null = null;
  private sobol: Sobol | null = null;
  /** The seed of the scrambling (drawn fresh when none was given: processes sharing a study should
   *  pass one seed, so that they scramble alike). */
  readonly seed: number;
  private readonly scramble: boolean;

  constructor({ seed, scramble = true }: { seed?: number; scramble?: boolean } = {}) {
    this.seed = checkSeed('QMCSampler', seed) ?? freshSeed();
    this.scramble = scramble;
    this.rng = new Rng(this.seed + 0x5bd1e995);
  }

  reseed(seed: number): void { this.rng = new Rng(seed); }

  /** The search space taken from the first finished trial (null before one exists). */
  get searchSpace(): Readonly<Record<string, Distribution>> | null { return this.space; }

  sampleRelative(study: StudyView, trial: FrozenTrial): RelativeSample | null {
    if (!this.space) {
      const done = study.trials.filter((t) => t.state === 'COMPLETE' || t.state === 'PRUNED');
      if (!done.length) return null;
      const first = done.reduce((a, b) => (b.number < a.number ? b : a));
      const space: Record<string, Distribution> = dict();
      for (const k of Object.keys(first.distributions).sort()) {
        const d = first.distributions[k]!;
        if (d.kind !== 'categorical' && !isSingle(d)) space[k] = d;
      }
      const names = Object.keys(space);
      if (names.length > SOBOL_MAX_DIM) throw new RangeError(`QMCSampler: ${names.length} parameters, the Sobol sequence here has at most ${SOBOL_MAX_DIM} dimensions`);
      this.space = space;
      if (names.length) this.sobol = new Sobol(names.length, { scramble: this.scramble, seed: this.seed });
    }
    if (!this.sobol) return null;
    const u = this.sobol.point(trial.number);
    const params: Record<string, ParamValue> = dict();
    Object.entries(this.space).forEach(([k, d], j) => {
      const dim = dimOf(d);
      params[k] = fromInternal(d, roundToGrid(dim, dim.lo + u[j]! * (dim.hi - dim.lo)));
    });
    return { space: this.space, params };
  }

  sampleIndependent(_study: StudyView, _trial: FrozenTrial, _name: string, d: Distribution): ParamValue {
    return sampleUniform(this.rng, d);
  }
}
