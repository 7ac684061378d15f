// Reference pooling (the specification for assembly/pool.ts; contracts on Kernels in
// ../backend.ts): max and average over each clipped window, plane by plane.
import type { Kernels, Ptr } from '../backend.js';
import { wordIndex, type HeapViews } from '../../memory.js';

/** Calls f(o, h0, h1, w0, w1, divisor) per output o with its window clipped to the input. */
function windows(
  planes: number, h: number, w: number, oh: number, ow: number, kh: number, kw: number,
  sh: number, sw: number, ph: number, pw: number, countIncludePad: number,
  f: (plane: number, o: number, h0: number, h1: number, w0: number, w1: number, divisor: number) => void,
): void {
  for (let p = 0; p < planes; p++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const hs = i * sh - ph, ws = j * sw - pw;
        const he = Math.min(hs + kh, h + ph), we = Math.min(ws + kw, w + pw);
        const h0 = Math.max(hs, 0), h1 = Math.min(he, h), w0 = Math.max(ws, 0), w1 = Math.min(we, w);
        f(p, (p * oh + i) * ow + j, h0, h1, w0, w1, countIncludePad ? (he - hs) * (we - ws) : (h1 - h0) * (w1 - w0));
      }
    }
  }
}

export function poolKernels(hp: HeapViews) {
  return {
    max_pool2d_f32(y: Ptr, idx: Ptr, x: Ptr, planes: number, h: number, w: number, oh: number, ow: number,
      kh: number, kw: number, sh: number, sw: number, ph: number, pw: number): void {
      const f = hp.f32, ix = hp.i32;
      windows(planes, h, w, oh, ow, kh, kw, sh, sw, ph, pw, 0, (p, o, h0, h1, w0, w1) => {
        let best = -Infinity, at = h0 * w + w0;
        for (let r = h0; r < h1; r++) {
          for (let c = w0; c < w1; c++) {
            const v = f[wordIndex(x) + p * h * w + r * w + c]!;
            if (v > best || Number.isNaN(v)) { best = v; at = r * w + c; }
          }
        }
        f[wordIndex(y) + o] = best;
        ix[wordIndex(idx) + o] = at;
      });
    },
    max_pool2d_backward_f32(dx: Ptr, idx: Ptr, dy: Ptr, planes: number, h: number, w: number, oh: number, ow: number,
      _kh: number, _kw: number, _sh: number, _sw: number, _ph: number, _pw: number, overwrite = 0): void {
      const f = hp.f32, ix = hp.i32, hw = h * w, ohw = oh * ow;
      if (overwrite) f.fill(0, wordIndex(dx), wordIndex(dx) + planes * hw);
      for (let p = 0; p < planes; p++) {
        for (let o = 0; o < ohw; o++) {
          const at = wordIndex(dx) + p * hw + ix[wordIndex(idx) + p * ohw + o]!;
          f[at] = f[at]! + f[wordIndex(dy) + p * ohw + o]!;
        }
      }
    },
    avg_pool2d_f32(y: Ptr, x: Ptr, planes: number, h: number, w: number, oh: number, ow: number,
      kh: number, kw: number, sh: number, sw: number, ph: number, pw: number, countIncludePad: number): void {
      const f = hp.f32;
      windows(planes, h, w, oh, ow, kh, kw, sh, sw, ph, pw, countIncludePad, (p, o, h0, h1, w0, w1, div) => {
        let s = 0;
        for (let r = h0; r < h1; r++) for (let c = w0; c < w1; c++) s += f[wordIndex(x) + p * h * w + r * w + c]!;
        f[wordIndex(y) + o] = s / div;
      });
    },
    avg_pool2d_backward_f32(dx: Ptr, dy: Ptr, planes: number, h: number, w: number, oh: number, ow: number,
      kh: number, kw: number, sh: number, sw: number, ph: number, pw: number, countIncludePad: number): void {
      const f = hp.f32;
      windows(planes, h, w, oh, ow, kh, kw, sh, sw, ph, pw, countIncludePad, (p, o, h0, h1, w0, w1, div) => {
        const g = f[wordIndex(dy) + o]! / div;
        for (let r = h0; r < h1; r++) {
          for (let c = w0; c < w1; c++) { const at = wordIndex(dx) + p * h * w + r * w + c; f[at] = f[at]! + g; }
        }
      });
    },
  } satisfies Partial<Kernels>;
}
