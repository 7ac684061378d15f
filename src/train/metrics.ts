// Metrics fit() can log per epoch, by name: accuracy (argmax of the predictions vs class targets).
import type { Tensor } from '../tensor.js';

export type MetricName = 'accuracy';

/** Number of rows whose argmax equals the class target. */
export function correct(pred: Tensor, y: Int32Array): number {
  const a = pred.argmax(-1);
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === y[i]) n++;
  return n;
}
