// The options every data-reading command shares (tune, train, lr-find): --data, and --target,
// --task, --features, --drop — what to predict from which columns (tabular-data.ts reads them) —
// with loadOptions turning the parsed flags into loadData's options.
import { Option, type Command } from 'commander';
import { columnList, type LoadOptions } from './tabular-data.js';
import type { Task } from './infer-task.js';

/** Adds --data, --target, --task, --features and --drop to a command. */
export function columnOptions(c: Command): Command {
  return c.addOption(new Option('--data <name>', "'digits', 'iris', a CSV file (with --target) or a directory of IDX image files (train-images-idx3-ubyte, train-labels-idx1-ubyte)").default('digits'))
    .addOption(new Option('--target <column>', "the CSV's target column (name or 0-based index)"))
    .addOption(new Option('--task <task>', 'classification or regression (default: inferred from the target, and said why)').choices(['classification', 'regression']))
    .option('--features <columns>', 'feature columns, comma-separated (default: every column but the target)', (v) => columnList('--features', v))
    .option('--drop <columns>', 'columns to leave out, comma-separated (e.g. an id or a text column)', (v) => columnList('--drop', v));
}

/** The parsed column flags as loadData's options. */
export function loadOptions(o: { target?: string; task?: Task; features?: string[]; drop?: string[] }): LoadOptions {
  return { ...(o.target !== undefined ? { target: o.target } : {}), ...(o.task ? { task: o.task } : {}),
    ...(o.features ? { features: o.features } : {}), ...(o.drop ? { drop: o.drop } : {}) };
}
