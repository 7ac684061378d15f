// examples/node/tune-train-predict.ts: the command line from a CSV file to predictions, for a
// regression (houses.csv: the price) and a classification (flowers.csv: the species), written by
// example-csvs.ts when they are not in the working directory. For each, the three commands a user
// types, printed before their output:
//   simdgrad tune    — a TPE sweep of cross-validated MLPs (the task inferred from the target, the
//                      id and text columns dropped), stored in a journal file;
//   simdgrad train   — the study's best configuration trained again and saved as one file;
//   simdgrad predict — that file applied to the new rows (new-houses.csv, new-flowers.csv).
// Then the predictions are checked: the prices against the rule that made the data (r2), the
// species against the flowers' own (accuracy). A rerun adds its trials to the stored studies.
// The commands run the `simdgrad` bin of the installed package (SIMDGRAD_BIN names another script
// to run instead, with this process's node options: the repository's tests use src/cli/main.ts).
//   node --import tsx examples/node/tune-train-predict.ts [--trials 30] [--epochs 12] [--folds 5]
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { housePrice, newFlowerSpecies, writeExampleCsvs } from './example-csvs.js';

const arg = (name: string, def: number) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : def; };
const trials = arg('trials', 30), epochs = arg('epochs', 12), folds = arg('folds', 5);
if (!existsSync('houses.csv')) console.log(`wrote ${writeExampleCsvs().join(', ')}`);

/** The installed package's bin (dist/cli.js), unless SIMDGRAD_BIN names another script. */
function bin(): string {
  if (process.env.SIMDGRAD_BIN) return process.env.SIMDGRAD_BIN;
  const pkg = createRequire(import.meta.url).resolve('simdgrad/package.json');
  return join(dirname(pkg), (JSON.parse(readFileSync(pkg, 'utf8')) as { bin: { simdgrad: string } }).bin.simdgrad);
}
const cli = bin();

/** Runs `simdgrad …args` as a shell would, its output shown; a failing command ends the program. */
function simdgrad(...args: string[]): void {
  console.log(`\n$ simdgrad ${args.join(' ')}`);
  execFileSync(process.execPath, [...process.execArgv, cli, ...args], { stdio: 'inherit' });
}

/** The first column of a CSV file below its header. */
const firstColumn = (file: string) => readFileSync(file, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]!);

const runs = [
  { name: 'houses', target: 'price', drop: 'id,district' },
  { name: 'flowers', target: 'species', drop: 'id' },
];
for (const { name, target, drop } of runs) {
  const data = ['--data', `${name}.csv`, '--target', target, '--drop', drop];
  simdgrad('tune', ...data, '--trials', String(trials), '--epochs', String(epochs), '--folds', String(folds), '--storage', `${name}.jsonl`, '--study', name);
  simdgrad('train', ...data, '--from-study', `${name}.jsonl`, '--study', name, '--save', `${name}.safetensors`);
  simdgrad('predict', '--model', `${name}.safetensors`, `new-${name}.csv`, '--output', `${name}-predictions.csv`);
}

// The predictions beside the truth.
const newHouses = readFileSync('new-houses.csv', 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
const rule = newHouses.map(([, , area, rooms, age, distance]) => housePrice({ area: area!, rooms: rooms!, age: age!, distance: distance! }));
const prices = firstColumn('houses-predictions.csv').map(Number);
const mean = rule.reduce((s, v) => s + v, 0) / rule.length;
const r2 = 1 - prices.reduce((s, p, i) => s + (p - rule[i]!) ** 2, 0) / rule.reduce((s, v) => s + (v - mean) ** 2, 0);
const species = firstColumn('flowers-predictions.csv'), truth = newFlowerSpecies();
const hits = species.filter((s, i) => s === truth[i]).length;
console.log(`\nnew houses: ${prices.length} prices, r2 against the rule ${r2.toFixed(3)}`);
console.log(`new flowers: ${hits} of ${truth.length} species right (${((100 * hits) / truth.length).toFixed(1)}%)`);
