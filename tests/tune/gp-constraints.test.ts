// GPSampler with constraints (Optuna 4.x's constrained log EI). The acquisition against a naive f64
// computation written here (the GP posterior by Gaussian elimination, Φ by its Taylor series and Laplace's continued fraction, log EI
// and log Φ by their direct formulas), its gradient against central differences, log Φ in both
// tails against its asymptotic series; the constraint models' sign, threshold and Kriging believer;
// then the sampler: on min (x − 3)² + (y − 3)² subject to x + y ≤ 2 (optimum (1, 1), value 8) its
// late trials are feasible and its best feasible value is near 8, where the GP without constraints
// keeps proposing infeasible points; infeasible trials never become bestTrial; setConstraint and
// constraintsFunc give the same trials; seeds reproduce; with no feasible trial yet it proposes
// where feasibility is likely; mixed constraint counts, concurrent trials, constraints that never
// hold and infinite ones work.
import { describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { floatDistribution, type Distribution } from '../../src/tune/distributions.js';
import type { FrozenTrial, TrialState } from '../../src/tune/frozen-trial.js';
import { GPRegressor, type KernelParams } from '../../src/tune/samplers/gp/gp-regressor.js';
import { LogEIAcquisition } from '../../src/tune/samplers/gp/log-ei-acquisition.js';
import { ConstrainedLogEIAcquisition } from '../../src/tune/samplers/gp/constrained-log-ei-acquisition.js';
import { fitConstraintModels } from '../../src/tune/samplers/gp/constraint-models.js';
import { logNormalCdf, logPI } from '../../src/tune/samplers/gp/log-pi.js';

const { createStudy, GPSampler, isFeasible } = sg.tune;
type Trial = sg.tune.Trial;
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));
const NOISE = 1e-12; // the acquisition's stabilising noise

// ---- naive f64 reference ----
const phi = (z: number) => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
/** Mills' ratio Φ(z)/φ(z): above −3 from the Taylor series Φ(z) = 1/2 + φ(z)·Σ z^(2k+1)/(2k+1)!!,
 *  below by Laplace's continued fraction 1/(t + 1/(t + 2/(t + 3/(t + …)))), t = −z (no underflow). */
function mills(z: number): number {
  if (z > -3) {
    let term = z, sum = z;
    for (let k = 1; k < 300; k++) { term *= (z * z) / (2 * k + 1); sum += term; }
    return 0.5 / phi(z) + sum;
  }
  const t = -z;
  let f = t;
  for (let k = 2000; k >= 1; k--) f = t + k / f;
  return 1 / f;
}
const logPhi = (z: number) => -0.5 * z * z - 0.5 * Math.log(2 * Math.PI) + Math.log(mills(z));
/** log E[max(0, f − f0)] = log σ + log(z·Φ(z) + φ(z)) = log σ + log φ(z) + log(1 + z·Φ(z)/φ(z)). */
const naiveLogEI = (mean: number, variance: number, f0: number) => {
  const s = Math.sqrt(variance), z = (mean - f0) / s;
  return Math.log(s) - 0.5 * z * z - 0.5 * Math.log(2 * Math.PI) + Math.log(1 + z * mills(z));
};
const naiveLogPI = (mean: number, variance: number, f0: number) => logPhi((mean - f0) / Math.sqrt(variance));

/** Solves A·x = b by Gaussian elimination with partial pivoting. */
function solve(A: number[][], b: number[]): number[] {
  const m = b.length, M = A.map((r, i) => [...r, b[i]!]);
  for (let c = 0; c < m; c++) {
    let p = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    [M[c], M[p]] = [M[p]!, M[c]!];
    for (let r = c + 1; r < m; r++) { const f = M[r]![c]! / M[c]![c]!; for (let k = c; k <= m; k++) M[r]![k]! -= f * M[c]![k]!; }
  }
  const x = new Array<number>(m).fill(0);
  for (let r = m - 1; r >= 0; r--) { let s = M[r]![m]!; for (let k = r + 1; k < m; k++) s -= M[r]![k]! * x[k]!; x[r] = s / M[r]![r]!; }
  return x;
}

