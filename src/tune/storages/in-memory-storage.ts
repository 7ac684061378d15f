// InMemoryStorage: the default storage — studies and trials in this process's memory, gone when
// it exits. Keeps the Storage contract (storage.ts): per-study numbers without gaps, each enqueued
// trial claimed once, finished trials frozen, copies to readers — a finished trial's copy is made
// once, deep-frozen and shared by every later read (as PostgresStorage's cache), so a refresh costs
// O(running trials) copies, not O(all trials).
import type { Distribution, ParamValue } from '../distributions.js';
import { blankTrial, cloneTrial, dict, freezeTrial, type Direction, type FrozenTrial, type TrialState } from '../frozen-trial.js';
import type { Storage, StudyRecord } from './storage.js';
import { InMemoryArtifactStore } from '../artifacts/in-memory-artifact-store.js';

const copy = <T>(v: T): T => structuredClone(v);

export class InMemoryStorage implements Storage {
  private studies: StudyRecord[] = [];
  private trials: FrozenTrial[] = [];          // by trialId
  private studyOf: number[] = [];              // trialId → studyId
  private perStudy = new Map<number, number[]>(); // studyId → trialIds
  private finished: (FrozenTrial | undefined)[] = []; // by trialId: the frozen copy readers share
  private artifacts: InMemoryArtifactStore | undefined;

  /** The artifacts of this storage's trials, in memory too. */
  artifactStore(): InMemoryArtifactStore { return (this.artifacts ??= new InMemoryArtifactStore()); }

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
    this.finished[trialId] = freezeTrial(cloneTrial(t));
  }
  async getAllTrials(studyId: number, { states }: { states?: TrialState[] } = {}): Promise<FrozenTrial[]> {
    return (this.perStudy.get(studyId) ?? []).map((id) => this.trials[id]!)
      .filter((t) => !states || states.includes(t.state)).map((t) => this.finished[t.trialId] ?? cloneTrial(t));
  }
}
