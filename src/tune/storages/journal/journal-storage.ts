// JournalFileStorage: a Storage kept as an append-only JSONL journal of operations — Optuna's
// JournalFileStorage format (journal-format.ts), so Optuna can load the studies and we can load
// Optuna's. The state is a deterministic replay of the journal (journal-replay.ts): every process
// replays the same lines in the same order, so trial ids/numbers and "who claimed the WAITING
// trial" are decided by line order. Each append holds a lock file (file-lock.ts) and is fsync'd
// before the call resolves; every read first catches up with lines other processes appended (the
// byte offset consumed so far is kept). A crash mid-write leaves a last line without "\n": replay
// ignores it and the next writer, under the lock, truncates it away, however long. Any other
// damaged line — not UTF-8, not JSON, not a valid operation — stops replay with a JournalError
// naming the file and line (as Optuna's reader raises on a bad line followed by others): skipping
// it could shift every later trial id. `simdgrad journal check|repair` (journal-inspect.ts) deal with it.
// Departures from Optuna: a trial's failReason is its system attr "fail_reason" (as Optuna's
// tell() writes it); enqueued params are the system attr "fixed_params" (as enqueue_trial);
// no snapshots; distributions of the same name may differ between trials (Optuna drops such a
// SET_TRIAL_PARAM on replay).
import type { Distribution, ParamValue } from '../../distributions.js';
import { cloneTrial, type Direction, type FrozenTrial, type TrialState } from '../../frozen-trial.js';
import type { Storage, StudyRecord } from '../storage.js';
import { FileLock, type FileLockOptions } from './file-lock.js';
import { JournalReplay } from './journal-replay.js';
import { STALE_REASON, heartbeatSettings, type HeartbeatOptions } from '../heartbeat-options.js';
import {
  Op, directionCode, distributionToJson, isoLocal, paramToInternal, stateCode, toPyJson, type JournalOp,
} from './journal-format.js';
import { JournalError } from './journal-error.js';
import { decodeLine, lastLineEnd, readLines } from './journal-lines.js';

