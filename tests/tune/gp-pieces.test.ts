// The Gaussian-process sampler's numerics, each against an independent value: the Matérn-5/2 kernel
// and the log marginal likelihood against numpy (tests/fixtures/gp-scipy.json, from
// scripts/fixtures/gp_scipy.py) and against a naive f64 computation written here (Gaussian
// elimination, no Cholesky); gradients against central finite differences; Cholesky with duplicate
// points; erfcx and log EI against mpmath, and log EI against its direct formula and asymptotics;
// L-BFGS on Rosenbrock; the MAP kernel fit and the posterior against scipy/numpy.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { kernelMatrix, matern52, matern52Grad } from '../../src/tune/samplers/gp/matern52.js';
import { cholesky, choleskyJitter, inverseFromCholesky, solveLower, solveUpper } from '../../src/tune/samplers/gp/cholesky.js';
import { defaultLogPrior, marginalLogLikelihood } from '../../src/tune/samplers/gp/marginal-likelihood.js';
import { fitKernelParams } from '../../src/tune/samplers/gp/fit-kernel-params.js';
import { GPRegressor, type KernelParams } from '../../src/tune/samplers/gp/gp-regressor.js';
import { erfcx, normalCdf } from '../../src/tune/samplers/gp/erfcx.js';
import { logEI, standardLogEI } from '../../src/tune/samplers/gp/log-ei.js';
import { LogEIAcquisition } from '../../src/tune/samplers/gp/log-ei-acquisition.js';
import { lbfgs } from '../../src/tune/samplers/gp/lbfgs.js';
import { Rng } from '../../src/tune/rng.js';

const fx = JSON.parse(readFileSync(new URL('../fixtures/gp-scipy.json', import.meta.url), 'utf8')) as {
  X: number[][]; y: number[]; isCat: number[]; minimumNoise: number;
  kernel: { isl: number[]; scale: number; K: number[][] };
  likelihoods: Array<{ isl: number[]; scale: number; noise: number; logML: number; logPrior: number }>;
  fit: { isl: number[]; scale: number; noise: number; loss: number };
  posterior: { Xq: number[][]; mean: number[]; variance: number[] };
  logEI: Array<{ z: number; logH: number; dlogH: number }>;
  erfcx: Array<{ x: number; erfcx: number }>;
};
const X = Float64Array.from(fx.X.flat()), y = Float64Array.from(fx.y), isCat = Uint8Array.from(fx.isCat);
const n = fx.y.length, d = isCat.length;
const params = (p: { isl: number[]; scale: number; noise: number }): KernelParams => ({ isl: Float64Array.from(p.isl), scale: p.scale, noise: p.noise, isCat });
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));

/** log N(y; 0, A) by Gaussian elimination with partial pivoting (determinant and solve), no Cholesky. */
function naiveLogNormal(A: number[][], b: number[]): number {
  const m = b.length, M = A.map((r, i) => [...r, b[i]!]);
  let logDet = 0;
  for (let c = 0; c < m; c++) {
    let p = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    [M[c], M[p]] = [M[p]!, M[c]!];
    logDet += Math.log(Math.abs(M[c]![c]!));
    for (let r = c + 1; r < m; r++) {
      const f = M[r]![c]! / M[c]![c]!;
      for (let k = c; k <= m; k++) M[r]![k]! -= f * M[c]![k]!;
    }
  }
  const x = new Array<number>(m).fill(0);
  for (let r = m - 1; r >= 0; r--) {
    let s = M[r]![m]!;
    for (let k = r + 1; k < m; k++) s -= M[r]![k]! * x[k]!;
    x[r] = s / M[r]![r]!;
  }
  return -0.5 * b.reduce((s, v, i) => s + v * x[i]!, 0) - 0.5 * logDet - 0.5 * m * Math.log(2 * Math.PI);
}

