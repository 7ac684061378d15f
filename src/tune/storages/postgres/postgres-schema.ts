// The PostgreSQL schema of PostgresStorage: Optuna's RDB tables (so Python Optuna 3.x can load the
// studies: same tables, columns, enum types and version rows as its SQLAlchemy models at schema
// 12 / alembic head v3.0.0.d) plus simdgrad's additions, all prefixed simdgrad_:
//  - simdgrad_schema_version: the version of these additions (SCHEMA_VERSION); a newer one refuses.
//  - simdgrad_study_counters: per study, the next trial number and a change sequence. A trigger on
//    trials takes both under the counter row's lock on INSERT (number) and on state changes (seq),
//    so numbers are gap-free and unique (an aborted insert rolls its increment back) and seq
//    order is commit order: a reader that remembers the seq of its snapshot sees every later change.
//  - trials.simdgrad_seq (last change) and trials.simdgrad_token (the creating or claiming call's
//    uuid, so a call retried after a lost reply finds its own trial instead of making another).
//  - simdgrad_grid_claims: (study, space, item) held by at most one trial (GridSampler's points).
//  - version 2: simdgrad_artifacts, the bytes of trials' artifacts by artifact id (their metadata
//    is a trial system attribute, as Optuna records it).
// ensureSchema creates or upgrades it under a transaction-level advisory lock, so processes
// starting at once serialise and all but the first find it done.

/** Version of simdgrad's schema additions. */
export const SCHEMA_VERSION = 2;
/** Optuna's models.SCHEMA_VERSION and alembic head for the tables below (Optuna 3.0–3.x). */
const OPTUNA_SCHEMA = 12, OPTUNA_ALEMBIC = 'v3.0.0.d', OPTUNA_LIBRARY = '3.1.0';
/** pg_advisory_xact_lock key for schema changes ("simdgrad" in ASCII, truncated to int8). */
const LOCK_KEY = '7589396774215853412';

const ENUMS: Array<[string, string[]]> = [
  ['trialstate', ['RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING']],
  ['studydirection', ['NOT_SET', 'MINIMIZE', 'MAXIMIZE']],
  ['trialvaluetype', ['FINITE', 'INF_POS', 'INF_NEG']],
  ['trialintermediatevaluetype', ['FINITE', 'INF_POS', 'INF_NEG', 'NAN']],
];

const attrTable = (owner: 'study' | 'trial', kind: 'user' | 'system') => `
CREATE TABLE IF NOT EXISTS ${owner}_${kind}_attributes (
  ${owner}_${kind}_attribute_id SERIAL PRIMARY KEY,
  ${owner}_id INTEGER REFERENCES ${owner === 'study' ? 'studies' : 'trials'} (${owner}_id),
  key VARCHAR(512), value_json TEXT, UNIQUE (${owner}_id, key));`;

const OPTUNA_TABLES = `
CREATE TABLE IF NOT EXISTS studies (study_id SERIAL PRIMARY KEY, study_name VARCHAR(512) NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS ix_studies_study_name ON studies (study_name);
CREATE TABLE IF NOT EXISTS study_directions (
  study_direction_id SERIAL PRIMARY KEY, direction studydirection NOT NULL,
  study_id INTEGER NOT NULL REFERENCES studies (study_id), objective INTEGER NOT NULL, UNIQUE (study_id, objective));
${attrTable('study', 'user')}
${attrTable('study', 'system')}
CREATE TABLE IF NOT EXISTS trials (
  trial_id SERIAL PRIMARY KEY, number INTEGER, study_id INTEGER REFERENCES studies (study_id),
  state trialstate NOT NULL, datetime_start TIMESTAMP, datetime_complete TIMESTAMP);
${attrTable('trial', 'user')}
${attrTable('trial', 'system')}
CREATE TABLE IF NOT EXISTS trial_params (
  param_id SERIAL PRIMARY KEY, trial_id INTEGER REFERENCES trials (trial_id), param_name VARCHAR(512),
  param_value FLOAT(53), distribution_json TEXT, UNIQUE (trial_id, param_name));
CREATE TABLE IF NOT EXISTS trial_values (
  trial_value_id SERIAL PRIMARY KEY, trial_id INTEGER NOT NULL REFERENCES trials (trial_id),
  objective INTEGER NOT NULL, value FLOAT(53), value_type trialvaluetype NOT NULL, UNIQUE (trial_id, objective));
CREATE TABLE IF NOT EXISTS trial_intermediate_values (
  trial_intermediate_value_id SERIAL PRIMARY KEY, trial_id INTEGER NOT NULL REFERENCES trials (trial_id),
  step INTEGER NOT NULL, intermediate_value FLOAT(53), intermediate_value_type trialintermediatevaluetype NOT NULL,
  UNIQUE (trial_id, step));
CREATE TABLE IF NOT EXISTS trial_heartbeats (
  trial_heartbeat_id SERIAL PRIMARY KEY, trial_id INTEGER NOT NULL REFERENCES trials (trial_id),
  heartbeat TIMESTAMP NOT NULL DEFAULT LOCALTIMESTAMP, UNIQUE (trial_id));
CREATE TABLE IF NOT EXISTS version_info (
  version_info_id INTEGER PRIMARY KEY CHECK (version_info_id = 1), schema_version INTEGER, library_version VARCHAR(256));
CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);
INSERT INTO version_info VALUES (1, ${OPTUNA_SCHEMA}, '${OPTUNA_LIBRARY}') ON CONFLICT DO NOTHING;
INSERT INTO alembic_version SELECT '${OPTUNA_ALEMBIC}' WHERE NOT EXISTS (SELECT 1 FROM alembic_version);`;

