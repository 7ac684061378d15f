// LazyStorage: a Storage whose implementation module is import()ed on first use, so the core
// bundle carries only this forwarding shell (the journal's file system code, the PostgreSQL
// client). Contract: construction is synchronous and cheap; every Storage method awaits the one
// instance load() makes and forwards to it; a failed load rejects that call and is retried next.
import type { Distribution, ParamValue } from '../distributions.js';
import type { Direction, FrozenTrial, TrialState } from '../frozen-trial.js';
import type { Storage, StudyRecord } from './storage.js';

export abstract class LazyStorage<S extends Storage> implements Storage {
  private impl: Promise<S> | undefined;
  /** The implementation, once loaded. */
  protected loaded: S | undefined;

  /** Imports the implementation and makes its instance. */
  protected abstract load(): Promise<S>;

  protected storage(): Promise<S> {
    return (this.impl ??= this.load().then((s) => (this.loaded = s), (e: unknown) => { this.impl = undefined; throw e; }));
  }

  async createStudy(name: string, directions: Direction[], opts?: { loadIfExists?: boolean }): Promise<StudyRecord> {
    return (await this.storage()).createStudy(name, directions, opts);
  }
  async loadStudy(name: string): Promise<StudyRecord | null> { return (await this.storage()).loadStudy(name); }
  async createTrial(studyId: number, init?: Parameters<Storage['createTrial']>[1]): Promise<FrozenTrial> {
    return (await this.storage()).createTrial(studyId, init);
  }
  async claimWaitingTrial(studyId: number): Promise<FrozenTrial | null> { return (await this.storage()).claimWaitingTrial(studyId); }
  async setTrialParam(trialId: number, name: string, distribution: Distribution, value: ParamValue): Promise<void> {
    return (await this.storage()).setTrialParam(trialId, name, distribution, value);
  }
  async setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void> {
    return (await this.storage()).setTrialIntermediateValue(trialId, step, value);
  }
  async setTrialUserAttr(trialId: number, key: string, value: unknown): Promise<void> {
    return (await this.storage()).setTrialUserAttr(trialId, key, value);
  }
  async setTrialSystemAttr(trialId: number, key: string, value: unknown): Promise<void> {
    return (await this.storage()).setTrialSystemAttr(trialId, key, value);
  }
  async finishTrial(trialId: number, state: Exclude<TrialState, 'RUNNING' | 'WAITING'>, values: number[] | null, failReason?: string): Promise<void> {
    return (await this.storage()).finishTrial(trialId, state, values, failReason);
  }
  async getAllTrials(studyId: number, opts?: { states?: TrialState[] }): Promise<FrozenTrial[]> {
    return (await this.storage()).getAllTrials(studyId, opts);
  }
  async close(): Promise<void> { if (this.impl) await (await this.impl).close?.(); }
}
