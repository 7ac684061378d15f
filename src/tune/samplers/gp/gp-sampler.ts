// GPSampler: Bayesian optimisation with a Gaussian process (Optuna ≥ 3.6's GPSampler, single
// objective). After nStartupTrials COMPLETE trials (sampled by the independent sampler, random by
// default), each trial fits a GP — ARD Matérn-5/2 over the normalised intersection search space
// (gp-search-space.ts), kernel parameters by MAP with Optuna's prior, warm-started from the previous
// fit — to the standardised values, and proposes the point maximising log expected improvement
// (optimize-acquisition.ts). RUNNING trials are conditioned on as if they had scored the best value
// so far (Optuna's "best" constant liar), so concurrent trials do not propose the same point; each
// proposal is recorded in the trial's system attributes (Optuna's gp:relative_params) so that other
// workers see it before its suggest calls do. Parameters outside the space are sampled
// independently. Deterministic for a seed (in one process, for one order of trials).
// Constraints (Optuna ≥ 4.2's constrained GPSampler): a study is constrained when this sampler has a
// constraintsFunc or any trial carries values (constraints.ts, as TPE reads them). Then one GP per
// constraint is fit too (constraint-models.ts) and the acquisition is log EI over the best *feasible*
// value plus the log probability of feasibility (constrained-log-ei-acquisition.ts), the search
// warm-started from the best feasible trial; before any trial is feasible, the probability of
// feasibility alone. Until a COMPLETE trial carries constraint values there is nothing to model: the
// independent sampler proposes. An unconstrained study takes exactly the unconstrained path.
import { contains, isSingle, type Distribution, type ParamValue } from '../../distributions.js';
import type { FrozenTrial } from '../../frozen-trial.js';
import { Rng, freshSeed } from '../../rng.js';
import type { StudyView } from '../../study-view.js';
import type { RelativeSample, Sampler } from '../sampler.js';
import { RandomSampler } from '../random-sampler.js';
import { intersectionSearchSpace } from '../intersection-search-space.js';
import { fitKernelParams } from './fit-kernel-params.js';
import { GPRegressor, type KernelParams } from './gp-regressor.js';
import { GPSearchSpace } from './gp-search-space.js';
import { LogEIAcquisition } from './log-ei-acquisition.js';
import { optimizeAcquisition } from './optimize-acquisition.js';
import { standardize } from './standardize.js';
import { ConstrainedLogEIAcquisition } from './constrained-log-ei-acquisition.js';
import { fitConstraintModels, type ConstraintFitCache } from './constraint-models.js';
import { constraintsOf, hasConstraints, isFeasible, type ConstraintsFunc } from '../../constraints.js';
import { checkInt, checkSeed } from '../../../check-option.js';

export interface GPSamplerOptions {
  /** Default: a fresh seed per sampler (`sampler.seed` tells which); give one to reproduce a study. */
  seed?: number;
  /** COMPLETE trials sampled independently before the GP starts (default 10, as Optuna). */
  nStartupTrials?: number;
  /** The objective is noise-free: the GP's noise is fixed at its minimum (default false). */
  deterministicObjective?: boolean;
  /** Samples the startup trials and parameters outside the search space (default RandomSampler({ seed })). */
  independentSampler?: Sampler;
  /** Constraint values of a finished trial, each ≤ 0 when satisfied (Optuna's constraints_func): the
   *  GP then models each constraint and proposes where feasibility is likely. Values set with
   *  trial.setConstraint count without it. */
  constraintsFunc?: ConstraintsFunc;
}

const RELATIVE_PARAMS_KEY = 'gp:relative_params';
const ATTR_CHUNK = 2045; // Optuna's limit on one system attribute's length in RDB storages

