// loadData: the data set of a CLI command — 'digits', 'iris' (built in), a CSV file with a
// target column, or a directory of IDX image files (idx-data.ts) — as plain typed arrays (no
// tensors outlive the call; image data also name their image shape, what --model cnn needs: the
// digits as 1×8×8 when all 64 pixels are kept), with its task
// (classification or regression: --task, else inferred from the target by infer-task.ts, with the
// reason) and its feature names. Contract: --features / --drop choose the feature columns (a
// dropped column is never parsed); a missing file, a CSV without --target, a malformed CSV, a
// non-numeric feature cell (named by line and column, with the --drop that leaves it out), a
// non-finite feature or target value, or a single class throws CliError with a one-line message;
// class labels become 0..classes-1 (classNames maps them back). CSV needs init() first. Library
// imports go through ../index.js only (the bundle maps it to the package's own dist/index.js).
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as sg from '../index.js';
import { digits, iris } from '../datasets/index.js';
import { CliError } from './cli-error.js';
import { inferTask, type Task } from './infer-task.js';
import { loadIdxDir } from './idx-data.js';

export interface TabularData {
  name: string;
  /** Row-major features, shape[0] × shape[1]. */
  x: Float32Array;
  shape: [number, number];
  task: Task;
  /** Classification: the class index of each row (0..classes-1). Regression: the target values. */
  y: Int32Array | Float32Array;
  /** Number of classes (0 for a regression). */
  classes: number;
  /** Classification: each class index's label (text, or the integer in the file). */
  classNames?: Array<string | number>;
  features: string[];
  target: string;
  /** Why the task is what it is (for the log). */
  taskReason: string;
  /** Image data: each row is an image of [channels, height, width] (row-major). */
  image?: [number, number, number];
}

/** Which columns and task to load (all optional). */
export interface LoadOptions { target?: string; task?: Task; features?: string[]; drop?: string[] }

/** An absolute path for a CSV argument (workers resolve it again), the name otherwise. */
export function dataArg(name: string): string {
  return name === 'digits' || name === 'iris' ? name : resolve(name);
}

/** A comma-separated column list of a flag (names, or 0-based indices). */
export function columnList(flag: string, list: string): string[] {
  const cols = list.split(',').map((c) => c.trim());
  if (cols.some((c) => c === '')) throw new CliError(`${flag} ${JSON.stringify(list)}: an empty column name`);
  return cols;
}
const column = (c: string): string | number => (/^\d+$/.test(c) ? Number(c) : c);

/** Built-in data with its feature names; --features/--drop pick among them. */
function builtIn(name: 'digits' | 'iris', o: LoadOptions): TabularData {
  if (o.target !== undefined) throw new CliError(`--target: ${name} is built in and has its own labels (the option is for CSV files)`);
  if (o.task === 'regression') throw new CliError(`--task regression: ${name} is a classification data set`);
  const d = name === 'digits' ? digits() : iris();
  const names: string[] = 'featureNames' in d ? [...d.featureNames] : Array.from({ length: 64 }, (_, i) => `pixel_${i >> 3}_${i & 7}`);
  const pick = (c: string, flag: string) => {
    const k = typeof column(c) === 'number' ? Number(c) : names.indexOf(c);
    if (k < 0 || k >= names.length) throw new CliError(`${flag}: ${JSON.stringify(c)} is not a column of ${name} (${names[0]}, ${names[1]}, …)`);
    return k;
  };
  const dropped = new Set((o.drop ?? []).map((c) => pick(c, '--drop')));
  const cols = o.features ? o.features.map((c) => pick(c, '--features')) : names.map((_, i) => i).filter((i) => !dropped.has(i));
  if (cols.length === 0) throw new CliError(`--drop: no feature column of ${name} is left`);
  const n = d.shape[0], f = d.shape[1], x = new Float32Array(n * cols.length);
  for (let r = 0; r < n; r++) cols.forEach((c, j) => { x[r * cols.length + j] = d.x[r * f + c]!; });
  const classNames: Array<string | number> = 'targetNames' in d ? [...d.targetNames] : Array.from({ length: 10 }, (_, i) => i);
  const whole = name === 'digits' && cols.length === f && cols.every((c, i) => c === i);
  return {
    name, x, shape: [n, cols.length], task: 'classification', y: d.y, classes: classNames.length, classNames,
    features: cols.map((c) => names[c]!), target: 'class', taskReason: `${name} is a classification data set`,
    ...(whole ? { image: [1, 8, 8] as [number, number, number] } : {}),
  };
}

