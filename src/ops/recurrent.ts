// One recurrent layer in one direction over a whole time-major sequence, as ONE autograd node
// (forward and backward side by side). Forward: the input projection of all steps is one GEMM
// (x[T·B, I]·W_ihᵀ + b_ih), then per step one GEMM over the concatenated gate weights
// (h_{t−1}·W_hhᵀ + b_hh) and one fused pointwise cell kernel. Backward through time: per step the
// fused cell backward and one GEMM for dh_{t−1}; at the end dX, dW_ih, dW_hh and the biases are
// ONE GEMM each over all steps.
//
// Result: a states tensor P [S, T+1, B, H] (S = 2 for LSTM: hidden then cell states, else 1).
// Slot layout along T+1: forward direction slot 0 = h0 and slot t+1 = h_t; reverse direction
// slot t = h_t and slot T = h0 — so the outputs are P[0, 1:] (forward) or P[0, :T] (reverse) and
// the previous states of all steps are the other T slots, both contiguous. recurrentParts() cuts
// output, h_n and c_n out of P as views whose gradients land straight in P's gradient.
import { Tensor } from '../tensor.js';
import type { Backend } from '../backend/create-backend.js';
import { wordIndex, type Ptr } from '../memory.js';
import { ShapeError, fmtShape } from '../errors.js';
import { needsGrad, record } from '../autograd.js';
import { stridesOf } from '../shape-arithmetic.js';
import { contiguous } from './shape.js';
import { accumulate } from './grad.js';

/** The cell: PyTorch's mode names (gate order i,f,g,o for LSTM and r,z,n for GRU). */
export type RecurrentMode = 'lstm' | 'gru' | 'rnn_tanh' | 'rnn_relu';
/** Gates per cell: the weights are [GATES·H, …]. */
export const GATES: Record<RecurrentMode, number> = { lstm: 4, gru: 3, rnn_tanh: 1, rnn_relu: 1 };

export interface RecurrentWeights {
  /** [G·H, I] */ weightIh: Tensor;
  /** [G·H, H] */ weightHh: Tensor;
  /** [G·H] */ biasIh?: Tensor | null;
  /** [G·H] */ biasHh?: Tensor | null;
}

type Gemm = (c: Ptr, a: Ptr, b: Ptr, bias: Ptr, m: number, n: number, k: number,
  lda: number, ldb: number, ldc: number, tA: number, tB: number, acc: number) => void;

/** A raw GEMM over one workspace big enough for every listed [m, n, k, tA, tB]; free() after use. */
function gemmWith(be: Backend, sizes: number[][]): { gemm: Gemm; free: () => void } {
  let bytes = 0;
  for (const [m, n, k, tA, tB] of sizes) if (m! * n! > 0) bytes = Math.max(bytes, be.kernels.gemm_workspace_f32(m!, n!, k!, tA!, tB!));
  const ws = bytes > 0 ? be.heap.alloc(bytes) : 0;
  return {
    gemm: (c, a, b, bias, m, n, k, lda, ldb, ldc, tA, tB, acc) => {
      if (m * n > 0) be.kernels.gemm_f32(c, a, b, bias, ws, m, n, k, lda, ldb, ldc, tA, tB, acc, 0);
    },
    free: () => { if (ws) be.heap.free(ws); },
  };
}

function expectShape(what: string, t: Tensor | null | undefined, shape: number[]): void {
  if (t && t.shape.join() !== shape.join()) {
    throw new ShapeError(`recurrent layer: ${what} has shape ${fmtShape(t.shape)}, expected ${fmtShape(shape)}`);
  }
}

/**
 * Runs the cell over x [T, B, I] from h0 (and c0 for LSTM) [B, H] (null: zeros); reverse runs
 * t = T−1 … 0. Returns the states tensor P [S, T+1, B, H] described above.
 * @example
 * const P = recurrentSequence('lstm', x, null, null, { weightIh, weightHh, biasIh, biasHh });
 * const { output, hN, cN } = recurrentParts(P, 'lstm', false);
 */
