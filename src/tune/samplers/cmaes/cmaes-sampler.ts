// CmaEsSampler: CMA-ES over the numerical parameters (Optuna 3.1's CmaEsSampler, which wraps the
// `cmaes` library; cma.ts and sep-cma.ts follow it). The relative search space is the
// intersection of the COMPLETE trials' spaces without categorical and single-valued parameters
// (those, and everything while fewer than nStartupTrials trials have completed or while the space
// has one parameter, go to the independent sampler — random by default). Each trial asks the
// current generation's distribution for a point and records its generation; once popsize
// COMPLETE trials of a generation exist, the next trial tells them (log scales in log space,
// steps widened by half a step, as Optuna's transform) and stores the new state in its system
// attributes, so that any worker sharing the storage resumes from the latest completed trial's
// state — the sampler itself keeps none. Options: IPOP restarts (`restartStrategy: 'ipop'`, the
// population multiplied by incPopsize when the library's stop tests fire), separable CMA-ES, warm
// start from earlier trials (`sourceTrials`), pruned trials' last values.
import { contains, fromInternal, isSingle, toInternal, type Distribution, type ParamValue } from '../../distributions.js';
import { dict, lastStep, type FrozenTrial } from '../../frozen-trial.js';
import { Rng, freshSeed } from '../../rng.js';
import type { StudyView } from '../../study-view.js';
import type { RelativeSample, Sampler } from '../sampler.js';
import { RandomSampler } from '../random-sampler.js';
import { dimOf } from '../parzen-estimator.js';
import { intersectionSearchSpace } from '../intersection-search-space.js';
import { CMA, type CmaState } from './cma.js';
import { SepCMA } from './sep-cma.js';
import { getWarmStartMgd } from './warm-start.js';
import { checkInt, checkNumber, checkSeed } from '../../../check-option.js';

export interface CmaEsSamplerOptions {
  /** Initial mean, as parameter values (default: the centre of each range). */
  x0?: Record<string, ParamValue>;
  /** Initial step size in the transformed space (default: the smallest range / 6). */
  sigma0?: number;
  /** COMPLETE trials sampled independently before CMA-ES starts (default 1, as Optuna). */
  nStartupTrials?: number;
  /** Samples categorical parameters, parameters outside the space and the startup trials (default RandomSampler({ seed })). */
  independentSampler?: Sampler;
  /** Default: a fresh seed per sampler (`sampler.seed` tells which). */
  seed?: number;
  /** Count PRUNED trials, with their last reported value, as evaluated solutions (default false). */
  considerPrunedTrials?: boolean;
  /** 'ipop': restart with a population incPopsize times larger when the search stalls (default: no restarts). */
  restartStrategy?: 'ipop' | null;
  /** Population size (default 4 + ⌊3 ln n⌋ for n parameters); with IPOP, the first one. */
  popsize?: number;
  /** Population multiplier per IPOP restart (default 2). */
  incPopsize?: number;
  /** Separable CMA-ES: a diagonal covariance (default false). */
  useSeparableCma?: boolean;
  /** Warm start from these trials of a similar earlier study (not with x0, sigma0 or useSeparableCma). */
  sourceTrials?: FrozenTrial[];
}

const OWNER = 'CmaEsSampler';
type Optimizer = CMA | SepCMA;

/**
 * The CMA-ES sampler.
 * @example
 * const sampler = new sg.tune.CmaEsSampler({ seed: 1, restartStrategy: 'ipop' });
 * const study = await sg.tune.createStudy({ sampler });
 */
export class CmaEsSampler implements Sampler {
  /** The seed this sampler started from (drawn fresh when none was given). */
  readonly seed: number;
  private rng: Rng;
  private readonly o: Required<Pick<CmaEsSamplerOptions, 'nStartupTrials' | 'considerPrunedTrials' | 'incPopsize' | 'useSeparableCma'>> & CmaEsSamplerOptions;
  private readonly independent: Sampler;
  private readonly prefix: string;

