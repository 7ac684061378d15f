// Study: a hyperparameter search (Optuna's Study), made by createStudy() (create-study.ts) in a
// storage. ask() starts a trial — each gets a Trial that reads the study's latest snapshot — and
// tell() finishes it: the objective's value (or exception, NaN, TrialPruned) decides its state, a
// failing trial fails alone (logged through the study's logger) and the study goes on. optimize()
// runs the one trial loop (optimize-loop.ts) on runners: the objective in this thread (several
// async objectives at once with `concurrency`), or an objective module in worker threads / Web
// Workers (workers/pool.ts, loaded on first use). With a storage shared by processes on several
// hosts (PostgresStorage), a RUNNING trial sends heartbeats, each ask first fails trials of dead
// workers (failStaleTrials), a GridSampler's point is claimed with the trial (createClaimingTrial),
// and tell() accepts that another worker already failed a trial whose heartbeats stopped.
// Constraints (constraints.ts): tell() evaluates the sampler's constraintsFunc on a trial that ends
// COMPLETE or PRUNED and stores the values before the storage records the end; an infeasible trial
// never becomes bestTrial / bestValue / bestTrials (the Pareto front of the feasible trials).
import { Trial, TrialPruned } from './trial.js';
import type { Storage, StudyRecord } from './storages/storage.js';
import type { Direction, FrozenTrial } from './frozen-trial.js';
import type { Sampler } from './samplers/sampler.js';
import type { Pruner } from './pruners/pruner.js';
import type { StudyView } from './study-view.js';
import type { ArtifactStore } from './artifacts/artifact-store.js';
import type { ParamValue } from './distributions.js';
import type { ObjectiveModule, WorkerOptions } from './workers/protocol.js';
import { checkOptimizeOptions, runTrials, type OptimizeOptionsFor } from './optimize-loop.js';
import { InProcessRunner, type Objective, type ObjectiveValue, type Outcome } from './trial-runner.js';
import { cloneTrial } from './frozen-trial.js';
import { CONSTRAINTS_KEY, checkConstraints, hasConstraints, isFeasible } from './constraints.js';
import { paretoFront } from './pareto.js';

export type { Objective, ObjectiveValue } from './trial-runner.js';

/** Reports a trial that failed (Optuna's "Trial N failed" warning); false: silent. */
export type StudyLogger = ((message: string) => void) | false;

/** optimize's options (optimize-loop.ts checks them). */
export interface OptimizeOptions extends OptimizeOptionsFor<Study> {}

/** optimize's options for an objective module run in worker threads or Web Workers. */
export interface WorkerOptimizeOptions extends OptimizeOptions, WorkerOptions {}

export class Study implements StudyView {
  private snapshot: FrozenTrial[] = [];
  private stopping = false;
  /** Heartbeat timers of this process's RUNNING trials (storages with recordHeartbeat). */
  private readonly beats = new Map<number, ReturnType<typeof setInterval>>();

  /** @internal use createStudy */
  constructor(private readonly rec: StudyRecord, readonly storage: Storage, readonly sampler: Sampler, readonly pruner: Pruner,
    private readonly logger: StudyLogger = false, private artifacts?: ArtifactStore) {}

  /** Where the trials' artifacts go: createStudy's artifactStore, else the storage's (memory,
   * `<journal>.artifacts/`, a PostgreSQL table). Read them with sg.tune.downloadArtifact. */
  get artifactStore(): ArtifactStore {
    this.artifacts ??= this.storage.artifactStore?.();
    if (!this.artifacts) throw new RangeError('this study\'s storage keeps no artifacts: pass createStudy({ artifactStore })');
    return this.artifacts;
  }

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

  /** Whether the study is constrained: its sampler has a constraintsFunc or a trial has constraint values. */
  get constrained(): boolean {
    return this.sampler.constraintsFunc !== undefined || hasConstraints(this.snapshot);
  }

