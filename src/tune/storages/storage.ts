// Storage: where studies and trials live — the interface (async, so that a journal file or a
// database server can stand behind it); implementations beside this file (in-memory-storage.ts,
// journal/, postgres/), opened by URL or path in open-storage.ts. Contract of every storage: trial
// numbers are per-study 0…n−1 without gaps or duplicates; claimWaitingTrial hands each enqueued
// trial to exactly one caller; finished trials never change again; readers get copies.
import type { Distribution, ParamValue } from '../distributions.js';
import type { Direction, FrozenTrial, TrialState } from '../frozen-trial.js';
import type { ArtifactStore } from '../artifacts/artifact-store.js';

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
  /** Where the artifacts of this storage's trials go by default (createStudy's artifactStore
   * overrides it): memory, `<journal>.artifacts/`, or a table of the PostgreSQL database. */
  artifactStore?(): ArtifactStore;

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
