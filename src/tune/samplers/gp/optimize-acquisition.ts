// optimizeAcquisition: the point of a search space that maximises an acquisition (Optuna's
// optim_mixed.optimize_acqf_mixed). nPreliminary scrambled-Sobol candidates (seeded uniform ones
// past the Sobol table's 21 dimensions), snapped onto grids, are scored; the best, a roulette draw
// of others weighted by exp(acq − best), and the warm starts (the best trial) each start a local
// search: L-BFGS over the numerical coordinates in lengthscale units (z = x/ℓ, which equalises the
// curvature), then discrete coordinates snapped to the best of their nearest and adjacent grid
// points, categorical ones to their best choice, repeated until nothing changes. Deterministic for
// a given Rng state.
import type { Rng } from '../../rng.js';
import { Sobol, SOBOL_MAX_DIM } from '../sobol.js';
import type { GPSearchSpace } from './gp-search-space.js';
import { lbfgs } from './lbfgs.js';

/** What optimizeAcquisition maximises. */
export interface Acquisition {
  readonly dim: number;
  value(x: Float64Array): number;
  /** value() at each of the m rows of X (row-major m × dim), into out. */
  values(X: Float64Array, m: number, out: Float64Array): void;
  valueGrad(x: Float64Array, g: Float64Array): number;
}

export interface AcquisitionSearchOptions {
  /** Quasi-random candidates scored before the local searches (Optuna's 2048). */
  nPreliminary?: number;
  /** Local searches (Optuna's 10), warm starts included. */
  nLocalSearch?: number;
  /** Tolerance: L-BFGS stops at a projected gradient below √tol (Optuna's 1e-4). */
  tol?: number;
  /** Points to search from as well (e.g. the best trial's), normalised. */
  warmStarts?: Float64Array[];
  /** Lengthscales of the kernel, one per coordinate (the local search's units). */
  lengthscales: Float64Array;
}

/** The best point found and its acquisition value. */
export function optimizeAcquisition(acq: Acquisition, space: GPSearchSpace, rng: Rng, opts: AcquisitionSearchOptions): { x: Float64Array; value: number } {
  const { nPreliminary = 2048, nLocalSearch = 10, tol = 1e-4, warmStarts = [], lengthscales } = opts;
  const d = space.dim;
  const cand = candidates(space, rng, nPreliminary);
  const f = new Float64Array(nPreliminary);
  acq.values(cand, nPreliminary, f);
  let best = 0;
  for (let i = 1; i < nPreliminary; i++) if (f[i]! > f[best]! || Number.isNaN(f[best]!)) best = i;
  // Roulette without replacement over the others, weights exp(f − f_best).
  const w = new Float64Array(nPreliminary);
  let total = 0, positive = 0;
  for (let i = 0; i < nPreliminary; i++) {
    const v = i === best ? 0 : Math.exp(f[i]! - f[best]!);
    w[i] = Number.isFinite(v) ? v : 0; total += w[i]!; if (w[i]! > 0) positive++;
  }
  const starts = [best];
  const extra = Math.max(0, Math.min(nLocalSearch - warmStarts.length - 1, positive));
  for (let k = 0; k < extra && total > 0; k++) {
    let u = rng.uniform() * total, i = 0;
    for (; i < nPreliminary - 1; i++) { if (w[i]! > 0 && u < w[i]!) break; u -= w[i]!; }
    if (!(w[i]! > 0)) { i = w.findIndex((v) => v > 0); if (i < 0) break; }
    starts.push(i); total -= w[i]!; w[i] = 0;
  }
  let bestX: Float64Array = cand.slice(best * d, best * d + d), bestF = f[best]!;
  const from = [...starts.map((i) => cand.slice(i * d, i * d + d)), ...warmStarts.map((s) => s.slice())];
  for (const x0 of from) {
    const r = localSearch(acq, space, x0, lengthscales, tol);
    if (r.value > bestF || Number.isNaN(bestF)) { bestF = r.value; bestX = r.x; }
  }
  return { x: bestX, value: bestF };
}

