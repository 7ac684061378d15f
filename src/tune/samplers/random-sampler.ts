// RandomSampler: independent uniform sampling of every distribution (log-uniform on log scales,
// uniform over the points of a stepped range), seeded; sampleUniform is also the startup draw of
// TPESampler and the fallback of QMCSampler.
import { fromInternal, isSingle, type Distribution, type ParamValue } from '../distributions.js';
import type { FrozenTrial } from '../frozen-trial.js';
import { Rng, freshSeed } from '../rng.js';
import type { StudyView } from '../study-view.js';
import type { Sampler } from './sampler.js';
import { checkSeed } from '../../check-option.js';

/**
 * Uniform sampling of every distribution (log-uniform on log scales). Unseeded, it draws a fresh
 * seed (`sampler.seed` tells which).
 * @example const sampler = new sg.tune.RandomSampler({ seed: 42 });
 */
export class RandomSampler implements Sampler {
  /** The seed this sampler started from (drawn fresh when none was given). */
  readonly seed: number;
  private rng: Rng;
  constructor({ seed }: { seed?: number } = {}) {
    this.seed = checkSeed('RandomSampler', seed) ?? freshSeed();
    this.rng = new Rng(this.seed);
  }
  reseed(seed: number): void { this.rng = new Rng(seed); }
  sampleIndependent(_s: StudyView, _t: FrozenTrial, _name: string, d: Distribution): ParamValue {
    return sampleUniform(this.rng, d);
  }
}

/** One uniform draw from d (internal representation, then mapped back). */
export function sampleUniform(rng: Rng, d: Distribution): ParamValue {
  if (isSingle(d)) return d.kind === 'categorical' ? d.choices[0]! : d.low;
  if (d.kind === 'categorical') return d.choices[rng.below(d.choices.length)]!;
  if (d.kind === 'int' && !d.log) return d.low + rng.below((d.high - d.low) / d.step + 1) * d.step;
  if (d.kind === 'float' && d.step !== null) return fromInternal(d, d.low + rng.below(Math.round((d.high - d.low) / d.step) + 1) * d.step);
  const lo = d.log ? Math.log(d.kind === 'int' ? d.low - 0.5 : d.low) : d.low;
  const hi = d.log ? Math.log(d.kind === 'int' ? d.high + 0.5 : d.high) : d.high;
  return fromInternal(d, lo + rng.uniform() * (hi - lo));
}
