// PostgresStorage: studies in a PostgreSQL server, shared by worker processes on any host (Optuna's
// RDBStorage, schema in postgres-schema.ts, Optuna-readable). Contract beyond Storage's:
//  - trial numbers come from a per-study counter row locked by the inserting transaction: no gaps,
//    no duplicates, however many processes insert at once;
//  - a WAITING trial is claimed by one UPDATE … FOR UPDATE SKIP LOCKED: exactly one caller gets it;
//  - getAllTrials reads only trials changed since this instance's last read of the study (the
//    change sequence) plus the RUNNING ones; finished trials are cached, frozen, never re-read;
//  - with heartbeatInterval, RUNNING trials carry heartbeats; failStaleTrials fails those silent
//    for gracePeriod (once, whoever calls it) and, with maxRetry, enqueues a WAITING copy;
//  - createClaimingTrial hands out grid points across processes at most once;
//  - a lost connection is retried with backoff (postgres-connection.ts); calls that create or claim
//    carry a token, so a retry after a lost reply finds its trial instead of making another.
import type { Distribution, ParamValue } from '../../distributions.js';
import { blankTrial, dict, type Direction, type FrozenTrial, type TrialState } from '../../frozen-trial.js';
import type { Storage, StudyRecord, TrialClaim } from '../storage.js';
import { STALE_REASON, heartbeatSettings, type PostgresStorageOptions } from '../heartbeat-options.js';
import { distributionToJson, paramToInternal, parsePyJson, toPyJson } from '../journal/journal-format.js';
import { PgConnection, type Rows } from './postgres-connection.js';
import { PostgresArtifactStore } from './postgres-artifact-store.js';
import { TRIAL_COLUMNS, decodeTrial, deepFreeze, encodeAttrs, encodeValue } from './postgres-rows.js';


interface StudyCache { seq: number; byNumber: FrozenTrial[]; holes: boolean }
const uuid = () => globalThis.crypto.randomUUID();

/**
 * Studies in PostgreSQL (needs the optional `pg` package).
 * @example
 * const study = await sg.tune.createStudy({ storage: 'postgresql://me@db/sweeps', studyName: 'mlp', loadIfExists: true });
 * // or: new sg.tune.PostgresStorage(url, { heartbeatInterval: 10, maxRetry: 1 })
 */
export class PostgresStorage implements Storage {
  readonly heartbeatIntervalMs: number | undefined;
  /** Trial rows read by getAllTrials so far (the incremental read keeps this ~ changes, not study size). */
  readonly stats = { trialRowsRead: 0 };
  private readonly graceMs: number;
  private readonly maxRetry: number;
  private readonly db: PgConnection;
  private readonly caches = new Map<number, StudyCache>();
  private lastStaleCheck = new Map<number, number>();

  constructor(readonly url: string, opts: PostgresStorageOptions = {}) {
    ({ heartbeatIntervalMs: this.heartbeatIntervalMs, graceMs: this.graceMs, maxRetry: this.maxRetry } = heartbeatSettings(opts));
    this.db = new PgConnection(url, opts);
  }

  async createStudy(name: string, directions: Direction[], { loadIfExists = false } = {}): Promise<StudyRecord> {
    const token = uuid();
    const mine = async (): Promise<boolean | undefined> => {
      const r = await this.db.query(`SELECT 1 FROM study_system_attributes a JOIN studies s USING (study_id)
        WHERE s.study_name = $1 AND a.key = 'simdgrad_creator' AND a.value_json = $2`, [name, JSON.stringify(token)]);
      return r.length ? true : undefined;
    };
    const created = await this.db.tx(async (q) => {
      const ins = await q('INSERT INTO studies (study_name) VALUES ($1) ON CONFLICT (study_name) DO NOTHING RETURNING study_id', [name]);
      if (!ins.length) return false; // it exists (or a concurrent creator won the race)
      const id = ins[0]!.study_id as number;
      await q(`INSERT INTO study_directions (direction, study_id, objective)
        SELECT d::studydirection, $1, o - 1 FROM unnest($2::text[]) WITH ORDINALITY AS x(d, o)`, [id, directions.map((d) => d.toUpperCase())]);
      await q('INSERT INTO simdgrad_study_counters (study_id) VALUES ($1) ON CONFLICT DO NOTHING', [id]);
      await q(`INSERT INTO study_system_attributes (study_id, key, value_json) VALUES ($1, 'simdgrad_creator', $2)`, [id, JSON.stringify(token)]);
      return true;
    }, mine);
    if (!created && !loadIfExists) throw new RangeError(`a study named '${name}' already exists in ${this.where()} (pass loadIfExists: true to resume it)`);
    const rec = await this.loadStudy(name);
    if (!rec) throw new Error(`study '${name}' vanished from ${this.where()} while it was being opened`);
    return rec;
  }

