// NSGAIISampler: the multi-objective genetic algorithm NSGA-II (Deb et al. 2002) as Optuna 3.1's
// NSGAIISampler — the default sampler of multi-objective studies. Each trial belongs to a
// generation, recorded as the system attr "nsga2:generation" (Optuna's key, so the study resumes
// from any storage, in any process, and Python Optuna continues it). Generation g + 1 starts once
// generation g has `populationSize` COMPLETE trials; its parents are the elite of generation g plus
// the previous parents (non-dominated sorting, then crowding distance; Deb's constrained dominance
// when the study is constrained). A child takes a crossover of two tournament-chosen parents (with
// crossoverProb, else one parent's copy) over the parameters every COMPLETE trial shares; each of
// its parameters is then mutated (drawn uniformly) with mutationProb (default 1/#parameters);
// parameters outside that space, and all of generation 0, are drawn uniformly. Seeded: the same
// seed and trials give the same study.
import { checkInt, checkNumber, checkSeed } from '../../check-option.js';
import { dict, type FrozenTrial } from '../frozen-trial.js';
import { fromInternal, isSingle, toInternal, type Distribution, type ParamValue } from '../distributions.js';
import { Rng, freshSeed } from '../rng.js';
import { studyIdentity, type StudyView } from '../study-view.js';
import type { RelativeSample, Sampler } from './sampler.js';
import { sampleUniform } from './random-sampler.js';
import { IntersectionSearchSpace } from './intersection-search-space.js';
import { dimOf } from './parzen-estimator.js';
import { UniformCrossover, type Crossover } from './nsgaii-crossover.js';
import { constrainedDominance, plainDominance, selectElite, tournament, type Dominance } from './nsgaii-selection.js';
import { hasConstraints, type ConstraintsFunc } from '../constraints.js';

/** The system attribute holding a trial's generation (Optuna's `_GENERATION_KEY`). */
export const GENERATION_KEY = 'nsga2:generation';

export interface NSGAIISamplerOptions {
  /** Trials per generation (default 50; at least the crossover's parents). */
  populationSize?: number;
  /** Probability of mutating each parameter of a child (default: 1 / its number of parameters). */
  mutationProb?: number;
  /** How children are made from parents (default: UniformCrossover(swappingProb), as Optuna 3.1). */
  crossover?: Crossover;
  /** Probability that a child is a crossover rather than a copy of one parent (default 0.9). */
  crossoverProb?: number;
  /** Probability of taking each parameter from the second parent (default 0.5): the default
   *  crossover's, and always the categorical parameters'. */
  swappingProb?: number;
  /** Default: a fresh seed per sampler (`sampler.seed` tells which). */
  seed?: number;
  /** Constraint values of a finished trial, each ≤ 0 when satisfied (Optuna's constraints_func). */
  constraintsFunc?: ConstraintsFunc;
}

/**
 * The NSGA-II sampler (Optuna's defaults: population 50, uniform crossover with probability 0.9,
 * swapping probability 0.5, mutation 1/#parameters).
 * @example
 * const study = await sg.tune.createStudy({ directions: ['minimize', 'minimize'], sampler: new sg.tune.NSGAIISampler({ seed: 1 }) });
 * await study.optimize((t) => { const x = t.suggestFloat('x', 0, 2); return [x * x, (x - 2) ** 2]; }, { nTrials: 200 });
 * study.bestTrials // the Pareto front
 */
export class NSGAIISampler implements Sampler {
  /** The seed this sampler started from (drawn fresh when none was given). */
  readonly seed: number;
  readonly populationSize: number;
  readonly constraintsFunc?: ConstraintsFunc;
  private rng: Rng;
  private readonly mutationProb: number | undefined;
  private readonly crossover: Crossover;
  private readonly crossoverProb: number;
  private readonly swappingProb: number;
  /** Per generation: the key of the members and parents it was computed from, and its elite. */
  private readonly elites = new Map<number, { key: string; elite: FrozenTrial[] }>();
  /** The study the memo belongs to (its name and first trial). */
  private elitesOf = '';
  /** The parameters every COMPLETE trial shares (Optuna's IntersectionSearchSpace). */
  private readonly searchSpace = new IntersectionSearchSpace((t) => t.state === 'COMPLETE');

  constructor(opts: NSGAIISamplerOptions = {}) {
    const O = 'NSGAIISampler';
    this.seed = checkSeed(O, opts.seed) ?? freshSeed();
    this.rng = new Rng(this.seed);
    this.swappingProb = checkNumber(O, 'swappingProb', opts.swappingProb ?? 0.5, { min: 0, max: 1 });
    this.crossoverProb = checkNumber(O, 'crossoverProb', opts.crossoverProb ?? 0.9, { min: 0, max: 1 });
    this.mutationProb = opts.mutationProb === undefined ? undefined : checkNumber(O, 'mutationProb', opts.mutationProb, { min: 0, max: 1 });
    const c = opts.crossover ?? new UniformCrossover(this.swappingProb);
    if (typeof c !== 'object' || c === null || typeof c.crossover !== 'function' || !Number.isInteger(c.nParents)) {
      throw new TypeError(`${O}: crossover must be a Crossover (UniformCrossover, SBXCrossover), got ${String(c)}`);
    }
    if (c.nParents !== 2) throw new RangeError(`${O}: crossovers with ${c.nParents} parents are not supported (2 only)`);
    this.crossover = c;
    this.populationSize = checkInt(O, 'populationSize', opts.populationSize ?? 50, Math.max(2, c.nParents));
    if (opts.constraintsFunc !== undefined) {
      if (typeof opts.constraintsFunc !== 'function') throw new TypeError(`${O}: constraintsFunc must be a function (trial) => number[], got ${String(opts.constraintsFunc)}`);
      this.constraintsFunc = opts.constraintsFunc;
    }
  }

