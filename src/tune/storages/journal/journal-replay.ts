// JournalReplay: the state of a journal — studies and trials rebuilt by applying its operations in
// line order (Optuna's JournalStorage replay rules): updates of unknown or finished trials are
// ignored, a second RUNNING claim of a WAITING trial is ignored (the first line wins), Optuna's
// system attrs fail_reason / fixed_params become failReason / fixedParams. Pure: no I/O.
import { blankTrial, dict, type FrozenTrial, type TrialState } from '../../frozen-trial.js';
import type { StudyRecord } from '../storage.js';
import { Op, directionOf, distributionFromJson, paramFromInternal, parseIso, stateOf, type JournalOp } from './journal-format.js';

export interface StudyState extends StudyRecord { systemAttrs: Record<string, unknown>; createdBy: string }
const finished = (s: TrialState) => s === 'COMPLETE' || s === 'PRUNED' || s === 'FAIL';

export class JournalReplay {
  readonly studies = new Map<number, StudyState>();
  private nextStudyId = 0;
  readonly trials: FrozenTrial[] = [];                // by trialId
  readonly perStudy = new Map<number, number[]>();    // studyId → trialIds
  /** The id of the last trial this process created (−1 until then). */
  lastCreated = -1;
  /** WAITING trials whose RUNNING claim by this process won. */
  readonly claimed = new Set<number>();

  /** `source` names the journal in errors. */
  constructor(private readonly source: string) {}

  /** The trials of a study, in number order. */
  trialsOf(studyId: number): FrozenTrial[] {
    return (this.perStudy.get(studyId) ?? []).map((id) => this.trials[id]!);
  }

  /** Applies one operation; `mine` if this process wrote it. */
  apply(op: JournalOp, mine: boolean): void {
    switch (op.op_code) {
      case Op.CREATE_STUDY: {
        const name = op.study_name as string;
        if (this.byName(name)) return;
        const studyId = this.nextStudyId++;
        const directions = (op.directions as number[]).map(directionOf);
        this.studies.set(studyId, { studyId, studyName: name, directions, userAttrs: dict(), systemAttrs: dict(), createdBy: op.worker_id });
        this.perStudy.set(studyId, []);
        return;
      }
      case Op.DELETE_STUDY: this.studies.delete(op.study_id as number); return;
      case Op.SET_STUDY_USER_ATTR: Object.assign(this.studies.get(op.study_id as number)?.userAttrs ?? {}, op.user_attr); return;
      case Op.SET_STUDY_SYSTEM_ATTR: Object.assign(this.studies.get(op.study_id as number)?.systemAttrs ?? {}, op.system_attr); return;
      case Op.CREATE_TRIAL: {
        const ids = this.studies.has(op.study_id as number) ? this.perStudy.get(op.study_id as number) : undefined;
        if (!ids) return;
        const state = op.state === undefined ? 'RUNNING' : stateOf(op.state);
        const t = blankTrial(ids.length, this.trials.length, state, 0);
        t.datetimeStart = parseIso(op.datetime_start);
        for (const [k, v] of Object.entries((op.distributions ?? {}) as Record<string, string>)) t.distributions[k] = distributionFromJson(v, k);
        for (const [k, v] of Object.entries((op.params ?? {}) as Record<string, number>)) t.params[k] = paramFromInternal(t.distributions[k]!, v);
        for (const [k, v] of Object.entries((op.intermediate_values ?? {}) as Record<string, number>)) t.intermediateValues[Number(k)] = v;
        t.userAttrs = dict(op.user_attrs as Record<string, unknown> | undefined);
        this.setSystemAttrs(t, (op.system_attrs ?? {}) as Record<string, unknown>);
        const values = (op.values as number[] | null | undefined) ?? (typeof op.value === 'number' ? [op.value] : null);
        if (values) { t.values = values; t.value = values[0]!; }
        t.datetimeComplete = parseIso(op.datetime_complete);
        this.duration(t);
        this.trials.push(t);
        ids.push(t.trialId);
        if (mine) this.lastCreated = t.trialId;
        return;
      }
    }
    const t = this.trials[op.trial_id as number];
    if (!t || finished(t.state)) return; // Optuna ignores updates of unknown or finished trials
    switch (op.op_code) {
      case Op.SET_TRIAL_PARAM: {
        const d = distributionFromJson(op.distribution, op.param_name as string);
        t.params[op.param_name as string] = paramFromInternal(d, op.param_value_internal as number);
        t.distributions[op.param_name as string] = d;
        return;
      }
      case Op.SET_TRIAL_STATE_VALUES: {
        const state = stateOf(op.state);
        if (state === 'RUNNING') {
          if (t.state === 'RUNNING') return; // already claimed by an earlier line
          t.datetimeStart = parseIso(op.datetime_start);
          if (mine) this.claimed.add(t.trialId);
        }
        t.state = state;
        if (finished(state)) t.datetimeComplete = parseIso(op.datetime_complete);
        if (Array.isArray(op.values)) { t.values = op.values as number[]; t.value = t.values[0] ?? null; }
        this.duration(t);
        return;
      }
      case Op.SET_TRIAL_INTERMEDIATE_VALUE: t.intermediateValues[op.step as number] = op.intermediate_value as number; return;
      case Op.SET_TRIAL_USER_ATTR: Object.assign(t.userAttrs, op.user_attr); return;
      case Op.SET_TRIAL_SYSTEM_ATTR: this.setSystemAttrs(t, op.system_attr as Record<string, unknown>); return;
      default: throw new RangeError(`journal ${this.source}: unknown op_code ${String(op.op_code)}`);
    }
  }

  /** Optuna's system attrs fail_reason / fixed_params are our failReason / fixedParams. */
  private setSystemAttrs(t: FrozenTrial, attrs: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'fail_reason') t.failReason = String(v);
      else t.systemAttrs[k === 'fixed_params' ? 'fixedParams' : k] = v;
    }
  }

  private duration(t: FrozenTrial): void {
    t.durationMs = t.datetimeStart !== null && t.datetimeComplete !== null ? t.datetimeComplete - t.datetimeStart : null;
  }

  byName(name: string): StudyState | undefined {
    for (const s of this.studies.values()) if (s.studyName === name) return s;
    return undefined;
  }
  study(studyId: number): StudyState {
    const s = this.studies.get(studyId);
    if (!s) throw new RangeError(`no study with id ${studyId} in ${this.source}`);
    return s;
  }
  record(s: StudyState): StudyRecord {
    return { studyId: s.studyId, studyName: s.studyName, directions: [...s.directions], userAttrs: dict(structuredClone(s.userAttrs)) };
  }
  running(trialId: number): FrozenTrial {
    const t = this.trials[trialId];
    if (!t) throw new RangeError(`no trial with id ${trialId} in ${this.source}`);
    if (t.state !== 'RUNNING') throw new RangeError(`trial ${t.number} is ${t.state}, not RUNNING: it cannot change`);
    return t;
  }
}
