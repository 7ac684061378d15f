// gemm_f32 on every backend — the JS reference included — against a naive f64 triple loop written
// here: all four transpose combinations × accumulate × bias × ReLU, awkward sizes (SIMD and tile
// edges, K blocks past 256, M and N blocks), leading dimensions larger than the matrix,
// NaN/Infinity propagation. The workspace is poisoned with NaN (a kernel must not read scratch it
// did not write); A, B and bias must be left alone (bit for bit), and so must C's padding columns
// and the words after C (they hold a sentinel the expectation keeps). Tolerance: the wasm builds
// sum k products of values in [−1, 1] in f32 (blocked, in any order); each add rounds by half an
// ulp of a partial sum of size ~√k/3, so the error against the f64 sum grows like 2e-8·k for
// random inputs. 2e-6·(k + 4) absolute leaves a margin of ~100 (and covers the bias and the
// accumulated C, the +4); 1e-5 relative for the few large sums.
import { describe, it, expect } from 'vitest';
import { BACKENDS, backend } from '../helpers/backends.js';
import { kernelSuite, type KernelCase } from './harness.js';
import { gemmCase, inputs, name, type Case } from '../helpers/gemm-cases.js';

// Shapes: every size of the awkward list appears as m, n and k; then K blocking (k > 256),
// M blocking (m > 128), N blocking (n > 1024), big tiles, and the unpacked paths for one to
// three rows (24-column and 6-column blocks plus a packed remainder).
const S = [0, 1, 3, 4, 5, 7, 8, 15, 16, 17, 33];
const SHAPES: [number, number, number][] = [
  ...S.map((s, i): [number, number, number] => [s, S[(i * 3 + 1) % S.length]!, S[(i * 7 + 2) % S.length]!]),
  ...S.map((s, i): [number, number, number] => [S[(i * 5 + 3) % S.length]!, s, S[(i + 6) % S.length]!]),
  [5, 9, 257], [7, 13, 300], [17, 33, 513], [33, 17, 300], [257, 9, 5], [9, 257, 17],
  [1, 1, 513], [131, 20, 24], [4, 1030, 3], [2, 3, 0], [0, 4, 4], [4, 0, 4],
  [1, 57, 19], [2, 33, 300], [3, 50, 7], [1, 48, 0], [2, 1030, 4],
];
const FLAGS = [0, 1, 2, 3, 4, 5, 6, 7]; // accumulate | bias << 1 | relu << 2

function cases(): Case[] {
  const out: Case[] = [];
  let idx = 0;
  for (const [m, n, k] of SHAPES) {
    for (let t = 0; t < 4; t++) {
      // all eight epilogue combinations for small shapes, two rotating ones for large
      const big = m * n * k > 20000;
      const flags = big ? [FLAGS[idx % 8]!, FLAGS[(idx + 5) % 8]!] : FLAGS;
      for (const f of flags) {
        out.push({ m, n, k, transA: t & 1, transB: t >> 1, accumulate: f & 1, bias: (f & 2) !== 0,
          act: f >> 2, pad: idx % 3 === 0 ? 0 : idx % 3 === 1 ? 3 : 9 });
        idx++;
      }
    }
  }
  return out;
}

describe('gemm_f32 reference', () => {
  it('computes a known product in all four layouts', async () => {
    // A = [[1,2,3],[4,5,6]], B = [[1,-1],[2,0],[0,3]] → A·B = [[5,8],[14,14]]
    const A = [1, 2, 3, 4, 5, 6], At = [1, 4, 2, 5, 3, 6];
    const B = [1, -1, 2, 0, 0, 3], Bt = [1, 2, 0, -1, 0, 3];
    for (let t = 0; t < 4; t++) {
      const tA = t & 1, tB = t >> 1;
      for (const be of await Promise.all(BACKENDS.map(backend))) {
        const pa = be.heap.writeF32(tA ? At : A), pb = be.heap.writeF32(tB ? Bt : B);
        const pc = be.heap.writeF32([100, 100, 100, 100]), pbias = be.heap.writeF32([1, -20]);
        const ws = be.heap.alloc(be.kernels.gemm_workspace_f32(2, 2, 3, tA, tB));
        be.kernels.gemm_f32(pc, pa, pb, 0, ws, 2, 2, 3, tA ? 2 : 3, tB ? 3 : 2, 2, tA, tB, 0, 0);
        expect(Array.from(be.heap.readF32(pc, 4))).toEqual([5, 8, 14, 14]);
        // accumulate + bias + relu: relu([5+5+1, 8+8-20, 14+14+1, 14+14-20])
        be.kernels.gemm_f32(pc, pa, pb, pbias, ws, 2, 2, 3, tA ? 2 : 3, tB ? 3 : 2, 2, tA, tB, 1, 1);
        expect(Array.from(be.heap.readF32(pc, 4))).toEqual([11, 0, 29, 8]);
        for (const p of [pa, pb, pc, pbias, ws]) be.heap.free(p);
      }
    }
  });
});

/** NaN and ±Infinity in A, B, C and bias, in every layout. */
function nanCases(): KernelCase[] {
  return [0, 1, 2, 3].map((t) => {
    const cs: Case = { m: 9, n: 19, k: 300, transA: t & 1, transB: t >> 1, accumulate: 1, bias: true, act: t >> 1, pad: 1 };
    const x = inputs(cs, 77 + t);
    const at = (i: number, p: number) => (cs.transA ? p * x.lda + i : i * x.lda + p);
    const bt = (p: number, j: number) => (cs.transB ? j * x.ldb + p : p * x.ldb + j);
    x.a[at(2, 290)] = NaN;            // row 2 of C becomes NaN
    x.b[bt(5, 11)] = Infinity;        // column 11 becomes ±Infinity (or NaN with row 2)
    x.c[6 * x.ldc + 3] = -Infinity;   // accumulated -Infinity stays (relu makes it 0)
    x.bias[17] = NaN;                 // column 17 becomes NaN
    const c = gemmCase(cs, x, `nan/inf t=${t}`), want = c.want[0]!;
    expect(Number.isNaN(want[2 * x.ldc]!)).toBe(true);
    if (!cs.act) expect(Number.isFinite(want[11]!)).toBe(false);
    return c;
  });
}

kernelSuite('gemm_f32', {
  'awkward shapes, layouts and epilogues': () => cases().map((cs, i) => gemmCase(cs, inputs(cs, i + 1), name(cs))),
  'NaN and Infinity propagate': nanCases,
});

describe.each(BACKENDS)('gemm_f32 on %s', (bname) => {
  it('reports a workspace size that is a multiple of 16 and independent of the data', async () => {
    const be = await backend(bname);
    for (const [m, n, k] of [[0, 5, 5], [1, 1, 1], [33, 17, 300], [1000, 2000, 700]] as const) {
      const bytes = be.kernels.gemm_workspace_f32(m, n, k, 0, 0);
      expect(bytes % 16).toBe(0);
      expect(bytes).toBeLessThan(8 << 20);
    }
  });
});
