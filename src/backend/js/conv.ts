// Reference convolution (the specification for assembly/conv.ts; contract on Kernels in
// ../backend.ts): the definition as nested loops over images, channels, outputs and taps, summed
// in f64, no im2col. The workspace is not used.
import type { Kernels, Ptr } from '../backend.js';
import { wordIndex, type HeapViews } from '../../memory.js';

/** Calls f(xi, yi, wi) for every (input element, output element, weight) triple the convolution
 * multiplies, grouped by output element: f64 sums stay exact per output when the caller wants. */
function visit(
  n: number, cin: number, h: number, wd: number, cout: number, oh: number, ow: number, kh: number, kw: number,
  sh: number, sw: number, ph: number, pw: number, dh: number, dw: number, groups: number,
  f: (xi: number, yi: number, wi: number) => void,
): void {
  const cg = cin / groups, og = cout / groups;
  for (let i = 0; i < n; i++) {
    for (let co = 0; co < cout; co++) {
      const g = Math.floor(co / og);
      for (let oy = 0; oy < oh; oy++) {
        for (let ox = 0; ox < ow; ox++) {
          const yi = ((i * cout + co) * oh + oy) * ow + ox;
          for (let c = 0; c < cg; c++) {
            for (let a = 0; a < kh; a++) {
              const iy = oy * sh + a * dh - ph;
              if (iy < 0 || iy >= h) continue;
              for (let b = 0; b < kw; b++) {
                const ix = ox * sw + b * dw - pw;
                if (ix < 0 || ix >= wd) continue;
                f(((i * cin + g * cg + c) * h + iy) * wd + ix, yi, ((co * cg + c) * kh + a) * kw + b);
              }
            }
          }
        }
      }
    }
  }
}

export function convKernels(hp: HeapViews) {
  return {
    conv2d_f32(y: Ptr, x: Ptr, w: Ptr, bias: Ptr, _ws: Ptr, n: number, cin: number, h: number, wd: number,
      cout: number, oh: number, ow: number, kh: number, kw: number, sh: number, sw: number, ph: number,
      pw: number, dh: number, dw: number, groups: number): void {
      const f = hp.f32, X = wordIndex(x), Y = wordIndex(y), W = wordIndex(w), P = oh * ow;
      const acc = new Float64Array(n * cout * P);
      visit(n, cin, h, wd, cout, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw, groups, (xi, yi, wi) => {
        acc[yi] = acc[yi]! + f[X + xi]! * f[W + wi]!;
      });
      for (let i = 0; i < acc.length; i++) {
        f[Y + i] = acc[i]! + (bias ? f[wordIndex(bias) + Math.floor(i / P) % cout]! : 0);
      }
    },
    conv2d_backward_input_f32(dx: Ptr, dy: Ptr, w: Ptr, _ws: Ptr, n: number, cin: number, h: number, wd: number,
      cout: number, oh: number, ow: number, kh: number, kw: number, sh: number, sw: number, ph: number,
      pw: number, dh: number, dw: number, groups: number, overwrite = 0): void {
      const f = hp.f32, D = wordIndex(dy), W = wordIndex(w);
      const acc = new Float64Array(n * cin * h * wd);
      visit(n, cin, h, wd, cout, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw, groups, (xi, yi, wi) => {
        acc[xi] = acc[xi]! + f[D + yi]! * f[W + wi]!;
      });
      for (let i = 0; i < acc.length; i++) f[wordIndex(dx) + i] = (overwrite ? 0 : f[wordIndex(dx) + i]!) + acc[i]!;
    },
    conv2d_backward_weight_f32(dwt: Ptr, dbias: Ptr, dy: Ptr, x: Ptr, _ws: Ptr, n: number, cin: number, h: number,
      wd: number, cout: number, oh: number, ow: number, kh: number, kw: number, sh: number, sw: number,
      ph: number, pw: number, dh: number, dw: number, groups: number): void {
      const f = hp.f32, D = wordIndex(dy), X = wordIndex(x), P = oh * ow;
      const acc = new Float64Array(cout * (cin / groups) * kh * kw);
      visit(n, cin, h, wd, cout, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw, groups, (xi, yi, wi) => {
        acc[wi] = acc[wi]! + f[D + yi]! * f[X + xi]!;
      });
      for (let i = 0; i < acc.length && dwt; i++) f[wordIndex(dwt) + i] = f[wordIndex(dwt) + i]! + acc[i]!;
      if (!dbias) return;
      for (let co = 0; co < cout; co++) {
        let s = 0;
        for (let i = 0; i < n; i++) for (let j = 0; j < P; j++) s += f[D + (i * cout + co) * P + j]!;
        f[wordIndex(dbias) + co] = f[wordIndex(dbias) + co]! + s;
      }
    },
    conv2d_workspace_f32(): number {
      return 0;
    },
  } satisfies Partial<Kernels>;
}
