// sg.data.readCsv as the core bundle exports it: the CSV reader (read-csv.ts: the RFC 4180
// parser, typed columns, targets) loads on first use, so bundles that never read a CSV carry none
// of it. Same signature and contract as read-csv.ts's readCsv.
import type { CsvData, CsvOptions } from './read-csv.js';
import type { HostURL } from '../runtime/host-types.js';

export type { CsvData, CsvOptions };

/** What readCsv returns when a target column is named: `y` and `target` are always there. */
export type CsvDataWithTarget = Omit<CsvData, 'y' | 'target'> & { y: Float32Array | Int32Array; target: string };

/**
 * Reads CSV from a file path or URL (fs in Node, Deno and Bun; fetch for http(s) URLs), or from
 * CSV text (a string containing a line break): numeric features → `x` [rows, columns], an
 * optional target column → `y` (class codes with sorted `classes` when it holds text).
 * @example
 * const { x, y, classes } = await sg.data.readCsv('iris.csv', { target: 'species' });
 * const small = await sg.data.readCsv('a,b,label\n1,2,0\n3,4,1\n', { target: 'label' });
 */
export async function readCsv(source: string | HostURL, opts: CsvOptions & { target: string | number }): Promise<CsvDataWithTarget>;
export async function readCsv(source: string | HostURL, opts?: CsvOptions): Promise<CsvData>;
export async function readCsv(source: string | HostURL, opts: CsvOptions = {}): Promise<CsvData> {
  return (await import('./read-csv.js')).readCsv(source, opts);
}
