// The byte level of a journal file: where its complete lines end (a last line without "\n" is a
// write in progress or torn by a crash, and is never read as an operation), the complete lines
// of a byte range read in bounded chunks (a torn tail of any length is never held in memory), and
// one line decoded strictly — UTF-8 without replacement characters, JSON with Python's NaN and
// Infinity, an operation journal-op-check.ts accepts — or a JournalError naming file and line.
import { damagedLine } from './journal-error.js';
import { parsePyJson, type JournalOp } from './journal-format.js';
import { journalOpProblem } from './journal-op-check.js';

type FileHandle = import('node:fs/promises').FileHandle;
const NL = 0x0a;
const CHUNK = 1 << 20;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The offset just past the last "\n" in [from, size) of the file, or `from` if there is none. */
export async function lastLineEnd(h: FileHandle, from: number, size: number): Promise<number> {
  const buf = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(1, size - from)));
  for (let end = size; end > from;) {
    const start = Math.max(from, end - buf.length);
    const { bytesRead } = await h.read(buf, 0, end - start, start);
    const nl = buf.subarray(0, bytesRead).lastIndexOf(NL);
    if (nl >= 0) return start + nl + 1;
    end = start;
  }
  return from;
}

/** The lines in [from, end) of the file (`end` just past a "\n"), each with its "\n", in order. */
export async function* readLines(h: FileHandle, from: number, end: number): AsyncGenerator<Buffer> {
  const buf = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(1, end - from)));
  let carry: Buffer[] = [];
  for (let pos = from; pos < end;) {
    const { bytesRead } = await h.read(buf, 0, Math.min(buf.length, end - pos), pos);
    if (bytesRead === 0) throw new RangeError(`the file ended at byte ${pos}, before ${end}`);
    let start = 0;
    for (let nl = buf.indexOf(NL, start); nl >= 0 && nl < bytesRead; nl = buf.indexOf(NL, start)) {
      carry.push(Buffer.from(buf.subarray(start, nl + 1)));
      yield carry.length === 1 ? carry[0]! : Buffer.concat(carry);
      carry = [];
      start = nl + 1;
    }
    if (start < bytesRead) carry.push(Buffer.from(buf.subarray(start, bytesRead)));
    pos += bytesRead;
  }
}

/** One complete line as an operation; a JournalError (file, 1-based line, what is wrong) otherwise. */
export function decodeLine(path: string, bytes: Uint8Array, line: number): JournalOp {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch (e) {
    throw damagedLine(path, line, 'not valid UTF-8', e);
  }
  if (text.trim() === '') throw damagedLine(path, line, 'an empty line');
  let v: unknown;
  try {
    v = parsePyJson(text);
  } catch (e) {
    throw damagedLine(path, line, `not valid JSON (${(e as Error).message})`, e);
  }
  const problem = journalOpProblem(v);
  if (problem) throw damagedLine(path, line, problem);
  return v as JournalOp;
}