  reseed(seed: number): void { this.rng = new Rng(seed); }

  sampleRelative(study: StudyView, _trial: FrozenTrial): RelativeSample {
    const constrained = this.constraintsFunc !== undefined || hasConstraints(study.trials);
    const beats = (constrained ? constrainedDominance : plainDominance)(study.directions);
    const { generation: parentGeneration, parents } = this.parentPopulation(study, beats, constrained);
    const systemAttrs = { [GENERATION_KEY]: parentGeneration + 1 };
    const space = this.searchSpace.calculate(study);
    for (const k of Object.keys(space)) if (isSingle(space[k]!)) delete space[k];
    const names = Object.keys(space);
    if (parentGeneration < 0 || names.length === 0) return { space: dict(), params: dict(), systemAttrs };
    let child: Record<string, ParamValue>;
    if (this.rng.uniform() < this.crossoverProb) {
      const first = tournament(parents, this.rng, beats);
      const rest = parents.filter((t) => t !== first);
      child = this.cross([first, tournament(rest.length ? rest : parents, this.rng, beats)], space, study.directions.length > 1);
    } else {
      const p = parents[this.rng.below(parents.length)]!;
      child = dict();
      for (const k of names) child[k] = p.params[k]!;
    }
    const mutation = this.mutationProb ?? 1 / Math.max(1, names.length);
    const params: Record<string, ParamValue> = dict();
    for (const k of names) if (this.rng.uniform() >= mutation) params[k] = child[k]!;
    return { space, params, systemAttrs };
  }

  /** Parameters outside the relative sample (generation 0, mutated ones, new names): uniform. */
  sampleIndependent(_s: StudyView, _t: FrozenTrial, _name: string, d: Distribution): ParamValue {
    return sampleUniform(this.rng, d);
  }

  /** The latest complete generation and its parents (Optuna's _collect_parent_population). */
  private parentPopulation(study: StudyView, beats: Dominance, constrained: boolean): { generation: number; parents: FrozenTrial[] } {
    const members = new Map<number, FrozenTrial[]>();
    for (const t of study.trials) {
      const g = t.systemAttrs[GENERATION_KEY];
      if (t.state !== 'COMPLETE' || typeof g !== 'number') continue;
      if (!members.has(g)) members.set(g, []);
      members.get(g)!.push(t);
    }
    // A generation's COMPLETE members only ever grow, so within one study the member counts of
    // generations 0…g (and whether the study is constrained) identify generation g's elite.
    const id = studyIdentity(study);
    if (id !== this.elitesOf) { this.elites.clear(); this.elitesOf = id; }
    let parents: FrozenTrial[] = [], generation = -1, key = String(constrained);
    for (;;) {
      const pop = members.get(generation + 1) ?? [];
      if (pop.length < this.populationSize) break;
      key += `|${pop.length}`;
      const memo = this.elites.get(generation + 1);
      if (memo?.key === key) parents = memo.elite;
      else {
        parents = selectElite([...pop, ...parents], this.populationSize, beats);
        this.elites.set(generation + 1, { key, elite: parents });
      }
      generation++;
    }
    return { generation, parents };
  }

  /** One child of the parents over `space`: the crossover on numerical parameters (internal
   *  space), uniform swapping on categorical ones. */
  private cross(parents: FrozenTrial[], space: Record<string, Distribution>, multi: boolean): Record<string, ParamValue> {
    const child: Record<string, ParamValue> = dict();
    const num = Object.keys(space).filter((k) => space[k]!.kind !== 'categorical');
    for (const k of Object.keys(space)) {
      if (space[k]!.kind === 'categorical') child[k] = parents[this.rng.uniform() >= this.swappingProb ? parents.length - 1 : 0]!.params[k]!;
    }
    if (num.length) {
      const dims = num.map((k) => dimOf(space[k]!));
      const lo = Float64Array.from(dims, (d) => d.lo), hi = Float64Array.from(dims, (d) => d.hi);
      const xs = parents.map((p) => Float64Array.from(num, (k) => toInternal(space[k]!, p.params[k]!)));
      const c = this.crossover.crossover(xs, this.rng, lo, hi, multi);
      num.forEach((k, j) => { child[k] = fromInternal(space[k]!, c[j]!); });
    }
    return child;
  }
}