  async loadStudy(name: string): Promise<StudyRecord | null> {
    const rows = await this.db.query(`SELECT s.study_id,
      (SELECT array_agg(d.direction::text ORDER BY d.objective) FROM study_directions d WHERE d.study_id = s.study_id) AS directions,
      (SELECT json_agg(json_build_array(a.key, a.value_json)) FROM study_user_attributes a WHERE a.study_id = s.study_id) AS attrs
      FROM studies s WHERE s.study_name = $1`, [name]);
    const r = rows[0];
    if (!r) return null;
    const directions = ((r.directions ?? []) as string[]).map((d) => d.toLowerCase() as Direction);
    const userAttrs = Object.fromEntries(((r.attrs ?? []) as Array<[string, string]>).map(([k, v]) => [k, parsePyJson(v)]));
    return { studyId: r.study_id as number, studyName: name, directions, userAttrs };
  }

  async createTrial(studyId: number, init: { state: 'WAITING' | 'RUNNING'; params?: Record<string, ParamValue>; userAttrs?: Record<string, unknown> } = { state: 'RUNNING' }): Promise<FrozenTrial> {
    const token = uuid(), running = init.state === 'RUNNING';
    const sys = init.params ? { fixedParams: init.params } : {};
    const rows = await this.db.query(`WITH t AS (
        INSERT INTO trials (study_id, state, datetime_start, simdgrad_token)
        VALUES ($1, $2::trialstate, CASE WHEN $3::bool THEN LOCALTIMESTAMP END, $4)
        RETURNING trial_id, number, (extract(epoch FROM datetime_start) * 1000)::float8 AS start_ms),
      ua AS (INSERT INTO trial_user_attributes (trial_id, key, value_json) SELECT t.trial_id, a.key, a.value FROM t, json_each_text($5::json) a),
      sa AS (INSERT INTO trial_system_attributes (trial_id, key, value_json) SELECT t.trial_id, a.key, a.value FROM t, json_each_text($6::json) a),
      hb AS (INSERT INTO trial_heartbeats (trial_id, heartbeat) SELECT t.trial_id, LOCALTIMESTAMP FROM t WHERE $3::bool AND $7::bool)
      SELECT * FROM t`,
    [studyId, init.state, running, token, encodeAttrs(init.userAttrs ?? {}), encodeAttrs(sys), this.heartbeatIntervalMs !== undefined],
    { recover: () => this.byToken(token) }).catch((e: unknown) => { throw this.noStudy(e, studyId); });
    const r = rows[0]!;
    if ('seq' in r) return decodeTrial(r); // recovered after a lost reply: the stored trial
    const t = blankTrial(r.number as number, r.trial_id as number, init.state, 0);
    t.datetimeStart = r.start_ms ?? null;
    if (init.userAttrs) t.userAttrs = dict(structuredClone(init.userAttrs));
    if (init.params) t.systemAttrs.fixedParams = structuredClone(init.params);
    return t;
  }