  constructor(opts: CmaEsSamplerOptions = {}) {
    this.seed = checkSeed(OWNER, opts.seed) ?? freshSeed();
    const nStartupTrials = checkInt(OWNER, 'nStartupTrials', opts.nStartupTrials ?? 1, 0);
    const incPopsize = checkInt(OWNER, 'incPopsize', opts.incPopsize ?? 2, 1);
    if (opts.popsize !== undefined) checkInt(OWNER, 'popsize', opts.popsize, 2);
    if (opts.sigma0 !== undefined) checkNumber(OWNER, 'sigma0', opts.sigma0, { gt: 0 });
    for (const k of ['considerPrunedTrials', 'useSeparableCma'] as const) {
      if (opts[k] !== undefined && typeof opts[k] !== 'boolean') throw new TypeError(`${OWNER}: ${k} must be a boolean, got ${String(opts[k])}`);
    }
    if (opts.restartStrategy !== undefined && opts.restartStrategy !== null && opts.restartStrategy !== 'ipop') {
      throw new RangeError(`${OWNER}: restartStrategy must be 'ipop' or null, got ${String(opts.restartStrategy)}`);
    }
    if (opts.x0 !== undefined && (typeof opts.x0 !== 'object' || opts.x0 === null)) throw new TypeError(`${OWNER}: x0 must be an object of parameter values, got ${String(opts.x0)}`);
    if (opts.sourceTrials !== undefined) {
      if (!Array.isArray(opts.sourceTrials)) throw new TypeError(`${OWNER}: sourceTrials must be an array of trials`);
      if (opts.x0 !== undefined || opts.sigma0 !== undefined) throw new RangeError(`${OWNER}: sourceTrials cannot be combined with x0 or sigma0`);
      if (opts.useSeparableCma) throw new RangeError(`${OWNER}: sourceTrials cannot be combined with useSeparableCma`);
    }
    if (opts.independentSampler !== undefined && typeof opts.independentSampler?.sampleIndependent !== 'function') {
      throw new TypeError(`${OWNER}: independentSampler must be a Sampler (with sampleIndependent), got ${String(opts.independentSampler)}`);
    }
    this.o = { ...opts, nStartupTrials, incPopsize, considerPrunedTrials: opts.considerPrunedTrials ?? false, useSeparableCma: opts.useSeparableCma ?? false };
    this.independent = opts.independentSampler ?? new RandomSampler({ seed: this.seed });
    this.rng = new Rng(this.seed + 0x1b873593);
    this.prefix = this.o.useSeparableCma ? 'sepcma:' : 'cma:';
  }

  reseed(seed: number): void {
    this.rng = new Rng(seed);
    this.independent.reseed?.(seed + 1);
  }

  /** CMA-ES minimises one objective (as Optuna 3.1's, it refuses several). */
  checkStudy(study: StudyView): void {
    if (study.directions.length > 1) throw new RangeError(`${OWNER} supports single-objective studies only; this study has ${study.directions.length} directions`);
  }

  private generationKey(restart: number): string {
    return this.o.restartStrategy ? `${this.prefix}restart_${restart}:generation` : `${this.prefix}generation`;
  }

