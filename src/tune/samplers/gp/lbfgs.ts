// L-BFGS in f64 for the GP sampler (its kernel fit and its acquisition search), with optional box
// bounds handled as projected L-BFGS: variables at a bound whose gradient points outwards are held
// fixed, the two-loop recursion runs on the free ones, and a backtracking (Armijo) line search
// moves along the projected path. Stops when the projected gradient's largest entry is below
// `pgtol`, when f stops decreasing (relative change below `ftol`), or after `maxIter` iterations.
// A non-finite f is treated as "too far": the line search backs off. Never throws on a bad
// function value; the best point seen is returned.

export interface LbfgsOptions {
  /** Lower and upper bounds per variable (default: unbounded). */
  lower?: Float64Array;
  upper?: Float64Array;
  /** Most iterations (default 200). */
  maxIter?: number;
  /** Stop when max |projected gradient| < pgtol (default 1e-5). */
  pgtol?: number;
  /** Stop when (f_old − f_new) ≤ ftol·max(|f_old|, |f_new|, 1) (default 2.2e-9, scipy's factr 1e7). */
  ftol?: number;
  /** Correction pairs kept (default 10). */
  memory?: number;
  /** Correction pairs to start from (e.g. those of a previous, similar problem), replaced by the
   *  final ones on return: a warm start of the curvature as well as of x. */
  history?: { s: Float64Array[]; y: Float64Array[] };
}

export interface LbfgsResult {
  x: Float64Array;
  f: number;
  iterations: number;
  evaluations: number;
  /** true if a tolerance was met (not maxIter, not a failed line search). */
  converged: boolean;
}

/** Objective: returns f(x) and writes ∇f(x) into g. */
export type ValueAndGrad = (x: Float64Array, g: Float64Array) => number;

/**
 * Minimises f from x0.
 * @example
 * const r = lbfgs((x, g) => { g[0] = 2 * (x[0]! - 3); return (x[0]! - 3) ** 2; }, new Float64Array([0]));
 * r.x[0] // ≈ 3
 */