/** GP posterior mean and variance at q: Matérn-5/2 written out, C⁻¹ applied by elimination. */
function naivePosterior(p: { isl: number[]; scale: number; noise: number }, rows: number[][], y: number[], q: number[]): [number, number] {
  const k = (a: number[], b: number[]) => {
    const r2 = a.reduce((s, v, j) => s + p.isl[j]! * (v - b[j]!) ** 2, 0), s = Math.sqrt(5 * r2);
    return p.scale * (1 + s + (5 / 3) * r2) * Math.exp(-s);
  };
  const C = rows.map((a, i) => rows.map((b, j) => k(a, b) + (i === j ? p.noise : 0)));
  const kq = rows.map((a) => k(a, q));
  const alpha = solve(C, y), v = solve(C, kq);
  return [kq.reduce((s, x, i) => s + x * alpha[i]!, 0), p.scale - kq.reduce((s, x, i) => s + x * v[i]!, 0)];
}

// A small 2-D problem: 7 points, an objective and one constraint (already standardised-ish).
const rows = [[0.1, 0.2], [0.8, 0.3], [0.4, 0.9], [0.55, 0.5], [0.2, 0.7], [0.95, 0.85], [0.3, 0.05]];
const yObj = [0.3, -1.2, 0.8, 1.1, -0.4, -0.9, 0.2];
const yCon = [1.0, -0.8, 0.2, 0.6, 1.3, -1.5, 0.9]; // −c standardised: feasible above the threshold
const pObj = { isl: [3, 1.5], scale: 1.2, noise: 1e-3 }, pCon = { isl: [0.8, 2.5], scale: 0.9, noise: 2e-3 };
const kp = (p: typeof pObj): KernelParams => ({ isl: Float64Array.from(p.isl), scale: p.scale, noise: p.noise, isCat: new Uint8Array(2) });
const X = Float64Array.from(rows.flat());
const f0 = 0.8, threshold = 0.25;
const queries = [[0.5, 0.5], [0.05, 0.95], [0.7, 0.1], [0.33, 0.66], [0.9, 0.9], [0.12, 0.4], [0.6, 0.75], [0.25, 0.25], [0.99, 0.01], [0.45, 0.15], [0.8, 0.55]];

function acquisition(withObjective: boolean): ConstrainedLogEIAcquisition {
  const obj = withObjective ? new LogEIAcquisition(new GPRegressor(kp(pObj), X, Float64Array.from(yObj)), f0) : null;
  return new ConstrainedLogEIAcquisition(obj, [{ gp: new GPRegressor(kp(pCon), X, Float64Array.from(yCon)), threshold }]);
}
function naiveAcquisition(q: number[], withObjective: boolean): number {
  const [mc, vc] = naivePosterior(pCon, rows, yCon, q);
  let v = naiveLogPI(mc, vc + NOISE, threshold);
  if (withObjective) { const [mo, vo] = naivePosterior(pObj, rows, yObj, q); v += naiveLogEI(mo, vo + NOISE, f0); }
  return v;
}

