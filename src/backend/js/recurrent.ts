// Reference recurrent cells (the specification for assembly/recurrent.ts; contracts on Kernels
// in ../backend.ts).
// Naive loops in f64 (Math.*), rounded on store; gate blocks in PyTorch's order.
import type { Kernels, Ptr } from '../backend.js';
import { wordIndex, type HeapViews } from '../../memory.js';

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

export function recurrentKernels(h: HeapViews) {
  return {
    lstm_cell_f32(hp: Ptr, c: Ptr, gates: Ptr, cPrev: Ptr, rows: number, H: number): void {
      const f = h.f32;
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < H; j++) {
          const g0 = wordIndex(gates) + r * 4 * H + j, s = r * H + j;
          const i = sigmoid(f[g0]!), fg = sigmoid(f[g0 + H]!), g = Math.tanh(f[g0 + 2 * H]!), o = sigmoid(f[g0 + 3 * H]!);
          f[g0] = i; f[g0 + H] = fg; f[g0 + 2 * H] = g; f[g0 + 3 * H] = o;
          const cn = Math.fround(fg * f[wordIndex(cPrev) + s]! + i * g);
          f[wordIndex(c) + s] = cn;
          f[wordIndex(hp) + s] = o * Math.tanh(cn);
        }
      }
    },
    lstm_cell_backward_f32(dgates: Ptr, dcPrev: Ptr, gates: Ptr, cPrev: Ptr, c: Ptr, dh: Ptr, dc: Ptr,
      rows: number, H: number): void {
      const f = h.f32;
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < H; j++) {
          const g0 = r * 4 * H + j, s = r * H + j, G = wordIndex(gates), D = wordIndex(dgates);
          const i = f[G + g0]!, fg = f[G + g0 + H]!, g = f[G + g0 + 2 * H]!, o = f[G + g0 + 3 * H]!;
          const tc = Math.tanh(f[wordIndex(c) + s]!), d = f[wordIndex(dh) + s]!;
          const dct = f[wordIndex(dc) + s]! + d * o * (1 - tc * tc);
          f[D + g0] = f[D + g0]! + dct * g * i * (1 - i);
          f[D + g0 + H] = f[D + g0 + H]! + dct * f[wordIndex(cPrev) + s]! * fg * (1 - fg);
          f[D + g0 + 2 * H] = f[D + g0 + 2 * H]! + dct * i * (1 - g * g);
          f[D + g0 + 3 * H] = f[D + g0 + 3 * H]! + d * tc * o * (1 - o);
          f[wordIndex(dcPrev) + s] = f[wordIndex(dcPrev) + s]! + dct * fg;
        }
      }
    },
    gru_cell_f32(hp: Ptr, hn: Ptr, gates: Ptr, hw: Ptr, hPrev: Ptr, rows: number, H: number): void {
      const f = h.f32;
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < H; j++) {
          const g0 = wordIndex(gates) + r * 3 * H + j, w0 = wordIndex(hw) + r * 3 * H + j, s = r * H + j;
          const rg = sigmoid(f[g0]! + f[w0]!), z = sigmoid(f[g0 + H]! + f[w0 + H]!), hnv = f[w0 + 2 * H]!;
          const n = Math.fround(Math.tanh(f[g0 + 2 * H]! + rg * hnv));
          f[g0] = rg; f[g0 + H] = z; f[g0 + 2 * H] = n; f[wordIndex(hn) + s] = hnv;
          f[wordIndex(hp) + s] = (1 - z) * n + z * f[wordIndex(hPrev) + s]!;
        }
      }
    },
    gru_cell_backward_f32(dgx: Ptr, dgh: Ptr, dhPrev: Ptr, gates: Ptr, hn: Ptr, hPrev: Ptr, dh: Ptr,
      rows: number, H: number): void {
      const f = h.f32;
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < H; j++) {
          const g0 = r * 3 * H + j, s = r * H + j, G = wordIndex(gates), X = wordIndex(dgx), Y = wordIndex(dgh);
          const rg = f[G + g0]!, z = f[G + g0 + H]!, n = f[G + g0 + 2 * H]!, d = f[wordIndex(dh) + s]!;
          const dan = d * (1 - z) * (1 - n * n);
          const dar = dan * f[wordIndex(hn) + s]! * rg * (1 - rg);
          const daz = d * (f[wordIndex(hPrev) + s]! - n) * z * (1 - z);
          f[X + g0] = f[X + g0]! + dar; f[Y + g0] = f[Y + g0]! + dar;
          f[X + g0 + H] = f[X + g0 + H]! + daz; f[Y + g0 + H] = f[Y + g0 + H]! + daz;
          f[X + g0 + 2 * H] = f[X + g0 + 2 * H]! + dan; f[Y + g0 + 2 * H] = f[Y + g0 + 2 * H]! + dan * rg;
          f[wordIndex(dhPrev) + s] = f[wordIndex(dhPrev) + s]! + d * z;
        }
      }
    },
    rnn_cell_f32(hp: Ptr, pre: Ptr, n: number, act: number): void {
      const f = h.f32;
      for (let i = 0; i < n; i++) {
        const x = f[wordIndex(pre) + i]!;
        f[wordIndex(hp) + i] = act === 1 ? (x < 0 ? 0 : x) : Math.tanh(x);
      }
    },
    rnn_cell_backward_f32(dpre: Ptr, hp: Ptr, dh: Ptr, n: number, act: number): void {
      const f = h.f32;
      for (let i = 0; i < n; i++) {
        const y = f[wordIndex(hp) + i]!, d = f[wordIndex(dh) + i]!;
        f[wordIndex(dpre) + i] = f[wordIndex(dpre) + i]! + (act === 1 ? (y > 0 ? d : 0) : d * (1 - y * y));
      }
    },
  } satisfies Partial<Kernels>;
}
