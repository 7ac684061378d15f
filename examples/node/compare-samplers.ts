// examples/node/compare-samplers.ts: one conditional search space, three samplers. An MLP on the
// built-in digits with 1 or 2 hidden layers, a width for each layer that exists (width_1 is only
// drawn when there are 2 layers: a conditional parameter) and a learning rate, scored by
// stratified 5-fold cross-validation, and pruned by the median rule after each fold. Grid search
// (24 points: layers × width_0 × width_1 × lr; with 1 layer width_1 is drawn but unused, so the
// grid repeats 6 configurations, as Optuna's GridSampler does), random search and TPE each get the
// same number of trials; prints each sampler's best mean accuracy, its parameters, how many trials
// finished or were pruned, and the time taken. One seed is one draw: rerun with --seed to see how
// much the ranking moves.
//   node --import tsx examples/node/compare-samplers.ts [--trials 24] [--epochs 10] [--seed 0] [--samples 1797]
import * as sg from 'simdgrad';
import { digits } from 'simdgrad/datasets';

const arg = (name: string, def: number) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : def; };
const nTrials = arg('trials', 24), epochs = arg('epochs', 10), seed = arg('seed', 0), samples = arg('samples', 1797);
const backendName = await sg.init();
const { nn, tune } = sg;
const data = digits();
const y = data.y.subarray(0, samples);
const x = sg.scope(() => sg.tensor(data.x.subarray(0, samples * 64), [samples, 64]).div(16));
const take = (idx: Int32Array) => ({ x: sg.data.gatherRows(x, idx), y: idx.map((i) => y[i]!) });

async function objective(trial: sg.tune.Trial): Promise<number> {
  const layers = trial.suggestInt('layers', 1, 2);
  const widths = Array.from({ length: layers }, (_, i) => trial.suggestInt(`width_${i}`, 16, 128, { log: true }));
  const lr = trial.suggestFloat('lr', 1e-3, 1e-1, { log: true });
  const cv = await tune.crossValidate({
    y, k: 5, trial, seed, fit: (train, valid, fold) => sg.scope(() => {   // one fold; frees its tensors
      const modules: sg.nn.TensorModule[] = [];
      let inputs = 64;
      for (const w of widths) { modules.push(new nn.Linear(inputs, w), new nn.ReLU()); inputs = w; }
      const model = new nn.Sequential(...modules, new nn.Linear(inputs, 10));
      const optimizer = new sg.optim.Adam(model.parameters(), { lr });
      sg.fit(model, { ...take(train), optimizer, epochs, batchSize: 32, seed: seed + fold });
      const held = take(valid), { accuracy } = sg.evaluate(model, held.x, held.y);
      optimizer.dispose();
      model.dispose();
      return accuracy;
    }),
  });
  return cv.mean;
}

const grid = { layers: [1, 2], width_0: [16, 128], width_1: [16, 128], lr: [1e-3, 1e-2, 1e-1] };
const samplers: Record<string, sg.tune.Sampler> = {
  grid: new tune.GridSampler(grid, { seed }),
  random: new tune.RandomSampler({ seed }),
  tpe: new tune.TPESampler({ seed }),
};
console.log(`simdgrad on ${backendName}: digits (${samples} images), MLP with 1–2 hidden layers, ${epochs} epoch${epochs === 1 ? '' : 's'} per fold, ` +
  `stratified 5-fold CV, MedianPruner, ${nTrials} trials per sampler, seed ${seed}`);
for (const [name, sampler] of Object.entries(samplers)) {
  const study = await tune.createStudy({ direction: 'maximize', sampler, pruner: new tune.MedianPruner({ nStartupTrials: 3 }) });
  const t0 = performance.now();
  await study.optimize(objective, { nTrials });
  const seconds = (performance.now() - t0) / 1000;
  const count = (state: string) => study.trials.filter((t) => t.state === state).length;
  console.log(`${name.padEnd(6)} best ${(100 * study.bestValue).toFixed(2)}% ${JSON.stringify(study.bestParams)}  ` +
    `${count('COMPLETE')} complete, ${count('PRUNED')} pruned in ${seconds.toFixed(1)} s`);
}
x.dispose();
if (sg.memory().tensors !== 0) throw new Error(`${sg.memory().tensors} tensors leaked`);
