// JournalFileStorage: a Storage kept as an append-only JSONL journal of operations — Optuna's
// JournalFileStorage format (journal-format.ts), so Optuna can load the studies and we can load
// Optuna's. The state is a deterministic replay of the journal: every process replays the same
// lines in the same order, so trial ids/numbers and "who claimed the WAITING trial" are decided by
// line order (a second claim of a trial is ignored on replay, as in Optuna). Each append holds a
// lock file (file-lock.ts) and is fsync'd before the call resolves; every read first catches up
// with lines other processes appended (the byte offset consumed so far is kept). A crash mid-write
// leaves a last line without "\n": replay ignores it and the next writer truncates it away.
// Departures from Optuna: a trial's failReason is its system attr "fail_reason" (as Optuna's
// tell() writes it); enqueued params are the system attr "fixed_params" (as enqueue_trial);
// no snapshots; distributions of the same name may differ between trials (Optuna drops such a
// SET_TRIAL_PARAM on replay).
import type { Distribution, ParamValue } from './distributions.js';
import { blankTrial, type Direction, type FrozenTrial, type TrialState } from './frozen-trial.js';
import type { Storage, StudyRecord } from './storage.js';
import { FileLock, type FileLockOptions } from './file-lock.js';
import {
  Op, directionCode, directionOf, distributionFromJson, distributionToJson, isoLocal, paramFromInternal,
  paramToInternal, parseIso, parsePyJson, stateCode, stateOf, toPyJson, type JournalOp,
} from './journal-format.js';

type Fs = typeof import('node:fs/promises');
interface StudyState extends StudyRecord { systemAttrs: Record<string, unknown>; createdBy: string }
const copy = <T>(v: T): T => structuredClone(v);
const finished = (s: TrialState) => s === 'COMPLETE' || s === 'PRUNED' || s === 'FAIL';

/**
 * A file-backed storage that several processes can share (local file systems; NFS as Optuna's).
 * @example
 * const storage = new sg.tune.JournalFileStorage('./tuning.jsonl');
 * const study = await sg.tune.createStudy({ storage, studyName: 'mlp', loadIfExists: true });
 * await study.optimize(objective, { nTrials: 20 }); // run again later: it resumes
 */
export class JournalFileStorage implements Storage {
  /** This writer's worker_id (Optuna's: a uuid and a thread id; here a uuid and the pid). */
  readonly workerId: string;
  private readonly lock: FileLock;
  private fs: Fs | undefined;
  private opened: Promise<void> | undefined;
  private offset = 0;
  private queue: Promise<unknown> = Promise.resolve();
  // Replay state.
  private studies = new Map<number, StudyState>();
  private nextStudyId = 0;
  private trials: FrozenTrial[] = [];
  private studyOf: number[] = [];
  private perStudy = new Map<number, number[]>();
  private lastCreated = -1;
  private claimed = new Set<number>();

  constructor(readonly path: string, opts: { lock?: FileLockOptions } = {}) {
    this.workerId = `${globalThis.crypto.randomUUID()}-${typeof process === 'object' ? process.pid : 0}`;
    this.lock = new FileLock(`${path}.lock`, opts.lock);
  }

  async createStudy(name: string, directions: Direction[], { loadIfExists = false } = {}): Promise<StudyRecord> {
    return this.serial(async () => {
      let s = this.byName(name);
      if (!s) {
        await this.append([{ op_code: Op.CREATE_STUDY, study_name: name, directions: directions.map(directionCode) }]);
        s = this.byName(name)!;
        if (s.createdBy === this.workerId) return this.record(s);
      }
      if (!loadIfExists) throw new RangeError(`a study named '${name}' already exists in ${this.path} (pass loadIfExists: true to resume it)`);
      return this.record(s);
    });
  }

  async loadStudy(name: string): Promise<StudyRecord | null> {
    return this.serial(async () => { const s = this.byName(name); return s ? this.record(s) : null; });
  }

