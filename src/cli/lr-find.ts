// `simdgrad lr-find`: the learning-rate range test (sg.train.lrFinder) for the CLI's MLP on a data
// set — a StandardScaler fitted on the features (and on a regression's targets, with loss 'mse'),
// the MLP and optimizer as `train` builds them (mlp-model.ts) —
// plotted in the terminal (asciichart: the smoothed loss against log lr, the suggestion marked),
// optionally as an HTML page (--html, uPlot inlined) and as one JSON document (--json).
import { writeFile } from 'node:fs/promises';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { plot } from 'asciichart';
import * as sg from '../index.js';
import { CliError } from './cli-error.js';
import { dataArg, loadData } from './tabular-data.js';
import { ACTIVATIONS, OPTIMIZERS, mlpConfig } from './mlp-space.js';
import { buildMlp, buildOptimizer } from './mlp-model.js';
import { columnOptions, loadOptions } from './column-options.js';
import type { Task } from './infer-task.js';
import { lrFindPage } from './lr-find-page.js';

export interface LrFindOptions {
  data: string; target?: string; task?: Task; features?: string[]; drop?: string[];
  layers?: number; width?: number[]; activation?: string; optimizer: string; batchSize: number; startLr: number; endLr: number;
  steps: number; seed: number; suggest: sg.train.LrSuggestion; html?: string; json?: boolean;
}

const number = (what: string, ok: (n: number) => boolean) => (v: string): number => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || !ok(n)) throw new InvalidArgumentError(`expected ${what}`);
  return n;
};
const lrText = (v: number): string => (Number.isFinite(v) ? v.toExponential(1).replace('e+', 'e') : String(v));

/** The smoothed loss against log lr in ≤ `width` columns, the axis labelled, the suggestion marked. */
export function terminalPlot(r: sg.train.LrFinderResult, width = 64, height = 12): string {
  const n = r.smoothed.length;
  if (n < 2) return '(too few points to plot)';
  const cols = Math.min(width, n), pick = Array.from({ length: cols }, (_, i) => Math.round((i * (n - 1)) / (cols - 1)));
  const chart = plot(pick.map((i) => r.smoothed[i]!), { height, format: (v: number) => v.toFixed(3).padStart(9) });
  const pad = ' '.repeat(11), axis = Array.from({ length: cols }, () => ' ');
  const ticks = [0, Math.floor((cols - 1) / 2), cols - 1];
  const labels = ticks.map((c) => [c, lrText(r.lrs[pick[c]!]!)] as const);
  let line = '';
  for (const [c, text] of labels) line = line.padEnd(line ? Math.max(line.length + 1, Math.min(c, cols - text.length)) : 0) + text;
  const s = r.suggestedLr;
  if (Number.isFinite(s)) {
    let at = 0;
    pick.forEach((i, c) => { if (Math.abs(Math.log(r.lrs[i]!) - Math.log(s)) < Math.abs(Math.log(r.lrs[pick[at]!]!) - Math.log(s))) at = c; });
    axis[at] = '^';
  }
  return `${chart}\n${pad}${axis.join('').trimEnd()}\n${pad}${line}   (learning rate, log scale)`;
}

