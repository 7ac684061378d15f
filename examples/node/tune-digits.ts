// Hyperparameter search (issue 6's sweep): an MLP on the built-in digits, scored by stratified
// 5-fold cross-validation (a StandardScaler fitted inside each fold), searched with TPE (seeded)
// and pruned by the median rule after each fold — a bad configuration usually stops after one
// fold. Searches learning rate (log), batch size, hidden width (log), dropout, weight decay (log)
// and the optimizer (Adam or SGD with momentum); prints a line per trial, the best mean 5-fold
// accuracy, the parameter importances and the run time.
//   node --import tsx examples/node/tune-digits.ts [trials=60] [epochs=12] [seed=0]
// (`simdgrad tune --data digits` runs a larger sweep of the same kind — layers, widths, activation,
// five optimizers — from the command line.)
import * as sg from 'simdgrad';
import { digits } from 'simdgrad/datasets';

const nTrials = Number(process.argv[2] ?? 60), epochs = Number(process.argv[3] ?? 12), seed = Number(process.argv[4] ?? 0);
const backendName = await sg.init();
const { tune, nn, optim } = sg;
const data = digits();
const features = data.shape[1];
const all = sg.tensor(data.x, data.shape);
const take = (idx: Int32Array) => ({ x: sg.data.gatherRows(all, idx), y: Int32Array.from(idx, (i) => data.y[i]!) });

/** Validation accuracy of one configuration trained on the rows `train` (a scaler fitted on them). */
function foldScore(c: { lr: number; batchSize: number; hidden: number; dropout: number; weightDecay: number; optimizer: string },
  train: Int32Array, valid: Int32Array, s: number): number {
  return sg.scope(() => {
    const tr = take(train), va = take(valid);
    const scaler = new sg.data.StandardScaler();
    const xTrain = scaler.fitTransform(tr.x), xValid = scaler.transform(va.x);
    const model = new nn.Sequential(
      new nn.Linear(features, c.hidden, { seed: s + 1 }), new nn.ReLU(), new nn.Dropout(c.dropout, { seed: s + 2 }),
      new nn.Linear(c.hidden, data.classes, { seed: s + 3 }));
    const opt = c.optimizer === 'adam' ? new optim.Adam(model.parameters(), { lr: c.lr, weightDecay: c.weightDecay })
      : new optim.SGD(model.parameters(), { lr: c.lr, weightDecay: c.weightDecay, momentum: 0.9, nesterov: true });
    try {
      sg.fit(model, { x: xTrain, y: tr.y, optimizer: opt, epochs, batchSize: c.batchSize, seed: s });
      return sg.evaluate(model, xValid, va.y).accuracy;
    } catch (e) {
      if (e instanceof sg.NonFiniteLossError) return 1 / data.classes; // diverged: chance level
      throw e;
    } finally {
      opt.dispose();
      model.dispose();
    }
  });
}

const study = await tune.createStudy({
  direction: 'maximize', studyName: 'digits-mlp',
  sampler: new tune.TPESampler({ seed }), pruner: new tune.MedianPruner({ nStartupTrials: 5 }),
});
console.log(`simdgrad on ${backendName}: digits (${data.shape[0]} images), MLP 64-h-10, ${epochs} epochs per fold, ` +
  `stratified 5-fold CV, TPE (seed ${seed}) + MedianPruner, ${nTrials} trials`);
const t0 = performance.now();
await study.optimize(async (trial) => {
  const c = {
    lr: trial.suggestFloat('lr', 1e-4, 3e-1, { log: true }),
    batchSize: trial.suggestCategorical('batchSize', [16, 32, 64, 128]),
    hidden: trial.suggestInt('hidden', 16, 512, { log: true }),
    dropout: trial.suggestFloat('dropout', 0, 0.5),
    weightDecay: trial.suggestFloat('weightDecay', 1e-6, 1e-2, { log: true }),
    optimizer: trial.suggestCategorical('optimizer', ['adam', 'sgd']),
  };
  // stratified folds; the running mean is reported after each, so the pruner may stop the trial
  const cv = await tune.crossValidate({
    y: data.y, k: 5, seed, trial, fit: (train, valid, fold) => foldScore(c, train, valid, 1000 * seed + 10 * fold),
  });
  trial.setUserAttr('std', cv.std);
  return cv.mean;
}, {
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
all.dispose();
if (sg.memory().tensors !== 0) throw new Error(`${sg.memory().tensors} tensors leaked`);