/**
 * The Gaussian-process sampler, for one objective, with or without constraints (from
 * `constraintsFunc` or `trial.setConstraint`: it models each one and proposes feasible points).
 * @example
 * const study = await sg.tune.createStudy({ sampler: new sg.tune.GPSampler({ seed: 1 }) });
 * await study.optimize((t) => (t.suggestFloat('x', -5, 5) - 2) ** 2, { nTrials: 30 });
 * // minimise (x − 3)² + (y − 3)² subject to x + y ≤ 2
 * const constrained = await sg.tune.createStudy({ sampler: new sg.tune.GPSampler({ seed: 1 }) });
 * await constrained.optimize((t) => {
 *   const x = t.suggestFloat('x', -3, 3), y = t.suggestFloat('y', -3, 3);
 *   t.setConstraint([x + y - 2]);
 *   return (x - 3) ** 2 + (y - 3) ** 2;
 * }, { nTrials: 30 });
 */
export class GPSampler implements Sampler {
  /** The seed this sampler started from (drawn fresh when none was given). */
  readonly seed: number;
  private rng: Rng;
  private readonly nStartup: number;
  private readonly deterministic: boolean;
  private readonly independent: Sampler;
  private cache: { key: string; params: KernelParams; history: { s: Float64Array[]; y: Float64Array[] } } | null = null;
  private constraintCache: ConstraintFitCache | null = null;
  readonly constraintsFunc?: ConstraintsFunc;

  constructor(opts: GPSamplerOptions = {}) {
    this.seed = checkSeed('GPSampler', opts.seed) ?? freshSeed();
    this.nStartup = checkInt('GPSampler', 'nStartupTrials', opts.nStartupTrials ?? 10, 0);
    if (opts.deterministicObjective !== undefined && typeof opts.deterministicObjective !== 'boolean') {
      throw new TypeError(`GPSampler: deterministicObjective must be a boolean, got ${String(opts.deterministicObjective)}`);
    }
    if (opts.independentSampler !== undefined && typeof opts.independentSampler?.sampleIndependent !== 'function') {
      throw new TypeError(`GPSampler: independentSampler must be a Sampler (with sampleIndependent), got ${String(opts.independentSampler)}`);
    }
    this.deterministic = opts.deterministicObjective ?? false;
    this.independent = opts.independentSampler ?? new RandomSampler({ seed: this.seed });
    this.rng = new Rng(this.seed + 0x2545f491);
    if (opts.constraintsFunc !== undefined) {
      if (typeof opts.constraintsFunc !== 'function') throw new TypeError(`GPSampler: constraintsFunc must be a function (trial) => number[], got ${String(opts.constraintsFunc)}`);
      this.constraintsFunc = opts.constraintsFunc;
    }
  }

  reseed(seed: number): void {
    this.rng = new Rng(seed);
    this.independent.reseed?.(seed + 1);
  }

  /** The GP here models one objective (logEHVI for several is not implemented). */
  checkStudy(study: StudyView): void {
    if (study.directions.length > 1) {
      throw new RangeError(`GPSampler supports single-objective studies only; this study has ${study.directions.length} directions`);
    }
  }

