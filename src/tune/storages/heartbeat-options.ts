// Heartbeat options of storages shared by processes (PostgresStorage, JournalFileStorage) and their
// validation, used by the lazily loaded implementations and by the core's forwarding shells, which
// must know the heartbeat interval before an implementation loads.
import type { PgConnectionOptions } from './postgres/postgres-connection.js';
import { checkInt, checkNumber } from '../../check-option.js';

export interface HeartbeatOptions {
  /** Seconds between heartbeats of RUNNING trials (Optuna's heartbeat_interval); none by default. */
  heartbeatInterval?: number;
  /** Seconds without a heartbeat after which a RUNNING trial is failed (default 2 × heartbeatInterval). */
  gracePeriod?: number;
  /** Re-enqueue a trial failed for a missing heartbeat as a WAITING copy up to this many times
   * (Optuna's RetryFailedTrialCallback(max_retry)); default 0. */
  maxRetry?: number;
}

export interface PostgresStorageOptions extends PgConnectionOptions, HeartbeatOptions {}

/** A RUNNING trial's fail reason when its heartbeats stopped. */
export const STALE_REASON = 'no heartbeat within the grace period (the worker died or lost the storage)';

const OWNER = 'storage';

/** The heartbeat settings in milliseconds; throws a RangeError for a bad interval, grace period or retry count. */
export function heartbeatSettings(opts: HeartbeatOptions): { heartbeatIntervalMs: number | undefined; graceMs: number; maxRetry: number } {
  if (opts.heartbeatInterval !== undefined) checkNumber(OWNER, 'heartbeatInterval (seconds)', opts.heartbeatInterval, { gt: 0 });
  if (opts.gracePeriod !== undefined) checkNumber(OWNER, 'gracePeriod (seconds)', opts.gracePeriod, { gt: 0 });
  if (opts.maxRetry !== undefined) checkInt(OWNER, 'maxRetry', opts.maxRetry, 0);
  const heartbeatIntervalMs = opts.heartbeatInterval === undefined ? undefined : opts.heartbeatInterval * 1000;
  const graceMs = (opts.gracePeriod ?? 2 * (opts.heartbeatInterval ?? 0)) * 1000;
  return { heartbeatIntervalMs, graceMs, maxRetry: opts.maxRetry ?? 0 };
}
