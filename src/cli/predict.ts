// `simdgrad predict --model FILE data.csv`: a model saved by `simdgrad train --save` (sg.io.saveModel:
// weights, architecture, scalers, class and feature names) applied to the rows of a CSV file. The
// feature columns are found by the names saved with the model (other columns, the target among
// them, are ignored; a missing one is an error naming it); the rows are scaled as in training and
// a regression's outputs mapped back to the target's units by loadModel's predict. Output: CSV on
// stdout (or --output FILE) with one row per input row — the predicted value (regression) or class
// (classification, then one probability column per class, "p_<class>") under the target's name —
// or one JSON document with --json. Contract: a file that is not a whole model, a CSV without a
// feature column or with a non-numeric feature cell is a CliError naming it; nothing stays allocated.
import { readFile, writeFile } from 'node:fs/promises';
import * as sg from '../index.js';
import { CliError } from './cli-error.js';

export interface PredictOptions { model: string; output?: string; json?: boolean }

/** A CSV cell: quoted when it holds a delimiter, a quote or a line break (RFC 4180). */
const cell = (v: string | number): string => {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Predicts for the rows of `data`; returns the process exit code. */
export async function runPredict(data: string, o: PredictOptions): Promise<number> {
  await sg.init();
  let loaded: sg.io.LoadedModel;
  try {
    loaded = await sg.io.loadModel(o.model);
  } catch (e) {
    throw new CliError(`--model ${o.model}: ${(e as Error).message.replace(/^loadModel: /, '')}`);
  }
  try {
    const { features, target = 'prediction' } = loaded.preprocessing;
    if (!features) throw new CliError(`--model ${o.model}: the model has no feature names (save it with \`simdgrad train --save\`)`);
    let text: string;
    try {
      text = await readFile(data, 'utf8');
    } catch (e) {
      throw new CliError((e as { code?: string }).code === 'ENOENT' ? `no such file: ${data}` : `cannot read ${data}: ${(e as Error).message}`);
    }
    let csv: sg.data.CsvData;
    try {
      csv = await sg.data.readCsv(/[\r\n]/.test(text) ? text : `${text}\n`, { columns: [...features] });
    } catch (e) {
      const m = (e as Error).message.replace(/^readCsv: /, '').replace(/^column (".*") is not a column/, `the model's feature column $1 is missing`);
      throw new CliError(`${data}: ${m}`);
    }
    const p = sg.scope(() => loaded.predict(csv.x));
    csv.x.dispose();
    const classes = loaded.classes;
    const rows = p.outputs.length;
    if (o.json) {
      const doc = {
        model: o.model, data, rows, target, task: classes ? 'classification' : 'regression',
        predictions: classes ? p.labels : p.outputs.map((r) => (r.length === 1 ? r[0] : r)),
        ...(classes ? { classes, probabilities: p.probabilities } : {}),
      };
      await emit(JSON.stringify(doc) + '\n', o.output);
    } else {
      const head = [target, ...(classes ?? []).map((c) => `p_${c}`)];
      const lines = [head.map(cell).join(',')];
      for (let i = 0; i < rows; i++) {
        lines.push((classes ? [p.labels![i]!, ...p.probabilities![i]!] : p.outputs[i]!).map((v) => cell(v as string | number)).join(','));
      }
      await emit(lines.join('\n') + '\n', o.output);
    }
    if (o.output) process.stderr.write(`${rows} predictions written to ${o.output}\n`);
    return 0;
  } finally {
    loaded.dispose();
  }
}

async function emit(text: string, file: string | undefined): Promise<void> {
  if (!file) { process.stdout.write(text); return; }
  try {
    await writeFile(file, text);
  } catch (e) {
    throw new CliError(`--output ${file}: ${(e as Error).message}`);
  }
}