/** The kernel matrix written out entry by entry (Hamming distance on categorical columns). */
function naiveKernel(p: KernelParams, rows: number[][]): number[][] {
  return rows.map((a) => rows.map((b) => {
    let r2 = 0;
    for (let j = 0; j < d; j++) r2 += p.isl[j]! * (isCat[j] ? (a[j] === b[j] ? 0 : 1) : (a[j]! - b[j]!) ** 2);
    const s = Math.sqrt(5 * r2);
    return p.scale * (1 + s + (5 / 3) * r2) * Math.exp(-s);
  }));
}

describe('Matérn-5/2 kernel', () => {
  it('matches numpy (Hamming distance on the categorical column)', () => {
    const p = params({ ...fx.kernel, noise: 0 });
    const K = kernelMatrix(p, X.subarray(0, 5 * d), 5);
    fx.kernel.K.flat().forEach((v, i) => expect(K[i]).toBeCloseTo(v, 14));
  });
  it('has the derivative of its closed form, finite at 0, by central differences', () => {
    expect(matern52(0)).toBe(1);
    expect(matern52Grad(0)).toBeCloseTo(-5 / 6, 15);
    for (const r2 of [1e-6, 0.01, 0.3, 1, 2.5, 7, 30]) {
      const h = 1e-6 * Math.max(1, r2);
      expect(matern52Grad(r2)).toBeCloseTo((matern52(r2 + h) - matern52(r2 - h)) / (2 * h), 7);
    }
  });
});

describe('Cholesky', () => {
  it('factorises and solves like the definition (L·Lᵀ = A, L·Lᵀ·x = b)', () => {
    const rng = new Rng(4), m = 9, M = Float64Array.from({ length: m * m }, () => rng.normal()), A = new Float64Array(m * m);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) { let s = i === j ? 0.5 : 0; for (let k = 0; k < m; k++) s += M[i * m + k]! * M[j * m + k]!; A[i * m + j] = s; }
    const L = new Float64Array(m * m);
    expect(cholesky(A, m, L)).toBe(true);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += L[i * m + k]! * L[j * m + k]!;
      expect(s).toBeCloseTo(A[i * m + j]!, 12);
      if (j > i) expect(L[i * m + j]).toBe(0);
    }
    const b = Float64Array.from({ length: m }, () => rng.normal()), x = solveUpper(L, m, solveLower(L, m, b));
    for (let i = 0; i < m; i++) { let s = 0; for (let k = 0; k < m; k++) s += A[i * m + k]! * x[k]!; expect(s).toBeCloseTo(b[i]!, 10); }
    const Ainv = inverseFromCholesky(L, m);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) { let s = 0; for (let k = 0; k < m; k++) s += A[i * m + k]! * Ainv[k * m + j]!; expect(s).toBeCloseTo(i === j ? 1 : 0, 9); }
  });
  it('adds jitter for duplicate and near-duplicate points instead of throwing', () => {
    const p: KernelParams = { isl: new Float64Array([3, 3]), scale: 1, noise: 0, isCat: new Uint8Array(2) };
    const pts = new Float64Array([0.2, 0.7, 0.2, 0.7, 0.2 + 1e-13, 0.7, 0.9, 0.1, 0.9, 0.1]);
    const K = kernelMatrix(p, pts, 5), L = new Float64Array(25);
    expect(cholesky(K, 5, L)).toBe(false);
    const jitter = choleskyJitter(K, 5, L)!;
    expect(jitter).toBeGreaterThan(0);
    expect(jitter).toBeLessThanOrEqual(1e-6);
    for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) {
      let s = 0;
      for (let k = 0; k < 5; k++) s += L[i * 5 + k]! * L[j * 5 + k]!;
      expect(s).toBeCloseTo(K[i * 5 + j]! + (i === j ? jitter : 0), 12);
    }
    expect(choleskyJitter(new Float64Array([1, NaN, NaN, 1]), 2, new Float64Array(4))).toBeNull();
    // The GP on those points: finite posterior everywhere, no throw, and a fit that ends.
    const gp = new GPRegressor({ ...p, noise: 1e-12 }, pts, new Float64Array([1, 1, 1, -1, -1]));
    const [mean, v] = gp.posterior(new Float64Array([0.5, 0.5]));
    expect(Number.isFinite(mean!) && Number.isFinite(v!)).toBe(true);
    const fit = fitKernelParams(pts, new Float64Array([1, 1.0001, 1, -1, -1]), new Uint8Array(2), { deterministic: true });
    expect([...fit.isl, fit.scale, fit.noise].every(Number.isFinite)).toBe(true);
  });
});