const SIMDGRAD_V1 = `
CREATE TABLE IF NOT EXISTS simdgrad_study_counters (
  study_id INTEGER PRIMARY KEY REFERENCES studies (study_id), next_number INTEGER NOT NULL DEFAULT 0,
  seq BIGINT NOT NULL DEFAULT 0);
ALTER TABLE trials ADD COLUMN IF NOT EXISTS simdgrad_seq BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS simdgrad_token TEXT UNIQUE;
CREATE INDEX IF NOT EXISTS simdgrad_trials_seq ON trials (study_id, simdgrad_seq);
CREATE INDEX IF NOT EXISTS simdgrad_trials_running ON trials (study_id) WHERE state = 'RUNNING';
CREATE INDEX IF NOT EXISTS simdgrad_trials_waiting ON trials (study_id, trial_id) WHERE state = 'WAITING';
CREATE INDEX IF NOT EXISTS simdgrad_params_trial ON trial_params (trial_id);
CREATE TABLE IF NOT EXISTS simdgrad_grid_claims (
  study_id INTEGER NOT NULL REFERENCES studies (study_id), space TEXT NOT NULL, item INTEGER NOT NULL,
  trial_id INTEGER NOT NULL REFERENCES trials (trial_id), PRIMARY KEY (study_id, space, item));
CREATE OR REPLACE FUNCTION simdgrad_trial_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE c simdgrad_study_counters%ROWTYPE;
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO simdgrad_study_counters AS k (study_id, next_number, seq) VALUES (NEW.study_id, 1, 1)
      ON CONFLICT (study_id) DO UPDATE SET next_number = k.next_number + 1, seq = k.seq + 1 RETURNING * INTO c;
    NEW.number := c.next_number - 1;
  ELSE
    IF NEW.state IS NOT DISTINCT FROM OLD.state THEN RETURN NEW; END IF;
    UPDATE simdgrad_study_counters SET seq = seq + 1 WHERE study_id = NEW.study_id RETURNING * INTO c;
  END IF;
  NEW.simdgrad_seq := c.seq;
  RETURN NEW;
END $$;
-- GridSampler's claim in one round trip: lock the study's counter row (serialising claims), then,
-- in a fresh snapshot that sees every claim committed before, take the lowest free item.
CREATE OR REPLACE FUNCTION simdgrad_claim_trial(p_study INTEGER, p_space TEXT, p_size INTEGER, p_token TEXT,
    p_attrs JSON, p_id_attr TEXT, p_heartbeat BOOLEAN)
  RETURNS TABLE (trial_id INTEGER, number INTEGER, start_ms FLOAT8, item INTEGER) LANGUAGE plpgsql AS $$
DECLARE v_item INTEGER; v_trial INTEGER; v_number INTEGER; v_start TIMESTAMP;
BEGIN
  PERFORM 1 FROM simdgrad_study_counters k WHERE k.study_id = p_study FOR UPDATE;
  SELECT gs INTO v_item FROM generate_series(0, p_size - 1) gs WHERE NOT EXISTS (
    SELECT 1 FROM simdgrad_grid_claims c WHERE c.study_id = p_study AND c.space = md5(p_space) AND c.item = gs) ORDER BY gs LIMIT 1;
  IF v_item IS NULL THEN RETURN; END IF;
  INSERT INTO trials (study_id, state, datetime_start, simdgrad_token) VALUES (p_study, 'RUNNING', LOCALTIMESTAMP, p_token)
    RETURNING trials.trial_id, trials.number, trials.datetime_start INTO v_trial, v_number, v_start;
  INSERT INTO simdgrad_grid_claims (study_id, space, item, trial_id) VALUES (p_study, md5(p_space), v_item, v_trial);
  INSERT INTO trial_system_attributes (trial_id, key, value_json)
    SELECT v_trial, a.key, a.value FROM json_each_text(p_attrs) a UNION ALL SELECT v_trial, p_id_attr, v_item::text;
  IF p_heartbeat THEN INSERT INTO trial_heartbeats (trial_id, heartbeat) VALUES (v_trial, LOCALTIMESTAMP); END IF;
  RETURN QUERY SELECT v_trial, v_number, (extract(epoch FROM v_start) * 1000)::float8, v_item;
END $$;
DROP TRIGGER IF EXISTS simdgrad_trial_change ON trials;
CREATE TRIGGER simdgrad_trial_change BEFORE INSERT OR UPDATE OF state ON trials
  FOR EACH ROW EXECUTE FUNCTION simdgrad_trial_change();`;