  async createTrial(studyId: number, init: { state: 'WAITING' | 'RUNNING'; params?: Record<string, ParamValue>; userAttrs?: Record<string, unknown> } = { state: 'RUNNING' }): Promise<FrozenTrial> {
    return this.serial(async () => {
      this.study(studyId);
      const op: { op_code: number; [field: string]: unknown } = { op_code: Op.CREATE_TRIAL, study_id: studyId, datetime_start: init.state === 'RUNNING' ? isoLocal(Date.now()) : null };
      if (init.state === 'WAITING' || init.userAttrs) {
        Object.assign(op, {
          state: stateCode(init.state), value: null, values: null, distributions: {}, params: {},
          user_attrs: init.userAttrs ?? {}, system_attrs: init.params ? { fixed_params: init.params } : {}, intermediate_values: {},
        });
      }
      this.lastCreated = -1;
      await this.append([op]);
      if (this.lastCreated < 0) throw new Error(`journal ${this.path}: the new trial did not appear on replay`);
      return copy(this.trials[this.lastCreated]!);
    });
  }

  async claimWaitingTrial(studyId: number): Promise<FrozenTrial | null> {
    return this.serial(async () => {
      for (;;) {
        const waiting = (this.perStudy.get(studyId) ?? []).find((id) => this.trials[id]!.state === 'WAITING');
        if (waiting === undefined) return null;
        await this.append([{ op_code: Op.SET_TRIAL_STATE_VALUES, trial_id: waiting, state: stateCode('RUNNING'), values: null, datetime_start: isoLocal(Date.now()) }]);
        if (this.claimed.has(waiting)) return copy(this.trials[waiting]!);
        // Another process claimed it first (its line came before ours): try the next one.
      }
    });
  }

  async setTrialParam(trialId: number, name: string, distribution: Distribution, value: ParamValue): Promise<void> {
    await this.update(trialId, Op.SET_TRIAL_PARAM, {
      param_name: name, param_value_internal: paramToInternal(distribution, value), distribution: distributionToJson(distribution),
    });
  }
  async setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void> {
    await this.update(trialId, Op.SET_TRIAL_INTERMEDIATE_VALUE, { step, intermediate_value: value });
  }
  async setTrialUserAttr(trialId: number, key: string, value: unknown): Promise<void> {
    await this.update(trialId, Op.SET_TRIAL_USER_ATTR, { user_attr: { [key]: value } });
  }
  async setTrialSystemAttr(trialId: number, key: string, value: unknown): Promise<void> {
    await this.update(trialId, Op.SET_TRIAL_SYSTEM_ATTR, { system_attr: { [key]: value } });
  }
  async finishTrial(trialId: number, state: 'COMPLETE' | 'PRUNED' | 'FAIL', values: number[] | null, failReason?: string): Promise<void> {
    const ops: Array<{ op_code: number; [field: string]: unknown }> = [];
    if (failReason !== undefined) ops.push({ op_code: Op.SET_TRIAL_SYSTEM_ATTR, trial_id: trialId, system_attr: { fail_reason: failReason } });
    ops.push({ op_code: Op.SET_TRIAL_STATE_VALUES, trial_id: trialId, state: stateCode(state), values, datetime_complete: isoLocal(Date.now()) });
    await this.serial(async () => { this.running(trialId); await this.append(ops); });
  }

  async getAllTrials(studyId: number, { states }: { states?: TrialState[] } = {}): Promise<FrozenTrial[]> {
    return this.serial(async () => (this.perStudy.get(studyId) ?? []).map((id) => this.trials[id]!)
      .filter((t) => !states || states.includes(t.state)).map(copy));
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
  }

  // ——— internals ———

  /** Runs fn after every earlier call of this instance, caught up with the file. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => { await this.catchUp(); return fn(); });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async update(trialId: number, opCode: number, fields: Record<string, unknown>): Promise<void> {
    await this.serial(async () => { this.running(trialId); await this.append([{ op_code: opCode, trial_id: trialId, ...fields }]); });
  }

  /** Appends operations (one write, under the lock, fsync'd), then replays up to the end. */
  private async append(ops: Array<{ op_code: number; [field: string]: unknown }>): Promise<void> {
    const text = ops.map(({ op_code, ...o }) => toPyJson({ op_code, worker_id: this.workerId, ...o })).join('\n') + '\n';
    const fs = this.fs!;
    await this.lock.withLock(async () => {
      const h = await fs.open(this.path, 'r+');
      try {
        const { size } = await h.stat();
        if (size > 0) {
          // A writer that crashed mid-line left a tail without "\n": cut it (we hold the lock).
          const tail = Buffer.alloc(Math.min(size, 1 << 16));
          await h.read(tail, 0, tail.length, size - tail.length);
          if (tail[tail.length - 1] !== 0x0a) {
            const nl = tail.lastIndexOf(0x0a);
            if (nl < 0 && size > tail.length) throw new Error(`journal ${this.path}: last line longer than 64 KiB without an end`);
            await h.truncate(size - tail.length + nl + 1);
          }
        }
      } finally {
        await h.close();
      }
      const a = await fs.open(this.path, 'a');
      try {
        await a.write(text);
        await a.sync();
      } finally {
        await a.close();
      }
    });
    await this.catchUp();
  }