describe('log marginal likelihood and prior', () => {
  for (const [i, l] of fx.likelihoods.entries()) {
    it(`matches numpy and a naive f64 computation (parameter set ${i})`, () => {
      const p = params(l);
      const v = marginalLogLikelihood(X, y, p);
      expect(rel(v, l.logML)).toBeLessThan(1e-10);
      const K = naiveKernel(p, fx.X).map((r, a) => r.map((x, b) => x + (a === b ? p.noise : 0)));
      expect(rel(v, naiveLogNormal(K, fx.y))).toBeLessThan(1e-10);
      expect(rel(defaultLogPrior(p), l.logPrior)).toBeLessThan(1e-12);
    });
  }
  it('has gradients equal to central finite differences (log lengthscales, log scale, noise)', () => {
    for (const l of fx.likelihoods) {
      const p = params(l), g = new Float64Array(d + 2), gp = new Float64Array(d + 2);
      marginalLogLikelihood(X, y, p, g);
      defaultLogPrior(p, gp);
      const at = (j: number, h: number) => {
        const q = { ...p, isl: p.isl.slice() };
        if (j < d) q.isl[j] = p.isl[j]! * Math.exp(h);
        else if (j === d) q.scale = p.scale * Math.exp(h);
        else q.noise = p.noise + h;
        return [marginalLogLikelihood(X, y, q), defaultLogPrior(q)] as const;
      };
      for (let j = 0; j < d + 2; j++) {
        const h = j === d + 1 ? 1e-3 * p.noise : 1e-5;
        const [a1, b1] = at(j, h), [a0, b0] = at(j, -h);
        expect(rel(g[j]!, (a1 - a0) / (2 * h)), `likelihood, coordinate ${j}`).toBeLessThan(1e-5);
        expect(rel(gp[j]!, (b1 - b0) / (2 * h)), `prior, coordinate ${j}`).toBeLessThan(1e-5);
      }
    }
  });
});

