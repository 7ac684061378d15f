// paramImportances: how much of the objective's variation each parameter explains — fANOVA
// (Hutter et al. 2014, Optuna's default evaluator) over a seeded random forest of regression
// trees fitted to the COMPLETE trials. Contract: parameters are the ones every COMPLETE trial has
// (with one distribution, more than one possible value), on their internal scale (log for log
// distributions, the choice index for categoricals, grids widened by half a step); each tree
// partitions that box, a parameter's importance is the variance of the tree's marginal over it
// divided by the tree's total variance, averaged over trees, then normalised to sum 1 (equal
// shares if nothing varies); the result is sorted by importance; deterministic per seed.
import { isSingle, sameDistribution, toInternal, type Distribution } from './distributions.js';
import type { FrozenTrial, Direction } from './frozen-trial.js';
import { Rng } from './rng.js';
import { checkInt } from '../check-option.js';

export interface ParamImportancesOptions {
  seed?: number;
  /** Parameters to rate (default: every parameter all COMPLETE trials share). */
  params?: string[];
  /** Trees of the forest (default 64). */
  nTrees?: number;
  /** Maximum tree depth (default 64). */
  maxDepth?: number;
  /** Objective index for multi-objective studies (default 0). */
  objective?: number;
}

interface Leaf { lo: Float64Array; hi: Float64Array; value: number }

function bounds(d: Distribution): [number, number] {
  if (d.kind === 'categorical') return [-0.5, d.choices.length - 0.5];
  const half = d.kind === 'int' ? d.step / 2 : (d.step ?? 0) / 2;
  if (d.log) return d.kind === 'int' ? [Math.log(d.low - 0.5), Math.log(d.high + 0.5)] : [Math.log(d.low), Math.log(d.high)];
  return [d.low - half, d.high + half];
}

/** Leaves of one CART regression tree (squared error, all features, min 1 sample per leaf). */
function growTree(x: Float64Array[], y: Float64Array, idx: number[], lo: Float64Array, hi: Float64Array,
  depth: number, maxDepth: number, leaves: Leaf[], cuts: number[][]): void {
  let sum = 0;
  for (const i of idx) sum += y[i]!;
  const value = sum / idx.length;
  let best = -Infinity, bestJ = -1, bestT = 0;
  if (depth < maxDepth && idx.length >= 2 && idx.some((i) => y[i] !== y[idx[0]!])) {
    const base = (sum * sum) / idx.length;
    for (let j = 0; j < x.length; j++) {
      const col = x[j]!, order = [...idx].sort((a, b) => col[a]! - col[b]!);
      let left = 0;
      for (let k = 0; k < order.length - 1; k++) {
        left += y[order[k]!]!;
        const a = col[order[k]!]!, b = col[order[k + 1]!]!;
        if (a === b) continue;
        const nl = k + 1, nr = order.length - nl, right = sum - left;
        const gain = (left * left) / nl + (right * right) / nr - base;
        if (gain > best + 1e-12 * Math.abs(base)) { best = gain; bestJ = j; bestT = (a + b) / 2; }
      }
    }
  }
  if (bestJ < 0 || !(best > 0)) { leaves.push({ lo: lo.slice(), hi: hi.slice(), value }); return; }
  cuts[bestJ]!.push(bestT);
  const col = x[bestJ]!, l = idx.filter((i) => col[i]! <= bestT), r = idx.filter((i) => col[i]! > bestT);
  const hiL = hi.slice(); hiL[bestJ] = bestT;
  const loR = lo.slice(); loR[bestJ] = bestT;
  growTree(x, y, l, lo, hiL, depth + 1, maxDepth, leaves, cuts);
  growTree(x, y, r, loR, hi, depth + 1, maxDepth, leaves, cuts);
}

