// sg.tune.hypervolume against independent computations written here: inclusion–exclusion over
// every subset of the points (exact for any dimension), counting unit cells of an integer grid,
// and known volumes (closed forms, the ZDT1 front's 2/3, the DTLZ2 sphere's 1 − π/6); mixed
// directions; Pareto fronts and ranks against a naive O(n²) definition.
import { describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { nondominatedRanks, paretoFrontIndices } from '../../src/tune/pareto.js';
import { Rng } from '../../src/tune/rng.js';

const { hypervolume } = sg.tune;

/** Inclusion–exclusion: Σ over non-empty subsets T of (−1)^{|T|+1} · vol(box of the coordinate-wise max of T). */
function inclusionExclusion(points: number[][], ref: number[]): number {
  const pts = points.filter((p) => p.every((v, i) => v < ref[i]!));
  let total = 0;
  for (let mask = 1; mask < 1 << pts.length; mask++) {
    const corner = ref.map(() => -Infinity);
    let size = 0;
    for (let j = 0; j < pts.length; j++) {
      if (!(mask & (1 << j))) continue;
      size++;
      pts[j]!.forEach((v, i) => { corner[i] = Math.max(corner[i]!, v); });
    }
    total += (size % 2 ? 1 : -1) * corner.reduce((vol, c, i) => vol * (ref[i]! - c), 1);
  }
  return total;
}

/** Integer points in [0, R)^d, reference R: the number of unit cells [c, c + 1) some point dominates. */
function gridCount(points: number[][], R: number, d: number): number {
  let count = 0;
  const cell = new Array<number>(d).fill(0);
  for (let k = 0; k < R ** d; k++) {
    let r = k;
    for (let i = 0; i < d; i++) { cell[i] = r % R; r = Math.floor(r / R); }
    if (points.some((p) => p.every((v, i) => v <= cell[i]!))) count++;
  }
  return count;
}

const randomPoints = (rng: Rng, n: number, d: number, scale = 1) => Array.from({ length: n }, () => Array.from({ length: d }, () => rng.uniform() * scale));

describe('hypervolume', () => {
  it('matches closed forms on small sets', () => {
    expect(hypervolume([[1, 2], [2, 1]], [3, 3])).toBe(3);
    expect(hypervolume([[1, 1, 1]], [2, 3, 4])).toBe(6);
    expect(hypervolume([[0, 0, 0, 0]], [1, 2, 3, 4])).toBe(24);
    expect(hypervolume([], [1, 1])).toBe(0);
    expect(hypervolume([[1, 5], [5, 5]], [3, 3])).toBe(0); // nothing strictly inside the box
    expect(hypervolume([[1, 1], [1, 1], [2, 2]], [3, 3])).toBe(4); // duplicates and dominated points add nothing
    expect(hypervolume([[-Infinity, 1]], [3, 3])).toBe(Infinity);
    expect(hypervolume([[Infinity, 1], [1, 1]], [3, 3])).toBe(4);
  });

  it('equals inclusion–exclusion over all subsets, 2 to 5 objectives', () => {
    const rng = new Rng(7);
    for (const d of [2, 3, 4, 5]) {
      for (let rep = 0; rep < 12; rep++) {
        const n = 1 + rng.below(11);
        const pts = randomPoints(rng, n, d);
        const ref = Array.from({ length: d }, () => 0.8 + 0.4 * rng.uniform()); // some points fall outside
        const want = inclusionExclusion(pts, ref);
        expect(hypervolume(pts, ref), `d=${d} n=${n}`).toBeCloseTo(want, 12);
      }
    }
  });

  it('equals the number of dominated cells of an integer grid (ties on every axis)', () => {
    const rng = new Rng(11);
    for (const [d, R, n] of [[2, 12, 30], [3, 8, 40], [4, 5, 25]] as const) {
      for (let rep = 0; rep < 4; rep++) {
        const pts = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.below(R)));
        expect(hypervolume(pts, new Array<number>(d).fill(R)), `d=${d}`).toBe(gridCount(pts, R, d));
      }
    }
  });

  it('approaches the continuous fronts: ZDT1 (2/3) and the DTLZ2 sphere (1 − π/6)', () => {
    const n = 20_000;
    const zdt1 = Array.from({ length: n }, (_, i) => { const f1 = i / (n - 1); return [f1, 1 - Math.sqrt(f1)]; });
    const hv = hypervolume(zdt1, [1, 1]);
    expect(hv).toBeLessThan(2 / 3);
    expect(hv).toBeGreaterThan(2 / 3 - 1e-3);
    // Points on the unit sphere's positive octant (a Fibonacci lattice).
    const m = 1000, sphere: number[][] = [];
    for (let i = 0; i < m; i++) {
      const z = (i + 0.5) / m, r = Math.sqrt(1 - z * z), phi = (i * Math.PI * (3 - Math.sqrt(5))) % (Math.PI / 2);
      sphere.push([r * Math.cos(phi), r * Math.sin(phi), z]);
    }
    const hv3 = hypervolume(sphere, [1, 1, 1]);
    expect(hv3).toBeLessThan(1 - Math.PI / 6);
    expect(hv3).toBeGreaterThan(1 - Math.PI / 6 - 0.025); // the lattice misses ~0.021 at 1,000 points
  });

  it('handles maximized objectives by mirroring them', () => {
    const rng = new Rng(3);
    const pts = randomPoints(rng, 9, 3);
    const dirs: sg.tune.Direction[] = ['maximize', 'minimize', 'maximize'];
    const mirrored = pts.map((p) => p.map((v, i) => (dirs[i] === 'maximize' ? -v : v)));
    const ref = [0.1, 0.9, 0.2];
    expect(hypervolume(pts, ref, { directions: dirs })).toBeCloseTo(inclusionExclusion(mirrored, ref.map((v, i) => (dirs[i] === 'maximize' ? -v : v))), 12);
    expect(hypervolume([[0.9, 10]], [0.5, 100], { directions: ['maximize', 'minimize'] })).toBeCloseTo(36, 12);
  });

  it('refuses bad input with errors naming the value', () => {
    expect(() => hypervolume([[1, 2]], [])).toThrow(/reference must be a non-empty array/);
    expect(() => hypervolume([[1, 2]], [1, NaN])).toThrow(/reference\[1\] must be a finite number, got NaN/);
    expect(() => hypervolume([[1, 2, 3]], [4, 4])).toThrow(/points\[0\] must have 2 coordinates/);
    expect(() => hypervolume([[1, 2], [1, NaN]], [4, 4])).toThrow(/points\[1\]\[1\] must be a number, got NaN/);
    expect(() => hypervolume([[1, 2]], [4, 4], { directions: ['minimize'] })).toThrow(/one entry per objective \(2\)/);
    expect(() => hypervolume([[1, 2]], [4, 4], { directions: ['minimize', 'up' as never] })).toThrow(/directions\[1\] must be 'minimize' or 'maximize'/);
  });
});

describe('Pareto fronts and ranks', () => {
  const naiveDominates = (a: number[], b: number[]) => a.every((v, i) => v <= b[i]!) && a.some((v, i) => v < b[i]!);
  it('match the definition, with ties and duplicates', () => {
    const rng = new Rng(5);
    for (let rep = 0; rep < 20; rep++) {
      const d = 2 + (rep % 3), pts = Array.from({ length: 40 }, () => Array.from({ length: d }, () => rng.below(6)));
      const front = paretoFrontIndices(pts);
      expect(front).toEqual(pts.map((_, i) => i).filter((i) => !pts.some((q) => naiveDominates(q, pts[i]!))));
      // Rank r: not dominated by anything left after removing ranks < r.
      const ranks = nondominatedRanks(pts), want = new Array<number>(pts.length).fill(-1);
      for (let r = 0; want.includes(-1); r++) {
        const left = pts.map((_, i) => i).filter((i) => want[i] === -1);
        for (const i of left.filter((i) => !left.some((j) => naiveDominates(pts[j]!, pts[i]!)))) want[i] = r;
      }
      expect([...ranks]).toEqual(want);
    }
  });
});
