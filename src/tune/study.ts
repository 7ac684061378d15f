// Study: a hyperparameter search (Optuna's Study). createStudy() opens or creates it in a
// storage; optimize() runs trials — each gets a Trial that reads the study's latest snapshot, the
// objective's value (or exception, NaN, TrialPruned) decides its state, and a failing trial fails
// alone: the study goes on. In-process concurrency runs several async objectives at once; trials
// in worker threads come with the workers module. With a storage shared by processes on several
// hosts (PostgresStorage), a RUNNING trial sends heartbeats, each ask first fails trials of dead
// workers (failStaleTrials), a GridSampler's point is claimed with the trial (createClaimingTrial),
// and tell() accepts that another worker already failed a trial whose heartbeats stopped.
import { Trial, TrialPruned } from './trial.js';
import { InMemoryStorage, type Storage, type StudyRecord } from './storages/storage.js';
import type { Direction, FrozenTrial } from './frozen-trial.js';
import { NopPruner, RandomSampler, type Pruner, type Sampler, type StudyView } from './samplers/sampler.js';
import type { ParamValue } from './distributions.js';
import { openStorage } from './storages/open-storage.js';
import type { ObjectiveModule, WorkerOptimizeOptions } from './workers/protocol.js';

export type ObjectiveValue = number | number[];
export type Objective = (trial: Trial) => ObjectiveValue | Promise<ObjectiveValue>;

export interface CreateStudyOptions {
  direction?: Direction;
  /** Several objectives (the objective returns an array). */
  directions?: Direction[];
  /** Default: TPESampler when available in the caller, else RandomSampler({ seed }). */
  sampler?: Sampler;
  pruner?: Pruner;
  /** A Storage, or a URL/path: 'postgresql://…' (PostgresStorage; needs the optional `pg`
   * package) or a journal file path (JournalFileStorage). */
  storage?: Storage | string;
  studyName?: string;
  /** Resume the study of this name if the storage has it. */
  loadIfExists?: boolean;
  /** Seed of the default sampler. */
  seed?: number;
}

export interface OptimizeOptions {
  /** Stop after this many trials (counted by this call). */
  nTrials?: number;
  /** Stop starting trials after this many seconds (running ones finish). */
  timeout?: number;
  /** Trials at once (in-process: useful for async objectives). */
  concurrency?: number;
  /** true (default): an exception fails its trial and the study goes on; false: it is rethrown. */
  catch?: boolean;
  /** Called after every finished trial. */
  callbacks?: Array<(study: Study, trial: FrozenTrial) => void>;
}

let unnamed = 0;

/**
 * Creates (or, with loadIfExists, resumes) a study.
 * @example
 * const study = await sg.tune.createStudy({ direction: 'maximize', sampler: new sg.tune.TPESampler({ seed: 1 }) });
 * await study.optimize((t) => score(t.suggestFloat('lr', 1e-4, 1e-1, { log: true })), { nTrials: 50 });
 * study.bestParams
 */
export async function createStudy(opts: CreateStudyOptions = {}): Promise<Study> {
  const directions = opts.directions ?? [opts.direction ?? 'minimize'];
  if (directions.length === 0 || directions.some((d) => d !== 'minimize' && d !== 'maximize')) {
    throw new RangeError(`directions must be 'minimize' or 'maximize', got ${JSON.stringify(directions)}`);
  }
  if (opts.direction && opts.directions) throw new RangeError('give direction or directions, not both');
  const storage = typeof opts.storage === 'string' ? await openStorage(opts.storage) : opts.storage ?? new InMemoryStorage();
  const name = opts.studyName ?? `study-${Date.now().toString(36)}-${unnamed++}`;
  const rec = await storage.createStudy(name, directions, { loadIfExists: opts.loadIfExists ?? false });
  if (rec.directions.join() !== directions.join() && opts.loadIfExists) {
    throw new RangeError(`study '${name}' exists with directions ${rec.directions.join(', ')}, not ${directions.join(', ')}`);
  }
  const study = new Study(rec, storage, opts.sampler ?? new RandomSampler({ seed: opts.seed ?? 0 }), opts.pruner ?? new NopPruner());
  await study.refresh();
  return study;
}

export class Study implements StudyView {
  private snapshot: FrozenTrial[] = [];
  private stopping = false;
  /** Heartbeat timers of this process's RUNNING trials (storages with recordHeartbeat). */
  private readonly beats = new Map<number, ReturnType<typeof setInterval>>();

  /** @internal use createStudy */
  constructor(private readonly rec: StudyRecord, readonly storage: Storage, readonly sampler: Sampler, readonly pruner: Pruner) {}

