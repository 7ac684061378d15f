// JournalFileStorage: a Storage kept as an append-only JSONL journal of operations — Optuna's
// JournalFileStorage format (journal-format.ts), so Optuna can load the studies and we can load
// Optuna's. The state is a deterministic replay of the journal (journal-replay.ts): every process
// replays the same lines in the same order, so trial ids/numbers and "who claimed the WAITING
// trial" are decided by line order. Each append holds a lock file (file-lock.ts) and is fsync'd
// before the call resolves; every read first catches up with lines other processes appended (the
// byte offset consumed so far is kept). A crash mid-write leaves a last line without "\n": replay
// ignores it and the next writer truncates it away.
// Departures from Optuna: a trial's failReason is its system attr "fail_reason" (as Optuna's
// tell() writes it); enqueued params are the system attr "fixed_params" (as enqueue_trial);
// no snapshots; distributions of the same name may differ between trials (Optuna drops such a
// SET_TRIAL_PARAM on replay).
import type { Distribution, ParamValue } from '../../distributions.js';
import type { Direction, FrozenTrial, TrialState } from '../../frozen-trial.js';
import type { Storage, StudyRecord } from '../storage.js';
import { FileLock, type FileLockOptions } from './file-lock.js';
import { JournalReplay } from './journal-replay.js';
import { STALE_REASON, heartbeatSettings, type HeartbeatOptions } from '../heartbeat-options.js';
import {
  Op, directionCode, distributionToJson, isoLocal, paramToInternal, parsePyJson, stateCode, toPyJson, type JournalOp,
} from './journal-format.js';

type Fs = typeof import('node:fs/promises');
type Ops = Array<{ op_code: number; [field: string]: unknown }>;
/** The system attr holding a RUNNING trial's last heartbeat (ms since the epoch). */
const BEAT = 'simdgrad_heartbeat';
const copy = <T>(v: T): T => structuredClone(v);

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
    const fs = this.fs!;
    await this.lock.withLock(async () => {
      let ops = opsOrCompute as Ops;
      if (typeof opsOrCompute === 'function') {
        await this.catchUp();
        ops = opsOrCompute();
        if (!ops.length) return;
      }
      const text = ops.map(({ op_code, ...o }) => toPyJson({ op_code, worker_id: this.workerId, ...o })).join('\n') + '\n';
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
        this.state.apply(op, op.worker_id === this.workerId);
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
}
