// readCsv with hostile input: random tables whose cells are numbers in many spellings, empty
// cells, "nan"/"inf", numbers beyond f32 ("1e39"), text (with delimiters, quotes and line breaks,
// quoted), ragged rows; every header mode, target and column choice, hostile options; and sources
// that cannot be read (a missing path, a directory, a number, null, an unreachable URL). The oracle
// knows what each generated cell is, so it predicts the whole result — or that readCsv must refuse.
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import * as sg from '../../src/index.js';
import { runProbeAsync, type Tally } from './outcome.js';
import { sameValues } from './values.js';

type Kind = 'num' | 'nan' | 'inf' | 'over' | 'empty' | 'text';
interface Cell { kind: Kind; text: string; value: number }

const cell: fc.Arbitrary<Cell> = fc.oneof(
  { weight: 10, arbitrary: fc.tuple(fc.integer({ min: -50, max: 50 }), fc.constantFrom('int', 'dec', 'exp', 'plus', 'pad', 'dot')).map(([n, how]): Cell => {
    const text = how === 'int' ? String(n) : how === 'dec' ? `${n}.25` : how === 'exp' ? `${n}e-2` : how === 'plus' ? `+${Math.abs(n)}`
      : how === 'pad' ? ` ${n} ` : `${Math.abs(n)}.`;
    return { kind: 'num', text, value: Number(text) };
  }) },
  { weight: 1, arbitrary: fc.constantFrom<Cell>({ kind: 'nan', text: 'nan', value: NaN }, { kind: 'nan', text: 'NaN', value: NaN },
    { kind: 'inf', text: 'inf', value: Infinity }, { kind: 'inf', text: '-Infinity', value: -Infinity }) },
  { weight: 1, arbitrary: fc.constantFrom<Cell>({ kind: 'over', text: '1e39', value: Infinity }, { kind: 'over', text: '-3.5e38', value: -Infinity },
    { kind: 'over', text: '1e400', value: Infinity }) },
  { weight: 2, arbitrary: fc.constantFrom<Cell>({ kind: 'empty', text: '', value: NaN }, { kind: 'empty', text: '  ', value: NaN }) },
  { weight: 2, arbitrary: fc.constantFrom('abc', 'x7', '1,5', 'say "hi"', 'two\nlines', '--1', '1e', 'Ünï', '0x10')
    .map((text): Cell => ({ kind: 'text', text, value: NaN })) },
);

interface Table {
  header: 'written' | 'none';
  headerOpt: unknown;
  names: string[];
  rows: Cell[][];
  ragged: boolean;
  target: unknown;
  columns: unknown;
  missing: unknown;
  overflow: unknown;
  delimiter: unknown;
  crlf: boolean;
}

const table: fc.Arbitrary<Table> = fc.integer({ min: 1, max: 4 }).chain((w) => fc.record({
  header: fc.constantFrom('written' as const, 'none' as const),
  headerOpt: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(undefined, true, false, 'auto') }, { weight: 1, arbitrary: fc.constantFrom('yes', 1) }),
  names: fc.constant(Array.from({ length: w }, (_, i) => ['a', 'b,c', 'd"e', 'f'][i]!)),
  rows: fc.array(fc.array(cell, { minLength: w, maxLength: w }), { maxLength: 5 }),
  ragged: fc.constant(false), // set below: only tables of two or more rows get a ragged one
  target: fc.oneof(fc.constant(undefined), fc.nat(w - 1), fc.constantFrom('a', 'f', 'zz', -1, 1.5, null)),
  columns: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: fc.array(fc.nat(w - 1), { minLength: 1, maxLength: w }) },
    { weight: 1, arbitrary: fc.constantFrom('a', [9], null) }),
  missing: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(undefined, 'error', 'nan', 'drop') }, { weight: 1, arbitrary: fc.constantFrom('skip', null) }),
  overflow: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(undefined, 'error', 'infinity') }, { weight: 1, arbitrary: fc.constantFrom('clip', 0) }),
  delimiter: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(undefined, ',', ';', '\t') }, { weight: 1, arbitrary: fc.constantFrom('', ',,', '"', '\n', 5) }),
  crlf: fc.boolean(),
})).chain((t) => fc.boolean().map((ragged) => ({ ...t, ragged: ragged && t.rows.length > 1 })));