  get studyName(): string { return this.rec.studyName; }
  get studyId(): number { return this.rec.studyId; }
  get directions(): readonly Direction[] { return this.rec.directions; }
  get direction(): Direction { return this.rec.directions[0]!; }
  /** Trials as of the last refresh (after every trial this process finished). */
  get trials(): readonly FrozenTrial[] { return this.snapshot; }

  /** Re-reads the trials from storage. */
  async refresh(): Promise<readonly FrozenTrial[]> {
    this.snapshot = await this.storage.getAllTrials(this.rec.studyId);
    return this.snapshot;
  }

  /** The best COMPLETE trial (single objective). */
  get bestTrial(): FrozenTrial {
    if (this.directions.length > 1) throw new RangeError('bestTrial is for single-objective studies; use bestTrials');
    const done = this.snapshot.filter((t) => t.state === 'COMPLETE');
    if (!done.length) throw new RangeError('no trial has completed yet');
    const sign = this.direction === 'minimize' ? 1 : -1;
    return done.reduce((b, t) => (sign * t.value! < sign * b.value! ? t : b));
  }
  get bestValue(): number { return this.bestTrial.value!; }
  get bestParams(): Record<string, ParamValue> { return this.bestTrial.params; }

  /** The Pareto front of COMPLETE trials (multi-objective). */
  get bestTrials(): FrozenTrial[] {
    const done = this.snapshot.filter((t) => t.state === 'COMPLETE');
    const better = (a: number[], b: number[]) => a.every((v, i) => (this.directions[i] === 'minimize' ? v <= b[i]! : v >= b[i]!)) &&
      a.some((v, i) => v !== b[i]);
    return done.filter((t) => !done.some((o) => o !== t && better(o.values!, t.values!)));
  }

  /** Queues a trial with fixed parameters; the next trial to start runs it (Optuna's enqueue_trial). */
  async enqueueTrial(params: Record<string, ParamValue>, userAttrs?: Record<string, unknown>): Promise<void> {
    await this.storage.createTrial(this.rec.studyId, { state: 'WAITING', params, ...(userAttrs ? { userAttrs } : {}) });
    await this.refresh();
  }

  /** Fails trials of dead workers (storages with heartbeats; the storage throttles the check). */
  private async failStale(): Promise<void> {
    if (!this.storage.failStaleTrials) return;
    for (const t of await this.storage.failStaleTrials(this.rec.studyId)) this.sampler.afterTrial?.(this, t);
  }

  /** @internal whether the sampler has nothing left (after failing dead workers' trials, whose
   * retries may be enqueued, and re-reading the study) and nothing is enqueued. */
  async exhausted(pendingStarts: number): Promise<boolean> {
    if (!this.sampler.isExhausted) return false;
    await this.failStale();
    await this.refresh();
    return this.sampler.isExhausted(this, pendingStarts) && !this.hasWaiting();
  }

  /** @internal whether the last snapshot has enqueued trials left (they run even after a grid is done). */
  hasWaiting(): boolean { return this.snapshot.some((t) => t.state === 'WAITING'); }

  /** Asks the study to start no new trials (running ones finish). */
  stop(): void { this.stopping = true; }

  /** Starts a trial: an enqueued one if any, else a new one. */
  async ask(): Promise<Trial> {
    return (await this.next(false))!;
  }

  /** @internal ask() for the optimize loops: null when the sampler's shared claims (a grid in
   * a claiming storage) are all taken and nothing is enqueued. First fails stale trials of dead
   * workers (storages with heartbeats), as Optuna does before each trial. */
  async next(stopWhenClaimed = true): Promise<Trial | null> {
    const { storage, sampler } = this, id = this.rec.studyId;
    await this.failStale();
    let rec = await storage.claimWaitingTrial(id);
    if (!rec && sampler.trialClaim && storage.createClaimingTrial) {
      rec = await storage.createClaimingTrial(id, sampler.trialClaim);
      if (!rec && stopWhenClaimed) return null;
    }
    rec ??= await storage.createTrial(id);
    this.startHeartbeat(rec.trialId);
    await this.refresh();
    // The study itself is the trial's view: samplers and pruners read the latest snapshot.
    return new Trial(rec, this, this.sampler, this.pruner, this.storage);
  }

  private startHeartbeat(trialId: number): void {
    const ms = this.storage.heartbeatIntervalMs, storage = this.storage;
    if (!ms || !storage.recordHeartbeat) return;
    // A missed beat is harmless (the storage retries its connection); a long outage lets
    // other workers fail this trial after the grace period, and tell() accepts that.
    const timer = setInterval(() => { storage.recordHeartbeat!(trialId).catch(() => undefined); }, ms);
    (timer as { unref?: () => void }).unref?.();
    this.beats.set(trialId, timer);
  }

