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
import { contains, isSingle, type Distribution, type ParamValue } from '../../distributions.js';
import type { FrozenTrial } from '../../frozen-trial.js';
import { Rng, freshSeed } from '../../rng.js';
import type { StudyView } from '../../study-view.js';
import type { RelativeSample, Sampler } from '../sampler.js';
import { RandomSampler } from '../random-sampler.js';
import { intersectionSearchSpace } from '../tpe-sampler.js';
import { fitKernelParams } from './fit-kernel-params.js';
import { GPRegressor, type KernelParams } from './gp-regressor.js';
import { GPSearchSpace } from './gp-search-space.js';
import { LogEIAcquisition } from './log-ei-acquisition.js';
import { optimizeAcquisition } from './optimize-acquisition.js';
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
}

const RELATIVE_PARAMS_KEY = 'gp:relative_params';
const ATTR_CHUNK = 2045; // Optuna's limit on one system attribute's length in RDB storages

/**
 * The Gaussian-process sampler.
 * @example
 * const study = await sg.tune.createStudy({ sampler: new sg.tune.GPSampler({ seed: 1 }) });
 * await study.optimize((t) => (t.suggestFloat('x', -5, 5) - 2) ** 2, { nTrials: 30 });
 */
export class GPSampler implements Sampler {
  /** The seed this sampler started from (drawn fresh when none was given). */
  readonly seed: number;
  private rng: Rng;
  private readonly nStartup: number;
  private readonly deterministic: boolean;
  private readonly independent: Sampler;
  private cache: { key: string; params: KernelParams; history: { s: Float64Array[]; y: Float64Array[] } } | null = null;

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

  private propose(study: StudyView, trial: FrozenTrial, completed: FrozenTrial[], space: GPSearchSpace): Record<string, ParamValue> {
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
    const y = standardized(completed.map((t) => (study.directions[0] === 'maximize' ? t.value! : -t.value!)));
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
    const acq = new LogEIAcquisition(new GPRegressor(params, X, yAll), y[best]!);
    const lengthscales = params.isl.map((v) => 1 / Math.sqrt(v));
    const { x } = optimizeAcquisition(acq, space, this.rng, { lengthscales, warmStarts: [X.slice(best * d, best * d + d)] });
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

/** Values standardised to mean 0 and standard deviation 1 (infinities clipped to the finite range first, as Optuna). */
function standardized(values: number[]): Float64Array {
  const finite = values.filter(Number.isFinite);
  const lo = finite.length ? Math.min(...finite) : 0, hi = finite.length ? Math.max(...finite) : 0;
  const v = Float64Array.from(values, (x) => Math.min(hi, Math.max(lo, x)));
  let mean = 0;
  for (const x of v) mean += x / v.length;
  let sd = 0;
  for (const x of v) sd += (x - mean) ** 2 / v.length;
  sd = Math.max(1e-10, Math.sqrt(sd));
  return v.map((x) => (x - mean) / sd);
}
