// Hyperparameter search (issue 6's sweep): an MLP on the built-in digits, scored by stratified
// 5-fold cross-validation (a StandardScaler fitted inside each fold), searched with TPE (seeded)
// and pruned by the median rule after each fold — a bad configuration usually stops after one
// fold. Searches learning rate (log), batch size, hidden width (log), dropout, weight decay (log)
// and the optimizer (Adam or SGD with momentum); prints a line per trial, the best mean 5-fold
// accuracy, the parameter importances and the run time.
// The search space, model and objective are src/cli/mlp-objective.ts's (shared with `simdgrad tune`).
//   node --import tsx examples/node/tune-digits.ts [trials=60] [epochs=12] [seed=0]
import * as sg from '../../src/index.js';
import { loadData } from '../../src/cli/tabular-data.js';
import { DEFAULT_SPACE, mlpObjective } from '../../src/cli/mlp-objective.js';

const nTrials = Number(process.argv[2] ?? 60), epochs = Number(process.argv[3] ?? 12), seed = Number(process.argv[4] ?? 0);
const backendName = await sg.init();
const { tune } = sg;
const data = await loadData('digits');

const study = await tune.createStudy({
  direction: 'maximize', studyName: 'digits-mlp',
  sampler: new tune.TPESampler({ seed }), pruner: new tune.MedianPruner({ nStartupTrials: 5 }),
});
console.log(`simdgrad on ${backendName}: digits (${data.shape[0]} images), MLP 64-h-10, ${epochs} epochs per fold, ` +
  `stratified 5-fold CV, TPE (seed ${seed}) + MedianPruner, ${nTrials} trials`);
const t0 = performance.now();
await study.optimize(mlpObjective(data, { space: DEFAULT_SPACE, folds: 5, epochs, seed }), {
  nTrials,
  callbacks: [(s, t) => {
    const p = t.params, folds = Object.keys(t.intermediateValues).length;
    const acc = t.value === null ? '   —  ' : `${(t.value * 100).toFixed(2)}%`;
    console.log(`#${String(t.number).padStart(2)} ${t.state.padEnd(8)} ${acc} (${folds} fold${folds === 1 ? '' : 's'}, ` +
      `${((t.durationMs ?? 0) / 1000).toFixed(1)} s)  ${p.optimizer} lr ${(p.lr as number).toExponential(1)} batch ${p.batchSize} ` +
      `hidden ${p.hidden} dropout ${(p.dropout as number).toFixed(2)} wd ${(p.weightDecay as number).toExponential(1)}` +
      `   best ${(s.bestValue * 100).toFixed(2)}%`);
  }],
});
const seconds = (performance.now() - t0) / 1000;
const best = study.bestTrial, pruned = study.trials.filter((t) => t.state === 'PRUNED').length;
console.log(`best mean 5-fold accuracy ${(best.value! * 100).toFixed(2)}% ± ${((best.userAttrs.std as number) * 100).toFixed(2)} ` +
  `(trial ${best.number}: ${JSON.stringify(best.params)})`);
console.log(`${study.trials.length} trials (${pruned} pruned) in ${seconds.toFixed(1)} s`);
const imp = tune.paramImportances(study, { seed });
console.log('importances: ' + Object.entries(imp).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', '));
if (sg.memory().tensors !== 0) throw new Error(`${sg.memory().tensors} tensors leaked`);
