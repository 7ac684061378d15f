// readCsv / parseCsv: numeric CSV → a feature tensor x [n, f] and an optional target y.
//
// Contract: RFC 4180 fields (quotes, doubled quotes, delimiters and newlines inside quotes), LF,
// CRLF or CR line ends, a leading BOM, trailing newline; empty (whitespace-only) lines are
// skipped. Cells must be numbers ("nan" → NaN, "inf" → Infinity): otherwise a DTypeError names
// the line, the column and the cell. Nothing is coerced silently: an empty cell in a column that is
// read is an error naming its line and column unless `missing` says what to do ('nan' keeps it as
// NaN, 'drop' drops its row, as pandas' dropna), and a finite number beyond f32's range ("1e39")
// is an error unless `overflow: 'infinity'`. Rows with a different field count throw a ShapeError
// naming the line. The target column becomes an Int32Array when every value is an integer, a
// Float32Array when numeric, and class codes (Int32Array, with sorted `classes`, as LabelEncoder)
// when any cell is text. Line numbers are 1-based physical lines of the text. A file or URL that
// cannot be read is an IOError naming it, with the runtime's error as `cause`.
import type { Tensor } from '../tensor.js';
import { tensor } from '../ops/create.js';
import { DTypeError, IOError, OptionError, ShapeError, describeValue } from '../errors.js';
import { checkChoice } from '../check-option.js';
import { LabelEncoder } from './label-encoder.js';
import type { HostURL } from '../runtime/host-types.js';

export interface CsvOptions {
  /** The first row holds column names: true (default), false, or 'auto' (when it has text cells). */
  header?: boolean | 'auto';
  /** Feature columns by name or 0-based index (default: every column except the target). */
  columns?: readonly (string | number)[];
  /** Columns left out of x, by name or 0-based index (with `columns` unset). Their cells are never read. */
  exclude?: readonly (string | number)[];
  /** The target column by name or 0-based index (default: none). */
  target?: string | number;
  /** Field separator, one character (default ','). */
  delimiter?: string;
  /**
   * An empty cell in a column that is read: 'error' (default: a DTypeError naming its line and
   * column), 'nan' (read as NaN; a text target cannot hold it), or 'drop' (drop its row).
   */
  missing?: 'error' | 'nan' | 'drop';
  /** A finite number beyond f32's range ("1e39"): 'error' (default) or 'infinity' (read as ±Infinity). */
  overflow?: 'error' | 'infinity';
}

export interface CsvData {
  /** Features [rows, columns.length]. */
  x: Tensor;
  /** Target values when `target` was given. */
  y?: Float32Array | Int32Array;
  /** The sorted class names when the target column holds text (y holds their indices). */
  classes?: string[];
  /** Names of x's columns (their indices as strings without a header). */
  columns: string[];
  /** Name of the target column, when given. */
  target?: string;
}

interface Row { fields: string[]; line: number }

/** Splits CSV text into rows of raw fields, each with the line it starts on. */
export function csvRows(text: string, delimiter = ','): Row[] {
  if (typeof delimiter !== 'string' || delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new OptionError(`readCsv: delimiter must be one character other than a quote or newline, got ${describeValue(delimiter)}`);
  }
  const rows: Row[] = [];
  let fields: string[] = [], field = '', quotedRow = false, line = 1, rowLine = 1, i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRow = () => {
    fields.push(field);
    if (quotedRow || fields.length > 1 || field.trim() !== '') rows.push({ fields, line: rowLine });
    fields = []; field = ''; quotedRow = false;
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"' && field.trim() === '') {
      const start = line;
      field = ''; quotedRow = true; i++;
      for (;;) {
        if (i >= text.length) throw new DTypeError(`readCsv: line ${start}: a quoted field is never closed`);
        const q = text[i]!;
        if (q === '"') {
          if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
          i++; break;
        }
        if (q === '\n' || (q === '\r' && text[i + 1] !== '\n')) line++;
        field += q; i++;
      }
    } else if (ch === delimiter) {
      fields.push(field); field = ''; i++;
    } else if (ch === '\n' || ch === '\r') {
      endRow();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      rowLine = ++line;
    } else {
      field += ch; i++;
    }
  }
  if (fields.length || field !== '' || quotedRow) endRow();
  return rows;
}

const NUMBER = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?|inf(?:inity)?|nan)$/i;