export function recurrentSequence(
  mode: RecurrentMode, x: Tensor, h0: Tensor | null, c0: Tensor | null, w: RecurrentWeights, reverse = false,
): Tensor {
  const G = GATES[mode], { weightIh, weightHh } = w, biasIh = w.biasIh ?? null, biasHh = w.biasHh ?? null;
  if (x.rank !== 3) throw new ShapeError(`recurrent layer: input must be [T, B, I], got ${fmtShape(x.shape)}`);
  const [T, B, I] = x.shape as [number, number, number];
  if (weightHh.rank !== 2 || weightHh.shape[0] !== G * weightHh.shape[1]!) {
    throw new ShapeError(`recurrent layer: weight_hh has shape ${fmtShape(weightHh.shape)}, expected [${G}·H, H]`);
  }
  const H = weightHh.shape[1]!, GH = G * H, BH = B * H, TB = T * B;
  if (T < 1) throw new ShapeError(`recurrent layer: the sequence is empty (input ${fmtShape(x.shape)})`);
  expectShape('weight_ih', weightIh, [GH, I]);
  expectShape('bias_ih', biasIh, [GH]);
  expectShape('bias_hh', biasHh, [GH]);
  expectShape('h0', h0, [B, H]);
  expectShape('c0', mode === 'lstm' ? c0 : null, [B, H]);
  const owned: Tensor[] = [];
  const dense = (t: Tensor): Tensor => { if (t.isContiguous) return t; const c = contiguous(t); owned.push(c); return c; };
  try {
    const xs = dense(x), wih = dense(weightIh), whh = dense(weightHh);
    const bih = biasIh && dense(biasIh), bhh = biasHh && dense(biasHh);
    const hinit = h0 && dense(h0), cinit = mode === 'lstm' && c0 ? dense(c0) : null;
    const be = x.backend, k = be.kernels, st = BH * 4, S = mode === 'lstm' ? 2 : 1;
    const out = Tensor.empty([S, T + 1, B, H], be);
    const gates = Tensor.empty([T, B, GH], be);
    const hn = mode === 'gru' ? Tensor.empty([T, B, H], be) : null;
    const hw = mode === 'gru' && B * GH > 0 ? be.heap.alloc(B * GH * 4) : 0;
    const { gemm, free } = gemmWith(be, [[TB, GH, I, 0, 1], [B, GH, H, 0, 1]]);
    const Hs = out.ptr, Cs = Hs + (T + 1) * st, slot0 = reverse ? T : 0;
    const init = (dst: Ptr, src: Tensor | null): void => {
      if (src) be.heap.f32.copyWithin(wordIndex(dst), wordIndex(src.ptr), wordIndex(src.ptr) + BH);
      else k.fill_f32(dst, BH, 0);
    };
    try {
      init(Hs + slot0 * st, hinit);
      if (S === 2) init(Cs + slot0 * st, cinit);
      gemm(gates.ptr, xs.ptr, wih.ptr, bih ? bih.ptr : 0, TB, GH, I, I, I, GH, 0, 1, 0);
      for (let s = 0; s < T; s++) {
        const t = reverse ? T - 1 - s : s, prev = (reverse ? t + 1 : t) * st, cur = (reverse ? t : t + 1) * st;
        const gt = gates.ptr + t * B * GH * 4, bb = bhh ? bhh.ptr : 0;
        if (mode === 'gru') {
          gemm(hw, Hs + prev, whh.ptr, bb, B, GH, H, H, H, GH, 0, 1, 0);
          k.gru_cell_f32(Hs + cur, hn!.ptr + t * st, gt, hw, Hs + prev, B, H);
          continue;
        }
        gemm(gt, Hs + prev, whh.ptr, bb, B, GH, H, H, H, GH, 0, 1, 1);
        if (mode === 'lstm') k.lstm_cell_f32(Hs + cur, Cs + cur, gt, Cs + prev, B, H);
        else k.rnn_cell_f32(Hs + cur, gt, BH, mode === 'rnn_relu' ? 1 : 0);
      }
    } finally {
      free();
      if (hw) be.heap.free(hw);
    }
    const inputs = [xs, wih, whh, bih, bhh, hinit, cinit];
    if (!needsGrad(...inputs)) {
      gates.dispose(); hn?.dispose();
      return out;
    }
    const present = inputs.filter((t): t is Tensor => t !== null);
    const slotOf = inputs.map((t) => (t ? present.indexOf(t) : -1));
    const saved = [xs, wih, whh, gates, out, ...(hn ? [hn] : [])];
    const result = record(mode, out, present, saved, (g, grads, [sx, sWih, sWhh, sGates, sOut, sHn]) => {
      const at = (i: number): Tensor | null => (slotOf[i]! >= 0 ? grads[slotOf[i]!] ?? null : null);
      backwardThroughTime(mode, reverse, g, { T, B, I, H }, sx!, sWih!, sWhh!, sGates!, sOut!, sHn ?? null,
        { x: at(0), wih: at(1), whh: at(2), bih: at(3), bhh: at(4), h0: at(5), c0: at(6) });
    });
    gates.dispose(); hn?.dispose();
    return result;
  } finally {
    for (const t of owned) t.dispose();
  }
}

interface Grads { x: Tensor | null; wih: Tensor | null; whh: Tensor | null; bih: Tensor | null; bhh: Tensor | null; h0: Tensor | null; c0: Tensor | null }

