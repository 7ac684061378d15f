// oneHot: integer class labels → a float tensor [n, numClasses] with a single 1 per row.
//
// Contract: labels must be integers in [0, numClasses); numClasses defaults to max(label) + 1
// (PyTorch's F.one_hot). Non-integers throw a DTypeError and out-of-range labels a RangeError,
// both naming the label and its position.
import type { Tensor } from '../tensor.js';
import { tensor } from '../ops/create.js';
import { DTypeError, OptionError } from '../errors.js';
import { checkInt } from '../check-option.js';

/**
 * One-hot encodes class labels.
 * @example
 * sg.data.oneHot([0, 2, 1]);          // [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
 * sg.data.oneHot(new Int32Array([1]), 4); // [[0, 1, 0, 0]]
 */
export function oneHot(labels: ArrayLike<number>, numClasses?: number): Tensor {
  const n = labels.length;
  let max = -1;
  for (let i = 0; i < n; i++) {
    const c = labels[i]!;
    if (!Number.isInteger(c)) throw new DTypeError(`oneHot: label ${c} at index ${i} is not an integer`);
    if (c < 0) throw new OptionError(`oneHot: label ${c} at index ${i} is negative`);
    if (c > max) max = c;
  }
  const k = numClasses ?? max + 1;
  checkInt('oneHot', 'numClasses', k, 0);
  if (max >= k) {
    let i = 0;
    while (labels[i]! < k) i++;
    throw new OptionError(`oneHot: label ${labels[i]} at index ${i} is out of range for numClasses = ${k}`);
  }
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) out[i * k + labels[i]!] = 1;
  return tensor(out, [n, k]);
}
