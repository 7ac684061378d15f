// The journal half of the adversarial battery, as functions that return their counts (the tests
// in this folder assert them; bench/reliability.ts prints them):
// - journalCorruptionBattery: fast-check corrupts hand-written journals the ways crashes and disks
//   do — a torn write (cut anywhere), a torn line that later writers appended after (Optuna's
//   writer leaves those), runs of NUL bytes (lost blocks), bytes that are not text, a split line,
//   a foreign line (JSON that is not an operation). Each file must either fail with a JournalError
//   naming a line after the intact prefix (the lines before the first changed byte), or load
//   exactly that prefix, as a naive replay written in the test says; `journal check` must agree,
//   and a writer must either refuse (file unchanged) or append right after the prefix.
//   Not covered, because no reader of Optuna's format can tell: a change that leaves a line valid
//   JSON of the right types (a digit flipped in a value) — the format has no checksums.
// - journalKillBattery: writer processes SIGKILLed at random moments (four at a time, so one may die
//   holding the lock), with a torn tail of up to 3 MiB left before every other round as if a writer
//   had died mid-write; after each round every trial a writer reported finished is COMPLETE with its
//   value, every COMPLETE trial is consistent, numbers have no gaps, and the journal stays writable.
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { JournalError, JournalFileStorage } from '../../src/tune/index.js';
import { inspectJournal } from '../../src/tune/storages/journal/journal-inspect.js';
import { journalLines, loadedTrials, naiveReplay } from '../helpers/journal-fixture.js';

/** What a battery tried and how each probe ended; the last four must be 0. */
export interface BatteryCounts {
  probes: number;
  /** Ended in a JournalError naming the right file and a damaged line. */
  typedErrors: number;
  /** Loaded exactly the intact prefix (corruption in a torn tail only), or survived a kill intact. */
  intact: number;
  silentWrong: number;
  lostTrials: number;
  untypedErrors: number;
  /** Disagreements between `journal check` and the reader, or writers that appended past damage. */
  inconsistent: number;
  /** Details: corruption kinds tried, torn tails and stale locks met, trials checked… */
  details: Record<string, number>;
}

const blank = (): BatteryCounts => ({ probes: 0, typedErrors: 0, intact: 0, silentWrong: 0, lostTrials: 0, untypedErrors: 0, inconsistent: 0, details: {} });
const bump = (c: BatteryCounts, k: string, by = 1) => { c.details[k] = (c.details[k] ?? 0) + by; };

// Bytes that make any line they enter invalid: control characters (never valid raw in JSON text)
// and bytes that can never form UTF-8 after an ASCII byte.
const HOSTILE = [...Array(32).keys()].filter((b) => b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x20)
  .concat([...Array(64).keys()].map((b) => 0x80 + b), [0xc0, 0xc1, 0xf5, 0xf8, 0xfe, 0xff]);
const NOT_OPS = ['null', '[]', '{}', '0', '"op"', 'true', '{"op_code":null}', '{"op_code":0,"worker_id":"w","study_name":"t","directions":null}',
  '{"op_code":99,"worker_id":"w"}', '{"op_code":4,"worker_id":"w","study_id":-1,"datetime_start":null}', '{"op_code":6,"worker_id":"w","trial_id":0,"state":1,"values":"1"}',
  '{"op_code":8,"worker_id":"w","trial_id":0,"user_attr":{}}', '{"op_code":5,"worker_id":"w","trial_id":0,"param_name":"x","param_value_internal":null,"distribution":null}'];

type Corruption =
  | { kind: 'truncate'; at: number }
  | { kind: 'torn-then-appended'; line: number; cut: number }
  | { kind: 'hostile-bytes'; at: number; bytes: number[] }
  | { kind: 'nul-run'; at: number; len: number }
  | { kind: 'split-line'; at: number }
  | { kind: 'foreign-line'; line: number; text: string };

