// Index-based splits with scikit-learn's semantics: trainTestSplit, kFold, stratifiedKFold,
// shuffleSplit. Each split is { train: Int32Array, test: Int32Array } of sample indices.
//
// Contract: sizes follow sklearn exactly (fractional testSize → ceil(testSize·n), trainSize →
// floor(trainSize·n), the rest goes to the other side; k-fold's first n % k folds get one extra
// sample; stratified folds allocate each class round-robin over the sorted labels). Unshuffled
// kFold / stratifiedKFold indices equal sklearn's; shuffling draws from RandomStream (seeded
// Philox), so shuffled indices are reproducible per seed but differ from numpy's. kFold-style
// splits return sorted index arrays; shuffle splits return them in random order (as sklearn).
import { DTypeError, ShapeError, OptionError, describeValue } from '../errors.js';
import { RandomStream } from '../random.js';
import { uniqueLabels, type Label } from './label-encoder.js';
import { approximateMode, splitSizes } from './split-sizes.js';
import { checkInt } from '../check-option.js';

export interface Split { train: Int32Array; test: Int32Array }
export type Labels = ArrayLike<number> | readonly string[];

export interface TrainTestSplitOptions {
  /** Fraction in (0, 1) or integer count of test samples (default 0.25, or the rest of trainSize). */
  testSize?: number;
  /** Fraction in (0, 1) or integer count of train samples (default: the rest). */
  trainSize?: number;
  /** Labels to stratify by (one per sample), or true to use the first argument's labels. */
  stratify?: Labels | true;
  /** Shuffle before splitting (default true; stratify needs it). */
  shuffle?: boolean;
  seed?: number;
}

export interface KFoldOptions { k?: number; shuffle?: boolean; seed?: number }
export interface ShuffleSplitOptions {
  nSplits?: number; testSize?: number; trainSize?: number; stratify?: Labels; seed?: number;
}

/** The number of samples: a count, or the length of an array of labels (a string is neither). */
function count(nOrY: number | ArrayLike<unknown>, who: string): number {
  if (typeof nOrY === 'number') return nOrY;
  if (!Array.isArray(nOrY) && !(ArrayBuffer.isView(nOrY) && !(nOrY instanceof DataView))) {
    throw new DTypeError(`${who}: expected a sample count or an array of labels, got ${describeValue(nOrY)}`);
  }
  return nOrY.length;
}
const range = (a: number, b: number): Int32Array => Int32Array.from({ length: b - a }, (_, i) => a + i);


function checkLabels(y: Labels, n: number, who: string): Labels {
  if (y.length !== n) throw new ShapeError(`${who}: ${y.length} labels for ${n} samples`);
  return y;
}

/** Codes 0…C−1 per sample: classes in sorted order, or in order of first appearance. */
function encode(y: Labels, order: 'sorted' | 'appearance', who: string): { codes: Int32Array; counts: number[]; classes: Label[] } {
  const classes: Label[] = uniqueLabels(y as ArrayLike<Label>, who);
  const bad = classes.find((c) => typeof c === 'number' && !Number.isInteger(c));
  if (bad !== undefined) throw new DTypeError(`${who}: class labels must be integers or strings, got ${bad}`);
  if (order === 'appearance') {
    const seen = new Set<Label>();
    for (let i = 0; i < y.length; i++) seen.add(y[i]!);
    classes.splice(0, classes.length, ...seen);
  }
  const index = new Map(classes.map((c, i) => [c, i]));
  const codes = Int32Array.from({ length: y.length }, (_, i) => index.get(y[i]!)!);
  const counts = new Array<number>(classes.length).fill(0);
  for (const c of codes) counts[c]!++;
  return { codes, counts, classes };
}

/** Folds from a test-fold number per sample: sorted test and train indices per fold. */
function foldsOf(testFold: Int32Array, k: number): Split[] {
  return Array.from({ length: k }, (_, f) => {
    const test: number[] = [], train: number[] = [];
    testFold.forEach((g, i) => (g === f ? test : train).push(i));
    return { train: Int32Array.from(train), test: Int32Array.from(test) };
  });
}

function checkK(k: number, n: number, who: string): void {
  checkInt(who, 'k', k, 2);
  if (k > n) throw new OptionError(`${who}: cannot have k = ${k} folds with only ${n} samples`);
}

/** sklearn's StratifiedShuffleSplit draw: per-class counts by approximateMode, then shuffles. */
function stratifiedDraw(codes: Int32Array, counts: number[], nTrain: number, nTest: number, rng: RandomStream): Split {
  const byClass: number[][] = counts.map(() => []);
  codes.forEach((c, i) => byClass[c]!.push(i));
  const nI = approximateMode(counts, nTrain, rng);
  const tI = approximateMode(counts.map((c, i) => c - nI[i]!), nTest, rng);
  const train: number[] = [], test: number[] = [];
  byClass.forEach((idx, c) => {
    const p = rng.shuffle(idx);
    for (let j = 0; j < nI[c]!; j++) train.push(p[j]!);
    for (let j = nI[c]!; j < nI[c]! + tI[c]!; j++) test.push(p[j]!);
  });
  return { train: rng.shuffle(train), test: rng.shuffle(test) };
}

/** One random split: stratified by `strat` (codes and class counts) when given, else a permutation cut in two. */
function randomSplit(n: number, nTrain: number, nTest: number, rng: RandomStream,
  strat?: { codes: Int32Array; counts: number[] }): Split {
  if (strat) return stratifiedDraw(strat.codes, strat.counts, nTrain, nTest, rng);
  const p = rng.permutation(n);
  return { train: p.slice(nTest, nTest + nTrain), test: p.slice(0, nTest) };
}

