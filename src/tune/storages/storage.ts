// Storage: where studies and trials live — the interface (async, so that a journal file or a
// database server can stand behind it) and InMemoryStorage. Contract of every storage: trial
// numbers are per-study 0…n−1 without gaps or duplicates; claimWaitingTrial hands each enqueued
// trial to exactly one caller; finished trials never change again; readers get copies.
import type { Distribution, ParamValue } from '../distributions.js';
import { blankTrial, cloneTrial, dict, type Direction, type FrozenTrial, type TrialState } from '../frozen-trial.js';

export interface StudyRecord { studyId: number; studyName: string; directions: Direction[]; userAttrs: Record<string, unknown> }

export interface Storage {
  /** Creates a study; with loadIfExists returns the existing one of that name, else throws if it exists. */
  createStudy(name: string, directions: Direction[], opts?: { loadIfExists?: boolean }): Promise<StudyRecord>;
  loadStudy(name: string): Promise<StudyRecord | null>;
  /** A new trial, RUNNING (or WAITING with fixed params, for enqueueTrial). */
  createTrial(studyId: number, init?: { state: 'WAITING' | 'RUNNING'; params?: Record<string, ParamValue>; userAttrs?: Record<string, unknown> }): Promise<FrozenTrial>;
  /** The oldest WAITING trial, now RUNNING and owned by the caller; null if none. */
  claimWaitingTrial(studyId: number): Promise<FrozenTrial | null>;
  setTrialParam(trialId: number, name: string, distribution: Distribution, value: ParamValue): Promise<void>;
  setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void>;
  setTrialUserAttr(trialId: number, key: string, value: unknown): Promise<void>;
  setTrialSystemAttr(trialId: number, key: string, value: unknown): Promise<void>;
  /** COMPLETE (with values), PRUNED (value = last intermediate, if any) or FAIL (with a reason). */
  finishTrial(trialId: number, state: Exclude<TrialState, 'RUNNING' | 'WAITING'>, values: number[] | null, failReason?: string): Promise<void>;
  getAllTrials(studyId: number, opts?: { states?: TrialState[] }): Promise<FrozenTrial[]>;
  /** Releases resources (files, connections). */
  close?(): Promise<void>;

  // ——— Optional: storages shared by processes on several hosts (PostgresStorage). ———
  /** Milliseconds between heartbeats of a RUNNING trial; Study records them while it runs (Optuna's heartbeat_interval). */
  readonly heartbeatIntervalMs?: number | undefined;
  /** Marks the RUNNING trial alive now. */
  recordHeartbeat?(trialId: number): Promise<void>;
  /** Fails the study's RUNNING trials whose last heartbeat is older than the grace period (their
   * process died or lost the server) and returns them; may re-enqueue each as a WAITING copy. */
  failStaleTrials?(studyId: number): Promise<FrozenTrial[]>;
  /** Atomically creates a RUNNING trial holding the lowest item of [0, claim.size) that no trial of
   * the study holds in claim.space, with system attrs { [claim.idAttr]: item, ...claim.attrs };
   * null when every item is held (GridSampler's points across processes). */
  createClaimingTrial?(studyId: number, claim: TrialClaim): Promise<FrozenTrial | null>;
}

/** What a new trial claims in a shared storage: one item of a finite set, at most once per study. */
export interface TrialClaim { space: string; size: number; idAttr: string; attrs: Record<string, unknown> }

const copy = <T>(v: T): T => structuredClone(v);

export class InMemoryStorage implements Storage {
  private studies: StudyRecord[] = [];
  private trials: FrozenTrial[] = [];          // by trialId
  private studyOf: number[] = [];              // trialId → studyId
  private perStudy = new Map<number, number[]>(); // studyId → trialIds

  async createStudy(name: string, directions: Direction[], { loadIfExists = false } = {}): Promise<StudyRecord> {
    const found = this.studies.find((s) => s.studyName === name);
    if (found) {
      if (!loadIfExists) throw new RangeError(`a study named '${name}' already exists (pass loadIfExists: true to resume it)`);
      return copy(found);
    }
    const s: StudyRecord = { studyId: this.studies.length, studyName: name, directions: [...directions], userAttrs: {} };
    this.studies.push(s);
    this.perStudy.set(s.studyId, []);
    return copy(s);
  }
  async loadStudy(name: string): Promise<StudyRecord | null> {
    const s = this.studies.find((x) => x.studyName === name);
    return s ? copy(s) : null;
  }
  async createTrial(studyId: number, init: { state: 'WAITING' | 'RUNNING'; params?: Record<string, ParamValue>; userAttrs?: Record<string, unknown> } = { state: 'RUNNING' }): Promise<FrozenTrial> {
    const ids = this.perStudy.get(studyId);
    if (!ids) throw new RangeError(`no study with id ${studyId}`);
    const t = blankTrial(ids.length, this.trials.length, init.state, Date.now());
    if (init.params) t.systemAttrs.fixedParams = copy(init.params);
    if (init.userAttrs) t.userAttrs = dict(copy(init.userAttrs));
    this.trials.push(t);
    this.studyOf.push(studyId);
    ids.push(t.trialId);
    return cloneTrial(t);
  }
  async claimWaitingTrial(studyId: number): Promise<FrozenTrial | null> {
    for (const id of this.perStudy.get(studyId) ?? []) {
      const t = this.trials[id]!;
      if (t.state === 'WAITING') {
        t.state = 'RUNNING';
        t.datetimeStart = Date.now();
        return cloneTrial(t);
      }
    }
    return null;
  }
  private running(trialId: number): FrozenTrial {
    const t = this.trials[trialId];
    if (!t) throw new RangeError(`no trial with id ${trialId}`);
    if (t.state !== 'RUNNING') throw new RangeError(`trial ${t.number} is ${t.state}, not RUNNING: it cannot change`);
    return t;
  }
  async setTrialParam(trialId: number, name: string, distribution: Distribution, value: ParamValue): Promise<void> {
    const t = this.running(trialId);
    t.params[name] = value;
    t.distributions[name] = copy(distribution);
  }
  async setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void> {
    this.running(trialId).intermediateValues[step] = value;
  }
  async setTrialUserAttr(trialId: number, key: string, value: unknown): Promise<void> {
    this.running(trialId).userAttrs[key] = copy(value);
  }
  async setTrialSystemAttr(trialId: number, key: string, value: unknown): Promise<void> {
    this.running(trialId).systemAttrs[key] = copy(value);
  }
  async finishTrial(trialId: number, state: 'COMPLETE' | 'PRUNED' | 'FAIL', values: number[] | null, failReason?: string): Promise<void> {
    const t = this.running(trialId);
    t.state = state;
    t.values = values ? [...values] : null;
    t.value = values?.[0] ?? null;
    if (failReason !== undefined) t.failReason = failReason;
    t.datetimeComplete = Date.now();
    t.durationMs = t.datetimeStart === null ? null : t.datetimeComplete - t.datetimeStart;
  }
  async getAllTrials(studyId: number, { states }: { states?: TrialState[] } = {}): Promise<FrozenTrial[]> {
    return (this.perStudy.get(studyId) ?? []).map((id) => this.trials[id]!)
      .filter((t) => !states || states.includes(t.state)).map(cloneTrial);
  }
}