  async claimWaitingTrial(studyId: number): Promise<FrozenTrial | null> {
    const token = uuid();
    const rows = await this.db.query(`WITH c AS (
        UPDATE trials SET state = 'RUNNING', datetime_start = LOCALTIMESTAMP, simdgrad_token = $2
        WHERE state = 'WAITING' AND trial_id = (SELECT trial_id FROM trials WHERE study_id = $1 AND state = 'WAITING'
          ORDER BY trial_id LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING trial_id),
      hb AS (INSERT INTO trial_heartbeats (trial_id, heartbeat) SELECT trial_id, LOCALTIMESTAMP FROM c WHERE $3::bool
        ON CONFLICT (trial_id) DO UPDATE SET heartbeat = EXCLUDED.heartbeat)
      SELECT trial_id FROM c`, [studyId, token, this.heartbeatIntervalMs !== undefined],
    { recover: async () => (await this.db.query('SELECT trial_id FROM trials WHERE simdgrad_token = $1', [token])) });
    return rows.length ? this.trial(rows[0]!.trial_id as number) : null;
  }

  async createClaimingTrial(studyId: number, claim: TrialClaim): Promise<FrozenTrial | null> {
    const token = uuid();
    const rows = await this.db.query('SELECT * FROM simdgrad_claim_trial($1, $2, $3, $4, $5, $6, $7)',
      [studyId, claim.space, claim.size, token, encodeAttrs(claim.attrs), claim.idAttr, this.heartbeatIntervalMs !== undefined],
      { recover: () => this.byToken(token) });
    const r = rows[0];
    if (!r) return null;
    if ('seq' in r) return decodeTrial(r); // recovered after a lost reply
    const t = blankTrial(r.number as number, r.trial_id as number, 'RUNNING', 0);
    t.datetimeStart = r.start_ms as number;
    t.systemAttrs = dict({ ...structuredClone(claim.attrs), [claim.idAttr]: r.item as number });
    return t;
  }

  async setTrialParam(trialId: number, name: string, distribution: Distribution, value: ParamValue): Promise<void> {
    await this.writeRunning(trialId, `INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json)
      SELECT trial_id, $2, $3, $4 FROM r ON CONFLICT (trial_id, param_name) DO UPDATE SET param_value = EXCLUDED.param_value,
      distribution_json = EXCLUDED.distribution_json RETURNING 1`, [name, paramToInternal(distribution, value), distributionToJson(distribution)]);
  }
  async setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void> {
    const [v, type] = encodeValue(value);
    await this.writeRunning(trialId, `INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, intermediate_value_type)
      SELECT trial_id, $2, $3, $4::trialintermediatevaluetype FROM r ON CONFLICT (trial_id, step) DO UPDATE
      SET intermediate_value = EXCLUDED.intermediate_value, intermediate_value_type = EXCLUDED.intermediate_value_type RETURNING 1`, [step, v, type]);
  }
  async setTrialUserAttr(trialId: number, key: string, value: unknown): Promise<void> {
    await this.writeAttr('trial_user_attributes', trialId, key, value);
  }
  async setTrialSystemAttr(trialId: number, key: string, value: unknown): Promise<void> {
    await this.writeAttr('trial_system_attributes', trialId, key === 'fixedParams' ? 'fixed_params' : key, value);
  }

  async finishTrial(trialId: number, state: 'COMPLETE' | 'PRUNED' | 'FAIL', values: number[] | null, failReason?: string): Promise<void> {
    const vals = (values ?? []).map((v, o) => { const [x, t] = encodeValue(v); return { o, v: x, t }; });
    const rows = await this.db.query(`WITH f AS (
        UPDATE trials SET state = $2::trialstate, datetime_complete = LOCALTIMESTAMP WHERE trial_id = $1 AND state = 'RUNNING' RETURNING trial_id),
      v AS (INSERT INTO trial_values (trial_id, objective, value, value_type)
        SELECT f.trial_id, x.o, x.v, x.t::trialvaluetype FROM f, json_to_recordset($3::json) AS x(o int, v float8, t text)),
      r AS (INSERT INTO trial_system_attributes (trial_id, key, value_json) SELECT f.trial_id, 'fail_reason', $4 FROM f WHERE $4::text IS NOT NULL
        ON CONFLICT (trial_id, key) DO UPDATE SET value_json = EXCLUDED.value_json)
      SELECT count(*)::int AS n FROM f`, [trialId, state, JSON.stringify(vals), failReason === undefined ? null : toPyJson(failReason)]);
    if (rows[0]!.n === 1) return;
    const now = await this.stateOf(trialId);
    if (now.state === state) return; // our earlier attempt committed but its reply was lost
    throw new RangeError(`trial ${now.number} is ${now.state}, not RUNNING: it cannot change`);
  }