/** The number in a cell, NaN for "nan"; null for an empty cell; undefined when it is not a number. */
function parseCell(cell: string): number | null | undefined {
  const s = cell.trim();
  if (s === '') return null;
  if (!NUMBER.test(s)) return undefined;
  const l = s.toLowerCase().replace(/^\+/, '');
  if (l.endsWith('nan')) return NaN;
  if (l.startsWith('inf')) return Infinity;
  if (l.startsWith('-inf')) return -Infinity;
  return Number(s);
}

/** Whether a cell holding v was written as a finite number that f32 cannot hold ("1e39"). */
const overflows = (v: number, cell: string): boolean => Math.abs(Math.fround(v)) === Infinity && !/inf/i.test(cell);

function resolve(c: unknown, names: string[], what: string): number {
  if (typeof c === 'number') {
    if (!Number.isInteger(c) || c < 0 || c >= names.length) {
      throw new OptionError(`readCsv: ${what} index ${c} is out of range for ${names.length} columns`);
    }
    return c;
  }
  const k = typeof c === 'string' ? names.indexOf(c) : -1;
  if (k < 0) throw new OptionError(`readCsv: ${what} ${describeValue(c)} is not a column (columns: ${JSON.stringify(names)})`);
  return k;
}

/** How a cell is named in errors. */
const at = (r: Row, name: string | undefined): string => `readCsv: line ${r.line}, column ${JSON.stringify(name)}`;

/**
 * Parses CSV text (synchronously): readCsv's core.
 * @example
 * const { x, y, columns } = parseCsv('a,b,label\n1,2,0\n3,,1\n', { target: 'label', missing: 'nan' });
 * // x: Tensor [2, 2] (NaN for the empty cell), y: Int32Array [0, 1], columns: ['a', 'b']
 */
export function parseCsv(text: string, opts: CsvOptions = {}): CsvData {
  if (typeof text !== 'string') throw new DTypeError(`readCsv: expected CSV text, got ${describeValue(text)}`);
  const { header = true, delimiter = ',', missing = 'error', overflow = 'error' } = opts ?? {};
  checkChoice('readCsv', 'missing', missing, ['error', 'nan', 'drop']);
  checkChoice('readCsv', 'overflow', overflow, ['error', 'infinity']);
  if (header !== true && header !== false && header !== 'auto') {
    throw new OptionError(`readCsv: header must be true, false or 'auto', got ${describeValue(header)}`);
  }
  if (opts?.columns !== undefined && !Array.isArray(opts.columns)) {
    throw new OptionError(`readCsv: columns must be an array of names or indices, got ${describeValue(opts.columns)}`);
  }
  if (opts?.exclude !== undefined && !Array.isArray(opts.exclude)) {
    throw new OptionError(`readCsv: exclude must be an array of names or indices, got ${describeValue(opts.exclude)}`);
  }
  if (opts?.exclude !== undefined && opts.columns !== undefined) throw new OptionError('readCsv: give columns or exclude, not both');
  const rows = csvRows(text, delimiter);
  const first = rows[0];
  const hasHeader = header === 'auto'
    ? !!first && first.fields.some((f) => parseCell(f) === undefined)
    : header;
  if (hasHeader && !first) throw new ShapeError('readCsv: the text is empty; expected a header row');
  const width = first?.fields.length ?? 0;
  const names = hasHeader ? first!.fields.map((f) => f.trim()) : Array.from({ length: width }, (_, i) => String(i));
  const all = hasHeader ? rows.slice(1) : rows;
  for (const r of all) {
    if (r.fields.length !== width) {
      throw new ShapeError(`readCsv: line ${r.line} has ${r.fields.length} fields, expected ${width} ` +
        `(as ${hasHeader ? 'the header on ' : ''}line ${first!.line})`);
    }
  }
  const t = opts?.target === undefined ? -1 : resolve(opts.target, names, 'target');
  const dropped = new Set((opts?.exclude ?? []).map((c) => resolve(c, names, 'excluded column')));
  const cols = opts?.columns ? opts.columns.map((c) => resolve(c, names, 'column')) : names.map((_, i) => i).filter((i) => i !== t && !dropped.has(i));
  // every cell read is checked in reading order; 'drop' keeps only the rows without an empty one
  const read = [...new Set(t >= 0 ? [...cols, t] : cols)].sort((p, q) => p - q);
  const data = all.filter((r) => {
    let complete = true;
    for (const c of read) {
      const v = parseCell(r.fields[c]!);
      if (v === null) {
        if (missing === 'error') {
          throw new DTypeError(`${at(r, names[c])}: the cell is empty (pass missing: 'nan' or 'drop' to read it)`);
        }
        complete = false;
      } else if (c !== t && v === undefined) {
        throw new DTypeError(`${at(r, names[c])}: ${JSON.stringify(r.fields[c])} is not a number`);
      } else if (c !== t && overflow === 'error' && overflows(v!, r.fields[c]!)) {
        throw new DTypeError(`${at(r, names[c])}: ${r.fields[c]!.trim()} is beyond f32's range ` +
          "(pass overflow: 'infinity' to read it as Infinity)");
      }
    }
    return complete || missing !== 'drop';
  });
  const n = data.length, f = cols.length;
  const xs = new Float32Array(n * f);
  data.forEach((r, i) => cols.forEach((c, j) => { xs[i * f + j] = parseCell(r.fields[c]!) ?? NaN; }));
  const y = t >= 0 ? targetColumn(data, t, names[t]!, overflow) : undefined; // before x: a bad target leaks nothing
  const out: CsvData = { x: tensor(xs, [n, f]), columns: cols.map((c) => names[c]!) };
  if (y) Object.assign(out, { target: names[t]! }, y);
  return out;
}