  /** Replays the lines appended since the last call (complete lines only). */
  private async catchUp(): Promise<void> {
    await (this.opened ??= this.open());
    const h = await this.fs!.open(this.path, 'r');
    try {
      const { size } = await h.stat();
      if (size <= this.offset) return;
      const buf = Buffer.alloc(size - this.offset);
      const { bytesRead } = await h.read(buf, 0, buf.length, this.offset);
      const end = buf.subarray(0, bytesRead).lastIndexOf(0x0a) + 1;
      let start = 0;
      while (start < end) {
        const nl = buf.indexOf(0x0a, start);
        const line = buf.toString('utf8', start, nl).trim();
        start = nl + 1;
        if (!line) continue;
        let op: JournalOp;
        try { op = parsePyJson(line) as JournalOp; } catch { continue; } // a torn line from an old crash
        this.apply(op);
      }
      this.offset += end;
    } finally {
      await h.close();
    }
  }

  private async open(): Promise<void> {
    this.fs = await import('node:fs/promises');
    await (await this.fs.open(this.path, 'a')).close(); // create if missing
  }

  private apply(op: JournalOp): void {
    const mine = op.worker_id === this.workerId;
    switch (op.op_code) {
      case Op.CREATE_STUDY: {
        const name = op.study_name as string;
        if (this.byName(name)) return;
        const studyId = this.nextStudyId++;
        const directions = (op.directions as number[]).map(directionOf);
        this.studies.set(studyId, { studyId, studyName: name, directions, userAttrs: {}, systemAttrs: {}, createdBy: op.worker_id });
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
        for (const [k, v] of Object.entries((op.distributions ?? {}) as Record<string, string>)) t.distributions[k] = distributionFromJson(v);
        for (const [k, v] of Object.entries((op.params ?? {}) as Record<string, number>)) t.params[k] = paramFromInternal(t.distributions[k]!, v);
        for (const [k, v] of Object.entries((op.intermediate_values ?? {}) as Record<string, number>)) t.intermediateValues[Number(k)] = v;
        t.userAttrs = { ...(op.user_attrs as object) };
        this.setSystemAttrs(t, (op.system_attrs ?? {}) as Record<string, unknown>);
        const values = (op.values as number[] | null | undefined) ?? (typeof op.value === 'number' ? [op.value] : null);
        if (values) { t.values = values; t.value = values[0]!; }
        t.datetimeComplete = parseIso(op.datetime_complete);
        this.duration(t);
        this.trials.push(t);
        this.studyOf.push(op.study_id as number);
        ids.push(t.trialId);
        if (mine) this.lastCreated = t.trialId;
        return;
      }
    }
    const t = this.trials[op.trial_id as number];
    if (!t || finished(t.state)) return; // Optuna ignores updates of unknown or finished trials
    switch (op.op_code) {
      case Op.SET_TRIAL_PARAM: {
        const d = distributionFromJson(op.distribution);
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
      default: throw new RangeError(`journal ${this.path}: unknown op_code ${String(op.op_code)}`);
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

  private byName(name: string): StudyState | undefined {
    for (const s of this.studies.values()) if (s.studyName === name) return s;
    return undefined;
  }
  private study(studyId: number): StudyState {
    const s = this.studies.get(studyId);
    if (!s) throw new RangeError(`no study with id ${studyId} in ${this.path}`);
    return s;
  }
  private record(s: StudyState): StudyRecord {
    return { studyId: s.studyId, studyName: s.studyName, directions: [...s.directions], userAttrs: copy(s.userAttrs) };
  }
  private running(trialId: number): FrozenTrial {
    const t = this.trials[trialId];
    if (!t) throw new RangeError(`no trial with id ${trialId} in ${this.path}`);
    if (t.state !== 'RUNNING') throw new RangeError(`trial ${t.number} is ${t.state}, not RUNNING: it cannot change`);
    return t;
  }
}