  async getAllTrials(studyId: number, { states }: { states?: TrialState[] } = {}): Promise<FrozenTrial[]> {
    let cache = this.caches.get(studyId);
    const rows = await this.db.query(`SELECT k.seq AS cursor, x.* FROM simdgrad_study_counters k LEFT JOIN LATERAL (
        SELECT ${TRIAL_COLUMNS} FROM trials t WHERE t.study_id = k.study_id AND (t.simdgrad_seq > $2 OR t.state = 'RUNNING')) x ON true
      WHERE k.study_id = $1 ORDER BY x.number`, [studyId, cache?.seq ?? -1]);
    if (!rows.length) return [];
    if (!cache) this.caches.set(studyId, (cache = { seq: -1, byNumber: [], holes: false }));
    for (const r of rows) {
      if (r.trial_id === null) continue;
      this.stats.trialRowsRead++;
      const t = deepFreeze(decodeTrial(r));
      // Rows come by number and numbers have no gaps, so the array stays dense (a fast copy).
      if (t.number > cache.byNumber.length) cache.holes = true; // only if rows were written by another tool
      cache.byNumber[t.number] = t;
    }
    cache.seq = Number(rows[0]!.cursor);
    const all = cache.holes ? cache.byNumber.filter((t) => t !== undefined) : cache.byNumber.slice();
    return states ? all.filter((t) => states.includes(t.state)) : all;
  }

  async recordHeartbeat(trialId: number): Promise<void> {
    await this.db.query(`INSERT INTO trial_heartbeats (trial_id, heartbeat) VALUES ($1, LOCALTIMESTAMP)
      ON CONFLICT (trial_id) DO UPDATE SET heartbeat = EXCLUDED.heartbeat`, [trialId], { retry: false });
  }

