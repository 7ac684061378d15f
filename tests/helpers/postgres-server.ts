// A private PostgreSQL server for tests: initdb into a temporary data directory, its own port,
// listening on loopback (and on extra addresses, e.g. a veth for a network-namespace test), trust
// authentication, fsync off (a crash of the server alone loses nothing; only the OS's would); stop() shuts it down and removes the directory. initdb and postgres
// refuse to run as root, so as root they run as the `postgres` user (runuser) in a directory it
// owns. findPostgres() returns the binaries' directory or why there is none (tests then skip).
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, appendFileSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PgServer {
  /** postgresql://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** A URL for database `db` (created by createDatabase) on `host`. */
  urlFor(db: string, host?: string): string;
  createDatabase(db: string): void;
  psql(sql: string, db?: string): string;
  /** Stops the server (mode: fast = disconnects clients, immediate = like a crash). */
  stopServer(mode?: 'fast' | 'immediate'): void;
  startServer(): void;
  stop(): void;
}

/** The directory of initdb/pg_ctl, or a reason why PostgreSQL is not available. */
export function findPostgres(): { bin: string } | { reason: string } {
  try {
    const bin = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
    if (existsSync(join(bin, 'initdb'))) return { bin };
  } catch { /* look in Debian's place */ }
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    for (const v of readdirSync(root).sort().reverse()) if (existsSync(join(root, v, 'bin', 'initdb'))) return { bin: join(root, v, 'bin') };
  }
  return { reason: 'no PostgreSQL server binaries (apt-get install postgresql)' };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
  });
}

/** Starts a server; `listen` adds addresses besides 127.0.0.1. */
export async function startPostgres({ listen = [] as string[] } = {}): Promise<PgServer> {
  const found = findPostgres();
  if ('reason' in found) throw new Error(found.reason);
  const { bin } = found;
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'simdgrad-pg-'));
  chmodSync(dir, 0o755);
  const data = join(dir, 'data');
  const port = await freePort();
  const asOwner = (cmd: string, args: string[]) => {
    const [c, a] = root ? ['runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]] : [join(bin, cmd), args];
    const r = spawnSync(c, a as string[], { encoding: 'utf8', cwd: dir });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.stdout || r.error?.message}`);
    return r.stdout;
  };
  if (root) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })));
  asOwner('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C']);
  appendFileSync(join(data, 'postgresql.conf'), [
    `port = ${port}`, `listen_addresses = '${['127.0.0.1', ...listen].join(',')}'`, `unix_socket_directories = '${dir}'`,
    'fsync = off', 'full_page_writes = off', 'max_connections = 200', 'shared_buffers = 32MB', '',
  ].join('\n'));
  appendFileSync(join(data, 'pg_hba.conf'), 'host all all 0.0.0.0/0 trust\n');
  const startServer = () => { asOwner('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '30', 'start']); };
  const stopServer = (mode: 'fast' | 'immediate' = 'fast') => { asOwner('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']); };
  startServer();
  const urlFor = (db: string, host = '127.0.0.1') => `postgresql://postgres@${host}:${port}/${db}`;
  const psql = (sql: string, db = 'postgres') => execFileSync(join(bin, 'psql'), ['-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-d', urlFor(db), '-c', sql], { encoding: 'utf8' });
  return {
    url: urlFor('postgres'), port, urlFor, psql,
    createDatabase: (db) => { psql(`CREATE DATABASE ${db}`); },
    stopServer, startServer,
    stop() {
      try { stopServer('immediate'); } catch { /* already down */ }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