describe('MAP kernel fit and posterior', () => {
  it("reaches scipy's L-BFGS-B optimum of −(log likelihood + log prior)", () => {
    const fit = fitKernelParams(X, y, isCat, { gtol: 1e-7 });
    const loss = -(marginalLogLikelihood(X, y, fit) + defaultLogPrior(fit));
    expect(loss).toBeLessThanOrEqual(fx.fit.loss + 1e-7); // at least as good as scipy's
    expect(loss).toBeGreaterThan(fx.fit.loss - 1e-4);
    fx.fit.isl.forEach((v, j) => expect(rel(fit.isl[j]!, v)).toBeLessThan(1e-3));
    expect(rel(fit.scale, fx.fit.scale)).toBeLessThan(1e-3);
    expect(rel(fit.noise, fx.fit.noise)).toBeLessThan(1e-3);
    // Warm-started from a nearby point it lands in the same place.
    const warm = fitKernelParams(X, y, isCat, { gtol: 1e-7, init: { ...fit, isl: fit.isl.map((v) => v * 1.3), scale: fit.scale / 1.2 } });
    expect(rel(warm.scale, fit.scale)).toBeLessThan(1e-3);
  });
  it('posterior mean and variance match numpy (explicit inverse), zero-ish variance at a training point', () => {
    const gp = new GPRegressor(params(fx.fit), X, y);
    fx.posterior.Xq.forEach((q, i) => {
      const [mean, v] = gp.posterior(Float64Array.from(q));
      expect(mean).toBeCloseTo(fx.posterior.mean[i]!, 9);
      expect(v).toBeCloseTo(Math.max(0, fx.posterior.variance[i]!), 9);
    });
    const m = fx.posterior.Xq.length, means = new Float64Array(m), vars = new Float64Array(m);
    const many = [...fx.posterior.Xq, ...fx.posterior.Xq, ...fx.posterior.Xq]; // 21 rows: blocks of 8 and a tail
    const bm = new Float64Array(many.length), bv = new Float64Array(many.length);
    gp.posteriorBatch(Float64Array.from(many.flat()), many.length, bm, bv);
    for (let i = 0; i < m; i++) { const r = gp.posterior(Float64Array.from(fx.posterior.Xq[i]!)); means[i] = r[0]!; vars[i] = r[1]!; }
    many.forEach((_, i) => { expect(bm[i]).toBeCloseTo(means[i % m]!, 12); expect(bv[i]).toBeCloseTo(vars[i % m]!, 12); });
  });
  it('posterior and log EI gradients equal central finite differences (numerical coordinates)', () => {
    const gp = new GPRegressor(params(fx.fit), X, y), acq = new LogEIAcquisition(gp, Math.max(...fx.y));
    const gm = new Float64Array(d), gv = new Float64Array(d), ga = new Float64Array(d);
    for (const q of fx.posterior.Xq.slice(0, 6)) {
      const x = Float64Array.from(q);
      gp.posteriorGrad(x, gm, gv);
      acq.valueGrad(x, ga);
      expect(gm[2]).toBe(0); // categorical: not differentiated
      for (let j = 0; j < 2; j++) {
        const h = 1e-6, xp = x.slice(), xm = x.slice();
        xp[j]! += h; xm[j]! -= h;
        const [mp, vp] = gp.posterior(xp), [mm, vm] = gp.posterior(xm);
        expect(rel(gm[j]!, (mp! - mm!) / (2 * h))).toBeLessThan(1e-5);
        expect(rel(gv[j]!, (vp! - vm!) / (2 * h))).toBeLessThan(1e-5);
        expect(rel(ga[j]!, (acq.value(xp) - acq.value(xm)) / (2 * h))).toBeLessThan(1e-5);
      }
    }
  });
});