/** Runs the range test; returns the exit code. */
export async function runLrFind(o: LrFindOptions): Promise<number> {
  if (!(o.endLr > o.startLr)) throw new CliError(`--end-lr ${o.endLr} must be greater than --start-lr ${o.startLr}`);
  const backend = await sg.init();
  const d = await loadData(dataArg(o.data), loadOptions(o));
  const widths = o.width?.length === 1 ? { width: o.width[0] } : Object.fromEntries((o.width ?? []).map((w, i) => [`width_${i}`, w]));
  const c = mlpConfig({
    ...widths, layers: o.layers ?? (o.width && o.width.length > 1 ? o.width.length : 1),
    ...(o.activation ? { activation: o.activation } : {}), batchSize: o.batchSize, optimizer: o.optimizer,
  }, 'lr-find');
  const [n, f] = d.shape, regression = d.task === 'regression', outputs = regression ? 1 : d.classes;
  const { result, params } = sg.scope(() => {
    const x = new sg.data.StandardScaler().fitTransform(sg.tensor(d.x, [n, f]));
    const y = regression ? new sg.data.StandardScaler().fitTransform(sg.tensor(d.y, [n, 1])) : d.y as Int32Array;
    const model = buildMlp(f, outputs, c, 1000 * o.seed);
    const optimizer = buildOptimizer(model, c);
    try {
      const r = sg.train.lrFinder(model, { x, y }, {
        optimizer, loss: regression ? 'mse' : 'crossEntropy', startLr: o.startLr, endLr: o.endLr, steps: o.steps, batchSize: o.batchSize, seed: o.seed, suggest: o.suggest,
      });
      return { result: r, params: model.numParameters() };
    } finally {
      optimizer.dispose();
      model.dispose();
    }
  });
  const title = `${o.data}: MLP ${[f, ...c.widths, outputs].join('-')} (${params} parameters), ${c.optimizer}, batch ${o.batchSize}${regression ? ', regression (mse on standardized targets)' : ''}`;
  if (o.html) {
    try {
      await writeFile(o.html, lrFindPage(result, { title }));
    } catch (e) {
      throw new CliError(`--html ${o.html}: ${(e as Error).message}`);
    }
  }
  if (o.json) {
    process.stdout.write(`${JSON.stringify({ data: o.data, backend, model: title, ...result, html: o.html ?? null })}\n`);
    return 0;
  }
  const s = result.suggestions;
  console.log(`simdgrad lr-find on ${backend}: ${title}; ${result.lrs.length} of ${o.steps} rates from ${lrText(o.startLr)} to ${lrText(o.endLr)}`);
  console.log(terminalPlot(result));
  console.log(`suggested lr ${lrText(result.suggestedLr)} (${result.suggestion}); valley ${lrText(s.valley)}, steepest ${lrText(s.steepest)}, minimum/10 ${lrText(s.minimum)}`);
  if (result.stopReason) console.log(`stopped early: ${result.stopReason}`);
  if (o.html) console.log(`plot written to ${o.html}`);
  return 0;
}

/** Adds the `lr-find` command to the program (main.ts), inheriting its error handling. */
export function registerLrFind(program: Command, exit: (code: number) => void): void {
  const count = number('an integer ≥ 1', (v) => Number.isInteger(v) && v >= 1);
  columnOptions(program.command('lr-find')
    .description("Learning-rate range test (Smith's LR finder, as fastai's lr_find) for the CLI's MLP: loss against lr and a suggested lr"))
    .option('--layers <n>', 'hidden layers (default 1)', count)
    .option('--width <n,…>', 'hidden units: one number for every layer, or one per layer (default 128)', (v) => v.split(',').map(count))
    .addOption(new Option('--activation <name>', 'activation (default relu)').choices([...ACTIVATIONS]))
    .addOption(new Option('--optimizer <name>', 'optimizer').choices([...OPTIMIZERS]).default('adam'))
    .option('--batch-size <n>', 'mini-batch size', number('an integer ≥ 1', (v) => Number.isInteger(v) && v >= 1), 32)
    .option('--start-lr <x>', 'first learning rate', number('a number > 0', (v) => v > 0), 1e-7)
    .option('--end-lr <x>', 'last learning rate', number('a number > 0', (v) => v > 0), 10)
    .option('--steps <n>', 'learning rates tried (one mini-batch each)', number('an integer ≥ 2', (v) => Number.isInteger(v) && v >= 2), 100)
    .option('--seed <n>', 'seed of the model and the batch order', number('an integer ≥ 0', (v) => Number.isSafeInteger(v) && v >= 0), 0)
    .addOption(new Option('--suggest <method>', 'which suggestion to report').choices(['valley', 'steepest', 'minimum']).default('valley'))
    .option('--html <file>', 'also write the plot as an HTML page')
    .option('--json', 'print one JSON document (rates, losses, suggestions)')
    .action(async (o: LrFindOptions) => exit(await runLrFind(o)));
}