const corruption: fc.Arbitrary<Corruption> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('torn-then-appended' as const), line: fc.nat(), cut: fc.nat() }),
  fc.record({ kind: fc.constant('hostile-bytes' as const), at: fc.nat(), bytes: fc.array(fc.constantFrom(...HOSTILE), { minLength: 1, maxLength: 6 }) }),
  fc.record({ kind: fc.constant('nul-run' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 8192 }) }),
  fc.record({ kind: fc.constant('split-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('foreign-line' as const), line: fc.nat(), text: fc.oneof(fc.constantFrom(...NOT_OPS), fc.json().filter((s) => !s.includes('op_code'))) }),
);

/** The corrupted bytes of a journal with these lines. */
function corrupt(lines: string[], c: Corruption): Buffer {
  const text = (ls: string[]) => ls.map((l) => `${l}\n`).join('');
  const orig = Buffer.from(text(lines)), n = lines.length;
  switch (c.kind) {
    case 'truncate': return orig.subarray(0, c.at % orig.length);
    case 'torn-then-appended': {
      const i = c.line % n, line = lines[i]!;
      return Buffer.from(text(lines.slice(0, i)) + line.slice(0, 1 + (c.cut % line.length)) + text(lines.slice(i + 1)));
    }
    case 'hostile-bytes': case 'nul-run': {
      const out = Buffer.from(orig), at = c.at % out.length;
      const bytes = c.kind === 'nul-run' ? new Array<number>(c.len).fill(0) : c.bytes;
      bytes.slice(0, out.length - at).forEach((b, j) => { out[at + j] = b; });
      return out;
    }
    case 'split-line': { const at = c.at % orig.length; return Buffer.concat([orig.subarray(0, at), Buffer.from('\n'), orig.subarray(at)]); }
    case 'foreign-line': { const i = c.line % (n + 1); return Buffer.from(text(lines.slice(0, i)) + `${c.text}\n` + text(lines.slice(i))); }
  }
}

/** Complete original lines before the first byte where `bad` differs from `orig`. */
function intactLines(orig: Buffer, bad: Buffer): number {
  let d = 0;
  while (d < orig.length && d < bad.length && orig[d] === bad[d]) d++;
  let lines = 0;
  for (let i = 0; i < d; i++) if (orig[i] === 0x0a) lines++;
  return lines;
}

/** fast-check runs (seeded) of corruption → load / check / write; throws fast-check's counterexample on a failure. */
export async function journalCorruptionBattery({ runs = 300, seed = 20261129 }: { runs?: number; seed?: number } = {}): Promise<BatteryCounts> {
  const c = blank(), dir = mkdtempSync(join(tmpdir(), 'sg-adv-journal-'));
  let k = 0;
  try {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 24 }), fc.nat(), corruption, async (trials, jseed, how) => {
      const lines = journalLines(trials, jseed + 1), orig = Buffer.from(lines.map((l) => `${l}\n`).join(''));
      const bad = corrupt(lines, how), path = join(dir, `c${k++}.jsonl`), intact = intactLines(orig, bad);
      writeFileSync(path, bad);
      c.probes++;
      bump(c, how.kind);
      let loaded: unknown, error: unknown;
      try { loaded = await loadedTrials(new JournalFileStorage(path)); } catch (e) { error = e; }
      const report = await inspectJournal(path);
      if (error === undefined) {
        const ok = isDeepStrictEqual(loaded, intact ? naiveReplay(lines.slice(0, intact)) : null);
        if (ok) c.intact++; else c.silentWrong++;
        if (report.damagedCount !== 0) c.inconsistent++;
        // A writer appends right after the complete lines (a torn tail is cut).
        await new JournalFileStorage(path).createStudy('other', ['maximize']);
        const after = readFileSync(path), keep = bad.lastIndexOf(0x0a) + 1;
        const added = after.subarray(keep).toString();
        if (!after.subarray(0, keep).equals(bad.subarray(0, keep)) || !/^\{"op_code":0,[^\n]*"study_name":"other"[^\n]*\}\n$/.test(added)) c.inconsistent++;
        return ok;
      }
      if (!(error instanceof JournalError)) { c.untypedErrors++; return false; }
      const right = error.path === path && error.line !== null && error.line > intact;
      if (right) c.typedErrors++; else c.silentWrong++;
      if (report.damaged[0]?.line !== error.line || report.intactLines !== error.line! - 1) c.inconsistent++;
      const refused = await new JournalFileStorage(path).createStudy('other', ['maximize']).then(() => false, (e) => e instanceof JournalError);
      if (!refused || !readFileSync(path).equals(bad)) c.inconsistent++;
      return right;
    }), { numRuns: runs, seed, endOnFailure: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return c;
}

const WRITER = fileURLToPath(new URL('./fixtures/journal-writer.ts', import.meta.url));

/** Starts a writer process; resolves its pid when it has opened the study; `done` collects what it finished. */
function writer(path: string, seed: number, done: Map<number, number>) {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, path, String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += String(d);
      const lines = out.split('\n');
      out = lines.pop()!;
      for (const l of lines) {
        if (l === 'ready') resolve();
        const m = /^done (\d+) (\S+)$/.exec(l);
        if (m) done.set(Number(m[1]), Number(m[2]));
      }
    });
    child.stderr.on('data', (d: Buffer) => { err += String(d); });
    child.on('exit', (code, signal) => reject(new Error(`writer exited (${code ?? signal}) before it was ready: ${err}`)));
  });
  const exited = new Promise<string>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? `exit ${code}: ${err}`)));
  return { child, ready, exited };
}

/**
 * `kills` writer processes SIGKILLed at random moments, `concurrency` at a time, on one journal;
 * after each round the journal is inspected and reopened. Counts lost and wrong trials.
 */
