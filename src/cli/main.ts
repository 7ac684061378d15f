// The `simdgrad` command (package bin, bundled as dist/cli.js): `tune`, `train`, `predict`, `worker`, `journal`,
// `lr-find` and `bench`, each with --help. Arguments are parsed by commander; every input mistake (unknown flag, bad value,
// missing or malformed file) ends as one line on stderr and exit code 2, other failures as one
// line and exit code 1 (SIMDGRAD_DEBUG=1 prints the stack). This module is also the objective
// module of `tune --concurrency N`: in a worker thread it only exports tuneObjective.
import { isMainThread } from 'node:worker_threads';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { CliError } from './cli-error.js';
import { runTune } from './tune.js';
import { runTrain } from './train.js';
import { runPredict } from './predict.js';
import { runBench, SUITES } from './bench.js';
import { runWorker } from './worker.js';
import { SAMPLER_NAMES } from './make-sampler.js';
import { runJournalCheck, runJournalRepair } from './journal.js';
import { ACTIVATIONS, MODELS, OPTIMIZERS, POOLINGS, SCHEDULES } from './mlp-space.js';
import { SPACE_HELP } from './space-help.js';
import { columnOptions } from './column-options.js';
import { registerLrFind } from './lr-find.js';

export { tuneObjective } from './mlp-objective.js';

const VERSION = '0.1.0';