/** Per-feature fraction of a tree's variance explained by its one-dimensional marginals (null if constant). */
function treeImportances(leaves: Leaf[], cuts: number[][], lo: Float64Array, hi: Float64Array): Float64Array | null {
  const d = lo.length, frac = leaves.map((l) => Float64Array.from({ length: d }, (_, j) => (l.hi[j]! - l.lo[j]!) / (hi[j]! - lo[j]!)));
  const w = frac.map((f) => f.reduce((a, b) => a * b, 1));
  let mean = 0, total = 0;
  leaves.forEach((l, i) => { mean += w[i]! * l.value; });
  leaves.forEach((l, i) => { total += w[i]! * (l.value - mean) ** 2; });
  if (!(total > 1e-300)) return null;
  const out = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const pts = [...new Set([lo[j]!, ...cuts[j]!, hi[j]!])].sort((a, b) => a - b);
    const pos = new Map(pts.map((p, i) => [p, i]));
    const delta = new Float64Array(pts.length);       // difference array over the intervals
    leaves.forEach((l, i) => {
      const c = (l.value * w[i]!) / frac[i]![j]!;
      delta[pos.get(l.lo[j]!)!]! += c;
      delta[pos.get(l.hi[j]!)!]! -= c;
    });
    let f = 0, v = 0;
    for (let k = 0; k < pts.length - 1; k++) {
      f += delta[k]!;
      v += ((pts[k + 1]! - pts[k]!) / (hi[j]! - lo[j]!)) * (f - mean) ** 2;
    }
    out[j] = v / total;
  }
  return out;
}

/**
 * Importance of each parameter (fANOVA on a seeded random forest), summing to 1, most important first.
 * @example
 * sg.tune.paramImportances(study, { seed: 0 })   // { lr: 0.71, hidden: 0.2, dropout: 0.09 }
 */
export function paramImportances(study: { readonly directions: readonly Direction[]; readonly trials: readonly FrozenTrial[] },
  { seed = 0, params, nTrees = 64, maxDepth = 64, objective = 0 }: ParamImportancesOptions = {}): Record<string, number> {
  checkInt('paramImportances', 'nTrees', nTrees, 1);
  checkInt('paramImportances', 'maxDepth', maxDepth, 1);
  const done = study.trials.filter((t) => t.state === 'COMPLETE' && Number.isFinite(t.values?.[objective] ?? NaN));
  if (done.length < 2) throw new RangeError(`paramImportances needs at least 2 COMPLETE trials, the study has ${done.length}`);
  const first = done[0]!;
  const shared = Object.keys(first.distributions).filter((k) =>
    done.every((t) => t.distributions[k] && sameDistribution(t.distributions[k]!, first.distributions[k]!)));
  if (params) {
    const missing = params.filter((p) => !shared.includes(p));
    if (missing.length) throw new RangeError(`paramImportances: ${missing.join(', ')} not in every COMPLETE trial with one distribution`);
  }
  const names = (params ?? shared).filter((k) => !isSingle(first.distributions[k]!));
  if (!names.length) return {};
  const dists = names.map((k) => first.distributions[k]!);
  const x = names.map((k, j) => Float64Array.from(done, (t) => toInternal(dists[j]!, t.params[k]!)));
  const y = Float64Array.from(done, (t) => t.values![objective]!);
  const lo = Float64Array.from(dists, (d) => bounds(d)[0]), hi = Float64Array.from(dists, (d) => bounds(d)[1]);
  const rng = new Rng(seed), n = done.length, sum = new Float64Array(names.length);
  let used = 0;
  for (let t = 0; t < nTrees; t++) {
    const idx = Array.from({ length: n }, () => rng.below(n));
    const leaves: Leaf[] = [], cuts = names.map((): number[] => []);
    growTree(x, y, idx, lo, hi, 0, maxDepth, leaves, cuts);
    const imp = treeImportances(leaves, cuts, lo, hi);
    if (!imp) continue;
    used++;
    imp.forEach((v, j) => { sum[j]! += v; });
  }
  const total = sum.reduce((a, b) => a + b, 0);
  const share = names.map((_, j) => (used && total > 0 ? sum[j]! / total : 1 / names.length));
  return Object.fromEntries(names.map((k, j) => [k, share[j]!] as const).sort((a, b) => b[1] - a[1]));
}