  sampleRelative(study: StudyView, trial: FrozenTrial): RelativeSample | null {
    this.checkStudy(study);
    const completed = study.trials.filter((t) => t.state === 'COMPLETE' && t.value !== null && t.number !== trial.number);
    if (completed.length < this.nStartup || completed.length === 0) return null;
    const full = intersectionSearchSpace(completed);
    const space: Record<string, Distribution> = {};
    for (const k of Object.keys(full)) if (!isSingle(full[k]!)) space[k] = full[k]!;
    if (Object.keys(space).length === 0) return null;
    const params = this.propose(study, trial, completed, new GPSearchSpace(space));
    if (params === null) return null;
    const text = JSON.stringify(params), systemAttrs: Record<string, unknown> = {};
    for (let i = 0; i * ATTR_CHUNK < text.length; i++) systemAttrs[`${RELATIVE_PARAMS_KEY}:${i}`] = text.slice(i * ATTR_CHUNK, (i + 1) * ATTR_CHUNK);
    return { space, params, systemAttrs };
  }

  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, d: Distribution): ParamValue {
    return this.independent.sampleIndependent(study, trial, name, d);
  }

  afterTrial(study: StudyView, trial: FrozenTrial): void {
    this.independent.afterTrial?.(study, trial);
  }

  /** The proposal for `trial`, or null in a constrained study whose COMPLETE trials carry no constraint values. */
  private propose(study: StudyView, trial: FrozenTrial, completed: FrozenTrial[], space: GPSearchSpace): Record<string, ParamValue> | null {
    const constraints = this.constraintsFunc !== undefined || hasConstraints(study.trials) ? completed.map(constraintsOf) : null;
    if (constraints?.every((c) => c === null)) return null;
    const d = space.dim, n = completed.length;
    const running: Record<string, ParamValue>[] = [];
    for (const t of study.trials) {
      if (t.state !== 'RUNNING' || t.number === trial.number) continue;
      const p = proposedParams(t);
      if (space.names.every((k, j) => Object.hasOwn(p, k) && contains(space.dists[j]!, p[k]!))) running.push(p);
    }
    const X = new Float64Array((n + running.length) * d);
    completed.forEach((t, i) => space.normalize(t.params, X, i));
    running.forEach((p, i) => space.normalize(p, X, n + i));
    const y = standardize(completed.map((t) => (study.directions[0] === 'maximize' ? t.value! : -t.value!))).values;
    let best = 0;
    for (let i = 1; i < n; i++) if (y[i]! > y[best]!) best = i;
    const key = space.names.join('\u0000') + '|' + space.dists.map((x) => JSON.stringify(x)).join();
    const cached = this.cache?.key === key ? this.cache : null, history = cached?.history ?? { s: [], y: [] };
    const params = fitKernelParams(X.subarray(0, n * d), y, space.isCat, {
      deterministic: this.deterministic, init: cached?.params ?? null, history,
    });
    this.cache = { key, params, history };
    // Constant liar: running points join the GP with the best value observed.
    const yAll = new Float64Array(n + running.length);
    yAll.set(y); yAll.fill(y[best]!, n);
    const lengthscales = params.isl.map((v) => 1 / Math.sqrt(v));
    if (constraints === null) {
      const acq = new LogEIAcquisition(new GPRegressor(params, X, yAll), y[best]!);
      const { x } = optimizeAcquisition(acq, space, this.rng, { lengthscales, warmStarts: [X.slice(best * d, best * d + d)] });
      return space.unnormalize(x);
    }
    // Constrained: log EI over the best feasible value (none yet: no objective term) + log P(feasible).
    let feasibleBest = -1;
    completed.forEach((t, i) => { if (isFeasible(t, true) && (feasibleBest < 0 || y[i]! > y[feasibleBest]!)) feasibleBest = i; });
    const fit = fitConstraintModels(constraints, X, running.length, space.isCat, { key, cache: this.constraintCache, deterministic: this.deterministic });
    this.constraintCache = fit.cache;
    const objective = feasibleBest < 0 ? null : new LogEIAcquisition(new GPRegressor(params, X, yAll), y[feasibleBest]!);
    const warmStarts = feasibleBest < 0 ? [] : [X.slice(feasibleBest * d, feasibleBest * d + d)];
    const { x } = optimizeAcquisition(new ConstrainedLogEIAcquisition(objective, fit.models), space, this.rng, { lengthscales, warmStarts });
    return space.unnormalize(x);
  }
}

/** A running trial's parameters: those it suggested, over those proposed for it (gp:relative_params). */
function proposedParams(t: FrozenTrial): Record<string, ParamValue> {
  let text = '';
  for (let i = 0; typeof t.systemAttrs[`${RELATIVE_PARAMS_KEY}:${i}`] === 'string'; i++) text += t.systemAttrs[`${RELATIVE_PARAMS_KEY}:${i}`] as string;
  let proposed: Record<string, ParamValue> = {};
  try {
    if (text) proposed = JSON.parse(text) as Record<string, ParamValue>;
  } catch {
    proposed = {}; // another writer's damaged attribute: fall back on the suggested parameters
  }
  return { ...proposed, ...t.params };
}