function targetColumn(data: Row[], t: number, name: string, overflow: 'error' | 'infinity'): { y: Float32Array | Int32Array; classes?: string[] } {
  const cells = data.map((r) => r.fields[t]!.trim());
  const values = cells.map(parseCell);
  if (values.every((v) => v !== undefined)) { // numeric (empty cells are here only with missing: 'nan')
    const nums = values.map((v, i) => {
      if (v !== null && overflow === 'error' && overflows(v, cells[i]!)) {
        throw new DTypeError(`${at(data[i]!, name)}: ${cells[i]} is beyond f32's range (pass overflow: 'infinity' to read it as Infinity)`);
      }
      return v ?? NaN;
    });
    const ints = nums.every((v) => Number.isInteger(v) && v >= -2147483648 && v <= 2147483647);
    return { y: ints ? Int32Array.from(nums) : Float32Array.from(nums) };
  }
  const empty = cells.indexOf('');
  if (empty >= 0) {
    throw new DTypeError(`${at(data[empty]!, name)}: the target cell is empty, and a text target cannot hold NaN ` +
      "(pass missing: 'drop' to drop its row)");
  }
  const encoder = new LabelEncoder<string>().fit(cells);
  return { y: encoder.transform(cells), classes: [...encoder.classes] };
}

/** What the runtime said, for an IOError: "ENOENT: no such file or directory", "connect ECONNREFUSED …". */
function reason(e: unknown): string {
  const err = e as { message?: unknown; cause?: { message?: unknown } } | undefined;
  const msg = err?.cause?.message ?? err?.message;
  return typeof msg === 'string' ? msg.split(', ')[0]! : String(e);
}

/**
 * Reads CSV from a file path or URL (fs in Node, Deno and Bun; fetch for http(s) URLs), or from
 * CSV text (a string containing a line break). Same options and result as parseCsv. A source that
 * cannot be read (missing, a directory, unreachable, an HTTP error) is an IOError naming it.
 * @example
 * const { x, y, classes } = await sg.data.readCsv('iris.csv', { target: 'species' });
 */
export async function readCsv(source: string | HostURL, opts: CsvOptions = {}): Promise<CsvData> {
  if (typeof source === 'string' && /[\r\n]/.test(source)) return parseCsv(source, opts);
  if (typeof source !== 'string' && !(source instanceof URL)) {
    throw new DTypeError(`readCsv: expected a path, a URL or CSV text, got ${describeValue(source)}`);
  }
  const url = typeof source === 'string' ? null : source;
  let text = '';
  if (url && url.protocol !== 'file:') {
    let res: Response;
    try {
      res = await fetch(url);
      if (res.ok) text = await res.text();
    } catch (e) {
      throw new IOError(`readCsv: cannot fetch ${url.href} (${reason(e)})`, url.href, { cause: e });
    }
    if (!res.ok) throw new IOError(`readCsv: fetching ${url.href} failed with HTTP ${res.status}`, url.href);
  } else {
    const path = url ?? (source as string), shown = url ? url.href : (source as string);
    try {
      const fs = await import('node:fs/promises');
      text = await fs.readFile(path, 'utf8');
    } catch (e) {
      throw new IOError(`readCsv: cannot read ${JSON.stringify(shown)} (${reason(e)})`, shown, { cause: e });
    }
  }
  return parseCsv(text, opts);
}
