// Hypervolume: the measure of the objective space that a set of points dominates, bounded by a
// reference point — the standard quality number of a Pareto front. Exact in every dimension: a
// sweep for 2 objectives (O(n log n)), a sweep over the third objective with an incremental 2-D
// staircase for 3 (O(n²)), and WFG's recursion (While, Bradstreet & Barone 2012: the sum of each
// point's exclusive volume, the rest limited by it) for 4 or more, fine for fronts of a few
// hundred points. Contract: points that do not strictly dominate the reference add nothing;
// dominated and duplicate points add nothing; a point with −Infinity (minimized) in a box that
// counts makes the volume Infinity; bad input is a RangeError naming the value at fault.
import type { Direction } from './frozen-trial.js';
import { dominatesLoss } from './pareto.js';

type Pt = Float64Array;

/**
 * The hypervolume of `points` with respect to `reference`. Objectives are minimized unless
 * `directions` says otherwise (a maximized objective counts the points above the reference).
 * @example
 * sg.tune.hypervolume([[1, 2], [2, 1]], [3, 3])                                      // 3
 * sg.tune.hypervolume([[0.9, 10]], [0.5, 100], { directions: ['maximize', 'minimize'] }) // 36
 */
export function hypervolume(points: readonly (readonly number[] | ArrayLike<number>)[], reference: readonly number[] | ArrayLike<number>,
  { directions }: { directions?: readonly Direction[] } = {}): number {
  const O = 'hypervolume';
  if (!isList(reference) || reference.length === 0) throw new RangeError(`${O}: reference must be a non-empty array of numbers, got ${String(reference)}`);
  const m = reference.length;
  for (let i = 0; i < m; i++) {
    if (typeof reference[i] !== 'number' || !Number.isFinite(reference[i])) throw new RangeError(`${O}: reference[${i}] must be a finite number, got ${String(reference[i])}`);
  }
  if (directions !== undefined) {
    if (!Array.isArray(directions) || directions.length !== m) throw new RangeError(`${O}: directions must have one entry per objective (${m}), got ${JSON.stringify(directions)}`);
    directions.forEach((d, i) => { if (d !== 'minimize' && d !== 'maximize') throw new RangeError(`${O}: directions[${i}] must be 'minimize' or 'maximize', got ${String(d)}`); });
  }
  if (!Array.isArray(points)) throw new RangeError(`${O}: points must be an array of points, got ${String(points)}`);
  const sign = Array.from({ length: m }, (_, i) => (directions?.[i] === 'maximize' ? -1 : 1));
  const ref = Float64Array.from(sign, (s, i) => s * reference[i]!);
  const kept: Pt[] = [];
  points.forEach((p, k) => {
    if (!isList(p) || p.length !== m) throw new RangeError(`${O}: points[${k}] must have ${m} coordinates (as the reference), got ${String(p)}`);
    const q = new Float64Array(m);
    let inside = true;
    for (let i = 0; i < m; i++) {
      if (typeof p[i] !== 'number' || Number.isNaN(p[i])) throw new RangeError(`${O}: points[${k}][${i}] must be a number, got ${String(p[i])}`);
      q[i] = sign[i]! * p[i]!;
      if (!(q[i]! < ref[i]!)) inside = false;
    }
    if (inside) kept.push(q);
  });
  if (kept.some((q) => q.some((v) => v === -Infinity))) return Infinity;
  return hypervolumeOfLosses(kept, ref);
}

const isList = (v: unknown): v is ArrayLike<number> => Array.isArray(v) || ArrayBuffer.isView(v);

/** The hypervolume of loss vectors (minimized), each strictly inside the reference box and finite. */
export function hypervolumeOfLosses(points: readonly Pt[], ref: Pt): number {
  const front = nondominated(points);
  if (front.length === 0) return 0;
  if (ref.length === 1) return ref[0]! - front[0]![0]!;
  if (ref.length === 2) return hv2(front, ref);
  if (ref.length === 3) return hv3(front, ref);
  return wfg(front, ref);
}

/** The non-dominated points, duplicates kept once. In lexicographic order a point can only be
 *  dominated by (or equal to) one before it: 2 objectives need one sweep, more a check against the
 *  points kept so far. */
function nondominated(points: readonly Pt[]): Pt[] {
  const s = [...points].sort((a, b) => { for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k]! - b[k]!; return 0; });
  const out: Pt[] = [];
  if (s.length && s[0]!.length === 2) {
    let minY = Infinity;
    for (const p of s) if (p[1]! < minY) { out.push(p); minY = p[1]!; }
    return out;
  }
  for (const p of s) if (!out.some((q) => dominatesLoss(q, p) || sameLoss(q, p))) out.push(p);
  return out;
}
const sameLoss = (a: Pt, b: Pt) => a.every((v, i) => v === b[i]);

/** 2 objectives: sort by the first, sum the rectangles of the staircase. */
function hv2(front: Pt[], ref: Pt): number {
  const s = [...front].sort((a, b) => a[0]! - b[0]!);
  let v = 0;
  for (let i = 0; i < s.length; i++) v += ((i + 1 < s.length ? s[i + 1]![0]! : ref[0]!) - s[i]![0]!) * (ref[1]! - s[i]![1]!);
  return v;
}

/** 3 objectives: sweep the third upwards; between two levels the volume is the area of the 2-D
 *  staircase of the points already passed times the height. The staircase is kept sorted by x
 *  (y then decreasing), points it dominates are dropped. */
function hv3(front: Pt[], ref: Pt): number {
  const s = [...front].sort((a, b) => a[2]! - b[2]!);
  const xs: number[] = [], ys: number[] = [];
  let area = 0, v = 0;
  for (let k = 0; k < s.length; k++) {
    const p = s[k]!, x = p[0]!, y = p[1]!;
    let i = 0;
    while (i < xs.length && xs[i]! < x) i++;
    const coveredBy = i > 0 && ys[i - 1]! <= y ? i - 1 : i < xs.length && xs[i] === x && ys[i]! <= y ? i : -1;
    if (coveredBy < 0) {
      let j = i;
      while (j < xs.length && ys[j]! >= y) j++; // points at x' ≥ x with y' ≥ y are now dominated in 2-D
      xs.splice(i, j - i, x);
      ys.splice(i, j - i, y);
      area = 0;
      for (let t = 0; t < xs.length; t++) area += ((t + 1 < xs.length ? xs[t + 1]! : ref[0]!) - xs[t]!) * (ref[1]! - ys[t]!);
    }
    v += area * ((k + 1 < s.length ? s[k + 1]![2]! : ref[2]!) - p[2]!);
  }
  return v;
}

/** 4+ objectives: WFG — each point's exclusive volume, the points after it limited to its box. */
function wfg(front: Pt[], ref: Pt): number {
  const s = [...front].sort((a, b) => b[0]! - a[0]!); // WFG's order: worst first keeps the limited sets small
  let v = 0;
  for (let i = 0; i < s.length; i++) {
    const p = s[i]!;
    let box = 1;
    for (let k = 0; k < ref.length; k++) box *= ref[k]! - p[k]!;
    const limited = s.slice(i + 1).map((q) => q.map((x, k) => Math.max(x, p[k]!)));
    v += box - hypervolumeOfLosses(limited, ref);
  }
  return v;
}
