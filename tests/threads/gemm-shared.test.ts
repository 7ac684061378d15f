// GEMM on kernel threads in both plans (src/threads/parallel-gemm.ts): operands packed once and
// shared by every block (two jobs: gemm_pack_f32, then gemm_packed_f32), and independent blocks
// that pack their own. On 2 and 3 threads, every call split however small, each plan forced: every
// C must meet the naive f64 product (tests/helpers/gemm-cases.ts: NaN-poisoned workspace, nothing
// written past it, padding and inputs untouched) and have exactly the bits of the one-thread
// build — all four layouts, bias, accumulate and ReLU, m, n, k through 1, 3, 5, 17, 33, 257, k past
// KC = 256 (several K blocks), n past NC = 1024. The shared plan must really run as two jobs on
// workers. Then the rule that picks a plan (src/threads/gemm-sharing.ts), against hand counts.
import { afterAll, describe, expect, it, vi } from 'vitest';
import { THREADED, backend } from '../helpers/backends.js';
import { expectKernel, expectSameBits } from '../backend/harness.js';
import { gemmCase, inputs, name, type Case } from '../helpers/gemm-cases.js';
import { threadedBackend } from '../../src/threads/threaded-backend.js';
import type { KernelPool } from '../../src/threads/kernel-pool.js';
import type { Backend } from '../../src/backend/create-backend.js';
import { SHARED_PANELS_PENALTY, SHARING_MARGIN, gemmShares, jobNs, packPlan, packRange, type GemmSharing } from '../../src/threads/gemm-sharing.js';
import { gemmSplit } from '../../src/threads/partition.js';
import { COST } from '../../src/threads/cost.js';

type Pooled = Backend & { pool?: KernelPool };
const made: Pooled[] = [];
afterAll(() => { for (const b of made) b.close?.(); });

async function pooled(variant: 'relaxed' | 'simd', threads: number, sharing: GemmSharing): Promise<Pooled> {
  const r = await threadedBackend(variant, threads, undefined, 'finest', sharing);
  if (!r.backend?.pool || r.reason) throw new Error(`no threaded ${variant} backend: ${r.reason}`);
  made.push(r.backend);
  return r.backend;
}

const S = [1, 3, 5, 17, 33, 257];
/** Every size as m, n and k (rotated), then several K blocks, n past NC, both at once, k = 0, and
 * fewer than 4 rows with both operands transposed (the packed path in one call too). */
const SHAPES: [number, number, number][] = [
  ...S.map((s, i): [number, number, number] => [s, S[(i + 2) % S.length]!, S[(i + 4) % S.length]!]),
  ...S.map((s, i): [number, number, number] => [S[(i + 3) % S.length]!, s, S[(i + 1) % S.length]!]),
  [17, 33, 513], [5, 1030, 17], [33, 1030, 300], [257, 257, 257], [9, 20, 0], [3, 40, 33],
];

function cases(): Case[] {
  const out: Case[] = [];
  let idx = 0;
  for (const [m, n, k] of SHAPES) {
    for (let t = 0; t < 4; t++) {
      const big = m * n * Math.max(k, 1) > 100_000, flags = big ? [idx % 8, (idx + 3) % 8] : [0, 1, 2, 3, 4, 5, 6, 7];
      for (const f of flags) {
        out.push({ m, n, k, transA: t & 1, transB: t >> 1, accumulate: f & 1, bias: (f & 2) !== 0, act: f >> 2, pad: idx++ % 3 });
      }
    }
  }
  return out;
}

describe.each(THREADED)('GEMM plans on the %s build', (variant) => {
  // independent blocks on 3 threads: the kernel tables' split runs (tests/backend/harness.ts)
  for (const [threads, sharing] of [[2, 'always'], [3, 'always'], [2, 'never']] as const) {
    it(`${sharing === 'always' ? 'shared operands' : 'independent blocks'}, ${threads} threads: the naive product, one thread's bits`, async () => {
      const [one, many] = await Promise.all([backend(variant), pooled(variant, threads, sharing)]);
      const pool = many.pool!, run = pool.run.bind(pool), jobs = new Map<number, number>();
      vi.spyOn(pool, 'run').mockImplementation((k, n) => { jobs.set(k, (jobs.get(k) ?? 0) + 1); run(k, n); });
      const before = pool.stats().sharesByWorkers;
      cases().forEach((cs, i) => {
        const c = gemmCase(cs, inputs(cs, i + 1), name(cs));
        expectSameBits(expectKernel(many, c), expectKernel(one, c), `${many.name} ${c.label}`);
      });
      const ran = (k: string) => jobs.get(pool.kernelIndex(k)) ?? 0;
      if (sharing === 'always') {
        expect(ran('gemm_pack_f32'), 'pack jobs').toBeGreaterThan(50);
        expect(ran('gemm_packed_f32'), 'compute jobs').toBe(ran('gemm_pack_f32'));
      } else {
        expect(ran('gemm_pack_f32') + ran('gemm_packed_f32')).toBe(0);
      }
      expect(ran('gemm_f32'), 'independent blocks (and row-kernel splits)').toBeGreaterThan(sharing === 'never' ? 100 : 0);
      expect(pool.stats().sharesByWorkers - before, 'shares run by workers').toBeGreaterThan(0);
    }, 120_000);
  }
});