describe('erfcx and log expected improvement', () => {
  it('erfcx matches mpmath to 1e-13 relative, and normalCdf its definition', () => {
    for (const { x, erfcx: want } of fx.erfcx) expect(Math.abs(erfcx(x) - want) / want, `x = ${x}`).toBeLessThan(1e-13);
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(-37) / 5.725571222524577e-300).toBeCloseTo(1, 12); // mpmath; no underflow where the value is representable
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 14);
  });
  it('log h(z) and its derivative match mpmath from z = −1e4 to 40', () => {
    const g = new Float64Array(1);
    for (const { z, logH, dlogH } of fx.logEI) {
      expect(rel(standardLogEI(z, g), logH), `z = ${z}`).toBeLessThan(1e-12);
      expect(Math.abs(g[0]! - dlogH) / Math.abs(dlogH), `d/dz at z = ${z}`).toBeLessThan(1e-10);
    }
  });
  it('equals the direct formula log(z·Φ(z) + φ(z)) where that is stable, Φ by its Taylor series', () => {
    const Phi = (z: number) => { // 1/2 + φ(z)·Σ z^(2k+1)/(2k+1)!!, all terms of one sign
      let term = z, sum = z;
      for (let k = 1; k < 200; k++) { term *= (z * z) / (2 * k + 1); sum += term; }
      return 0.5 + Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI) * sum;
    };
    for (let z = -4; z <= 4; z += 0.25) {
      const direct = Math.log(z * Phi(z) + Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI));
      expect(rel(standardLogEI(z), direct), `z = ${z}`).toBeLessThan(1e-11);
    }
  });
  it('follows its asymptotes: −z²/2 − log √(2π) − 2 log|z| below, log z above; continuous at the branch points', () => {
    for (const z of [-1e3, -1e5]) expect(standardLogEI(z) - (-0.5 * z * z - 0.5 * Math.log(2 * Math.PI) - 2 * Math.log(-z))).toBeCloseTo(0, 5);
    for (const z of [1e3, 1e6]) expect(standardLogEI(z)).toBeCloseTo(Math.log(z), 8);
    const g = new Float64Array(1);
    for (const z of [-25, 0]) { // across a branch point the jump is the derivative's, to rounding
      standardLogEI(z, g);
      expect(Math.abs(standardLogEI(z + 1e-7) - standardLogEI(z - 1e-7) - 2e-7 * g[0]!)).toBeLessThan(1e-11);
    }
    expect(Number.isFinite(standardLogEI(-1e150))).toBe(true);
  });
  it('logEI(mean, var, f0) is log σ + log h(z) with gradients in mean and variance', () => {
    const g = new Float64Array(2);
    const v = logEI(0.3, 0.04, 0.5, g);
    expect(v).toBeCloseTo(Math.log(0.2) + standardLogEI(-1), 14);
    const h = 1e-7;
    expect(g[0]).toBeCloseTo((logEI(0.3 + h, 0.04, 0.5) - logEI(0.3 - h, 0.04, 0.5)) / (2 * h), 6);
    expect(g[1]).toBeCloseTo((logEI(0.3, 0.04 + h, 0.5) - logEI(0.3, 0.04 - h, 0.5)) / (2 * h), 5);
  });
});

describe('L-BFGS', () => {
  const rosen = (x: Float64Array, g: Float64Array) => {
    let f = 0;
    g.fill(0);
    for (let i = 0; i + 1 < x.length; i++) {
      const a = x[i + 1]! - x[i]! ** 2, b = 1 - x[i]!;
      f += 100 * a * a + b * b;
      g[i]! += -400 * a * x[i]! - 2 * b;
      g[i + 1]! += 200 * a;
    }
    return f;
  };
  it('minimises Rosenbrock from the classic start and in 6-D', () => {
    for (const x0 of [[-1.2, 1], [-1.2, 1, -1.2, 1, 0, 0]]) {
      const r = lbfgs(rosen, Float64Array.from(x0), { pgtol: 1e-9, ftol: 0, maxIter: 1000 });
      expect(r.converged).toBe(true);
      expect(r.f).toBeLessThan(1e-14);
      for (const v of r.x) expect(v).toBeCloseTo(1, 6);
    }
  });
  it('respects bounds: the constrained minimum of Rosenbrock on x ≤ 0.5 is (0.5, 0.25)', () => {
    const r = lbfgs(rosen, new Float64Array([-1.2, 1]), { lower: new Float64Array([-2, -2]), upper: new Float64Array([0.5, 2]), pgtol: 1e-10, maxIter: 1000 });
    expect(r.x[0]).toBe(0.5);
    expect(r.x[1]).toBeCloseTo(0.25, 6);
    expect(r.f).toBeCloseTo(0.25, 10);
  });
  it('backs off from non-finite values and never throws', () => {
    // f = x² for x > −1, NaN beyond: a long first step lands in the NaN region.
    const r = lbfgs((x, g) => { if (x[0]! < -1) { g[0] = NaN; return NaN; } g[0] = 2 * (x[0]! - 5); return (x[0]! - 5) ** 2; }, new Float64Array([0]), { pgtol: 1e-8 });
    expect(r.x[0]).toBeCloseTo(5, 6);
    const bad = lbfgs(() => NaN, new Float64Array([1, 2]));
    expect(bad.converged).toBe(false);
    expect(Array.from(bad.x)).toEqual([1, 2]);
  });
});