/** RFC 4180 quoting where needed. */
function quote(s: string, d: string): string {
  return s.includes(d) || s.includes('"') || s.includes('\n') || s.includes('\r') ? `"${s.replace(/"/g, '""')}"` : s;
}

function serialize(t: Table, d: string): string {
  const eol = t.crlf ? '\r\n' : '\n', lines: string[] = [];
  if (t.header === 'written') lines.push(t.names.map((n) => quote(n, d)).join(d));
  t.rows.forEach((r, i) => lines.push((t.ragged && i === 1 ? [...r, r[0]!] : r).map((c) => quote(c.text, d)).join(d)));
  return lines.map((l) => l + eol).join('');
}

interface Want { x: number[]; shape: [number, number]; y?: number[]; yInt?: boolean; classes?: string[]; columns: string[] }

/** The expected result of readCsv on the serialized table, or null where it must refuse. */
function oracle(t: Table, text: string): Want | null {
  const d = t.delimiter ?? ',';
  if (typeof d !== 'string' || d.length !== 1 || d === '"' || d === '\n' || d === '\r') return null;
  if (![undefined, 'error', 'nan', 'drop'].includes(t.missing as string) || ![undefined, 'error', 'infinity'].includes(t.overflow as string)) return null;
  if (![undefined, true, false, 'auto'].includes(t.headerOpt as boolean)) return null;
  if (t.columns !== undefined && !Array.isArray(t.columns)) return null;
  if (!/[\r\n]/.test(text)) return null; // no line break: readCsv takes the string for a path
  if (t.ragged) return null; // its second data row has an extra field
  // a one-column row with an empty cell is a blank line, which CSV readers skip (documented)
  const rows = t.rows.filter((r) => !(r.length === 1 && r[0]!.kind === 'empty'));
  const written: Cell[][] = t.header === 'written' ? [t.names.map((n) => ({ kind: 'text' as const, text: n, value: NaN })), ...rows] : rows;
  const headerOpt = t.headerOpt ?? true;
  const hasHeader = headerOpt === 'auto' ? !!written[0] && written[0].some((c) => c.kind === 'text') : headerOpt as boolean;
  if (hasHeader && written.length === 0) return null;
  const w = written[0]?.length ?? 0;
  const names = hasHeader ? written[0]!.map((c) => c.text.trim()) : Array.from({ length: w }, (_, i) => String(i));
  const data = hasHeader ? written.slice(1) : written;
  const col = (c: unknown): number | null => (typeof c === 'number' ? (Number.isInteger(c) && c >= 0 && c < w ? c : null)
    : typeof c === 'string' && names.includes(c) ? names.indexOf(c) : null);
  const tc = t.target === undefined ? -1 : col(t.target);
  if (tc === null) return null;
  const cols = t.columns === undefined ? names.map((_, i) => i).filter((i) => i !== tc) : (t.columns as unknown[]).map(col);
  if (cols.some((c) => c === null)) return null;
  const missing = t.missing ?? 'error', overflow = t.overflow ?? 'error';
  const targetText = tc >= 0 && data.some((r) => r[tc]!.kind === 'text');
  const kept: Cell[][] = [];
  for (const r of data) {
    let complete = true;
    for (const c of new Set([...cols as number[], ...(tc >= 0 ? [tc] : [])])) {
      const k = r[c]!.kind;
      if (k === 'empty') { if (missing === 'error') return null; complete = false; }
      if (c !== tc && k === 'text') return null;
      if (k === 'over' && overflow === 'error' && !(c === tc && targetText)) return null;
    }
    if (complete || missing !== 'drop') kept.push(r);
  }
  const want: Want = { x: kept.flatMap((r) => (cols as number[]).map((c) => r[c]!.value)), shape: [kept.length, cols.length], columns: (cols as number[]).map((c) => names[c]!) };
  if (tc >= 0) {
    const ys = kept.map((r) => r[tc]!);
    if (ys.some((c) => c.kind === 'text')) {
      if (ys.some((c) => c.kind === 'empty')) return null; // a text target cannot hold NaN
      const cls = [...new Set(ys.map((c) => c.text.trim()))].sort((p, q) => (p < q ? -1 : p > q ? 1 : 0));
      Object.assign(want, { classes: cls, y: ys.map((c) => cls.indexOf(c.text.trim())), yInt: true });
    } else {
      const v = ys.map((c) => c.value);
      Object.assign(want, { y: v, yInt: v.every((q) => Number.isInteger(q) && q >= -(2 ** 31) && q < 2 ** 31) });
    }
  }
  return want;
}