describe('which plan (src/threads/gemm-sharing.ts)', () => {
  const A = COST.gemmPackA, B = COST.gemmPackB;
  const plan = (m: number, n: number, k: number, threads: number, sharing: GemmSharing = 'auto', tA = 0, tB = 0) => {
    const s = gemmSplit(m, n, k, tA, tB, threads, COST.gemmFlop, 8000);
    return gemmShares(s, m, n, k, tA, tB, packPlan(m, n, k, threads), sharing, true);
  };

  it('cuts the pack job into ranges that cover every tile and panel once', () => {
    for (const [units, shares] of [[1, 2], [3, 3], [64, 3], [257, 16], [0, 2]] as const) {
      const seen: number[] = [];
      for (let s = 0; s < shares; s++) { const [a, b] = packRange(units, s, shares); for (let u = a; u < b; u++) seen.push(u); }
      expect(seen).toEqual(Array.from({ length: units }, (_, u) => u));
    }
    // C 64×256 over k = 784 on 4 threads: 16 A tiles, 32 B panels, (64·A + 256·B)·784 ns of packing,
    // three quarters of it saved by 4 shares: far more than a job
    expect(packPlan(64, 256, 784, 4)).toEqual({ tiles: 16, panels: 32, shares: 4, jobNs: 2500 });
    // C 8×8 over 8: 0.2 µs of packing — the calling thread packs alone; split anyway when finest
    expect(packPlan(8, 8, 8, 4)).toEqual({ tiles: 2, panels: 1, shares: 1, jobNs: 2500 });
    expect(packPlan(8, 8, 8, 4, true).shares).toBe(3); // no more shares than tiles and panels
  });

  it('auto shares when the repacking it saves outweighs one more job, colder panels and a margin; never below 4 rows', () => {
    // a batch-64 layer (C 64×256, k = 784) on 16 threads: a 2×8 grid of 32×32 blocks, each packing
    // 32 rows of A and 32 columns of B; shared: 64 rows and 256 columns packed once, 16 ways
    const s16 = gemmSplit(64, 256, 784, 0, 0, 16, COST.gemmFlop, 8000);
    expect(s16).toEqual({ rows: 2, cols: 8, rowStep: 32, colStep: 32 });
    const own = 784 * (32 * A + 32 * B);
    const shared = (784 * (64 * A + 256 * B)) / 16 + jobNs(16) + SHARED_PANELS_PENALTY * 32 * 32 * 784 * COST.gemmFlop;
    expect(own - shared).toBeGreaterThan(SHARING_MARGIN * 32 * 32 * 784 * COST.gemmFlop);
    expect(plan(64, 256, 784, 16)).toBe(true);
    // 1024³ on 2 threads: a 1×2 grid repacks A once (1024² elements); sharing saves half of that per
    // thread, less than the colder panels cost over a 1024×512×1024 block
    const own2 = 1024 * (1024 * A + 512 * B);
    const shared2 = (1024 * 1024 * (A + B)) / 2 + jobNs(2) + SHARED_PANELS_PENALTY * 1024 * 512 * 1024 * COST.gemmFlop;
    expect(shared2).toBeGreaterThan(own2);
    expect(plan(1024, 1024, 1024, 2)).toBe(false);
    expect(plan(3, 4096, 256, 8)).toBe(false);                // row kernels: their bits, not the micro-kernel's
    expect(plan(3, 4096, 256, 8, 'always')).toBe(false);
    expect(plan(3, 4096, 256, 8, 'always', 1, 1)).toBe(true); // both transposed: packed in one call too
    expect(plan(512, 512, 512, 8, 'never')).toBe(false);
    expect(plan(16, 16, 16, 8, 'always')).toBe(false);        // too small to split at all
  });
});
