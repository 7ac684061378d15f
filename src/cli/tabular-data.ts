// loadData: the data set of a CLI command — 'digits', 'iris' (built in) or a CSV file with a
// class-label target column — as plain typed arrays (no tensors outlive the call). Contract: a
// missing file, a CSV without --target, a malformed CSV or a numeric (non-class) target throws
// CliError with a one-line message; class labels become 0..classes-1. CSV needs init() first. Library
// imports go through ../index.js only (the bundle maps it to the package's own dist/index.js).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as sg from '../index.js';
import { digits, iris } from '../datasets/index.js';
import { CliError } from './cli-error.js';

export interface TabularData {
  name: string;
  /** Row-major features, shape[0] × shape[1]. */
  x: Float32Array;
  /** Class index of each row. */
  y: Int32Array;
  shape: [number, number];
  classes: number;
}

/** An absolute path for a CSV argument (workers resolve it again), the name otherwise. */
export function dataArg(name: string): string {
  return name === 'digits' || name === 'iris' ? name : resolve(name);
}

/**
 * Loads a built-in data set or a CSV file.
 * @example const d = await loadData('iris'); // d.shape [150, 4], d.classes 3
 */
export async function loadData(name: string, target?: string): Promise<TabularData> {
  if (name === 'digits' || name === 'iris') {
    const d = name === 'digits' ? digits() : iris();
    return { name, x: d.x, y: d.y, shape: d.shape, classes: name === 'digits' ? 10 : 3 };
  }
  if (target === undefined) throw new CliError(`--data ${name}: a CSV file needs --target <column>`);
  let text: string;
  try {
    text = await readFile(name, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new CliError(code === 'ENOENT' ? `no such file: ${name}` : `cannot read ${name}: ${(e as Error).message}`);
  }
  let csv;
  try {
    // Text with no line break would be taken for a path: such a file has no data rows anyway.
    csv = await sg.data.readCsv(/[\r\n]/.test(text) ? text : `${text}\n`, { target: /^\d+$/.test(target) ? Number(target) : target });
  } catch (e) {
    throw new CliError(`${name}: ${(e as Error).message.replace(/^readCsv: /, '')}`);
  }
  const { x, y } = csv;
  const shape = x.shape as [number, number];
  const xs = x.toArray() as Float32Array;
  x.dispose();
  if (shape[0] < 2) throw new CliError(`${name}: needs at least 2 data rows, got ${shape[0]}`);
  if (!(y instanceof Int32Array)) throw new CliError(`${name}: target column '${target}' holds non-integer numbers; it must hold class labels`);
  // Integer labels may be any integers: map them to 0..k-1 in sorted order.
  const labels = csv.classes ? null : [...new Set(y)].sort((a, b) => a - b);
  const yy = labels ? Int32Array.from(y, (v) => labels.indexOf(v)) : y;
  const classes = csv.classes?.length ?? labels!.length;
  if (classes < 2) throw new CliError(`${name}: target column '${target}' has a single class`);
  if (xs.some((v) => !Number.isFinite(v))) throw new CliError(`${name}: features hold empty, NaN or infinite cells`);
  return { name, x: xs, y: yy, shape, classes };
}