  sampleRelative(study: StudyView, trial: FrozenTrial): RelativeSample | null {
    this.checkStudy(study);
    const completed = this.completedTrials(study, trial);
    const full = intersectionSearchSpace(study.trials.filter((t) => t.state === 'COMPLETE' && t.number !== trial.number));
    const space: Record<string, Distribution> = dict();
    for (const k of Object.keys(full)) if (full[k]!.kind !== 'categorical' && !isSingle(full[k]!)) space[k] = full[k]!;
    const names = Object.keys(space), n = names.length;
    if (n < 2 || completed.length < this.o.nStartupTrials) return null;
    const dists = names.map((k) => space[k]!), dims = dists.map(dimOf);
    const bounds = new Float64Array(2 * n);
    dims.forEach((m, j) => { bounds[2 * j] = m.lo; bounds[2 * j + 1] = m.hi; });
    const sign = study.directions[0] === 'maximize' ? -1 : 1;
    const transform = (p: Record<string, ParamValue>) => Float64Array.from(names, (k, j) => toInternal(dists[j]!, p[k]!));

    const restored = this.restore(completed, bounds);
    if (restored === 'other space') return null; // the space changed since the state was stored (Optuna: independent sampling)
    let { optimizer, restarts } = restored;
    optimizer ??= this.init(names, dists, bounds, sign, this.o.popsize, false);
    const systemAttrs: Record<string, unknown> = {};
    const key = this.generationKey(restarts);
    const solutions = completed.filter((t) => t.systemAttrs[key] === optimizer!.generation &&
      names.every((k, j) => Object.hasOwn(t.params, k) && contains(dists[j]!, t.params[k]!)));
    if (solutions.length >= optimizer.populationSize) {
      optimizer.tell(solutions.slice(0, optimizer.populationSize).map((t) => ({ x: transform(t.params), value: sign * t.value! })));
      if (this.o.restartStrategy === 'ipop' && optimizer.shouldStop()) {
        restarts++;
        optimizer = this.init(names, dists, bounds, sign, optimizer.populationSize * this.o.incPopsize, true);
      }
      systemAttrs[`${this.prefix}state`] = encodeState(optimizer.toState());
    }
    const x = optimizer.ask(new Rng(this.rng.seed() + trial.number));
    systemAttrs[this.generationKey(restarts)] = optimizer.generation;
    systemAttrs[`${this.prefix}n_restarts`] = restarts;
    const params: Record<string, ParamValue> = dict();
    names.forEach((k, j) => { params[k] = fromInternal(dists[j]!, x[j]!); });
    return { space, params, systemAttrs };
  }

  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, d: Distribution): ParamValue {
    return this.independent.sampleIndependent(study, trial, name, d);
  }

  afterTrial(study: StudyView, trial: FrozenTrial): void {
    this.independent.afterTrial?.(study, trial);
  }

  /** COMPLETE trials (and PRUNED ones with their last value, if considered), oldest first. */
  private completedTrials(study: StudyView, trial: FrozenTrial): FrozenTrial[] {
    const out: FrozenTrial[] = [];
    for (const t of study.trials) {
      if (t.number === trial.number) continue;
      if (t.state === 'COMPLETE') out.push(t);
      else if (t.state === 'PRUNED' && this.o.considerPrunedTrials) {
        const step = lastStep(t);
        const v = step === undefined ? undefined : t.intermediateValues[step];
        if (v !== undefined && !Number.isNaN(v)) out.push({ ...t, value: v, values: [v] });
      }
    }
    return out;
  }

  /** The state stored by the latest completed trial that stored one, and its restart count; 'other space' if it has another dimension. */
  private restore(completed: FrozenTrial[], bounds: Float64Array): { optimizer: Optimizer | null; restarts: number } | 'other space' {
    for (let i = completed.length - 1; i >= 0; i--) {
      const raw = completed[i]!.systemAttrs[`${this.prefix}state`];
      if (raw === undefined) continue;
      const state = decodeState(raw), restarts = completed[i]!.systemAttrs[`${this.prefix}n_restarts`];
      if (!state) continue; // not a state this sampler wrote
      if (state.mean.length * 2 !== bounds.length) return 'other space';
      const optimizer = state.kind === 'sepcma' ? SepCMA.fromState(state, bounds, 5 * bounds.length) : CMA.fromState(state, bounds, 5 * bounds.length);
      return { optimizer, restarts: typeof restarts === 'number' ? restarts : 0 };
    }
    return { optimizer: null, restarts: 0 };
  }

  /** A fresh optimizer (Optuna's _init_optimizer): mean at the centre, x0, a random point (IPOP) or the warm start. */
  private init(names: string[], dists: Distribution[], bounds: Float64Array, sign: number, popsize: number | undefined, randomStart: boolean): Optimizer {
    const n = names.length, lo = (j: number) => bounds[2 * j]!, hi = (j: number) => bounds[2 * j + 1]!;
    let mean: Float64Array, sigma0: number, cov: Float64Array | null = null;
    if (this.o.sourceTrials === undefined) {
      const x0 = this.o.x0;
      mean = Float64Array.from(names, (k, j) => {
        if (randomStart) return lo(j) + (hi(j) - lo(j)) * this.rng.uniform();
        if (x0 === undefined) return lo(j) + (hi(j) - lo(j)) / 2;
        if (!Object.hasOwn(x0, k) || !contains(dists[j]!, x0[k]!)) throw new RangeError(`${OWNER}: x0 has no valid value for '${k}' (got ${JSON.stringify(x0[k])})`);
        return toInternal(dists[j]!, x0[k]!);
      });
      sigma0 = this.o.sigma0 ?? Math.min(...names.map((_, j) => (hi(j) - lo(j)) / 6));
    } else {
      const source = this.o.sourceTrials.filter((t) => t.state === 'COMPLETE' && t.value !== null && Object.keys(t.distributions).length === n &&
        names.every((k, j) => Object.hasOwn(t.params, k) && contains(dists[j]!, t.params[k]!)));
      if (source.length === 0) throw new RangeError(`${OWNER}: none of the ${this.o.sourceTrials.length} sourceTrials is a COMPLETE trial over this search space (${names.join(', ')})`);
      ({ mean, sigma: sigma0, cov } = getWarmStartMgd(source.map((t) => ({ x: Float64Array.from(names, (k, j) => toInternal(dists[j]!, t.params[k]!)), value: sign * t.value! }))));
    }
    sigma0 = Math.max(sigma0, 1e-10);
    const common = { mean, sigma: sigma0, bounds, nMaxResampling: 10 * n, ...(popsize !== undefined ? { populationSize: popsize } : {}) };
    return this.o.useSeparableCma ? new SepCMA(common) : new CMA({ ...common, cov });
  }
}

/** The state as a JSON value: non-finite recorded values (an objective may return ±Infinity) become strings. */
function encodeState(s: CmaState): Record<string, unknown> {
  return { ...s, funhist: s.funhist.map((v) => (Number.isFinite(v) ? v : String(v))) };
}

/** A stored state, or null if `raw` is not one (another writer's attribute, or damaged). */
function decodeState(raw: unknown): CmaState | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const s = raw as Partial<CmaState> & { funhist?: Array<number | string> };
  const nums = (a: unknown, len?: number): a is number[] => Array.isArray(a) && (len === undefined || a.length === len) && a.every((v) => typeof v === 'number' && Number.isFinite(v));
  const n = Array.isArray(s.mean) ? s.mean.length : -1;
  if ((s.kind !== 'cma' && s.kind !== 'sepcma') || !nums(s.mean) || !nums(s.C, s.kind === 'cma' ? n * n : n) || !nums(s.pSigma, n) || !nums(s.pc, n)) return null;
  if (!(typeof s.sigma === 'number' && s.sigma > 0) || !(typeof s.tolx === 'number' && s.tolx > 0) || !Number.isInteger(s.generation) ||
    !Number.isInteger(s.populationSize) || !Array.isArray(s.funhist)) return null;
  return { ...(s as CmaState), funhist: s.funhist.map(Number) };
}