describe('constrained log EI acquisition', () => {
  it('equals log EI over the best feasible value + log P(c ≤ 0), computed naively (one point and a batch of 11)', () => {
    for (const withObjective of [true, false]) { // false: no feasible trial yet, log P(feasible) alone
      const acq = acquisition(withObjective), batch = new Float64Array(queries.length);
      acq.values(Float64Array.from(queries.flat()), queries.length, batch);
      queries.forEach((q, i) => {
        const want = naiveAcquisition(q, withObjective);
        expect(rel(acq.value(Float64Array.from(q)), want), `${withObjective} ${q}`).toBeLessThan(1e-9);
        expect(rel(batch[i]!, want), `batch ${withObjective} ${q}`).toBeLessThan(1e-9);
      });
    }
    // With two constraints the terms add up.
    const c2 = new GPRegressor(kp(pObj), X, Float64Array.from(yCon.map((v) => -v)));
    const two = new ConstrainedLogEIAcquisition(null, [{ gp: new GPRegressor(kp(pCon), X, Float64Array.from(yCon)), threshold }, { gp: c2, threshold: -0.1 }]);
    const q = [0.5, 0.5], [m2, v2] = naivePosterior(pObj, rows, yCon.map((v) => -v), q);
    expect(rel(two.value(Float64Array.from(q)), naiveAcquisition(q, false) + naiveLogPI(m2, v2 + NOISE, -0.1))).toBeLessThan(1e-9);
  });

  it('has a gradient equal to central finite differences, with and without the objective term', () => {
    const g = new Float64Array(2), h = 1e-6;
    for (const withObjective of [true, false]) {
      const acq = acquisition(withObjective);
      for (const q of queries.slice(0, 8)) {
        const x = Float64Array.from(q), v = acq.valueGrad(x, g);
        expect(v).toBeCloseTo(acq.value(x), 12);
        for (let j = 0; j < 2; j++) {
          const xp = x.slice(), xm = x.slice();
          xp[j]! += h; xm[j]! -= h;
          expect(rel(g[j]!, (acq.value(xp) - acq.value(xm)) / (2 * h)), `${withObjective} ${q} ∂${j}`).toBeLessThan(1e-5);
        }
      }
    }
  });

  it('log Φ matches the direct formula, its asymptotic series in both tails, and has the inverse Mills ratio as derivative', () => {
    const g = new Float64Array(2);
    for (let z = -8; z <= 6; z += 0.25) {
      expect(rel(logNormalCdf(z, g), logPhi(z)), `z = ${z}`).toBeLessThan(1e-12);
      expect(rel(g[0]!, 1 / mills(z)), `d/dz at ${z}`).toBeLessThan(1e-11);
    }
    for (const [z, want, dwant] of [[-3.5, -8.366065308344093, 3.7513912648576997], [-10, -53.23128515051247, 10.098093233962512]]) { // mpmath
      expect(rel(logNormalCdf(z!, g), want!)).toBeLessThan(1e-14);
      expect(rel(g[0]!, dwant!)).toBeLessThan(1e-13);
    }
    // Lower tail: Φ(z) = φ(z)/|z|·(1 − 1/z² + 3/z⁴ − 15/z⁶ + 105/z⁸ …); upper tail: log Φ(z) ≈ −Φ(−z).
    for (const z of [-40, -300, -1e5]) {
      const u = 1 / (z * z), series = 1 - u + 3 * u * u - 15 * u ** 3 + 105 * u ** 4;
      expect(rel(logNormalCdf(z, g), -0.5 * z * z - 0.5 * Math.log(2 * Math.PI) - Math.log(-z) + Math.log(series)), `z = ${z}`).toBeLessThan(1e-13);
      expect(rel(g[0]!, -z / series), `d/dz at ${z}`).toBeLessThan(1e-9);
    }
    for (const z of [10, 20]) {
      const u = 1 / (z * z), tail = phi(z) / z * (1 - u + 3 * u * u - 15 * u ** 3);
      expect(Math.abs(logNormalCdf(z) + tail) / tail, `z = ${z}`).toBeLessThan(1e-6);
    }
    expect(logNormalCdf(40)).toBe(-0);
    // logPI(mean, var, f0) = log Φ((mean − f0)/σ), with its derivatives in mean and variance.
    expect(logPI(0.3, 0.04, 0.5, g)).toBeCloseTo(logPhi(-1), 14);
    const d = 1e-7;
    expect(g[0]).toBeCloseTo((logPI(0.3 + d, 0.04, 0.5) - logPI(0.3 - d, 0.04, 0.5)) / (2 * d), 6);
    expect(g[1]).toBeCloseTo((logPI(0.3, 0.04 + d, 0.5) - logPI(0.3, 0.04 - d, 0.5)) / (2 * d), 5);
  });

  it('constraint models: fit to the standardised −c, threshold the standardised 0, RUNNING points at their own posterior mean', () => {
    const c = rows.map(([a, b]) => [a! + b! - 1]); // feasible below the anti-diagonal
    const fit = fitConstraintModels(c, X, 0, new Uint8Array(2), { key: 'k', cache: null, deterministic: false });
    const neg = c.map((v) => -v[0]!), mean = neg.reduce((s, v) => s + v, 0) / neg.length;
    const sd = Math.sqrt(neg.reduce((s, v) => s + (v - mean) ** 2, 0) / neg.length);
    const { gp, threshold: t } = fit.models[0]!;
    expect(t).toBeCloseTo(-mean / sd, 12);
    // The posterior says "feasible" where c ≤ 0 and "infeasible" where c > 0.
    expect(gp.posterior(Float64Array.of(0.1, 0.1))[0]).toBeGreaterThan(t);
    expect(gp.posterior(Float64Array.of(0.9, 0.9))[0]).toBeLessThan(t);
    // A RUNNING point keeps the mean there and shrinks the variance.
    const q = Float64Array.of(0.6, 0.15), Xr = new Float64Array(X.length + 2);
    Xr.set(X); Xr.set(q, X.length);
    const withRunning = fitConstraintModels(c, Xr, 1, new Uint8Array(2), { key: 'k', cache: fit.cache, deterministic: false }).models[0]!.gp;
    const [m0, v0] = gp.posterior(q), [m1, v1] = withRunning.posterior(q);
    expect(m1).toBeCloseTo(m0!, 6);
    expect(v1!).toBeLessThan(v0! / 4);
    // Trials without a value for a constraint are left out of its GP only.
    const mixed = fitConstraintModels([[1, 2], null, [0.5], [-1, 3], [0, -2], [2], [-0.5, 1]], X, 0, new Uint8Array(2), { key: 'k', cache: null, deterministic: false });
    expect(mixed.models.map((m) => m.gp.n)).toEqual([6, 4]);
  });
});

