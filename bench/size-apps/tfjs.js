// The size bench's application written with TensorFlow.js (tfjs-core + tfjs-layers + the wasm
// backend), as bench/size-apps/simdgrad.js is with simdgrad: an MLP trained with Adam by
// model.fit() on data it receives at run time, then its predictions for new rows.
import * as tf from '@tensorflow/tfjs-core';
import { layers, sequential } from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-wasm';

/** Same contract as simdgrad.js's train(). */
export async function train({ x, y, features, classes, test, epochs = 20, hidden = 64 }) {
  await tf.setBackend('wasm');
  const model = sequential({ layers: [
    layers.dense({ inputShape: [features], units: hidden, activation: 'relu' }),
    layers.dense({ units: classes }),
  ] });
  model.compile({ optimizer: tf.train.adam(1e-2), loss: (labels, logits) => tf.losses.softmaxCrossEntropy(labels, logits), metrics: ['accuracy'] });
  const inputs = tf.tensor2d(x, [y.length, features]);
  const labels = tf.oneHot(tf.tensor1d(y, 'int32'), classes);
  const history = await model.fit(inputs, labels, { epochs, batchSize: 32, shuffle: true, verbose: 0 });
  const rows = tf.tensor2d(test, [test.length / features, features]);
  const predicted = await tf.tidy(() => tf.argMax(model.predict(rows), 1)).data();
  tf.dispose([inputs, labels, rows]);
  model.dispose();
  return { loss: history.history.loss.at(-1), accuracy: history.history.acc.at(-1), predicted: Int32Array.from(predicted) };
}
