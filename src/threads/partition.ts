// How a kernel call is cut into shares. Every cut is a function of the call's sizes and the
// pool's thread count only, and falls where the kernel would compute each output the same way
// whoever runs it: ranges start at multiples of 16 elements (a 64-byte cache line; SIMD bodies and
// their tails see the same lanes as in one call), GEMM blocks at multiples of the 4×8 micro-tile
// (24 columns when fewer than 4 rows take the row kernels, which step 24 or 6 columns at a time;
// and never a block of fewer than 4 rows cut from a taller C, which would take those kernels).
// So a split call writes exactly the bits of the unsplit one.

/** A 1-D cut: `shares` pieces of `step` units (the last may be shorter). */
export interface RangeSplit { shares: number; step: number }

// "Do not split", the answer to most calls, is one object each function reuses (kernel wrappers
// run on every call: no garbage when they only pass the call on). Read it before the next cut.
const WHOLE: RangeSplit = { shares: 1, step: 0 };
const WHOLE_GEMM: GemmSplit = { rows: 1, cols: 1, rowStep: 0, colStep: 0 };

/**
 * Cuts n units, each worth `unitNs` of one thread's time, into at most `threads` shares of at
 * least `minShareNs` each, starting at multiples of `align` units. shares = 1 means: do not split.
 * @example rangeSplit(1000, 1, 16, 2, 100) // { shares: 2, step: 512 }
 */
export function rangeSplit(n: number, unitNs: number, align: number, threads: number, minShareNs: number): RangeSplit {
  const want = Math.min(threads, Math.floor((n * unitNs) / minShareNs), Math.ceil(n / align));
  if (!(want >= 2)) { WHOLE.step = n; return WHOLE; }
  const step = Math.ceil(n / want / align) * align;
  return { shares: Math.ceil(n / step), step };
}

/** A 2-D cut of C[m×n] into rows × cols blocks of rowStep × colStep; the last row of blocks takes
 * every row left (up to rowStep + 3), so that no block has fewer than 4 rows unless m has. */
export interface GemmSplit { rows: number; cols: number; rowStep: number; colStep: number }

/** Rows of row block r of s over m rows. */
export function blockRows(s: GemmSplit, m: number, r: number): number {
  return r === s.rows - 1 ? m - r * s.rowStep : s.rowStep;
}

const MR = 4, NR = 8, ROW_KERNEL_COLS = 24;

/**
 * Cuts a GEMM (C[m×n] = op(A)[m×k]·op(B)[k×n]) into blocks, each a GEMM of its own that packs its
 * own A rows and B columns: as many blocks as `threads` and the work allow (≥ minShareNs each at
 * nsPerFlop), shaped to repeat the least packing (a grid of R × C blocks packs A C times and B R
 * times).
 */
export function gemmSplit(m: number, n: number, k: number, transA: number, transB: number, threads: number,
  nsPerFlop: number, minShareNs: number): GemmSplit {
  const none = WHOLE_GEMM;
  none.rowStep = m;
  none.colStep = n;
  const most = Math.min(threads, Math.floor((2 * m * n * Math.max(k, 1) * nsPerFlop) / minShareNs));
  if (!(most >= 2)) return none;
  if (m < MR && !(transA && transB)) { // the row kernels: columns only, in whole 24-column groups
    const cols = Math.min(most, Math.ceil(n / ROW_KERNEL_COLS));
    if (cols < 2) return none;
    const colStep = Math.ceil(n / cols / ROW_KERNEL_COLS) * ROW_KERNEL_COLS;
    return { rows: 1, cols: Math.ceil(n / colStep), rowStep: m, colStep };
  }
  let best = none, bestCost = Infinity, bestBlocks = 1;
  for (let r = 1; r <= most; r++) {
    const c = Math.floor(most / r);
    const rowStep = Math.ceil(m / r / MR) * MR, colStep = Math.ceil(n / c / NR) * NR;
    const rows = Math.max(1, Math.floor(m / rowStep) + (m % rowStep >= MR ? 1 : 0));
    const cols = Math.ceil(n / colStep), blocks = rows * cols;
    const cost = cols * m + rows * n; // packing, in units of k
    if (blocks > bestBlocks || (blocks === bestBlocks && cost < bestCost)) {
      best = { rows, cols, rowStep, colStep };
      bestCost = cost;
      bestBlocks = blocks;
    }
  }
  return best;
}