/** readCsv's message for the command line: the file instead of "readCsv", the flag that helps. */
function csvMessage(name: string, e: Error): string {
  const m = e.message.replace(/^readCsv: /, '');
  const bad = /column "(.*)": .* is not a number$/.exec(m);
  return `${name}: ${m}${bad ? ` (leave the column out with --drop ${bad[1]}, or choose columns with --features)` : ''}`;
}

/**
 * Loads a built-in data set or a CSV file.
 * @example const d = await loadData('house.csv', { target: 'price' }); // d.task 'regression', d.taskReason "target 'price' holds non-integer numbers"
 */
export async function loadData(name: string, o: LoadOptions = {}): Promise<TabularData> {
  if (o.features && o.drop) throw new CliError('--features and --drop: give one of them');
  if (name === 'digits' || name === 'iris') return builtIn(name, o);
  if ((await stat(name).catch(() => null))?.isDirectory()) {
    for (const [flag, v] of [['--target', o.target], ['--task', o.task], ['--features', o.features], ['--drop', o.drop]] as const) {
      if (v !== undefined) throw new CliError(`${flag}: ${name} is a directory of IDX images with its own labels (the option is for CSV files)`);
    }
    return loadIdxDir(name);
  }
  const { target } = o;
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
    csv = await sg.data.readCsv(/[\r\n]/.test(text) ? text : `${text}\n`, {
      target: column(target), ...(o.features ? { columns: o.features.map(column) } : {}), ...(o.drop ? { exclude: o.drop.map(column) } : {}),
    });
  } catch (e) {
    throw new CliError(csvMessage(name, e as Error));
  }
  const { y } = csv, targetName = csv.target!;
  const shape = csv.x.shape as [number, number];
  const xs = csv.x.toArray() as Float32Array;
  csv.x.dispose();
  if (shape[0] < 2) throw new CliError(`${name}: needs at least 2 data rows, got ${shape[0]}`);
  if (shape[1] === 0) throw new CliError(`${name}: no feature column is left besides the target '${targetName}'`);
  const bad = xs.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new CliError(`${name}: data row ${Math.floor(bad / shape[1]) + 1}, column '${csv.columns[bad % shape[1]]}' is ${xs[bad]}; features must be finite numbers`);
  const { task, reason } = inferTask(y!, !!csv.classes, targetName, o.task);
  const base = { name, x: xs, shape, task, features: csv.columns, target: targetName, taskReason: reason };
  if (task === 'regression') {
    const i = y!.findIndex((v) => !Number.isFinite(v));
    if (i >= 0) throw new CliError(`${name}: data row ${i + 1}: the target '${targetName}' is ${y![i]}; a regression needs finite numbers`);
    return { ...base, y: Float32Array.from(y!), classes: 0 };
  }
  // Integer labels may be any integers: map them to 0..k-1 in sorted order.
  const labels: Array<string | number> = csv.classes ?? [...new Set(y!)].sort((a, b) => a - b);
  const codes = csv.classes ? (y as Int32Array) : Int32Array.from(y!, (v) => labels.indexOf(v));
  if (labels.length < 2) throw new CliError(`${name}: target column '${targetName}' has a single class`);
  return { ...base, y: codes, classes: labels.length, classNames: labels };
}
