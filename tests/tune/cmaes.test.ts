// CMA-ES against the `cmaes` library (tests/fixtures/cmaes.json, from scripts/fixtures/cmaes_fixture.py):
// fed the solutions the library sampled, simdgrad's CMA and SepCMA reach the library's mean, σ,
// covariance and evolution paths after every generation, and stop when it stops; the warm-start
// distribution matches get_warm_start_mgd; the Jacobi eigendecomposition rebuilds its matrix.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { CMA } from '../../src/tune/samplers/cmaes/cma.js';
import { SepCMA } from '../../src/tune/samplers/cmaes/sep-cma.js';
import { getWarmStartMgd } from '../../src/tune/samplers/cmaes/warm-start.js';
import { symmetricEigen } from '../../src/tune/samplers/cmaes/symmetric-eigen.js';
import { Rng } from '../../src/tune/rng.js';

interface State { mean: number[]; sigma: number; C: number[][] | number[]; pSigma: number[]; pc: number[]; shouldStop: boolean }
interface Case {
  name: string; kind: 'cma' | 'sepcma'; mean: number[]; sigma: number; bounds: number[][] | null; popsize: number; cov: number[][] | null;
  generations: Array<{ xs: number[][]; values: number[]; state: State }>;
}
const fx = JSON.parse(readFileSync(new URL('../fixtures/cmaes.json', import.meta.url), 'utf8')) as {
  cmaes: string; cases: Case[];
  warmStart: { solutions: Array<{ x: number[]; value: number }>; results: Array<{ gamma: number; alpha: number; mean: number[]; sigma: number; cov: number[][] }> };
};

/** max |a − b| / max(1, |b|) over two arrays. */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let e = 0;
  for (let i = 0; i < a.length; i++) e = Math.max(e, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return e;
}

describe(`CMA-ES against cmaes ${fx.cmaes}`, () => {
  for (const c of fx.cases) {
    it(`${c.name}: the same state after each of ${c.generations.length} generations`, () => {
      const bounds = c.bounds ? Float64Array.from(c.bounds.flat()) : null;
      const opts = { mean: Float64Array.from(c.mean), sigma: c.sigma, bounds, populationSize: c.popsize };
      const es = c.kind === 'cma' ? new CMA({ ...opts, cov: c.cov ? Float64Array.from(c.cov.flat()) : null }) : new SepCMA(opts);
      let stops = 0;
      c.generations.forEach((g, gen) => {
        es.tell(g.xs.map((x, i) => ({ x, value: g.values[i]! })));
        const { mean, C } = es.state, want = g.state;
        expect(es.generation).toBe(gen + 1);
        // Rounding differences (eigenvectors by Jacobi vs LAPACK) compound over generations: 1e-9 relative.
        expect(relErr(mean, want.mean), `mean, generation ${gen + 1}`).toBeLessThan(1e-9);
        expect(Math.abs(es.sigma - want.sigma) / want.sigma, `sigma, generation ${gen + 1}`).toBeLessThan(1e-9);
        expect(relErr(C, (want.C as number[][]).flat?.() ?? want.C), `C, generation ${gen + 1}`).toBeLessThan(1e-9);
        const s = es.toState();
        expect(relErr(s.pSigma, want.pSigma)).toBeLessThan(1e-9);
        expect(relErr(s.pc, want.pc)).toBeLessThan(1e-9);
        expect(es.shouldStop(), `shouldStop, generation ${gen + 1}`).toBe(want.shouldStop);
        if (want.shouldStop) stops++;
      });
      if (c.name.includes('flat')) expect(stops).toBeGreaterThan(0); // the fixture exercises the stop test
    });
  }

  it('resumes from toState() exactly (JSON round trip), CMA and SepCMA', () => {
    for (const c of fx.cases.filter((k) => !k.cov && !k.bounds)) {
      const make = () => (c.kind === 'cma' ? new CMA({ mean: Float64Array.from(c.mean), sigma: c.sigma, populationSize: c.popsize })
        : new SepCMA({ mean: Float64Array.from(c.mean), sigma: c.sigma, populationSize: c.popsize }));
      const a = make();
      let b = make();
      for (const g of c.generations.slice(0, 6)) {
        const sol = g.xs.map((x, i) => ({ x, value: g.values[i]! }));
        a.tell(sol);
        b.tell(sol);
        const json = JSON.parse(JSON.stringify(b.toState()));
        b = c.kind === 'cma' ? CMA.fromState(json, null) : SepCMA.fromState(json, null);
      }
      expect(b.toState()).toEqual(a.toState());
      expect(b.shouldStop()).toBe(a.shouldStop());
    }
  });

  it('asks inside the bounds (resampling, then clipping) and reproducibly for a seed', () => {
    const bounds = new Float64Array([0, 1, 0, 1, 0, 1]);
    const wide = new CMA({ mean: new Float64Array([0.9, 0.9, 0.1]), sigma: 2, bounds, nMaxResampling: 3 });
    const xs = Array.from({ length: 50 }, (_, i) => wide.ask(new Rng(i)));
    for (const x of xs) for (const v of x) { expect(v).toBeGreaterThanOrEqual(0); expect(v).toBeLessThanOrEqual(1); }
    expect(xs.some((x) => x.some((v) => v === 0 || v === 1))).toBe(true); // some were clipped onto a bound
    const es = new CMA({ mean: new Float64Array([0.5, 0.5, 0.5]), sigma: 0.1, bounds });
    expect(es.ask(new Rng(7))).toEqual(es.ask(new Rng(7))); // same Rng seed, same sample
    expect(Array.from(es.ask(new Rng(8)))).not.toEqual(Array.from(es.ask(new Rng(7))));
  });

  it('refuses bad input with typed errors naming it', () => {
    expect(() => new CMA({ mean: new Float64Array([1]), sigma: 1 })).toThrow(/at least 2 dimensions, got 1/);
    expect(() => new CMA({ mean: new Float64Array([1, 2]), sigma: 0 })).toThrow(/sigma must be a finite number > 0, got 0/);
    expect(() => new SepCMA({ mean: new Float64Array([1, 2]), sigma: 1, populationSize: 1 })).toThrow(/populationSize must be an integer ≥ 2, got 1/);
    const es = new CMA({ mean: new Float64Array([0, 0]), sigma: 1 });
    expect(() => es.tell([{ x: [0, 0], value: 1 }])).toThrow(/expected 6 solutions \(the population size\), got 1/);
    expect(es.generation).toBe(0); // nothing changed
  });
});