  /** The best COMPLETE trial (single objective); feasible ones only in a constrained study. */
  get bestTrial(): FrozenTrial {
    if (this.directions.length > 1) throw new RangeError('bestTrial is for single-objective studies; use bestTrials');
    const constrained = this.constrained;
    const done = this.snapshot.filter((t) => t.state === 'COMPLETE');
    if (!done.length) throw new RangeError('no trial has completed yet');
    const ok = done.filter((t) => isFeasible(t, constrained));
    if (!ok.length) throw new RangeError(`no feasible trial has completed yet (${done.length} completed, all violating their constraints)`);
    const sign = this.direction === 'minimize' ? 1 : -1;
    return ok.reduce((b, t) => (sign * t.value! < sign * b.value! ? t : b));
  }
  get bestValue(): number { return this.bestTrial.value!; }
  get bestParams(): Record<string, ParamValue> { return this.bestTrial.params; }

  /** The Pareto front of the COMPLETE trials, in trial order; of the feasible ones in a constrained
   * study (empty while none is feasible). For one objective: the trials sharing the best value. */
  get bestTrials(): FrozenTrial[] {
    return paretoFront(this.snapshot, this.directions, { constrained: this.constrained });
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
    return new Trial(rec, this, this.sampler, this.pruner, this.storage, () => this.artifactStore);
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
  async tell(trial: Trial, outcome: Outcome): Promise<FrozenTrial> {
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
        state = 'FAIL'; reason = `objective returned ${Array.isArray(outcome.value) ? `[${v.map(String).join(', ')}]` : String(outcome.value)} (NaN or not a number)`;
      } else {
        state = 'COMPLETE'; values = v;
      }
    }
    if ((state === 'COMPLETE' || state === 'PRUNED') && this.sampler.constraintsFunc) {
      try {
        await this.recordConstraints(rec, state, values);
      } catch (e) {
        state = 'FAIL'; values = null;
        reason = `constraintsFunc failed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
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
    if (final.state === 'FAIL' && this.logger) {
      this.logger(`Trial ${final.number} failed with parameters: ${JSON.stringify(final.params)} because of the following error: ` +
        `${(final.failReason ?? 'unknown').split('\n')[0]}`);
    }
    this.sampler.afterTrial?.(this, final);
    return final;
  }

  /** Optuna 3.1's constraints_func step: the sampler's function on the finished trial (state and
   * values set), its values stored as the system attr "constraints" while the trial still runs. */
  private async recordConstraints(rec: FrozenTrial, state: 'COMPLETE' | 'PRUNED', values: number[] | null): Promise<void> {
    const view = cloneTrial(rec);
    Object.assign(view, { state, values: values ? [...values] : null, value: values?.[0] ?? null });
    const c = checkConstraints('constraintsFunc', this.sampler.constraintsFunc!(view));
    rec.systemAttrs[CONSTRAINTS_KEY] = c;
    await this.storage.setTrialSystemAttr(rec.trialId, CONSTRAINTS_KEY, c);
  }

  /**
   * Runs trials until nTrials (this call), timeout or stop(). Failing trials fail alone.
   * @example await study.optimize((trial) => (trial.suggestFloat('x', -10, 10) - 2) ** 2, { nTrials: 100 })
   */
  async optimize(objective: Objective, opts?: OptimizeOptions): Promise<void>;
  /** Runs trials in `concurrency` worker threads; the module's export is the objective. */
  async optimize(objective: ObjectiveModule, opts?: WorkerOptimizeOptions): Promise<void>;
  async optimize(objective: Objective | ObjectiveModule, opts: WorkerOptimizeOptions = {}): Promise<void> {
    const checked = checkOptimizeOptions(opts);
    this.stopping = false;
    const callbacks = opts.callbacks ?? [];
    const onTrial = (t: FrozenTrial) => { for (const cb of callbacks) cb(this, t); };
    if (typeof objective === 'function') {
      return runTrials(this, checked, () => new InProcessRunner(objective, checked.trialTimeout), () => this.stopping, onTrial);
    }
    // The worker pool (Node's worker_threads, Web Workers) loads on first use: no weight in the core bundle.
    const { startWorkerPool } = await import('./workers/pool.js');
    const pool = await startWorkerPool(objective, { ...opts, lanes: Math.min(checked.concurrency, checked.nTrials) });
    try {
      await runTrials(this, checked, (lane) => pool.runner(lane), () => this.stopping || pool.interrupted, onTrial);
    } finally {
      await pool.close();
    }
  }
}