function check(got: sg.data.CsvData, want: Want): true | string {
  if (JSON.stringify(got.x.shape) !== JSON.stringify(want.shape)) return `x shape ${JSON.stringify(got.x.shape)}, expected ${JSON.stringify(want.shape)}`;
  const xs = sameValues(got.x.toArray(), want.x, 1e-7, 0);
  if (xs !== true) return `x ${xs}`;
  if (JSON.stringify(got.columns) !== JSON.stringify(want.columns)) return `columns ${JSON.stringify(got.columns)}`;
  if ((got.y === undefined) !== (want.y === undefined)) return `y ${String(got.y)}, expected ${String(want.y)}`;
  if (want.y) {
    if ((got.y instanceof Int32Array) !== want.yInt) return `y is ${got.y?.constructor.name}`;
    const ys = sameValues(got.y!, want.y, 1e-7, 0);
    if (ys !== true) return `y ${ys}`;
    if (JSON.stringify(got.classes) !== JSON.stringify(want.classes)) return `classes ${JSON.stringify(got.classes)}`;
  }
  return true;
}

/** A port nothing listens on (bound, then closed). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const p = (srv.address() as { port: number }).port;
      srv.close(() => resolve(p));
    });
  });
}

/** Probes readCsv on `numRuns` generated tables and on sources that cannot be read; counts into `tally`. */
export async function runCsvProbes(tally: Tally, numRuns: number, seed: number): Promise<Tally> {
  for (const t of fc.sample(table, { numRuns, seed })) {
    const d = typeof t.delimiter === 'string' && t.delimiter.length === 1 && t.delimiter !== '"' && t.delimiter !== '\n' ? t.delimiter : ',';
    const text = serialize(t, d), want = oracle(t, text);
    const opts = { header: t.headerOpt, target: t.target, columns: t.columns, missing: t.missing, overflow: t.overflow, delimiter: t.delimiter };
    await runProbeAsync(tally, {
      label: `readCsv(${JSON.stringify(text)}, ${JSON.stringify(opts)})`,
      run: async () => {
        const r = await sg.data.readCsv(text, opts as never);
        try { return { ...r, check: check(r, want ?? { x: [], shape: [0, 0], columns: [] }) }; } finally { r.x.dispose(); }
      },
      expect: want === null ? 'error' : (r: { check: true | string }) => r.check,
    });
  }
  const dir = mkdtempSync(join(tmpdir(), 'sg-adv-csv-'));
  try {
    const port = await freePort();
    for (const src of [join(dir, 'missing.csv'), dir, 5, null, undefined, {}, new URL(`http://127.0.0.1:${port}/x.csv`), new URL(`file://${join(dir, 'nope.csv')}`)]) {
      await runProbeAsync(tally, { label: `readCsv(${String(src)})`, run: () => sg.data.readCsv(src as string), expect: 'error' });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return tally;
}