function int(min: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!/^\s*-?\d+\s*$/.test(v) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}`);
    return n;
  };
}
function num(check: (n: number) => boolean, what: string) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || !check(n)) throw new InvalidArgumentError(`expected ${what}`);
    return n;
  };
}

/** The command tree; `exit` receives each command's exit code. */
export function program(exit: (code: number) => void): Command {
  const p = new Command('simdgrad')
    .description('Deep learning and hyperparameter tuning with WebAssembly SIMD kernels')
    .version(VERSION)
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ outputError: (s, write) => write('simdgrad: ' + s.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ').trim() + '\n') });
  columnOptions(p.command('tune')
    .description('Cross-validated MLP (or CNN on images) hyperparameter sweep (TPE + pruning by default), classification or regression'))
    .addOption(new Option('--model <name>', 'mlp, or cnn on image data (digits, a directory of IDX files)').choices([...MODELS]).default('mlp'))
    .option('--space <file>', 'search space JSON (format below): {"layers": {"type": "int", "low": 1, "high": 3}, "lr": {"type": "float", "low": 1e-4, "high": 0.1, "log": true}, …}')
    .addOption(new Option('--sampler <name>', 'sampler').choices([...SAMPLER_NAMES]).default('tpe'))
    .addOption(new Option('--pruner <name>', 'pruner (per fold; default median, none with several objectives)').choices(['median', 'sha', 'hyperband', 'none']))
    .option('--objectives <list>', "accuracy (r2 for a regression) alone by default, or accuracy,params / accuracy,time: a Pareto front of the score against the model's parameter count or its training time")
    .option('--trials <n>', 'number of trials', int(1), 60)
    .option('--folds <k>', 'cross-validation folds', int(2), 5)
    .option('--concurrency <n>', 'trials at once in worker threads', int(1), 1)
    .option('--storage <url>', 'postgresql://… URL or journal file (JSON lines) to store and resume the study')
    .option('--study <name>', 'study name in the storage', 'simdgrad-tune')
    .option('--seed <n>', 'seed of the sampler, the folds and the models', int(0), 0)
    .option('--epochs <n>', 'training epochs per fold', int(1), 12)
    .option('--test-size <f>', 'hold out this fraction before tuning, then score the default and the tuned configuration on it', num((n) => n > 0 && n < 1, 'a number in (0, 1)'))
    .option('--save <file>', "train the best trial's configuration (a held-out split as train's) and save the whole model for `simdgrad predict`")
    .option('--report <file>', 'write an HTML report of the study')
    .option('--json', 'print one JSON document (no tables)')
    .addHelpText('after', SPACE_HELP)
    .action(async (o) => exit(await runTune(o, import.meta.url)));
  columnOptions(p.command('train')
    .description('Train one MLP (or CNN on images) configuration (classification or regression); prints per-epoch metrics, saves the whole MLP'))
    .addOption(new Option('--model <name>', "mlp, or cnn on image data (digits, a directory of IDX files); default: the --params' model, else mlp").choices([...MODELS]))
    .option('--params <file>', 'hyperparameters: a `simdgrad tune --json` document (its best trial) or a JSON object like {"layers": 2, "width_0": 128, …}')
    .option('--from-study <storage>', "take the best trial of a stored study (journal file or postgresql:// URL; with --study)")
    .option('--study <name>', 'the study in --from-study')
    .option('--layers <n>', 'hidden layers (default 1)', int(1))
    .option('--width <n,…>', 'hidden units: one number for every layer, or one per layer (default 128)', (v) => v.split(',').map((w) => int(1)(w)))
    .option('--blocks <n>', 'CNN: conv blocks, each halving the image (default 2)', int(1))
    .option('--channels <n>', "CNN: the first block's channels, doubled per block (default 16)", int(1))
    .option('--kernel-size <k>', 'CNN: odd kernel size (default 3)', int(1))
    .addOption(new Option('--pooling <name>', 'CNN: 2×2 pooling (default max)').choices([...POOLINGS]))
    .addOption(new Option('--activation <name>', 'activation (default relu)').choices([...ACTIVATIONS]))
    .addOption(new Option('--optimizer <name>', 'optimizer (default adam)').choices([...OPTIMIZERS]))
    .option('--lr <x>', 'learning rate (default 1e-3)', num((n) => n > 0, 'a number > 0'))
    .option('--batch-size <n>', 'mini-batch size (default 32)', int(1))
    .option('--dropout <p>', 'dropout probability (default 0)', num((n) => n >= 0 && n < 1, 'a number in [0, 1)'))
    .option('--weight-decay <x>', 'weight decay (default 0)', num((n) => n >= 0, 'a number ≥ 0'))
    .addOption(new Option('--schedule <name>', 'learning-rate schedule (default constant)').choices([...SCHEDULES]))
    .option('--epochs <n>', "epochs (default: the tuned configuration's, else 20)", int(1))
    .option('--test-size <f>', 'held-out fraction', num((n) => n > 0 && n < 1, 'a number in (0, 1)'), 0.2)
    .option('--seed <n>', 'seed', int(0), 0)
    .option('--save <file>', 'write the model (weights, architecture, scalers, names) as one safetensors file')
    .option('--json', 'print one JSON document')
    .action(async (o) => exit(await runTrain(o)));
  p.command('predict')
    .description('Apply a model saved by `train --save` to the rows of a CSV file; prints CSV (or JSON) with a prediction per row')
    .argument('<data>', 'CSV file holding the model\'s feature columns (by name; other columns are ignored)')
    .requiredOption('--model <file>', 'a model file written by `simdgrad train --save`')
    .option('--output <file>', 'write the predictions to a file instead of stdout')
    .option('--json', 'print one JSON document (predictions, and class probabilities for a classifier)')
    .action(async (data: string, o) => exit(await runPredict(data, o)));
  p.command('worker')
    .description('Join a study in a shared storage (PostgreSQL or a journal file) from any host and run its trials')
    .requiredOption('--storage <url>', 'postgresql://user@host:port/db URL (or a journal file path)')
    .requiredOption('--study <name>', 'study name (created if missing)')
    .requiredOption('--objective <module#export>', 'objective module and export, e.g. ./objective.js#objective')
    .option('--trials <n>', 'trials to run in this worker (default: until --timeout or the grid ends)', int(1))
    .option('--timeout <s>', 'stop starting trials after this many seconds', num((n) => n > 0, 'a number > 0'))
    .option('--concurrency <n>', 'trials at once in worker threads', int(1), 1)
    .addOption(new Option('--direction <d>', 'direction when the study is created here').choices(['minimize', 'maximize']).default('minimize'))
    .addOption(new Option('--sampler <name>', 'sampler').choices([...SAMPLER_NAMES]).default('tpe'))
    .option('--grid <file>', 'grid JSON for --sampler grid ({"name": [values…]}; same file and --seed in every worker)')
    .option('--seed <n>', 'sampler seed (grid, qmc: shared; tpe, random, gp, cmaes: mixed with the process id)', int(0), 0)
    .option('--heartbeat-interval <s>', 'seconds between heartbeats of running trials', num((n) => n > 0, 'a number > 0'), 5)
    .option('--grace-period <s>', 'seconds without a heartbeat before a running trial is failed (default 2 × interval)', num((n) => n > 0, 'a number > 0'))
    .option('--max-retry <n>', 'times a trial failed for a lost heartbeat is re-enqueued', int(0), 0)
    .option('--trial-timeout <s>', 'seconds a trial may run before its worker thread is terminated', num((n) => n > 0, 'a number > 0'))
    .action(async (o) => exit(await runWorker(o)));
  const journal = p.command('journal').description("Check or repair a journal file (--storage FILE; Optuna's journal format)");
  journal.command('check').argument('<file>', 'journal file')
    .description('Report intact, damaged and torn lines and the studies that load; exit 1 if a damaged line stops loading')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, o) => exit(await runJournalCheck(file, o)));
  journal.command('repair').argument('<file>', 'journal file (left unchanged)')
    .description('Write the intact lines before the first damaged one to a new file (stop the processes using FILE, then move it into place)')
    .option('--output <file>', 'the repaired copy (default FILE.repaired; never overwritten)')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, o) => exit(await runJournalRepair(file, o)));
  registerLrFind(p, exit);
  p.command('bench')
    .description('Run the benchmark suites (from a repository checkout; prints markdown)')
    .addOption(new Option('--only <suite>', 'one suite').choices([...SUITES]))
    .option('--write', 'also record the results in bench/RESULTS.md')
    .action((o) => exit(runBench(o)));
  return p;
}

const INPUT_ERRORS = new Set(['CliError', 'DTypeError', 'ShapeError', 'SafetensorsError', 'JournalError', 'ObjectiveModuleError']);

/** Runs the command line; resolves to the exit code (never throws). */
export async function main(argv: string[]): Promise<number> {
  let code = 0;
  try {
    await program((c) => { code = c; }).parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2; // commander printed its one line
    const err = e as Error;
    if (process.env.SIMDGRAD_DEBUG) process.stderr.write(`${err?.stack ?? String(e)}\n`);
    const msg = String(err?.message ?? e).replace(/\s*\n\s*/g, ' ');
    process.stderr.write(`simdgrad: ${msg}\n`);
    return e instanceof CliError || INPUT_ERRORS.has(err?.name) ? 2 : 1;
  }
}

if (isMainThread && process.env.SIMDGRAD_CLI_NO_RUN !== '1') {
  // A reader that stops early (`simdgrad tune --help | head`) closes the pipe: end quietly, as Unix tools do.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0); else throw e; });
  const code = await main(process.argv.slice(2));
  process.exitCode = code;
}
