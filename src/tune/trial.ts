// Trial: what an objective receives (Optuna's define-by-run trial). suggest* return values at
// once (the sampler works on the study's latest snapshot, refreshed whenever a trial of this
// process starts or ends) and record them in
// storage in the background; the study awaits those writes when the trial ends. A name suggested
// twice returns the same value and must use the same distribution.
import {
  categoricalDistribution, contains, floatDistribution, intDistribution, sameDistribution,
  type Distribution, type ParamValue,
} from './distributions.js';
import type { FrozenTrial } from './frozen-trial.js';
import type { RelativeSample, Sampler } from './samplers/sampler.js';
import type { Pruner } from './pruners/pruner.js';
import type { StudyView } from './study-view.js';
import type { Storage } from './storages/storage.js';
import { checkInt } from '../check-option.js';
import type { ArtifactStore } from './artifacts/artifact-store.js';
import { artifactBytes, artifactRecord, type ArtifactBytes } from './artifacts/artifact-meta.js';
import { CONSTRAINTS_KEY, checkConstraints } from './constraints.js';

/** Thrown by an objective (or by `trial.prune()`) to end a trial as PRUNED. */
export class TrialPruned extends Error {
  override name = 'TrialPruned';
}

export class Trial {
  private readonly pending: Promise<void>[] = [];
  private writeError: unknown;
  private readonly relative: RelativeSample | null;

  /** @internal built by Study */
  constructor(
    private readonly record: FrozenTrial, private readonly view: StudyView,
    private readonly sampler: Sampler, private readonly pruner: Pruner, private readonly storage: Storage,
    private readonly artifactStore?: () => ArtifactStore,
  ) {
    this.relative = sampler.sampleRelative?.(view, record) ?? null;
    for (const [k, v] of Object.entries(this.relative?.systemAttrs ?? {})) {
      record.systemAttrs[k] = v;
      this.write(storage.setTrialSystemAttr(record.trialId, k, v));
    }
  }

  get number(): number { return this.record.number; }
  /** Parameters suggested so far. */
  get params(): Readonly<Record<string, ParamValue>> { return this.record.params; }
  get distributions(): Readonly<Record<string, Distribution>> { return this.record.distributions; }
  get userAttrs(): Readonly<Record<string, unknown>> { return this.record.userAttrs; }
  get intermediateValues(): Readonly<Record<number, number>> { return this.record.intermediateValues; }

  private suggest(name: string, d: Distribution): ParamValue {
    if (typeof name !== 'string' || name === '') throw new RangeError('a parameter name must be a non-empty string');
    const prev = this.record.distributions[name];
    if (prev) {
      if (!sameDistribution(prev, d)) {
        throw new RangeError(`parameter '${name}' was suggested with ${JSON.stringify(prev)} and now with ${JSON.stringify(d)}`);
      }
      return this.record.params[name]!;
    }
    const fixedParams = this.record.systemAttrs.fixedParams as Record<string, ParamValue> | undefined;
    const fixed = fixedParams && Object.hasOwn(fixedParams, name) ? fixedParams[name] : undefined;
    let v: ParamValue;
    if (fixed !== undefined) {
      if (!contains(d, fixed)) throw new RangeError(`enqueued value ${JSON.stringify(fixed)} for '${name}' is outside ${JSON.stringify(d)}`);
      v = fixed;
    } else if (this.relative && Object.hasOwn(this.relative.space, name) && sameDistribution(this.relative.space[name]!, d) &&
      Object.hasOwn(this.relative.params, name)) {
      v = this.relative.params[name]!;
    } else {
      v = this.sampler.sampleIndependent(this.view, this.record, name, d);
    }
    this.record.params[name] = v;
    this.record.distributions[name] = d;
    this.write(this.storage.setTrialParam(this.record.trialId, name, d, v));
    return v;
  }

