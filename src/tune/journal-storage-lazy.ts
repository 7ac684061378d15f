// sg.tune.JournalFileStorage as the core bundle exports it: a Storage that loads the journal
// implementation (journal-storage.ts + journal-format.ts, Node's file system) on first use, so
// the core carries none of it. Contract: the same constructor and Storage methods as
// journal-storage.ts's JournalFileStorage, each forwarded to one instance made on the first call.
import type { Distribution, ParamValue } from './distributions.js';
import type { Direction, FrozenTrial, TrialState } from './frozen-trial.js';
import type { Storage, StudyRecord } from './storage.js';
import type { FileLockOptions } from './file-lock.js';
import type { JournalFileStorage as Journal } from './journal-storage.js';

/**
 * A file-backed storage that several processes can share (Optuna's journal format; Node).
 * @example
 * const storage = new sg.tune.JournalFileStorage('./tuning.jsonl');
 * const study = await sg.tune.createStudy({ storage, studyName: 'mlp', loadIfExists: true });
 */
export class JournalFileStorage implements Storage {
  private impl: Promise<Journal> | undefined;

  constructor(readonly path: string, private readonly opts: { lock?: FileLockOptions } = {}) {}

  private journal(): Promise<Journal> {
    return (this.impl ??= import('./journal-storage.js').then((m) => new m.JournalFileStorage(this.path, this.opts)));
  }

  async createStudy(name: string, directions: Direction[], opts?: { loadIfExists?: boolean }): Promise<StudyRecord> {
    return (await this.journal()).createStudy(name, directions, opts);
  }
  async loadStudy(name: string): Promise<StudyRecord | null> { return (await this.journal()).loadStudy(name); }
  async createTrial(studyId: number, init?: Parameters<Storage['createTrial']>[1]): Promise<FrozenTrial> {
    return (await this.journal()).createTrial(studyId, init);
  }
  async claimWaitingTrial(studyId: number): Promise<FrozenTrial | null> { return (await this.journal()).claimWaitingTrial(studyId); }
  async setTrialParam(trialId: number, name: string, distribution: Distribution, value: ParamValue): Promise<void> {
    return (await this.journal()).setTrialParam(trialId, name, distribution, value);
  }
  async setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void> {
    return (await this.journal()).setTrialIntermediateValue(trialId, step, value);
  }
  async setTrialUserAttr(trialId: number, key: string, value: unknown): Promise<void> {
    return (await this.journal()).setTrialUserAttr(trialId, key, value);
  }
  async setTrialSystemAttr(trialId: number, key: string, value: unknown): Promise<void> {
    return (await this.journal()).setTrialSystemAttr(trialId, key, value);
  }
  async finishTrial(trialId: number, state: Exclude<TrialState, 'RUNNING' | 'WAITING'>, values: number[] | null, failReason?: string): Promise<void> {
    return (await this.journal()).finishTrial(trialId, state, values, failReason);
  }
  async getAllTrials(studyId: number, opts?: { states?: TrialState[] }): Promise<FrozenTrial[]> {
    return (await this.journal()).getAllTrials(studyId, opts);
  }
  async close(): Promise<void> { if (this.impl) await (await this.impl).close(); }
}
