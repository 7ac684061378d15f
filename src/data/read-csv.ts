// readCsv / parseCsv: numeric CSV → a feature tensor x [n, f] and an optional target y.
//
// Contract: RFC 4180 fields (quotes, doubled quotes, delimiters and newlines inside quotes), LF,
// CRLF or CR line ends, a leading BOM, trailing newline; empty (whitespace-only) lines are
// skipped. Feature cells must be numbers (empty, "nan" → NaN; "inf" allowed): otherwise a
// DTypeError names the line, the column and the cell. Rows with a different field count throw a
// ShapeError naming the line. The target column becomes an Int32Array when every value is an
// integer, a Float32Array when numeric, and class codes (Int32Array, with sorted `classes`, as
// LabelEncoder) when any cell is text. Line numbers are 1-based physical lines of the text.
import type { Tensor } from '../tensor.js';
import { tensor } from '../ops/create.js';
import { DTypeError, ShapeError } from '../errors.js';
import { LabelEncoder } from './label-encoder.js';
import type { HostURL } from '../runtime/host-types.js';

export interface CsvOptions {
  /** The first row holds column names: true (default), false, or 'auto' (when it has text cells). */
  header?: boolean | 'auto';
  /** Feature columns by name or 0-based index (default: every column except the target). */
  columns?: readonly (string | number)[];
  /** The target column by name or 0-based index (default: none). */
  target?: string | number;
  /** Field separator, one character (default ','). */
  delimiter?: string;
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
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new RangeError(`readCsv: delimiter must be one character other than a quote or newline, got ${JSON.stringify(delimiter)}`);
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

/** The number in a cell, NaN for an empty cell or "nan"; undefined when it is not a number. */
function parseCell(cell: string): number | undefined {
  const s = cell.trim();
  if (s === '') return NaN;
  if (!NUMBER.test(s)) return undefined;
  const l = s.toLowerCase().replace(/^\+/, '');
  if (l.endsWith('nan')) return NaN;
  if (l.startsWith('inf')) return Infinity;
  if (l.startsWith('-inf')) return -Infinity;
  return Number(s);
}

function resolve(c: string | number, names: string[], what: string): number {
  if (typeof c === 'number') {
    if (!Number.isInteger(c) || c < 0 || c >= names.length) {
      throw new RangeError(`readCsv: ${what} index ${c} is out of range for ${names.length} columns`);
    }
    return c;
  }
  const k = names.indexOf(c);
  if (k < 0) throw new RangeError(`readCsv: ${what} ${JSON.stringify(c)} is not a column (columns: ${JSON.stringify(names)})`);
  return k;
}

/**
 * Parses CSV text (synchronously).
 * @example
 * const { x, y, columns } = sg.data.parseCsv('a,b,label\n1,2,0\n3,4,1\n', { target: 'label' });
 * // x: Tensor [2, 2], y: Int32Array [0, 1], columns: ['a', 'b']
 */
export function parseCsv(text: string, opts: CsvOptions = {}): CsvData {
  const { header = true, delimiter = ',' } = opts;
  const rows = csvRows(text, delimiter);
  const first = rows[0];
  const hasHeader = header === 'auto'
    ? !!first && first.fields.some((f) => parseCell(f) === undefined)
    : header;
  if (hasHeader && !first) throw new ShapeError('readCsv: the text is empty; expected a header row');
  const width = first?.fields.length ?? 0;
  const names = hasHeader ? first!.fields.map((f) => f.trim()) : Array.from({ length: width }, (_, i) => String(i));
  const data = hasHeader ? rows.slice(1) : rows;
  for (const r of data) {
    if (r.fields.length !== width) {
      throw new ShapeError(`readCsv: line ${r.line} has ${r.fields.length} fields, expected ${width} ` +
        `(as ${hasHeader ? 'the header on ' : ''}line ${first!.line})`);
    }
  }
  const t = opts.target === undefined ? -1 : resolve(opts.target, names, 'target');
  const cols = opts.columns ? opts.columns.map((c) => resolve(c, names, 'column')) : names.map((_, i) => i).filter((i) => i !== t);
  const n = data.length, f = cols.length;
  const xs = new Float32Array(n * f);
  data.forEach((r, i) => cols.forEach((c, j) => {
    const v = parseCell(r.fields[c]!);
    if (v === undefined) {
      throw new DTypeError(`readCsv: line ${r.line}, column ${JSON.stringify(names[c])}: ` +
        `${JSON.stringify(r.fields[c])} is not a number`);
    }
    xs[i * f + j] = v;
  }));
  const out: CsvData = { x: tensor(xs, [n, f]), columns: cols.map((c) => names[c]!) };
  if (t >= 0) {
    out.target = names[t]!;
    Object.assign(out, targetColumn(data, t));
  }
  return out;
}

function targetColumn(data: Row[], t: number): { y: Float32Array | Int32Array; classes?: string[] } {
  const cells = data.map((r) => r.fields[t]!.trim());
  const values = cells.map(parseCell);
  if (values.every((v) => v !== undefined)) {
    const nums = values as number[];
    const ints = nums.every((v) => Number.isInteger(v) && v >= -2147483648 && v <= 2147483647);
    return { y: ints ? Int32Array.from(nums) : Float32Array.from(nums) };
  }
  const empty = cells.indexOf('');
  if (empty >= 0) throw new DTypeError(`readCsv: line ${data[empty]!.line}: the target cell is empty`);
  const encoder = new LabelEncoder<string>().fit(cells);
  return { y: encoder.transform(cells), classes: [...encoder.classes] };
}

/**
 * Reads CSV from a file path or URL (fs in Node, Deno and Bun; fetch for http(s) URLs), or from
 * CSV text (a string containing a line break). Same options and result as parseCsv.
 * @example
 * const { x, y, classes } = await sg.data.readCsv('iris.csv', { target: 'species' });
 */
export async function readCsv(source: string | HostURL, opts: CsvOptions = {}): Promise<CsvData> {
  if (typeof source === 'string' && /[\r\n]/.test(source)) return parseCsv(source, opts);
  const url = typeof source === 'string' ? null : source;
  if (url && url.protocol !== 'file:') {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`readCsv: fetching ${url.href} failed with HTTP ${res.status}`);
    return parseCsv(await res.text(), opts);
  }
  const fs = await import('node:fs/promises');
  return parseCsv(await fs.readFile(url ?? (source as string), 'utf8'), opts);
}