  /** A float in [low, high]; `log` samples on a log scale, `step` on a grid. @example trial.suggestFloat('lr', 1e-4, 1e-1, { log: true }) */
  suggestFloat(name: string, low: number, high: number, opts: { log?: boolean; step?: number } = {}): number {
    return this.suggest(name, floatDistribution(name, low, high, { log: opts.log ?? false, step: opts.step ?? null })) as number;
  }
  /** An integer in [low, high]. @example trial.suggestInt('hidden', 16, 256, { log: true }) */
  suggestInt(name: string, low: number, high: number, opts: { log?: boolean; step?: number } = {}): number {
    return this.suggest(name, intDistribution(name, low, high, { log: opts.log ?? false, step: opts.step ?? 1 })) as number;
  }
  /** One of `choices`. @example trial.suggestCategorical('optimizer', ['adam', 'sgd']) */
  suggestCategorical<T extends ParamValue>(name: string, choices: readonly T[]): T {
    return this.suggest(name, categoricalDistribution(name, choices)) as T;
  }

  /** Records an intermediate objective value (e.g. validation loss after an epoch or fold). */
  report(value: number, step: number): void {
    checkInt('report', 'step', step, 0);
    if (typeof value !== 'number') throw new RangeError(`report: value must be a number, got ${typeof value}`);
    if (step in this.record.intermediateValues) return; // Optuna ignores a second report of a step
    this.record.intermediateValues[step] = value;
    this.write(this.storage.setTrialIntermediateValue(this.record.trialId, step, value));
  }

  /** Whether the pruner says to stop this trial now (throw `new TrialPruned()` to do so). */
  shouldPrune(): boolean {
    return this.pruner.prune(this.view, this.record, {
      setSystemAttr: (key, value) => {
        this.record.systemAttrs[key] = value;
        this.write(this.storage.setTrialSystemAttr(this.record.trialId, key, value));
      },
    });
  }

  setUserAttr(key: string, value: unknown): void {
    this.record.userAttrs[key] = value;
    this.write(this.storage.setTrialUserAttr(this.record.trialId, key, value));
  }

  /**
   * Attaches a file to this trial (Optuna's upload_artifact): the bytes go to the study's artifact
   * store, the metadata to the system attribute `artifacts:<id>` (list them with getAllArtifactMeta).
   * Returns the artifact id at once; the write finishes before the trial does (a failed write fails it).
   * @example trial.uploadArtifact('model.safetensors', sg.io.saveModel(model))
   */
  uploadArtifact(filename: string, bytes: ArtifactBytes, opts: { mimetype?: string; encoding?: string } = {}): string {
    const data = artifactBytes('uploadArtifact', bytes);
    const { meta, key, value } = artifactRecord(filename, opts);
    if (!this.artifactStore) throw new RangeError('uploadArtifact: this trial has no artifact store');
    const store = this.artifactStore();
    this.record.systemAttrs[key] = value;
    this.write(store.write(meta.artifactId, data).then(() => this.storage.setTrialSystemAttr(this.record.trialId, key, value)));
    return meta.artifactId;
  }

  /**
   * Records the trial's constraint values, each ≤ 0 when satisfied (Optuna 5's constrained
   * optimization; stored as the system attr "constraints", where Optuna 3.1's constraints_func puts
   * them). An infeasible trial never becomes the study's best; TPE and NSGA-II steer away from it.
   * A later call replaces the values; a sampler's constraintsFunc, if any, overrides them.
   * @example trial.setConstraint([latencyMs - 50, params - 1e6]) // feasible when both ≤ 0
   */
  setConstraint(values: readonly number[]): void {
    const c = checkConstraints('setConstraint', values);
    this.record.systemAttrs[CONSTRAINTS_KEY] = c;
    this.write(this.storage.setTrialSystemAttr(this.record.trialId, CONSTRAINTS_KEY, c));
  }

  /** The constraint values recorded so far (setConstraint), or null. */
  get constraints(): readonly number[] | null {
    const c = this.record.systemAttrs[CONSTRAINTS_KEY];
    return Array.isArray(c) ? c as number[] : null;
  }

  /** @internal the trial's record as built so far (also after a failed write) */
  get frozen(): FrozenTrial { return this.record; }

  /** @internal the trial's record and its outstanding storage writes */
  async flush(): Promise<FrozenTrial> {
    await Promise.all(this.pending);
    if (this.writeError !== undefined) throw this.writeError;
    return this.record;
  }

  private write(p: Promise<void>): void {
    this.pending.push(p.catch((e: unknown) => { this.writeError ??= e; }));
  }
}