describe('getWarmStartMgd', () => {
  for (const r of fx.warmStart.results) {
    it(`matches cmaes's get_warm_start_mgd (gamma ${r.gamma}, alpha ${r.alpha})`, () => {
      const { mean, sigma, cov } = getWarmStartMgd(fx.warmStart.solutions, r.gamma, r.alpha);
      expect(relErr(mean, r.mean)).toBeLessThan(1e-12);
      expect(Math.abs(sigma - r.sigma) / r.sigma).toBeLessThan(1e-12);
      expect(relErr(cov, r.cov.flat())).toBeLessThan(1e-12);
    });
  }
  it('needs at least 1/gamma solutions', () => {
    expect(() => getWarmStartMgd([{ x: [0, 0], value: 1 }])).toThrow(/give at least 10/);
  });
});

describe('symmetricEigen (Jacobi)', () => {
  it('rebuilds A = B·diag(λ)·Bᵀ with orthonormal B at awkward sizes, repeated eigenvalues included', () => {
    const rng = new Rng(2);
    for (const n of [1, 2, 3, 7, 13]) {
      const M = Float64Array.from({ length: n * n }, () => rng.normal()), A = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { let s = 0; for (let k = 0; k < n; k++) s += M[i * n + k]! * M[j * n + k]!; A[i * n + j] = s; }
      for (const X of [A, Float64Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 2 : 0))]) {
        const { values, vectors: B } = symmetricEigen(X, n);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
          let s = 0, o = 0;
          for (let k = 0; k < n; k++) { s += B[i * n + k]! * values[k]! * B[j * n + k]!; o += B[k * n + i]! * B[k * n + j]!; }
          expect(Math.abs(s - X[i * n + j]!)).toBeLessThan(1e-12 * (1 + n * n));
          expect(Math.abs(o - (i === j ? 1 : 0))).toBeLessThan(1e-13);
        }
      }
    }
  });
  it('finds the known spectrum of [[2, 1], [1, 2]]', () => {
    expect([...symmetricEigen(new Float64Array([2, 1, 1, 2]), 2).values].sort()).toEqual([expect.closeTo(1, 14), expect.closeTo(3, 14)]);
  });
});