/** The backward of recurrentSequence: gradients of P (g) → accumulated into the input grads. */
function backwardThroughTime(
  mode: RecurrentMode, reverse: boolean, g: Tensor, { T, B, I, H }: { T: number; B: number; I: number; H: number },
  x: Tensor, wih: Tensor, whh: Tensor, gates: Tensor, out: Tensor, hn: Tensor | null, d: Grads,
): void {
  const be = g.backend, k = be.kernels, G = GATES[mode], GH = G * H, BH = B * H, TB = T * B, st = BH * 4;
  const gc = g.isContiguous ? g : contiguous(g);
  const dS = Tensor.empty(out.shape, be); // dH then dC, accumulated through time
  const dG = Tensor.empty([T, B, GH], be);
  const dGh = mode === 'gru' ? Tensor.empty([T, B, GH], be) : dG;
  const ones = d.bih || d.bhh ? be.heap.alloc(TB * 4) : 0;
  const { gemm, free } = gemmWith(be, [[B, H, GH, 0, 0], [TB, I, GH, 0, 0], [GH, I, TB, 1, 0], [GH, H, TB, 1, 0], [1, GH, TB, 0, 0]]);
  try {
    be.heap.f32.copyWithin(wordIndex(dS.ptr), wordIndex(gc.ptr), wordIndex(gc.ptr) + out.size);
    k.fill_f32(dG.ptr, dG.size, 0);
    if (dGh !== dG) k.fill_f32(dGh.ptr, dGh.size, 0);
    const Hs = out.ptr, Cs = Hs + (T + 1) * st, dH = dS.ptr, dC = dH + (T + 1) * st;
    for (let s = T - 1; s >= 0; s--) {
      const t = reverse ? T - 1 - s : s, prev = (reverse ? t + 1 : t) * st, cur = (reverse ? t : t + 1) * st;
      const go = t * B * GH * 4, dg = dG.ptr + go, dgh = dGh.ptr + go;
      if (mode === 'lstm') {
        k.lstm_cell_backward_f32(dg, dC + prev, gates.ptr + go, Cs + prev, Cs + cur, dH + cur, dC + cur, B, H);
      } else if (mode === 'gru') {
        k.gru_cell_backward_f32(dg, dgh, dH + prev, gates.ptr + go, hn!.ptr + t * st, Hs + prev, dH + cur, B, H);
      } else {
        k.rnn_cell_backward_f32(dg, Hs + cur, dH + cur, BH, mode === 'rnn_relu' ? 1 : 0);
      }
      if (s > 0 || d.h0) gemm(dH + prev, dgh, whh.ptr, 0, B, H, GH, GH, H, H, 0, 0, 1); // dh_{t−1} += dG_h·W_hh
    }
    if (d.x) gemm(d.x.ptr, dG.ptr, wih.ptr, 0, TB, I, GH, GH, I, I, 0, 0, 1); // dX += dG·W_ih
    if (d.wih) gemm(d.wih.ptr, dG.ptr, x.ptr, 0, GH, I, TB, GH, I, I, 1, 0, 1); // dW_ih += dGᵀ·X
    if (d.whh) gemm(d.whh.ptr, dGh.ptr, Hs + (reverse ? st : 0), 0, GH, H, TB, GH, H, H, 1, 0, 1); // dW_hh += dG_hᵀ·H_prev
    if (ones) k.fill_f32(ones, TB, 1);
    if (d.bih) gemm(d.bih.ptr, ones, dG.ptr, 0, 1, GH, TB, TB, GH, GH, 0, 0, 1); // column sums
    if (d.bhh) gemm(d.bhh.ptr, ones, dGh.ptr, 0, 1, GH, TB, TB, GH, GH, 0, 0, 1);
    const slot0 = (reverse ? T : 0) * st;
    for (const [dst, src] of [[d.h0, dH + slot0], [d.c0, dC + slot0]] as const) {
      if (dst) k.add_f32(dst.ptr, dst.ptr, src, 1, BH, 0, 1, 0, 1);
    }
  } finally {
    free();
    if (ones) be.heap.free(ones);
    if (gc !== g) gc.dispose();
    dS.dispose(); dG.dispose();
    if (dGh !== dG) dGh.dispose();
  }
}

/** A view of `shape` at element offset `off` of P whose gradient accumulates into P's gradient. */
function part(P: Tensor, off: number, shape: number[]): Tensor {
  const strides = stridesOf(shape);
  const v = P.view(shape, strides, P.offset + off);
  if (!needsGrad(P)) return v;
  return record('recurrent-part', v, [P], [], (g, [gP]) => {
    const dst = gP!.view(shape, strides, gP!.offset + off);
    try { accumulate(dst, g); } finally { dst.dispose(); }
  });
}

/** Cuts the states tensor of recurrentSequence into output [T, B, H], hN [1, B, H] and (LSTM) cN. */
export function recurrentParts(P: Tensor, mode: RecurrentMode, reverse: boolean): { output: Tensor; hN: Tensor; cN: Tensor | null } {
  const [, T1, B, H] = P.shape as [number, number, number, number];
  const BH = B * H, T = T1 - 1, last = (reverse ? 0 : T) * BH;
  return {
    output: part(P, reverse ? 0 : BH, [T, B, H]),
    hN: part(P, last, [1, B, H]),
    cN: mode === 'lstm' ? part(P, T1 * BH + last, [1, B, H]) : null,
  };
}
