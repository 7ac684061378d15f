// crossValidate: k-fold cross-validation of one configuration inside a trial. Folds run in order;
// after each one the running aggregate (mean by default) of the scores so far is reported to the
// trial at step = fold index — or, with report: 'score', that fold's own score, what WilcoxonPruner
// compares fold by fold — and, if the trial's pruner says so, TrialPruned is thrown — so a
// MedianPruner can stop a bad configuration after its first fold. Contract: folds come from
// sg.data.kFold / stratifiedKFold (shuffled with `seed` unless shuffle: false) or are given;
// only class labels are stratified by default (strings, or integers not in a Float32Array /
// Float64Array): real-valued targets of a regression get plain k-fold, and stratify: true with
// them is an error;
// no pruning check after the last fold (the result is complete); a score that is not a finite
// number is an error naming the fold; returns every fold's score, their mean, population std
// (numpy's default) and the reduced value.
import { kFold, stratifiedKFold, type Labels, type Split } from '../data/splits.js';
import { TrialPruned } from './trial.js';
import { checkChoice } from '../check-option.js';

export type FoldFit = (train: Int32Array, valid: Int32Array, fold: number) => number | Promise<number>;

/** What crossValidate needs of a trial (a Trial, or a RemoteTrial in a worker). */
export interface ReportingTrial {
  report(value: number, step: number): void;
  shouldPrune(): boolean;
}

export interface CrossValidateOptions {
  /** Precomputed folds ({ train, test } index arrays); otherwise built from k and y / n. */
  folds?: readonly Split[];
  /** Number of folds (default 5). */
  k?: number;
  /** Labels or regression targets, one per sample (class labels are stratified by default). */
  y?: Labels;
  /** Number of samples (when y is not given). */
  n?: number;
  /** Trains on `train`, returns the score on `valid` (e.g. accuracy). */
  fit: FoldFit;
  /** Reports the running value after each fold and prunes when the trial's pruner says so. */
  trial?: ReportingTrial;
  /** Stratified folds by y (default: true when y holds class labels, false for real-valued targets). */
  stratify?: boolean;
  /** Shuffle before splitting (default true). */
  shuffle?: boolean;
  seed?: number;
  /** How fold scores are combined into the reported and returned value (default 'mean'). */
  reduce?: 'mean' | 'median' | 'min' | 'max' | ((scores: number[]) => number);
  /** What is reported at step f: 'running' (default) reduce(scores of folds 0…f), for the median,
   * percentile and halving pruners; 'score' the score of fold f alone, for WilcoxonPruner, which
   * pairs step f across trials — so every trial must see the same folds (the same seed, the default). */
  report?: 'running' | 'score';
}

export interface CrossValidateResult {
  /** reduce(scores): what the objective usually returns. */
  value: number;
  mean: number;
  /** Population standard deviation of the scores. */
  std: number;
  scores: number[];
}

const mean = (s: number[]): number => s.reduce((a, b) => a + b, 0) / s.length;
function reducer(r: NonNullable<CrossValidateOptions['reduce']>): (s: number[]) => number {
  if (typeof r === 'function') return r;
  switch (r) {
    case 'mean': return mean;
    case 'min': return (s) => Math.min(...s);
    case 'max': return (s) => Math.max(...s);
    case 'median': return (s) => {
      const v = [...s].sort((a, b) => a - b), h = v.length >> 1;
      return v.length % 2 ? v[h]! : (v[h - 1]! + v[h]!) / 2;
    };
    default: throw new RangeError(`crossValidate: reduce must be 'mean', 'median', 'min', 'max' or a function, got ${String(r)}`);
  }
}

/** Whether y holds class labels: strings, or integers in anything but a float typed array. */
function isClassLabels(y: Labels): boolean {
  if (y instanceof Float32Array || y instanceof Float64Array) return false;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (typeof v === 'number' && !Number.isInteger(v)) return false;
  }
  return true;
}

/**
 * Cross-validates one configuration, reporting to (and pruned by) the trial after each fold.
 * @example
 * await study.optimize(async (trial) => {
 *   const lr = trial.suggestFloat('lr', 1e-4, 1e-1, { log: true });
 *   const { mean } = await sg.tune.crossValidate({ y, k: 5, trial, seed: 0, fit: (train, valid) => trainAndScore(lr, train, valid) });
 *   return mean;
 * }, { nTrials: 40 });
 */
export async function crossValidate(opts: CrossValidateOptions): Promise<CrossValidateResult> {
  const { k = 5, y, trial, shuffle = true, seed = 0, fit } = opts;
  if (typeof fit !== 'function') throw new RangeError('crossValidate: fit must be a function (train, valid, fold) => score');
  const reduce = reducer(opts.reduce ?? 'mean');
  const perFold = checkChoice('crossValidate', 'report', opts.report ?? 'running', ['running', 'score']) === 'score';
  let folds: readonly Split[];
  if (opts.folds) {
    folds = opts.folds;
    if (!folds.length) throw new RangeError('crossValidate: folds is empty');
  } else {
    const labels = y !== undefined && isClassLabels(y);
    const stratify = opts.stratify ?? labels;
    if (stratify && !y) throw new RangeError('crossValidate: stratify needs y');
    if (stratify && !labels) throw new RangeError('crossValidate: stratify needs class labels; y holds real-valued targets (a regression): leave stratify unset for plain k-fold');
    const n = y ? y.length : opts.n;
    if (n === undefined) throw new RangeError('crossValidate: give folds, y or n');
    if (y && opts.n !== undefined && opts.n !== y.length) throw new RangeError(`crossValidate: n = ${opts.n} but y has ${y.length} labels`);
    const kOpts = shuffle ? { k, shuffle, seed } : { k };
    folds = stratify ? stratifiedKFold(y!, kOpts) : kFold(n, kOpts);
  }
  const scores: number[] = [];
  for (let f = 0; f < folds.length; f++) {
    const score = await fit(folds[f]!.train, folds[f]!.test, f);
    if (typeof score !== 'number' || !Number.isFinite(score)) {
      throw new RangeError(`crossValidate: fold ${f} returned ${String(score)}, not a finite number`);
    }
    scores.push(score);
    if (trial) {
      const reported = perFold ? score : reduce(scores);
      trial.report(reported, f);
      if (f < folds.length - 1 && trial.shouldPrune()) {
        throw new TrialPruned(`pruned after fold ${f + 1}/${folds.length} (${perFold ? 'fold score' : 'running value'} ${reported})`);
      }
    }
  }
  const m = mean(scores);
  return { value: reduce(scores), mean: m, std: Math.sqrt(mean(scores.map((s) => (s - m) ** 2))), scores };
}