const SIMDGRAD_V2 = `
CREATE TABLE IF NOT EXISTS simdgrad_artifacts (
  artifact_id TEXT PRIMARY KEY, content BYTEA NOT NULL, created_at TIMESTAMP NOT NULL DEFAULT LOCALTIMESTAMP);`;

/** What ensureSchema needs of a connection. */
export interface SqlRunner { query(sql: string, params?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }> }

/** Creates or upgrades the schema (idempotent; safe when many processes call it at once). */
export async function ensureSchema(db: SqlRunner): Promise<void> {
  try {
    const { rows } = await db.query('SELECT max(version) AS v FROM simdgrad_schema_version');
    if (rows[0]?.v === SCHEMA_VERSION) return; // the common case: no lock needed
  } catch (e) {
    if ((e as { code?: string }).code !== '42P01') throw e; // undefined_table: create below
  }
  await db.query('BEGIN');
  try {
    await db.query(`SELECT pg_advisory_xact_lock(${LOCK_KEY})`);
    await db.query('CREATE TABLE IF NOT EXISTS simdgrad_schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT LOCALTIMESTAMP)');
    const { rows } = await db.query('SELECT max(version) AS v FROM simdgrad_schema_version');
    const have = (rows[0]?.v as number | null) ?? 0;
    if (have > SCHEMA_VERSION) {
      throw new Error(`PostgresStorage: the database has simdgrad schema version ${have}, newer than this simdgrad's ${SCHEMA_VERSION}: upgrade simdgrad`);
    }
    if (have < 1) {
      for (const [name, labels] of ENUMS) {
        await db.query(`DO $$ BEGIN IF to_regtype('${name}') IS NULL THEN CREATE TYPE ${name} AS ENUM (${labels.map((l) => `'${l}'`).join(', ')}); END IF; END $$`);
      }
      await db.query(OPTUNA_TABLES);
      await db.query(SIMDGRAD_V1);
      // Studies created by Optuna itself get their counters now (the trigger keeps them after).
      await db.query(`INSERT INTO simdgrad_study_counters (study_id, next_number, seq)
        SELECT s.study_id, coalesce(max(t.number) + 1, 0), 0 FROM studies s LEFT JOIN trials t USING (study_id)
        GROUP BY s.study_id ON CONFLICT DO NOTHING`);
      await db.query('INSERT INTO simdgrad_schema_version (version) VALUES (1)');
    }
    if (have < 2) {
      await db.query(SIMDGRAD_V2);
      await db.query('INSERT INTO simdgrad_schema_version (version) VALUES (2)');
    }
    await db.query('COMMIT');
  } catch (e) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}