  async failStaleTrials(studyId: number): Promise<FrozenTrial[]> {
    if (this.heartbeatIntervalMs === undefined) return [];
    const last = this.lastStaleCheck.get(studyId) ?? 0;
    if (Date.now() - last < Math.min(this.heartbeatIntervalMs, this.graceMs / 2)) return []; // checked recently
    this.lastStaleCheck.set(studyId, Date.now());
    const failed = await this.db.tx(async (q) => {
      const ids = (await q(`UPDATE trials t SET state = 'FAIL', datetime_complete = LOCALTIMESTAMP FROM trial_heartbeats h
        WHERE t.study_id = $1 AND t.state = 'RUNNING' AND h.trial_id = t.trial_id
          AND h.heartbeat < LOCALTIMESTAMP - make_interval(secs => $2) RETURNING t.trial_id`, [studyId, this.graceMs / 1000])).map((r) => r.trial_id as number);
      if (!ids.length) return [];
      await q(`INSERT INTO trial_system_attributes (trial_id, key, value_json) SELECT id, 'fail_reason', $2 FROM unnest($1::int[]) id
        ON CONFLICT (trial_id, key) DO UPDATE SET value_json = EXCLUDED.value_json`, [ids, toPyJson(STALE_REASON)]);
      const trials = (await q(`SELECT ${TRIAL_COLUMNS} FROM trials t WHERE t.trial_id = ANY($1::int[]) ORDER BY t.number`, [ids])).map(decodeTrial);
      for (const t of trials) await this.enqueueRetry(q, studyId, t);
      return trials;
    });
    return failed;
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  /** The artifacts of this database's trials: the simdgrad_artifacts table. */
  artifactStore(): PostgresArtifactStore { return new PostgresArtifactStore(this.db, this.where()); }

  // ——— internals ———

  /** Optuna's RetryFailedTrialCallback: a WAITING copy with the same params and attributes. */
  private async enqueueRetry(q: (sql: string, p?: unknown[]) => Promise<Rows>, studyId: number, t: FrozenTrial): Promise<void> {
    const history = Array.isArray(t.systemAttrs.retry_history) ? (t.systemAttrs.retry_history as number[]) : [];
    if (history.length >= this.maxRetry) return;
    const sys = { ...t.systemAttrs, fixedParams: { ...(t.systemAttrs.fixedParams as object | undefined), ...t.params },
      failed_trial: (t.systemAttrs.failed_trial as number | undefined) ?? t.number, retry_history: [...history, t.number] };
    await q(`WITH n AS (INSERT INTO trials (study_id, state) VALUES ($1, 'WAITING') RETURNING trial_id),
      ua AS (INSERT INTO trial_user_attributes (trial_id, key, value_json) SELECT n.trial_id, a.key, a.value FROM n, json_each_text($2::json) a)
      INSERT INTO trial_system_attributes (trial_id, key, value_json) SELECT n.trial_id, a.key, a.value FROM n, json_each_text($3::json) a`,
    [studyId, encodeAttrs(t.userAttrs), encodeAttrs(sys)]);
  }

  /** An INSERT … FROM r (r = the trial's row if RUNNING, locked against a concurrent finish). */
  private async writeRunning(trialId: number, insert: string, params: unknown[]): Promise<void> {
    const rows = await this.db.query(`WITH r AS (SELECT trial_id FROM trials WHERE trial_id = $1 AND state = 'RUNNING' FOR SHARE) ${insert}`, [trialId, ...params]);
    if (rows.length) return;
    const now = await this.stateOf(trialId);
    throw new RangeError(`trial ${now.number} is ${now.state}, not RUNNING: it cannot change`);
  }

  private async writeAttr(table: string, trialId: number, key: string, value: unknown): Promise<void> {
    await this.writeRunning(trialId, `INSERT INTO ${table} (trial_id, key, value_json) SELECT trial_id, $2, $3 FROM r
      ON CONFLICT (trial_id, key) DO UPDATE SET value_json = EXCLUDED.value_json RETURNING 1`, [key, toPyJson(value)]);
  }

  private async stateOf(trialId: number): Promise<{ number: number; state: TrialState }> {
    const rows = await this.db.query('SELECT number, state::text AS state FROM trials WHERE trial_id = $1', [trialId]);
    if (!rows.length) throw new RangeError(`no trial with id ${trialId} in ${this.where()}`);
    return rows[0] as { number: number; state: TrialState };
  }

  /** The whole trial of this id (a fresh, mutable record). */
  private async trial(trialId: number): Promise<FrozenTrial> {
    const rows = await this.db.query(`SELECT ${TRIAL_COLUMNS} FROM trials t WHERE t.trial_id = $1`, [trialId]);
    if (!rows.length) throw new RangeError(`no trial with id ${trialId} in ${this.where()}`);
    return decodeTrial(rows[0]!);
  }

  private async byToken(token: string): Promise<Rows | undefined> {
    const rows = await this.db.query(`SELECT ${TRIAL_COLUMNS} FROM trials t WHERE t.simdgrad_token = $1`, [token]);
    return rows.length ? rows : undefined;
  }

  private noStudy(e: unknown, studyId: number): unknown {
    return (e as { code?: string }).code === '23503' ? new RangeError(`no study with id ${studyId} in ${this.where()}`) : e;
  }

  /** The server and database, without credentials (for messages). */
  private where(): string {
    try {
      const u = new URL(this.url);
      return `postgresql://${u.host}${u.pathname}`;
    } catch {
      return 'the PostgreSQL database';
    }
  }
}