export function lbfgs(fg: ValueAndGrad, x0: Float64Array, opts: LbfgsOptions = {}): LbfgsResult {
  const n = x0.length, { lower, upper } = opts;
  const maxIter = opts.maxIter ?? 200, pgtol = opts.pgtol ?? 1e-5, ftol = opts.ftol ?? 2.2e-9, m = opts.memory ?? 10;
  const lo = (i: number) => (lower ? lower[i]! : -Infinity), hi = (i: number) => (upper ? upper[i]! : Infinity);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.min(hi(i), Math.max(lo(i), x0[i]!));
  const g = new Float64Array(n), gNew = new Float64Array(n), xNew = new Float64Array(n), d = new Float64Array(n);
  const free = new Uint8Array(n), alpha = new Float64Array(m);
  const S: Float64Array[] = [], Y: Float64Array[] = [], rho: number[] = [];
  for (let k = 0; k < (opts.history?.s.length ?? 0); k++) {
    const s = opts.history!.s[k]!, y = opts.history!.y[k]!;
    let sy = 0;
    for (let i = 0; i < n; i++) sy += s[i]! * y[i]!;
    if (s.length === n && y.length === n && sy > 0) { S.push(s); Y.push(y); rho.push(1 / sy); }
  }
  while (S.length > m) { S.shift(); Y.shift(); rho.shift(); }
  let f = fg(x, g), evaluations = 1, iterations = 0, converged = false;
  if (!Number.isFinite(f) || !g.every(Number.isFinite)) return { x, f, iterations, evaluations, converged };
  for (; iterations < maxIter; iterations++) {
    // Projected gradient and the free set.
    let pg = 0;
    for (let i = 0; i < n; i++) {
      const gi = g[i]!, p = Math.min(hi(i), Math.max(lo(i), x[i]! - gi)) - x[i]!;
      pg = Math.max(pg, Math.abs(p));
      free[i] = (x[i]! <= lo(i) && gi > 0) || (x[i]! >= hi(i) && gi < 0) ? 0 : 1;
    }
    if (pg < pgtol) { converged = true; break; }
    // Two-loop recursion on the free variables.
    for (let i = 0; i < n; i++) d[i] = free[i] ? g[i]! : 0;
    for (let k = S.length - 1; k >= 0; k--) {
      let a = 0;
      for (let i = 0; i < n; i++) a += S[k]![i]! * d[i]!;
      a *= rho[k]!; alpha[k] = a;
      for (let i = 0; i < n; i++) d[i]! -= a * Y[k]![i]!;
    }
    if (S.length) {
      const s = S[S.length - 1]!, y = Y[Y.length - 1]!;
      let sy = 0, yy = 0;
      for (let i = 0; i < n; i++) { sy += s[i]! * y[i]!; yy += y[i]! * y[i]!; }
      const gamma = sy / yy;
      for (let i = 0; i < n; i++) d[i]! *= gamma;
    }
    for (let k = 0; k < S.length; k++) {
      let b = 0;
      for (let i = 0; i < n; i++) b += Y[k]![i]! * d[i]!;
      b *= rho[k]!;
      for (let i = 0; i < n; i++) d[i]! += S[k]![i]! * (alpha[k]! - b);
    }
    let gd = 0, dmax = 0;
    for (let i = 0; i < n; i++) { d[i] = free[i] ? -d[i]! : 0; gd += g[i]! * d[i]!; dmax = Math.max(dmax, Math.abs(d[i]!)); }
    if (!(gd < 0)) {
      // Not a descent direction (curvature lost to the bound handling): restart from −g.
      S.length = 0; Y.length = 0; rho.length = 0;
      gd = 0; dmax = 0;
      for (let i = 0; i < n; i++) { d[i] = free[i] ? -g[i]! : 0; gd += g[i]! * d[i]!; dmax = Math.max(dmax, Math.abs(d[i]!)); }
      if (!(gd < 0)) { converged = true; break; }
    }
    // Backtracking along the projected path; the first step of a fresh memory is at most 1 in the max norm.
    let t = S.length ? 1 : Math.min(1, 1 / dmax), fNew = NaN, ok = false;
    for (let ls = 0; ls < 40; ls++) {
      let dec = 0;
      for (let i = 0; i < n; i++) { xNew[i] = Math.min(hi(i), Math.max(lo(i), x[i]! + t * d[i]!)); dec += g[i]! * (xNew[i]! - x[i]!); }
      fNew = fg(xNew, gNew); evaluations++;
      if (Number.isFinite(fNew) && gNew.every(Number.isFinite) && fNew <= f + 1e-4 * dec) { ok = true; break; }
      if (Number.isFinite(fNew) && dec < 0) {
        // Quadratic interpolation of f along the step, kept within [0.1t, 0.5t].
        const tq = (-dec * t) / (2 * (fNew - f - dec));
        t = Math.min(0.5 * t, Math.max(0.1 * t, Number.isFinite(tq) ? tq : 0.5 * t));
      } else {
        t *= 0.25;
      }
    }
    if (!ok) {
      if (S.length) { S.length = 0; Y.length = 0; rho.length = 0; continue; } // retry from steepest descent
      break;
    }
    const s = new Float64Array(n), y = new Float64Array(n);
    let sy = 0;
    for (let i = 0; i < n; i++) { s[i] = xNew[i]! - x[i]!; y[i] = gNew[i]! - g[i]!; sy += s[i]! * y[i]!; }
    const fOld = f;
    x.set(xNew); g.set(gNew); f = fNew;
    let yy = 0;
    for (let i = 0; i < n; i++) yy += y[i]! * y[i]!;
    if (sy > 2.2e-16 * yy && sy > 0) {
      if (S.length === m) { S.shift(); Y.shift(); rho.shift(); }
      S.push(s); Y.push(y); rho.push(1 / sy);
    }
    if (fOld - f <= ftol * Math.max(Math.abs(fOld), Math.abs(f), 1)) { converged = true; iterations++; break; }
  }
  if (opts.history) { opts.history.s = S; opts.history.y = Y; }
  return { x, f, iterations, evaluations, converged };
}