export async function journalKillBattery({ kills = 20, concurrency = 4, seed = 7, maxDelayMs = 300 }: { kills?: number; concurrency?: number; seed?: number; maxDelayMs?: number } = {}): Promise<BatteryCounts> {
  const c = blank(), dir = mkdtempSync(join(tmpdir(), 'sg-adv-kill-')), path = join(dir, 'kill.jsonl');
  const done = new Map<number, number>();
  let rnd = seed >>> 0;
  const next = () => { rnd = (Math.imul(rnd, 1664525) + 1013904223) >>> 0; return rnd / 2 ** 32; };
  try {
    for (let killed = 0, r = 0; killed < kills; r++) {
      if (r % 2 === 1) {
        // As if the last writer had died mid-write of a large line (a kill rarely lands inside one
        // write call): the next writers must cut this torn tail, whatever its length.
        const line = JSON.stringify({ op_code: 8, worker_id: 'dead', trial_id: 0, user_attr: { blob: 'd'.repeat(3 << 20) } });
        appendFileSync(path, line.slice(0, 1 + Math.floor(next() * (line.length - 1))));
        bump(c, 'injectedTornTails');
      }
      const round = Array.from({ length: Math.min(concurrency, kills - killed) }, (_, i) => writer(path, seed * 1000 + killed + i, done));
      await Promise.all(round.map(async (w) => {
        await w.ready;
        await new Promise((r) => setTimeout(r, next() * maxDelayMs));
        w.child.kill('SIGKILL');
        const how = await w.exited;
        if (how !== 'SIGKILL') throw new Error(`a writer ended by itself (${how})`);
      }));
      killed += round.length;
      c.probes += round.length;
      if (await checkJournal(path, done, killed, c)) c.intact += round.length;
    }
    // Still writable by a new process's storage, which then sees everything intact.
    const storage = new JournalFileStorage(path);
    const { studyId } = await storage.createStudy('kill', ['minimize'], { loadIfExists: true });
    const t = await storage.createTrial(studyId);
    await storage.setTrialParam(t.trialId, 'x', { kind: 'float', low: 0, high: 1, log: false, step: null }, 0.5);
    await storage.setTrialIntermediateValue(t.trialId, 0, 0.5);
    await storage.finishTrial(t.trialId, 'COMPLETE', [0.25]);
    const last = (await storage.getAllTrials(studyId)).at(-1)!;
    if (last.trialId !== t.trialId || last.state !== 'COMPLETE') c.inconsistent++;
    await checkJournal(path, done, kills, c);
    bump(c, 'reportedDone', done.size);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return c;
}

/** After a round: no damaged line; every reported trial COMPLETE with its value; numbers without gaps. */
async function checkJournal(path: string, done: Map<number, number>, killed: number, c: BatteryCounts): Promise<boolean> {
  const before = { ...c, details: undefined };
  const report = await inspectJournal(path);
  if (report.tornTail) bump(c, 'tornTails');
  if (existsSync(`${path}.lock`)) bump(c, 'staleLocks');
  if (report.damagedCount) { c.inconsistent++; bump(c, 'damagedJournals'); return false; }
  let trials;
  try {
    const storage = new JournalFileStorage(path);
    const s = await storage.loadStudy('kill');
    trials = s ? await storage.getAllTrials(s.studyId) : [];
  } catch (e) {
    if (e instanceof JournalError) c.typedErrors++; else c.untypedErrors++;
    return false;
  }
  if (trials.some((t, i) => t.number !== i)) c.inconsistent++;
  if (trials.filter((t) => t.state === 'RUNNING').length > killed) c.inconsistent++; // one per killed writer at most
  for (const [number, x] of done) {
    const t = trials[number];
    if (!t || t.state !== 'COMPLETE') c.lostTrials++;
    else if (t.params.x !== x || t.value !== x * x) c.silentWrong++;
  }
  for (const t of trials) {
    const x = t.params.x as number;
    if (t.state === 'COMPLETE' && (t.value !== x * x || t.intermediateValues[0] !== x)) c.silentWrong++;
  }
  bump(c, 'completeTrialsChecked', trials.filter((t) => t.state === 'COMPLETE').length);
  return c.silentWrong === before.silentWrong && c.lostTrials === before.lostTrials && c.inconsistent === before.inconsistent;
}

/**
 * Both journal batteries with the test suite's sizes, for bench/reliability.ts (run from the
 * repository root: the writer processes start with `node --import tsx`).
 * @example const { corruption, kill } = await journalReliability(); // each a BatteryCounts
 */
export async function journalReliability(): Promise<{ corruption: BatteryCounts; kill: BatteryCounts }> {
  return { corruption: await journalCorruptionBattery({ runs: 300 }), kill: await journalKillBattery({ kills: 20 }) };
}