// min (x − 3)² + (y − 3)² subject to x + y ≤ 2 on [−3, 3]²: the optimum is (1, 1), value 8.
const feasibleXY = (t: FrozenTrial) => (t.params.x as number) + (t.params.y as number) <= 2;
const objective = (mode: 'set' | 'none') => (t: Trial) => {
  const x = t.suggestFloat('x', -3, 3), y = t.suggestFloat('y', -3, 3);
  if (mode === 'set') t.setConstraint([x + y - 2]);
  return (x - 3) ** 2 + (y - 3) ** 2;
};

describe('GPSampler with constraints', () => {
  it('finds the constrained optimum with feasible late trials (the GP without constraints proposes infeasible ones); never an infeasible best; setConstraint = constraintsFunc; reproducible by seed', async () => {
    const run = async (seed: number, mode: 'set' | 'func' | 'none', nTrials = 30) => {
      const constraintsFunc = mode === 'func' ? (t: FrozenTrial) => [(t.params.x as number) + (t.params.y as number) - 2] : undefined;
      const s = await createStudy({ sampler: new GPSampler({ seed, constraintsFunc }), logger: false });
      await s.optimize(objective(mode === 'func' ? 'none' : mode), { nTrials });
      return s;
    };
    const aware = await run(2, 'set'), blind = await run(2, 'none');
    const late = (s: sg.tune.Study) => s.trials.slice(-20).filter(feasibleXY).length;
    expect(late(aware)).toBeGreaterThanOrEqual(18); // measured: 19 of 20
    expect(late(blind)).toBeLessThanOrEqual(2); // measured: 0 of 20 (it heads for (3, 3))
    expect(aware.bestValue).toBeLessThan(8.01);
    expect(aware.bestValue).toBeGreaterThanOrEqual(8 - 1e-9);
    // Infeasible trials never become the best, though some scored below 8.
    const feasible = aware.trials.filter((t) => isFeasible(t, true));
    expect(feasible.length).toBe(aware.trials.filter(feasibleXY).length);
    expect(aware.bestTrial.number).toBe(feasible.reduce((b, t) => (t.value! < b.value! ? t : b)).number);
    expect(Math.min(...aware.trials.map((t) => t.value!))).toBeLessThan(aware.bestValue);
    // constraintsFunc stores the same values after each trial: the same proposals. A seed reproduces.
    const func = await run(2, 'func');
    expect(func.trials.map((t) => t.params)).toEqual(aware.trials.map((t) => t.params));
    expect(func.trials.map((t) => t.systemAttrs.constraints)).toEqual(aware.trials.map((t) => t.systemAttrs.constraints));
    const other = await run(3, 'set', 14);
    expect(other.trials.slice(10).map((t) => t.params)).not.toEqual(aware.trials.slice(10, 14).map((t) => t.params));
  });

  function frozen(number: number, state: TrialState, params: Record<string, number>, value: number | null, constraints?: number[]): FrozenTrial {
    const distributions: Record<string, Distribution> = {};
    for (const k of Object.keys(params)) distributions[k] = floatDistribution(k, 0, 1);
    return { number, trialId: number, state, params, distributions, value, values: value === null ? null : [value], intermediateValues: {},
      userAttrs: {}, systemAttrs: constraints ? { constraints } : {}, datetimeStart: 0, datetimeComplete: null, durationMs: null };
  }

  it('with no feasible trial yet proposes where feasibility is likely, whatever the objective; without constraint values it samples independently', () => {
    // Feasible when x ≤ 0.2; every trial so far has x ≥ 0.3, and the objective improves to the right.
    const trials: FrozenTrial[] = [];
    for (let i = 0; i < 10; i++) {
      const x = 0.3 + 0.7 * (((i * 7) % 10) / 9), y = ((i * 3) % 10) / 9;
      trials.push(frozen(i, 'COMPLETE', { x, y }, -x, [x - 0.2]));
    }
    const next = frozen(10, 'RUNNING', {}, null);
    const p = new GPSampler({ seed: 1 }).sampleRelative({ directions: ['minimize'], trials: [...trials, next] }, next)!;
    expect(p.params.x as number).toBeLessThan(0.25);
    const unconstrained = new GPSampler({ seed: 1 }).sampleRelative({ directions: ['minimize'], trials: [...trials.map((t) => ({ ...t, systemAttrs: {} })), next] }, next)!;
    expect(unconstrained.params.x as number).toBeGreaterThan(0.9); // the same data without constraints: log EI heads right
    // A constraintsFunc but no COMPLETE trial with values: nothing to model, the independent sampler proposes.
    const bare = new GPSampler({ seed: 1, constraintsFunc: () => [0] });
    expect(bare.sampleRelative({ directions: ['minimize'], trials: [...trials.map((t) => ({ ...t, systemAttrs: {} })), next] }, next)).toBeNull();
    expect(() => new GPSampler({ constraintsFunc: 'no' as never })).toThrow(/GPSampler: constraintsFunc must be a function/);
  });

  it('handles several constraints, trials with fewer values, and concurrent trials without proposing a point twice', async () => {
    const s = await createStudy({ sampler: new GPSampler({ seed: 6, nStartupTrials: 5 }), logger: false });
    await s.optimize(async (t) => {
      const x = t.suggestFloat('x', -3, 3), y = t.suggestFloat('y', -3, 3);
      t.setConstraint(t.number % 4 === 1 ? [x + y - 2] : [x + y - 2, y - 1.5]);
      await new Promise((r) => setTimeout(r, 1));
      return (x - 3) ** 2 + (y - 3) ** 2;
    }, { nTrials: 16, concurrency: 3 });
    expect(new Set(s.trials.map((t) => `${t.params.x},${t.params.y}`)).size).toBe(16);
    expect(isFeasible(s.bestTrial, true)).toBe(true);
    expect(s.trials.slice(-6).filter(feasibleXY).length).toBeGreaterThanOrEqual(4);
    // Constraints that never hold, or are infinite: proposals stay finite and nothing is ever the best.
    for (const c of [[1], [Infinity, -Infinity]]) {
      const bad = await createStudy({ sampler: new GPSampler({ seed: 1, nStartupTrials: 3 }), logger: false });
      await bad.optimize((t) => { t.setConstraint(c); return t.suggestFloat('x', -3, 3) ** 2 + t.suggestFloat('y', -3, 3) ** 2; }, { nTrials: 7 });
      expect(bad.trials.map((t) => t.state)).toEqual(Array(7).fill('COMPLETE'));
      for (const t of bad.trials) expect(Number.isFinite(t.params.x as number) && Number.isFinite(t.params.y as number)).toBe(true);
      expect(() => bad.bestTrial).toThrow(/no feasible trial has completed yet \(7 completed/);
    }
  });
});