  private stopHeartbeat(trialId: number): void {
    clearInterval(this.beats.get(trialId));
    this.beats.delete(trialId);
  }

  /** Finishes a trial from the objective's outcome; returns its final record. */
  async tell(trial: Trial, outcome: { value: ObjectiveValue } | { error: unknown }): Promise<FrozenTrial> {
    const rec = trial.frozen;
    try {
      await trial.flush();
    } catch (e) {
      // A write of the trial failed for good (e.g. the server stayed unreachable): fail it.
      outcome = { error: new Error(`storage write failed: ${e instanceof Error ? e.message : String(e)}`) };
    }
    let state: 'COMPLETE' | 'PRUNED' | 'FAIL', values: number[] | null = null, reason: string | undefined;
    if ('error' in outcome) {
      if (outcome.error instanceof TrialPruned) {
        state = 'PRUNED';
        const steps = Object.keys(rec.intermediateValues).map(Number);
        values = steps.length ? [rec.intermediateValues[Math.max(...steps)]!] : null;
      } else {
        state = 'FAIL';
        reason = outcome.error instanceof Error ? `${outcome.error.name}: ${outcome.error.message}` : String(outcome.error);
      }
    } else {
      const v = Array.isArray(outcome.value) ? outcome.value : [outcome.value];
      if (v.length !== this.directions.length) {
        state = 'FAIL'; reason = `objective returned ${v.length} values for ${this.directions.length} directions`;
      } else if (v.some((x) => typeof x !== 'number' || Number.isNaN(x))) {
        state = 'FAIL'; reason = `objective returned ${JSON.stringify(outcome.value)} (NaN or not a number)`;
      } else {
        state = 'COMPLETE'; values = v;
      }
    }
    this.stopHeartbeat(rec.trialId);
    try {
      await this.storage.finishTrial(rec.trialId, state, values, reason);
    } catch (e) {
      // Another worker may have failed this trial as stale (its heartbeats stopped reaching the
      // storage): that verdict stands. Anything else is a real error.
      const now = (await this.refresh()).find((t) => t.trialId === rec.trialId);
      if (!now || now.state === 'RUNNING' || now.state === 'WAITING') throw e;
    }
    await this.refresh();
    const final = this.snapshot.find((t) => t.trialId === rec.trialId)!;
    this.sampler.afterTrial?.(this, final);
    return final;
  }

  /**
   * Runs trials until nTrials (this call), timeout or stop(). Failing trials fail alone.
   * @example await study.optimize((trial) => (trial.suggestFloat('x', -10, 10) - 2) ** 2, { nTrials: 100 })
   */
  async optimize(objective: Objective, opts?: OptimizeOptions): Promise<void>;
  /** Runs trials in `concurrency` worker threads; the module's export is the objective. */
  async optimize(objective: ObjectiveModule, opts?: WorkerOptimizeOptions): Promise<void>;
  async optimize(objective: Objective | ObjectiveModule, opts: OptimizeOptions = {}): Promise<void> {
    if (typeof objective !== 'function') {
      // The worker pool (Node's worker_threads) loads on first use: no weight in the core bundle.
      this.stopping = false;
      const { optimizeInWorkers } = await import('./workers/pool.js');
      return optimizeInWorkers(this, objective, opts, () => this.stopping);
    }
    const { nTrials = Infinity, timeout, concurrency = 1, callbacks = [] } = opts;
    if (nTrials === Infinity && timeout === undefined) throw new RangeError('optimize needs nTrials or timeout');
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be an integer ≥ 1, got ${concurrency}`);
    const deadline = timeout === undefined ? Infinity : Date.now() + timeout * 1000;
    this.stopping = false;
    let started = 0;
    let rethrow: unknown;
    let starting = 0; // trials between ask() and their sampling (the sampler cannot see them yet)
    const loop = async (): Promise<void> => {
      while (!this.stopping && started < nTrials && Date.now() < deadline && rethrow === undefined) {
        if (this.sampler.isExhausted) {
          const done = await this.exhausted(starting); // sees other workers' trials
          if (this.stopping || started >= nTrials || done) break;
        }
        started++;
        starting++;
        const trial = await this.next().finally(() => starting--);
        if (!trial) break;
        let outcome: { value: ObjectiveValue } | { error: unknown };
        try {
          outcome = { value: await objective(trial) };
        } catch (error) {
          outcome = { error };
          if (opts.catch === false && !(error instanceof TrialPruned)) rethrow ??= error;
        }
        const final = await this.tell(trial, outcome);
        for (const cb of callbacks) cb(this, final);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, loop));
    if (rethrow !== undefined) throw rethrow;
  }
}
