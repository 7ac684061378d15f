// PgConnection: PostgresStorage's link to the server — a small node-postgres pool (the optional
// `pg` package, imported on first use so the core has no runtime dependency), the schema ensured
// once per pool, and every query or transaction retried with exponential backoff while the error
// is a lost or refused connection (server restart, network cut, failover), up to retryTimeoutMs;
// then the call rejects with StorageUnavailableError, whose message gives how long the server has
// been unreachable (since this connection's first failed call of the outage, which may be longer
// than the call's own retry period when several calls waited in turn). A call whose reply was lost
// may have committed: callers pass `recover`, which looks for the effect (by a token) first.
import { ensureSchema } from './postgres-schema.js';
import { StorageUnavailableError } from '../../../errors.js';

export interface PgConnectionOptions {
  /** Connections per process (default 4). */
  maxConnections?: number;
  /** How long a call keeps retrying a lost connection before it fails (default 30 000 ms). */
  retryTimeoutMs?: number;
  /** A query without a reply for this long counts as a lost connection (default 20 000 ms). */
  queryTimeoutMs?: number;
  /** Connecting longer than this counts as a refused connection (default 5 000 ms). */
  connectTimeoutMs?: number;
}


type PgModule = typeof import('pg');
type Pool = import('pg').Pool;
type PoolClient = import('pg').PoolClient;
export type Rows = Array<Record<string, any>>;

// Connection-class SQLSTATEs (08…), shutdown (57P01–57P03), too many connections, and the
// socket errors a restart or a cut leaves; node-postgres' own messages for a dead connection.
const TRANSIENT_CODES = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006', '40001', '40P01',
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN', 'ENOTFOUND']);
const TRANSIENT_MESSAGE = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|not queryable|the database system is (starting up|shutting down)|terminating connection/i;

/** Whether an error means "the connection is gone, try again" (not a problem of the statement). */
export function isTransient(e: unknown): boolean {
  const x = e as { code?: string; message?: string } | null;
  return !!x && (TRANSIENT_CODES.has(String(x.code)) || TRANSIENT_MESSAGE.test(String(x.message ?? '')));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Statements run as named prepared statements (prepared once per connection by node-postgres),
// so the server plans the storage's CTE statements once instead of on every call.
const names = new Map<string, string>();
function prepared(text: string, values: unknown[]): { name: string; text: string; values: unknown[] } {
  let name = names.get(text);
  if (!name) {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    names.set(text, (name = `simdgrad_${(h >>> 0).toString(36)}_${text.length}`));
  }
  return { name, text, values };
}

export class PgConnection {
  private pool: Promise<Pool> | undefined;
  private readonly retryTimeoutMs: number;
  /** When a call of this connection first met a lost connection, until one succeeds again. */
  private downSince: number | undefined;

  constructor(private readonly url: string, private readonly opts: PgConnectionOptions = {}) {
    this.retryTimeoutMs = opts.retryTimeoutMs ?? 30_000;
  }

  /** One statement (autocommit). `retry: false` gives up at the first lost connection. */
  async query(sql: string, params: unknown[] = [], { retry = true, recover }: { retry?: boolean; recover?: () => Promise<Rows | undefined> } = {}): Promise<Rows> {
    return this.retrying(async () => (await (await this.open()).query(prepared(sql, params))).rows, retry, recover);
  }

  /** fn inside BEGIN … COMMIT on one connection; rolled back (and retried as a whole) on failure. */
  async tx<T>(fn: (q: (sql: string, params?: unknown[]) => Promise<Rows>) => Promise<T>, recover?: () => Promise<T | undefined>): Promise<T> {
    return this.retrying(async () => {
      const client: PoolClient = await (await this.open()).connect();
      let broken: unknown;
      try {
        await client.query('BEGIN');
        const out = await fn(async (sql, params = []) => (await client.query(prepared(sql, params))).rows);
        await client.query('COMMIT');
        return out;
      } catch (e) {
        if (isTransient(e)) broken = e;
        else await client.query('ROLLBACK').catch((r: unknown) => { broken = r; });
        throw e;
      } finally {
        client.release(broken as Error | undefined); // a broken connection is discarded
      }
    }, true, recover);
  }

  async close(): Promise<void> {
    const p = this.pool;
    this.pool = undefined;
    if (p) await (await p.catch(() => undefined))?.end();
  }

  private async retrying<T>(fn: () => Promise<T>, retry: boolean, recover?: () => Promise<T | undefined>): Promise<T> {
    const start = Date.now();
    let wait = 50, lost: unknown;
    for (;;) {
      const tried = Date.now();
      try {
        if (lost !== undefined && recover) {
          const found = await recover();
          this.downSince = undefined;
          if (found !== undefined) return found;
        }
        const out = await fn();
        this.downSince = undefined;
        return out;
      } catch (e) {
        if (!isTransient(e)) { this.downSince = undefined; throw e; } // the server answered
        lost = e;
        const now = Date.now();
        this.downSince ??= tried;
        if (!retry || now - start + wait > this.retryTimeoutMs) {
          throw new StorageUnavailableError(`PostgreSQL server unreachable for ${now - this.downSince} ms ` +
            `(this call gave up after retrying for ${now - start} ms): ${(e as Error).message}`);
        }
        await sleep(wait);
        wait = Math.min(wait * 2, 2000);
      }
    }
  }

  private open(): Promise<Pool> {
    this.pool ??= this.create().catch((e: unknown) => { this.pool = undefined; throw e; });
    return this.pool;
  }

  private async create(): Promise<Pool> {
    let mod: PgModule;
    try {
      // A variable specifier: bundlers (browser, edge) leave it alone instead of trying to bundle pg.
      const specifier = 'pg';
      const m = await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier) as PgModule & { default?: PgModule };
      mod = m.default ?? m;
    } catch (e) {
      throw new Error(`PostgresStorage needs the 'pg' package (an optional peer dependency of simdgrad): npm install pg (${(e as Error).message})`);
    }
    const pool = new mod.Pool({
      connectionString: this.url, max: this.opts.maxConnections ?? 4, keepAlive: true, allowExitOnIdle: true,
      connectionTimeoutMillis: this.opts.connectTimeoutMs ?? 5000, query_timeout: this.opts.queryTimeoutMs ?? 20_000,
      options: '-c TimeZone=UTC', // timestamps are stored as Optuna does (naive), here in UTC
    });
    pool.on('error', () => undefined); // an idle connection died (server restart): the next query reconnects
    const client = await pool.connect().catch(async (e: unknown) => { await pool.end().catch(() => undefined); throw e; });
    let broken: unknown;
    try {
      await ensureSchema({ query: (sql, params) => client.query(sql, params) });
    } catch (e) {
      broken = e;
      throw e;
    } finally {
      client.release(broken && isTransient(broken) ? (broken as Error) : undefined);
      if (broken) await pool.end().catch(() => undefined);
    }
    return pool;
  }
}
