// Many `simdgrad worker` processes against one private PostgreSQL server (the done-when):
// 8 processes share a 450-point grid plus 50 enqueued trials → exactly 500 COMPLETE trials numbered
// 0–499, every grid point and every enqueued trial once; a worker killed with SIGKILL mid-trial
// (its trial FAILs after the heartbeat grace period and is retried; nothing else is lost) and one
// stopped with SIGTERM (its trial fails as interrupted, exit 143); a server restart mid-sweep; a
// worker whose link to the server is cut mid-trial (tests/helpers/tcp-link.ts: its connections
// stall, as over a link that goes down).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { startPostgres, type PgServer } from '../helpers/postgres-server.js';
import { tcpLink } from '../helpers/tcp-link.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const objective = `${fileURLToPath(new URL('./fixtures/pg-objectives.ts', import.meta.url))}#grid`;

const spawned: ChildProcess[] = [];
interface Worker { proc: ChildProcess; lines: string[]; exit: Promise<number | null>; waitFor(re: RegExp, count?: number): Promise<void> }
function worker(url: string, study: string, args: string[] = [], { env = {} }: { env?: Record<string, string> } = {}): Worker {
  const argv = ['--import', 'tsx', 'src/cli/main.ts', 'worker', '--storage', url, '--study', study, '--objective', objective, ...args];
  const proc = spawn(process.execPath, argv, { cwd: root, env: { ...process.env, ...env } });
  spawned.push(proc);
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  let buf = '';
  proc.stdout!.on('data', (d: Buffer) => {
    buf += String(d);
    const parts = buf.split('\n');
    buf = parts.pop()!;
    lines.push(...parts);
    for (const w of waiters.splice(0)) w();
  });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => { err += String(d); });
  const exit = new Promise<number | null>((resolve) => proc.on('exit', (code) => {
    if (code !== 0 && code !== 143 && code !== null) console.error(`worker ${proc.pid} exited ${code}: ${err}`);
    resolve(code);
  }));
  let exited = false;
  proc.on('exit', () => { exited = true; for (const w of waiters.splice(0)) w(); });
  const waitFor = async (re: RegExp, count = 1) => {
    while (lines.filter((l) => re.test(l)).length < count) {
      if (exited) throw new Error(`worker ${proc.pid} exited before printing ${count} lines matching ${re}`);
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  return { proc, lines, exit, waitFor };
}

let server: PgServer;
let dir: string;
let dbs = 0;
function database(): string {
  const db = `w${++dbs}`;
  server.createDatabase(db);
  return server.urlFor(db);
}
function gridFile(a: number, b: number): string {
  const path = join(dir, `grid-${a}x${b}.json`);
  writeFileSync(path, JSON.stringify({ a: [...Array(a).keys()], b: [...Array(b).keys()] }));
  return path;
}
async function finalTrials(url: string, study: string): Promise<sg.tune.FrozenTrial[]> {
  const storage = new sg.tune.PostgresStorage(url);
  try {
    return await storage.getAllTrials((await storage.loadStudy(study))!.studyId);
  } finally {
    await storage.close();
  }
}
/** Every trial number 0…n−1 once; each grid point COMPLETE exactly once. */
function expectWholeGrid(trials: sg.tune.FrozenTrial[], a: number, b: number): void {
  expect(trials.map((t) => t.number)).toEqual([...Array(trials.length).keys()]);
  const points = trials.filter((t) => t.state === 'COMPLETE' && (t.params.a as number) < a).map((t) => `${t.params.a}/${t.params.b}`);
  expect(points.length).toBe(a * b);
  expect(new Set(points).size).toBe(a * b);
}

describe('simdgrad worker processes on PostgreSQL', () => {
  beforeAll(async () => {
    server = await startPostgres();
    dir = mkdtempSync(join(tmpdir(), 'simdgrad-pgw-'));
  }, 60_000);
  afterAll(() => {
    for (const p of spawned) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL'); // a failed test's leftovers
    server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('8 processes: 450 grid points + 50 enqueued trials → exactly 500 trials, numbered 0–499, each run once', async () => {
    const url = database();
    const storage = new sg.tune.PostgresStorage(url);
    const study = await sg.tune.createStudy({ storage, studyName: 'big', direction: 'maximize' });
    for (let i = 0; i < 50; i++) await study.enqueueTrial({ a: 500 + i, b: i });
    await storage.close();
    const grid = gridFile(30, 15);
    const workers = Array.from({ length: 8 }, () => worker(url, 'big', ['--sampler', 'grid', '--grid', grid, '--direction', 'maximize']));
    expect(await Promise.all(workers.map((w) => w.exit))).toEqual(Array(8).fill(0));
    const trials = await finalTrials(url, 'big');
    expect(trials).toHaveLength(500);
    expect(trials.every((t) => t.state === 'COMPLETE')).toBe(true);
    expectWholeGrid(trials, 30, 15);
    const enqueued = trials.filter((t) => (t.params.a as number) >= 500).map((t) => t.params.a as number).sort((x, y) => x - y);
    expect(enqueued).toEqual([...Array(50).keys()].map((i) => 500 + i));
    // Every process took part; each trial was reported done by exactly one of them.
    const done = workers.flatMap((w) => w.lines.filter((l) => l.startsWith('trial ')).map((l) => Number(l.split(' ')[1])));
    expect(done.sort((x, y) => x - y)).toEqual([...Array(500).keys()]);
    expect(workers.every((w) => w.lines.some((l) => l.startsWith('trial ')))).toBe(true);
  }, 120_000);

  it('SIGKILL mid-trial: the trial FAILs after the grace period and is retried; SIGTERM fails its trial cleanly', async () => {
    const url = database();
    const grid = gridFile(10, 6);
    const hb = ['--heartbeat-interval', '0.25', '--grace-period', '2', '--max-retry', '1', '--sampler', 'grid', '--grid', grid];
    const env = { SG_TRIAL_MS: '100' };
    const victim = worker(url, 'kill', hb, { env: { SG_TRIAL_MS: '400' } }); // slow: still busy when killed
    await victim.waitFor(/^trial /, 1); // the study exists now
    const termed = worker(url, 'kill', hb, { env: { SG_TRIAL_MS: '400' } });
    const others = [worker(url, 'kill', hb, { env })];
    await termed.waitFor(/^start /, 1);
    termed.proc.kill('SIGTERM');
    expect(await termed.exit).toBe(143);
    await victim.waitFor(/^start /, victim.lines.filter((l) => l.startsWith('start ')).length + 1);
    victim.proc.kill('SIGKILL');
    const killedNumber = Number(victim.lines.filter((l) => l.startsWith('start ')).at(-1)!.split(' ')[1]);
    expect(await Promise.all(others.map((w) => w.exit))).toEqual([0]);
    // Past the grace period a newcomer fails the dead trial and runs its retry.
    await new Promise((r) => setTimeout(r, 2200));
    expect(await worker(url, 'kill', hb, { env }).exit).toBe(0);
    const trials = await finalTrials(url, 'kill');
    const killed = trials.find((t) => t.number === killedNumber)!;
    expect(killed.state).toBe('FAIL');
    expect(killed.failReason).toMatch(/no heartbeat within the grace period/);
    const retry = trials.find((t) => t.systemAttrs.failed_trial === killedNumber)!;
    expect(retry.state).toBe('COMPLETE');
    expect(retry.params).toEqual(killed.params);
    const interrupted = trials.filter((t) => t.failReason === 'Interrupted: interrupted by SIGTERM');
    expect(interrupted).toHaveLength(1);
    expect(trials.filter((t) => t.state === 'FAIL')).toHaveLength(2);
    expect(trials.filter((t) => t.state === 'RUNNING' || t.state === 'WAITING')).toHaveLength(0);
    // Every grid point completed once, except the SIGTERM'd one (FAIL, not retried).
    expect(trials.map((t) => t.number)).toEqual([...Array(trials.length).keys()]);
    const done = trials.filter((t) => t.state === 'COMPLETE').map((t) => `${t.params.a}/${t.params.b}`);
    expect(new Set(done).size).toBe(done.length);
    expect(done.length).toBe(59);
    expect(done).not.toContain(`${interrupted[0]!.params.a}/${interrupted[0]!.params.b}`);
  }, 90_000);

  it('a server restart mid-sweep: workers wait for it and finish the grid with nothing lost', async () => {
    const url = database();
    const grid = gridFile(10, 8);
    const args = ['--sampler', 'grid', '--grid', grid];
    const first = worker(url, 'restart', args, { env: { SG_TRIAL_MS: '40' } });
    await first.waitFor(/^trial /, 1);
    const workers = [first, worker(url, 'restart', args, { env: { SG_TRIAL_MS: '40' } })];
    await first.waitFor(/^trial /, 8);
    server.stopServer('fast');
    await new Promise((r) => setTimeout(r, 1500));
    server.startServer();
    expect(await Promise.all(workers.map((w) => w.exit))).toEqual([0, 0]);
    const trials = await finalTrials(url, 'restart');
    expect(trials.filter((t) => t.state !== 'COMPLETE').map((t) => `${t.number} ${t.state} ${t.failReason}`)).toEqual([]);
    expect(trials).toHaveLength(80);
    expectWholeGrid(trials, 10, 8);
  }, 90_000);

  it('a network cut mid-trial (worker behind a link that goes down): its trial FAILs, is retried, nothing else lost', async () => {
    const url = database();
    const grid = gridFile(10, 6);
    const args = ['--heartbeat-interval', '0.25', '--grace-period', '1.5', '--max-retry', '1', '--sampler', 'grid', '--grid', grid];
    const local = worker(url, 'cut', args, { env: { SG_TRIAL_MS: '150' } }); // busy for longer than the cut
    await local.waitFor(/^trial /, 1);
    const link = await tcpLink(server.port);
    try {
      const remote = worker(url.replace(`:${server.port}/`, `:${link.port}/`), 'cut', args, { env: { SG_TRIAL_MS: '1200' } });
      await remote.waitFor(/^start /, 1);
      const cutNumber = Number(remote.lines.find((l) => l.startsWith('start '))!.split(' ')[1]);
      link.cut();
      await new Promise((r) => setTimeout(r, 3500)); // > grace: the local worker fails the cut-off trial
      link.restore();
      expect(await local.exit).toBe(0);
      expect(await remote.exit).toBe(0);
      const trials = await finalTrials(url, 'cut');
      const cut = trials.find((t) => t.number === cutNumber)!;
      expect(cut.state).toBe('FAIL');
      expect(cut.failReason).toMatch(/no heartbeat/);
      expect(trials.find((t) => t.systemAttrs.failed_trial === cutNumber)!.state).toBe('COMPLETE');
      expect(trials.filter((t) => t.state === 'FAIL')).toHaveLength(1);
      expect(trials.filter((t) => t.state === 'COMPLETE')).toHaveLength(60);
      expectWholeGrid(trials, 10, 6);
    } finally {
      await link.close();
    }
  }, 90_000);

  it('`simdgrad tune --storage postgresql://…` creates a study and a second run resumes it', async () => {
    const url = database();
    const tune = () => new Promise<{ code: number | null; out: string }>((resolve) => {
      const p = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'tune', '--storage', url, '--study', 'iris',
        '--data', 'iris', '--trials', '2', '--folds', '2', '--epochs', '1', '--pruner', 'none', '--json'], { cwd: root });
      spawned.push(p);
      let out = '';
      p.stdout.on('data', (d: Buffer) => { out += String(d); });
      p.on('exit', (code) => resolve({ code, out }));
    });
    const first = await tune();
    expect(first.code).toBe(0);
    expect(JSON.parse(first.out)).toMatchObject({ study: 'iris', trials: 2, newTrials: 2 });
    const second = await tune();
    expect(JSON.parse(second.out)).toMatchObject({ trials: 4, newTrials: 2 });
    expect((await finalTrials(url, 'iris')).map((t) => `${t.number}${t.state}`)).toEqual(['0COMPLETE', '1COMPLETE', '2COMPLETE', '3COMPLETE']);
  }, 90_000);
});
