// The size bench's application (bench/size.ts), written with simdgrad: an MLP trained with Adam
// by fit() on data it receives at run time, then its predictions for new rows. Bundled by rollup
// with tree-shaking from the installed tarball; its gzipped size (+ the wasm) is a tested budget.
import { argmax, fit, init, manualSeed, nn, noGrad, optim, tensor } from 'simdgrad';

/**
 * Trains on rows `x` (Float32Array, row-major, `features` per row) with class labels `y`
 * (Int32Array), returns the final training loss and accuracy and the classes predicted for `test`.
 */
export async function train({ x, y, features, classes, test, epochs = 20, hidden = 64, seed = 0 }) {
  await init();
  manualSeed(seed);
  const inputs = tensor(x, [y.length, features]);
  const model = new nn.Sequential(new nn.Linear(features, hidden), new nn.ReLU(), new nn.Linear(hidden, classes));
  const optimizer = new optim.Adam(model.parameters(), { lr: 1e-2 });
  const history = fit(model, { x: inputs, y, optimizer, epochs, batchSize: 32, seed, metrics: ['accuracy'] });
  inputs.dispose();
  const rows = tensor(test, [test.length / features, features]);
  const logits = noGrad(() => model.forward(rows));
  const predicted = argmax(logits, 1);
  rows.dispose(); logits.dispose(); model.dispose();
  return { loss: history.values.loss.at(-1), accuracy: history.values.accuracy.at(-1), predicted };
}
