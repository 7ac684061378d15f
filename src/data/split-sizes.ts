// Split-size arithmetic shared by the splitters, exactly as scikit-learn computes it.
//
// Contract: splitSizes is sklearn's _validate_shuffle_split (a size is a fraction in (0, 1) or an
// integer count; test = ceil(fraction·n), train = floor(fraction·n), a missing side takes the
// rest; invalid combinations throw a RangeError naming the values). approximateMode is sklearn's
// _approximate_mode (per-class draw counts by largest remainder, ties broken by the stream).
import type { RandomStream } from '../random.js';
import { OptionError } from '../errors.js';

function sizeOf(size: number, n: number, round: (x: number) => number, name: string, who: string): number {
  const count = Number.isInteger(size);
  if (!(size > 0 && size < (count ? n : 1))) {
    throw new OptionError(`${who}: ${name}=${size} should be a positive count smaller than the number of samples ${n} ` +
      'or a fraction in (0, 1)');
  }
  return count ? size : round(size * n);
}

/** [nTrain, nTest] for n samples (sklearn's _validate_shuffle_split). */
export function splitSizes(n: number, testSize: number | undefined, trainSize: number | undefined,
  defaultTest: number, who: string): [number, number] {
  if (testSize === undefined && trainSize === undefined) testSize = defaultTest;
  let nTest = testSize === undefined ? undefined : sizeOf(testSize, n, Math.ceil, 'testSize', who);
  let nTrain = trainSize === undefined ? undefined : sizeOf(trainSize, n, Math.floor, 'trainSize', who);
  if (testSize !== undefined && trainSize !== undefined && !Number.isInteger(testSize) &&
      !Number.isInteger(trainSize) && testSize + trainSize > 1) {
    throw new OptionError(`${who}: testSize + trainSize = ${testSize + trainSize} should be at most 1`);
  }
  nTrain ??= n - nTest!;
  nTest ??= n - nTrain;
  if (nTrain + nTest > n) {
    throw new OptionError(`${who}: train size ${nTrain} + test size ${nTest} exceed the number of samples ${n}`);
  }
  if (nTrain === 0) {
    throw new OptionError(`${who}: with ${n} samples, testSize=${testSize} and trainSize=${trainSize} the train set is empty`);
  }
  return [nTrain, nTest];
}

/**
 * How many of nDraws to take from each class so the draw follows the class proportions
 * (sklearn's _approximate_mode: floor, then +1 by largest remainder, ties broken at random).
 */
export function approximateMode(counts: readonly number[], nDraws: number, rng: RandomStream): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  const continuous = counts.map((c) => (c / total) * nDraws);
  const out = continuous.map(Math.floor);
  let need = nDraws - out.reduce((a, b) => a + b, 0);
  if (need > 0) {
    const rem = continuous.map((c, i) => c - out[i]!);
    const values = [...new Set(rem)].sort((a, b) => b - a);
    for (const v of values) {
      let inds = rem.flatMap((r, i) => (r === v ? [i] : []));
      if (inds.length > need) inds = [...rng.shuffle(inds).subarray(0, need)];
      for (const i of inds) out[i]!++;
      need -= inds.length;
      if (need === 0) break;
    }
  }
  return out;
}