/** n snapped candidates, row-major n × d. */
function candidates(space: GPSearchSpace, rng: Rng, n: number): Float64Array {
  const d = space.dim, out = new Float64Array(n * d);
  const sobol = d <= SOBOL_MAX_DIM ? new Sobol(d, { scramble: true, seed: rng.seed() }) : null;
  for (let i = 0; i < n; i++) {
    const u = sobol ? sobol.point(i) : Float64Array.from({ length: d }, () => rng.uniform());
    for (let j = 0; j < d; j++) {
      out[i * d + j] = space.isCat[j] ? Math.min(space.choices[j]! - 1, Math.floor(u[j]! * space.choices[j]!)) : space.snap(j, u[j]!);
    }
  }
  return out;
}

/** Coordinate-wise local search from x0 (see the header); x0 is on the grids. */
function localSearch(acq: Acquisition, space: GPSearchSpace, x0: Float64Array, ls: Float64Array, tol: number): { x: Float64Array; value: number } {
  const d = space.dim, x = x0.slice();
  let fx = acq.value(x);
  const numeric: number[] = [], discrete: number[] = [], categorical: number[] = [];
  for (let j = 0; j < d; j++) (space.isCat[j] ? categorical : numeric).push(j);
  for (let j = 0; j < d; j++) if (space.isDiscrete[j]) discrete.push(j);
  const gridded = discrete.length + categorical.length > 0;
  for (let round = 0; round < 10; round++) {
    // Gradient ascent: the first round relaxes discrete coordinates too, later rounds only move continuous ones.
    const moving = round === 0 ? numeric : numeric.filter((j) => !space.isDiscrete[j]);
    let changed = false;
    if (moving.length) {
      const r = gradientAscent(acq, x, fx, moving, ls, tol);
      if (r) { x.set(r.x); fx = r.value; changed = true; }
    }
    if (round === 0) {
      for (const j of discrete) x[j] = space.snap(j, x[j]!);
      fx = acq.value(x);
    }
    for (const j of discrete) {
      const keep = x[j]!;
      let bestV = keep, bestF = fx;
      for (const v of space.adjacent(j, keep)) {
        x[j] = v;
        const fv = acq.value(x);
        if (fv > bestF) { bestF = fv; bestV = v; }
      }
      x[j] = bestV;
      if (bestV !== keep) { fx = bestF; changed = true; }
    }
    for (const j of categorical) {
      const keep = x[j]!;
      let bestV = keep, bestF = fx;
      for (let c = 0; c < space.choices[j]!; c++) {
        if (c === keep) continue;
        x[j] = c;
        const fv = acq.value(x);
        if (fv > bestF) { bestF = fv; bestV = c; }
      }
      x[j] = bestV;
      if (bestV !== keep) { fx = bestF; changed = true; }
    }
    if (!gridded || (!changed && round > 0)) break;
  }
  return { x, value: fx };
}

/** L-BFGS on coordinates `idx` of x (others fixed), in units z = x/ℓ on [0, 1/ℓ]; the point if it improved, else null. */
function gradientAscent(acq: Acquisition, x0: Float64Array, f0: number, idx: number[], ls: Float64Array, tol: number): { x: Float64Array; value: number } | null {
  const m = idx.length, x = x0.slice(), g = new Float64Array(x.length);
  const z0 = new Float64Array(m), upper = new Float64Array(m), lower = new Float64Array(m);
  idx.forEach((j, k) => { z0[k] = x[j]! / ls[j]!; upper[k] = 1 / ls[j]!; });
  const r = lbfgs((z, gz) => {
    idx.forEach((j, k) => { x[j] = z[k]! * ls[j]!; });
    const v = acq.valueGrad(x, g);
    idx.forEach((j, k) => { gz[k] = -g[j]! * ls[j]!; });
    return -v;
  }, z0, { lower, upper, pgtol: Math.sqrt(tol), maxIter: 200 });
  if (!(-r.f > f0) || r.iterations === 0) return null;
  idx.forEach((j, k) => { x[j] = Math.min(1, Math.max(0, r.x[k]! * ls[j]!)); });
  return { x, value: -r.f };
}