type Fs = typeof import('node:fs/promises');
type FileHandle = import('node:fs/promises').FileHandle;
type Ops = Array<{ op_code: number; [field: string]: unknown }>;
/** The system attr holding a RUNNING trial's last heartbeat (ms since the epoch). */
const BEAT = 'simdgrad_heartbeat';
const copy = cloneTrial;

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
  private lines = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly state: JournalReplay;
  readonly heartbeatIntervalMs: number | undefined;
  private readonly graceMs: number;
  private readonly maxRetry: number;

  /** With heartbeatInterval, RUNNING trials carry heartbeats (a system attr) and failStaleTrials
   *  fails those silent for gracePeriod, enqueueing a WAITING copy up to maxRetry times. */
  constructor(readonly path: string, opts: { lock?: FileLockOptions } & HeartbeatOptions = {}) {
    this.workerId = `${globalThis.crypto.randomUUID()}-${typeof process === 'object' ? process.pid : 0}`;
    this.lock = new FileLock(`${path}.lock`, opts.lock);
    this.state = new JournalReplay(path);
    ({ heartbeatIntervalMs: this.heartbeatIntervalMs, graceMs: this.graceMs, maxRetry: this.maxRetry } = heartbeatSettings(opts));
  }

  async createStudy(name: string, directions: Direction[], { loadIfExists = false } = {}): Promise<StudyRecord> {
    return this.serial(async () => {
      let s = this.state.byName(name);
      if (!s) {
        await this.append([{ op_code: Op.CREATE_STUDY, study_name: name, directions: directions.map(directionCode) }]);
        s = this.state.byName(name)!;
        if (s.createdBy === this.workerId) return this.state.record(s);
      }
      if (!loadIfExists) throw new RangeError(`a study named '${name}' already exists in ${this.path} (pass loadIfExists: true to resume it)`);
      return this.state.record(s);
    });
  }

  async loadStudy(name: string): Promise<StudyRecord | null> {
    return this.serial(async () => { const s = this.state.byName(name); return s ? this.state.record(s) : null; });
  }

  async createTrial(studyId: number, init: { state: 'WAITING' | 'RUNNING'; params?: Record<string, ParamValue>; userAttrs?: Record<string, unknown> } = { state: 'RUNNING' }): Promise<FrozenTrial> {
    return this.serial(async () => {
      this.state.study(studyId);
      const op: { op_code: number; [field: string]: unknown } = { op_code: Op.CREATE_TRIAL, study_id: studyId, datetime_start: init.state === 'RUNNING' ? isoLocal(Date.now()) : null };
      const beat = init.state === 'RUNNING' && this.heartbeatIntervalMs !== undefined;
      if (init.state === 'WAITING' || init.userAttrs || beat) {
        Object.assign(op, {
          state: stateCode(init.state), value: null, values: null, distributions: {}, params: {}, user_attrs: init.userAttrs ?? {},
          system_attrs: { ...(init.params ? { fixed_params: init.params } : {}), ...(beat ? { [BEAT]: Date.now() } : {}) }, intermediate_values: {},
        });
      }
      this.state.lastCreated = -1;
      await this.append([op]);
      if (this.state.lastCreated < 0) throw new Error(`journal ${this.path}: the new trial did not appear on replay`);
      return copy(this.state.trials[this.state.lastCreated]!);
    });
  }

  async claimWaitingTrial(studyId: number): Promise<FrozenTrial | null> {
    return this.serial(async () => {
      for (;;) {
        const waiting = (this.state.perStudy.get(studyId) ?? []).find((id) => this.state.trials[id]!.state === 'WAITING');
        if (waiting === undefined) return null;
        const ops: Ops = [{ op_code: Op.SET_TRIAL_STATE_VALUES, trial_id: waiting, state: stateCode('RUNNING'), values: null, datetime_start: isoLocal(Date.now()) }];
        if (this.heartbeatIntervalMs !== undefined) ops.push({ op_code: Op.SET_TRIAL_SYSTEM_ATTR, trial_id: waiting, system_attr: { [BEAT]: Date.now() } });
        await this.append(ops);
        if (this.state.claimed.has(waiting)) return copy(this.state.trials[waiting]!);
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
    const ops: Ops = [];
    if (failReason !== undefined) ops.push({ op_code: Op.SET_TRIAL_SYSTEM_ATTR, trial_id: trialId, system_attr: { fail_reason: failReason } });
    ops.push({ op_code: Op.SET_TRIAL_STATE_VALUES, trial_id: trialId, state: stateCode(state), values, datetime_complete: isoLocal(Date.now()) });
    await this.serial(async () => { this.state.running(trialId); await this.append(ops); });
  }

  async getAllTrials(studyId: number, { states }: { states?: TrialState[] } = {}): Promise<FrozenTrial[]> {
    return this.serial(async () => this.state.trialsOf(studyId)
      .filter((t) => !states || states.includes(t.state)).map(copy));
  }

  async recordHeartbeat(trialId: number): Promise<void> {
    await this.update(trialId, Op.SET_TRIAL_SYSTEM_ATTR, { system_attr: { [BEAT]: Date.now() } });
  }

  /** Fails the study's RUNNING trials whose last heartbeat is older than the grace period, deciding
   *  under the file lock (so one process fails each, once), and enqueues their retries. */
  async failStaleTrials(studyId: number): Promise<FrozenTrial[]> {
    if (this.heartbeatIntervalMs === undefined) return [];
    return this.serial(async () => {
      let stale: FrozenTrial[] = [];
      await this.append(() => {
        const now = Date.now();
        stale = this.state.trialsOf(studyId).filter((t) => t.state === 'RUNNING' && typeof t.systemAttrs[BEAT] === 'number' &&
          now - (t.systemAttrs[BEAT] as number) > this.graceMs);
        return stale.flatMap((t) => this.staleOps(studyId, t, now));
      });
      return stale.map((t) => copy(this.state.trials[t.trialId]!));
    });
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

  /** FAIL for a silent trial, then (Optuna's RetryFailedTrialCallback) a WAITING copy with its params. */
  private staleOps(studyId: number, t: FrozenTrial, now: number): Ops {
    const ops: Ops = [
      { op_code: Op.SET_TRIAL_SYSTEM_ATTR, trial_id: t.trialId, system_attr: { fail_reason: STALE_REASON } },
      { op_code: Op.SET_TRIAL_STATE_VALUES, trial_id: t.trialId, state: stateCode('FAIL'), values: null, datetime_complete: isoLocal(now) },
    ];
    const history = Array.isArray(t.systemAttrs.retry_history) ? (t.systemAttrs.retry_history as number[]) : [];
    if (history.length < this.maxRetry) {
      const fixed = { ...(t.systemAttrs.fixedParams as object | undefined), ...t.params };
      ops.push({
        op_code: Op.CREATE_TRIAL, study_id: studyId, datetime_start: null, state: stateCode('WAITING'), value: null, values: null,
        distributions: {}, params: {}, user_attrs: t.userAttrs, intermediate_values: {},
        system_attrs: { fixed_params: fixed, failed_trial: (t.systemAttrs.failed_trial as number | undefined) ?? t.number, retry_history: [...history, t.number] },
      });
    }
    return ops;
  }

  private async update(trialId: number, opCode: number, fields: Record<string, unknown>): Promise<void> {
    await this.serial(async () => { this.state.running(trialId); await this.append([{ op_code: opCode, trial_id: trialId, ...fields }]); });
  }

  /** Appends operations (one write, under the lock, fsync'd), then replays up to the end. Ops given
   *  as a function are computed under the lock, after replaying what others appended. */
  private async append(opsOrCompute: Ops | (() => Ops)): Promise<void> {
    await this.lock.withLock(async () => {
      // Under the lock every complete line is a finished write: replay them all, so that the bytes
      // past this.offset are exactly a torn tail left by a writer that died (of any length).
      await this.catchUp();
      const ops = typeof opsOrCompute === 'function' ? opsOrCompute() : opsOrCompute;
      if (!ops.length) return;
      const text = ops.map(({ op_code, ...o }) => toPyJson({ op_code, worker_id: this.workerId, ...o })).join('\n') + '\n';
      const h = await this.openFile('a');
      try {
        if ((await h.stat()).size > this.offset) await h.truncate(this.offset);
        await h.write(text);
        await h.sync();
      } finally {
        await h.close();
      }
    });
    await this.catchUp();
  }

  /** Replays the complete lines appended since the last call; a damaged one is a JournalError. */
  private async catchUp(): Promise<void> {
    await (this.opened ??= this.open());
    await this.replayNewLines();
  }

  private async replayNewLines(mayRetry = true): Promise<void> {
    const h = await this.openFile('r');
    let damaged: unknown;
    try {
      const { size } = await h.stat();
      if (size < this.offset) {
        throw new JournalError(this.path, null, `the file shrank to ${size} bytes below the ${this.offset} already read ` +
          '(truncated or replaced by another program while in use)');
      }
      const end = await lastLineEnd(h, this.offset, size);
      for await (const bytes of readLines(h, this.offset, end)) {
        let op: JournalOp;
        try { op = decodeLine(this.path, bytes, this.lines + 1); } catch (e) { damaged = e; break; }
        try {
          this.state.apply(op, op.worker_id === this.workerId);
        } catch (e) {
          throw new JournalError(this.path, this.lines + 1, `cannot apply the operation: ${(e as Error).message}`, { cause: e });
        }
        this.lines++;
        this.offset += bytes.length;
      }
    } finally {
      await h.close();
    }
    if (damaged === undefined) return;
    // A reader (no lock) racing a writer that cuts a torn tail could once read old and new bytes
    // mixed: read again before calling the line damaged.
    if (!mayRetry) throw damaged;
    await this.replayNewLines(false);
  }

  private async openFile(flags: 'a' | 'r'): Promise<FileHandle> {
    try {
      return await this.fs!.open(this.path, flags);
    } catch (e) {
      const code = (e as { code?: string }).code;
      const why = code === 'EISDIR' ? 'is a directory, not a journal file' : code === 'ENOENT' ? 'cannot be created: its directory does not exist'
        : `cannot be opened (${code ?? (e as Error).message})`;
      throw new JournalError(this.path, null, `the path ${why}`, { cause: e });
    }
  }

  private async open(): Promise<void> {
    this.fs = await import('node:fs/promises');
    await (await this.openFile('a')).close(); // create if missing
  }
}
