// inferTask: whether a CSV target is a classification or a regression, and why — the CLI's
// --task default. Contract: text labels are classes; non-integer numbers are a regression;
// integers are classes when there are at most MAX_CLASSES distinct values (scikit-learn's
// type_of_target calls every integer column multiclass; a column of many distinct integers —
// prices, counts, years — is far more often a quantity), else a regression. An explicit --task
// that the values cannot support (class labels from fractions, a regression on text) is a
// CliError naming the column; the reason is a sentence for the log.
import { CliError } from './cli-error.js';

export type Task = 'classification' | 'regression';
/** The most distinct integers a target may hold and still be read as class labels by default. */
export const MAX_CLASSES = 20;

/** The task and the reason it was chosen. */
export function inferTask(y: Int32Array | Float32Array, text: boolean, column: string, requested?: Task): { task: Task; reason: string } {
  const col = `target '${column}'`;
  if (text) {
    if (requested === 'regression') throw new CliError(`--task regression: ${col} holds text, not numbers`);
    return { task: 'classification', reason: `${col} holds text labels` };
  }
  if (y instanceof Float32Array) {
    const i = y.findIndex((v) => !Number.isInteger(v));
    if (requested === 'classification' && i >= 0) throw new CliError(`--task classification: ${col} holds non-integer numbers (${y[i]} on data row ${i + 1}), not class labels`);
    if (requested) return { task: requested, reason: 'as --task says' };
    return { task: 'regression', reason: `${col} holds non-integer numbers` };
  }
  const distinct = new Set(y).size;
  if (requested) return { task: requested, reason: 'as --task says' };
  return distinct <= MAX_CLASSES
    ? { task: 'classification', reason: `${col} holds ${distinct} distinct integers (at most ${MAX_CLASSES}: class labels; pass --task regression to predict them as numbers)` }
    : { task: 'regression', reason: `${col} holds ${distinct} distinct integers (more than ${MAX_CLASSES}: a quantity; pass --task classification to treat them as classes)` };
}
