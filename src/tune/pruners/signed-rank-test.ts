// The Wilcoxon signed-rank test of paired differences d, as scipy.stats.wilcoxon(d, alternative,
// zero_method='zsplit') computes it with method='auto' in scipy ≥ 1.13 (what WilcoxonPruner uses):
// ranks of |d| with ties averaged; the statistic r+ is the sum of the positive differences' ranks
// plus half the zeros' ranks. p-value: without ties or zeros and n ≤ 50, the exact null
// distribution of r+; with ties or zeros and n ≤ 13, the exact permutation test (all 2ⁿ sign
// flips, each d ↦ ±d, the statistic recomputed: zeros stay zeros); otherwise the normal
// approximation with the tie correction and no continuity correction. Contract: `d` finite
// (a NaN or infinite difference is a RangeError); an empty d gives NaN. tests/tune/fixtures/
// wilcoxon.json (scripts/fixtures/scipy_wilcoxon.py) pins the p-values.

export type Alternative = 'two-sided' | 'greater' | 'less';

export interface SignedRankResult {
  /** r+ for one-sided tests, min(r+, r−) for two-sided (scipy's statistic). */
  statistic: number;
  pvalue: number;
  method: 'exact' | 'permutation' | 'asymptotic';
}

/** Ranks 1…n of `a` (ties get their average rank) and the sizes of the tie groups. */
function averageRanks(a: Float64Array): { ranks: Float64Array; tieSizes: number[] } {
  const n = a.length, order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[i]! - a[j]!);
  const ranks = new Float64Array(n), tieSizes: number[] = [];
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (j < n && a[order[j]!] === a[order[i]!]) j++;
    const r = (i + 1 + j) / 2; // average of ranks i+1 … j
    for (let k = i; k < j; k++) ranks[order[k]!] = r;
    tieSizes.push(j - i);
    i = j;
  }
  return { ranks, tieSizes };
}

/** erfc(x) for x ≥ 0 to ~1e-15 relative: a positive series of erf below 2.5, a continued fraction above. */
function erfcNonNegative(x: number): number {
  if (x < 2.5) {
    // erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)): every term positive.
    let term = x, sum = x;
    for (let n = 1; n < 200 && term > 1e-17 * sum; n++) { term *= (2 * x * x) / (2 * n + 1); sum += term; }
    return 1 - (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum;
  }
  // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated by modified Lentz.
  const tiny = 1e-300;
  let f = x, c = x, dd = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    dd = x + a * dd; dd = Math.abs(dd) < tiny ? tiny : dd; dd = 1 / dd;
    c = x + a / c; c = Math.abs(c) < tiny ? tiny : c;
    const delta = c * dd;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
}

/** P(Z > z) for a standard normal Z. */
export function normalSf(z: number): number {
  const e = erfcNonNegative(Math.abs(z) / Math.SQRT2) / 2;
  return z >= 0 ? e : 1 - e;
}

/** P(R+ = k), k = 0 … n(n+1)/2, of the signed-rank statistic without ties (scipy's recursion). */
function exactPmf(n: number): Float64Array {
  let c = new Float64Array([1]);
  for (let k = 1; k <= n; k++) {
    const next = new Float64Array((k * (k + 1)) / 2 + 1), m = c.length;
    for (let i = 0; i < m; i++) { next[i]! += c[i]! * 0.5; next[next.length - m + i]! += c[i]! * 0.5; }
    c = next;
  }
  return c;
}

const sumRange = (a: Float64Array, from: number, to: number): number => {
  let s = 0;
  for (let i = Math.max(0, from); i <= Math.min(a.length - 1, to); i++) s += a[i]!;
  return s;
};

/** p-value of the exact test (no ties, no zeros: r+ is an integer). */
function exactP(n: number, rPlus: number, alt: Alternative): number {
  const pmf = exactPmf(n), top = pmf.length - 1;
  const sf = (k: number) => sumRange(pmf, k, top), cdf = (k: number) => sumRange(pmf, 0, k);
  if (alt === 'greater') return sf(Math.floor(rPlus));
  if (alt === 'less') return cdf(Math.ceil(rPlus));
  return Math.min(1, 2 * Math.min(sf(Math.floor(rPlus)), cdf(Math.ceil(rPlus))));
}

/** p-value of the permutation test over all 2ⁿ sign flips (n ≤ 13). */
function permutationP(d: Float64Array, ranks: Float64Array, observed: number, alt: Alternative): number {
  const n = d.length;
  let zeroHalf = 0;
  const nonzero: number[] = [];
  for (let i = 0; i < n; i++) (d[i] === 0 ? (zeroHalf += ranks[i]! / 2) : nonzero.push(ranks[i]!));
  const tol = Math.abs(observed) * 1e-12; // scipy compares with a relative tolerance of a few ulps
  let ge = 0, le = 0;
  for (let mask = 0; mask < 2 ** n; mask++) {
    // Bit i set: difference i positive. Zeros' bits flip a zero, which changes nothing.
    let s = zeroHalf;
    for (let i = 0, j = 0; i < n; i++) {
      if (d[i] === 0) continue;
      if (mask & (1 << i)) s += nonzero[j]!;
      j++;
    }
    if (s >= observed - tol) ge++;
    if (s <= observed + tol) le++;
  }
  const total = 2 ** n, pGreater = ge / total, pLess = le / total;
  if (alt === 'greater') return pGreater;
  if (alt === 'less') return pLess;
  return Math.min(1, 2 * Math.min(pGreater, pLess));
}

/**
 * The Wilcoxon signed-rank test of `d` (paired differences x − y) with zsplit zeros.
 * @example
 * wilcoxonSignedRank([0.1, 0.3, -0.05, 0.2, 0.4], 'greater').pvalue // 0.0625: d tends to be > 0
 */
export function wilcoxonSignedRank(d: ArrayLike<number>, alternative: Alternative = 'two-sided'): SignedRankResult {
  const n = d.length, x = Float64Array.from(d);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i])) throw new RangeError(`wilcoxonSignedRank: difference ${i} is ${x[i]}, not a finite number`);
  }
  if (n === 0) return { statistic: NaN, pvalue: NaN, method: 'exact' };
  const { ranks, tieSizes } = averageRanks(x.map(Math.abs));
  let rPlus = 0, rMinus = 0, zeros = 0;
  for (let i = 0; i < n; i++) {
    if (x[i]! > 0) rPlus += ranks[i]!;
    else if (x[i]! < 0) rMinus += ranks[i]!;
    else { zeros++; rPlus += ranks[i]! / 2; rMinus += ranks[i]! / 2; }
  }
  const statistic = alternative === 'two-sided' ? Math.min(rPlus, rMinus) : rPlus;
  const ties = tieSizes.some((t) => t > 1);
  if (n <= 50 && !ties && zeros === 0) return { statistic, pvalue: exactP(n, rPlus, alternative), method: 'exact' };
  if (n <= 13) return { statistic, pvalue: permutationP(x, ranks, rPlus, alternative), method: 'permutation' };
  const mean = (n * (n + 1)) / 4;
  const tieCorrection = tieSizes.reduce((s, t) => s + t ** 3 - t, 0);
  const se = Math.sqrt((n * (n + 1) * (2 * n + 1) - tieCorrection / 2) / 24);
  const z = (rPlus - mean) / se;
  const pvalue = alternative === 'greater' ? normalSf(z) : alternative === 'less' ? normalSf(-z) : Math.min(1, 2 * normalSf(Math.abs(z)));
  return { statistic, pvalue, method: 'asymptotic' };
}
