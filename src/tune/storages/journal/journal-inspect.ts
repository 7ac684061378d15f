// inspectJournal / repairJournal: what `simdgrad journal check|repair` do. inspectJournal reads a
// journal without the lock and without writing: its intact prefix (the complete lines before the
// first damaged one, replayed as JournalFileStorage would), every damaged line with what is wrong,
// the lines a repair would drop (by operation) and a torn last line. repairJournal never changes
// the journal: it writes the intact prefix, byte for byte, to a new file (created exclusively,
// fsync'd), because processes that have the journal open keep byte offsets into it — the user stops
// them, then moves the copy into place. It keeps only the prefix: a line after the damage refers
// to trials by ids that a lost CREATE_TRIAL would shift, so it cannot be kept safely.
import { JournalError } from './journal-error.js';
import { decodeLine, lastLineEnd, readLines } from './journal-lines.js';
import { JournalReplay } from './journal-replay.js';
import { opName } from './journal-op-check.js';
import type { Direction, TrialState } from '../../frozen-trial.js';

type FileHandle = import('node:fs/promises').FileHandle;

/** What inspectJournal found. Line numbers are 1-based. */
export interface JournalReport {
  path: string;
  /** Size of the file in bytes. */
  bytes: number;
  /** Complete lines (ending in "\n"). */
  lines: number;
  /** Complete lines before the first damaged one, and their bytes: what loads and what a repair keeps. */
  intactLines: number;
  intactBytes: number;
  /** Damaged complete lines (the first 20 of them) and how many there are in all. */
  damaged: Array<{ line: number; reason: string }>;
  damagedCount: number;
  /** Lines from the first damaged one on, which a repair drops: damaged ones and valid ones by operation. */
  dropped: { lines: number; bytes: number; ops: Record<string, number> };
  /** A last line without "\n" (a write cut by a crash; the next writer cuts it), if any. */
  tornTail: { line: number; bytes: number } | null;
  /** The studies of the intact prefix, with their trials by state. */
  studies: Array<{ name: string; directions: Direction[]; trials: number; states: Partial<Record<TrialState, number>> }>;
}

const MAX_LISTED = 20;

/** Reads a journal and says what is intact, damaged and torn; throws a JournalError only when the file cannot be read.
 *  @example const r = await inspectJournal('tuning.jsonl'); if (r.damagedCount) console.log(r.damaged[0]) */
export async function inspectJournal(path: string): Promise<JournalReport> {
  const fs = await import('node:fs/promises');
  const h = await openJournal(fs, path, 'r');
  try {
    const { size } = await h.stat();
    const end = await lastLineEnd(h, 0, size);
    const replay = new JournalReplay(path);
    const r: JournalReport = {
      path, bytes: size, lines: 0, intactLines: 0, intactBytes: 0, damaged: [], damagedCount: 0,
      dropped: { lines: 0, bytes: 0, ops: {} }, tornTail: size > end ? { line: 0, bytes: size - end } : null, studies: [],
    };
    for await (const bytes of readLines(h, 0, end)) {
      const line = ++r.lines;
      let name: string;
      try {
        const op = decodeLine(path, bytes, line);
        name = opName(op.op_code);
        if (r.damagedCount === 0) replay.apply(op, false);
      } catch (e) {
        r.damagedCount++;
        if (r.damaged.length < MAX_LISTED) r.damaged.push({ line, reason: e instanceof JournalError ? e.reason : String((e as Error).message) });
        name = 'damaged';
      }
      if (r.damagedCount === 0) {
        r.intactLines = line;
        r.intactBytes += bytes.length;
      } else {
        r.dropped.lines++;
        r.dropped.bytes += bytes.length;
        r.dropped.ops[name] = (r.dropped.ops[name] ?? 0) + 1;
      }
    }
    if (r.tornTail) r.tornTail.line = r.lines + 1;
    for (const s of replay.studies.values()) {
      const states: Partial<Record<TrialState, number>> = {};
      const trials = replay.trialsOf(s.studyId);
      for (const t of trials) states[t.state] = (states[t.state] ?? 0) + 1;
      r.studies.push({ name: s.studyName, directions: [...s.directions], trials: trials.length, states });
    }
    return r;
  } finally {
    await h.close();
  }
}

/** The file repairJournal writes by default: `${path}.repaired`. */
export const repairedPath = (path: string): string => `${path}.repaired`;

/**
 * Writes the intact prefix of a damaged journal to `output` (default `${path}.repaired`; it must not
 * exist) and leaves the journal as it is. Returns the report and the file written, or null when the
 * journal has no damaged line (a torn last line alone is cut by the next writer: nothing to repair).
 * @example
 * const { report, written } = await repairJournal('tuning.jsonl');
 * // stop every process using tuning.jsonl, then: mv tuning.jsonl.repaired tuning.jsonl
 */
export async function repairJournal(path: string, output = repairedPath(path)): Promise<{ report: JournalReport; written: string | null }> {
  const report = await inspectJournal(path);
  if (report.damagedCount === 0) return { report, written: null };
  const fs = await import('node:fs/promises');
  const src = await openJournal(fs, path, 'r');
  try {
    let out: FileHandle;
    try {
      out = await fs.open(output, 'wx');
    } catch (e) {
      const why = (e as { code?: string }).code === 'EEXIST' ? 'already exists (repair never overwrites a file)' : `cannot be created (${(e as Error).message})`;
      throw new JournalError(output, null, `the repaired copy ${why}`, { cause: e });
    }
    try {
      const buf = Buffer.allocUnsafe(Math.min(1 << 20, Math.max(1, report.intactBytes)));
      for (let pos = 0; pos < report.intactBytes;) {
        const { bytesRead } = await src.read(buf, 0, Math.min(buf.length, report.intactBytes - pos), pos);
        if (bytesRead === 0) throw new JournalError(path, null, `the file shrank below ${report.intactBytes} bytes while being repaired`);
        await out.write(buf.subarray(0, bytesRead));
        pos += bytesRead;
      }
      await out.sync();
    } catch (e) {
      await out.close();
      await fs.unlink(output).catch(() => undefined); // no half-written copy
      throw e;
    }
    await out.close();
  } finally {
    await src.close();
  }
  return { report, written: output };
}

async function openJournal(fs: typeof import('node:fs/promises'), path: string, flags: 'r'): Promise<FileHandle> {
  try {
    const h = await fs.open(path, flags);
    const st = await h.stat();
    if (!st.isFile()) { await h.close(); throw Object.assign(new Error('not a file'), { code: st.isDirectory() ? 'EISDIR' : 'ENOTFILE' }); }
    return h;
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory, not a journal file'
      : code === 'ENOTFILE' ? 'is not a regular file' : `cannot be read (${code ?? (e as Error).message})`;
    throw new JournalError(path, null, `the path ${why}`, { cause: e });
  }
}