function stratifiedSetup(y: Labels, n: number, nTrain: number, nTest: number, who: string) {
  const { codes, counts, classes } = encode(checkLabels(y, n, who), 'sorted', who);
  const least = counts.indexOf(Math.min(...counts));
  if (counts[least]! < 2) {
    throw new OptionError(`${who}: class ${JSON.stringify(classes[least])} has only ${counts[least]} member; ` +
      'every class needs at least 2 to be stratified');
  }
  for (const [side, size] of [['train', nTrain], ['test', nTest]] as const) {
    if (size < classes.length) throw new OptionError(`${who}: ${side} size ${size} is smaller than the number of classes ${classes.length}`);
  }
  return { codes, counts };
}

/**
 * One random train/test split of n samples (or of the samples labelled by y).
 * @example
 * const { train, test } = sg.data.trainTestSplit(100, { testSize: 0.2, seed: 0 }); // 80 / 20 indices
 * sg.data.trainTestSplit(labels, { stratify: true, seed: 1 });                   // class ratios kept
 */
export function trainTestSplit(nOrY: number | Labels, opts: TrainTestSplitOptions = {}): Split {
  const who = 'trainTestSplit', n = count(nOrY, who);
  checkInt(who, 'the number of samples', n, 0);
  const { testSize, trainSize, shuffle = true, seed } = opts;
  const [nTrain, nTest] = splitSizes(n, testSize, trainSize, 0.25, who);
  let strat = opts.stratify;
  if (strat === true) {
    if (typeof nOrY === 'number') throw new DTypeError(`${who}: stratify: true needs labels as the first argument, got a count`);
    strat = nOrY;
  }
  if (!shuffle) {
    if (strat) throw new OptionError(`${who}: stratified splits need shuffle: true`);
    return { train: range(0, nTrain), test: range(nTrain, nTrain + nTest) };
  }
  return randomSplit(n, nTrain, nTest, RandomStream.from(seed, who), strat && stratifiedSetup(strat, n, nTrain, nTest, who));
}

/**
 * nSplits independent random train/test splits (sklearn's ShuffleSplit, or
 * StratifiedShuffleSplit with `stratify`). Default testSize 0.1.
 * @example
 * for (const { train, test } of sg.data.shuffleSplit(50, { nSplits: 3, testSize: 10, seed: 2 })) { … }
 */
export function shuffleSplit(n: number, opts: ShuffleSplitOptions = {}): Split[] {
  const who = 'shuffleSplit';
  checkInt(who, 'the number of samples', n, 0);
  const { nSplits = 10, testSize, trainSize, stratify, seed } = opts;
  checkInt(who, 'nSplits', nSplits, 1);
  const [nTrain, nTest] = splitSizes(n, testSize, trainSize, 0.1, who);
  const rng = RandomStream.from(seed, who);
  const strat = stratify && stratifiedSetup(stratify, n, nTrain, nTest, who);
  return Array.from({ length: nSplits }, () => randomSplit(n, nTrain, nTest, rng, strat));
}

/**
 * k consecutive folds (shuffled first when `shuffle`); the first n % k folds hold one extra sample.
 * @example
 * sg.data.kFold(10, { k: 3 }); // tests [0..3], [4..6], [7..9]
 */
export function kFold(nOrY: number | ArrayLike<unknown>, { k = 5, shuffle = false, seed }: KFoldOptions = {}): Split[] {
  const who = 'kFold', n = count(nOrY, who);
  checkInt(who, 'the number of samples', n, 0);
  checkK(k, n, who);
  const order = shuffle ? RandomStream.from(seed, who).permutation(n) : range(0, n);
  const testFold = new Int32Array(n);
  for (let f = 0, start = 0; f < k; f++) {
    const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
    for (let i = start; i < start + size; i++) testFold[order[i]!] = f;
    start += size;
  }
  return foldsOf(testFold, k);
}

/**
 * k folds that keep each class's proportion (sklearn's StratifiedKFold): every sample is in
 * exactly one test fold. Throws when k exceeds the size of every class (a class smaller than k
 * is allowed and simply misses some folds, where sklearn warns).
 * @example
 * const folds = sg.data.stratifiedKFold(y, { k: 5, shuffle: true, seed: 0 });
 */
export function stratifiedKFold(y: Labels, { k = 5, shuffle = false, seed }: KFoldOptions = {}): Split[] {
  const who = 'stratifiedKFold', n = y.length;
  checkK(k, n, who);
  const { codes, counts } = encode(y, 'appearance', who);
  if (counts.every((c) => c < k)) {
    throw new OptionError(`${who}: k = ${k} is greater than the number of members of every class ` +
      `(largest class: ${Math.max(...counts)})`);
  }
  // Round robin over the sorted codes: allocation[f][c] = members of class c in test fold f.
  const sorted = Int32Array.from(codes).sort();
  const alloc = Array.from({ length: k }, () => new Array<number>(counts.length).fill(0));
  sorted.forEach((c, i) => alloc[i % k]![c]!++);
  const rng = shuffle ? RandomStream.from(seed, who) : null;
  const testFold = new Int32Array(n);
  counts.forEach((_, c) => {
    const folds: number[] = [];
    for (let f = 0; f < k; f++) for (let r = 0; r < alloc[f]![c]!; r++) folds.push(f);
    const assign = rng ? rng.shuffle(folds) : folds;
    let j = 0;
    codes.forEach((code, i) => { if (code === c) testFold[i] = assign[j++]!; });
  });
  return foldsOf(testFold, k);
}
