// Convolution on the pool, split at the op level: each share is a complete call of the same
// kernel over a range of images or of output channels, on its own slice of the workspace (the
// kernels' internals are not touched). Contract: the same bits as one call at any thread count —
//   forward        by images (each image's outputs depend on that image alone); one image: by
//                  output channels in multiples of 4 (whole micro-tile rows), when groups = 1
//   input grad.    by images (dx of an image comes from its own dy)
//   weight grad.   dW and dbias sum over the images in order, so never by images: image by image
//                  (one pool job each, the kernel called with n = 1 — the order of one call), by
//                  output channels, when groups = 1; else one call on the calling thread
// conv2d_workspace_f32 reports one workspace per thread (64-byte steps), each sized for the whole
// call's geometry (a share's fewer images or channels never need more), so every share has its own.
import type { Kernels } from '../backend/backend.js';
import type { KernelPool } from './kernel-pool.js';
import { rangeSplit, type RangeSplit } from './partition.js';
import { COST } from './cost.js';

type Conv = Pick<Kernels, 'conv2d_f32' | 'conv2d_backward_input_f32' | 'conv2d_backward_weight_f32' | 'conv2d_workspace_f32'>;
type Fn = (...a: number[]) => void;

/** Output channels a share starts at a multiple of (the GEMM micro-tile's rows). */
const TILE_ROWS = 4;

export function parallelConv(ex: Kernels, pool: KernelPool, id: (name: string) => number, minShare: number): Conv {
  /** One share's workspace for this geometry (the configured thread count's slices fit any split). */
  const one = (geometry: number[]) => Math.ceil((ex.conv2d_workspace_f32 as (...g: number[]) => number)(...geometry) / 64) * 64;
  /** Runs kernel k as `split` shares, share s's arguments made by args(s, start, count). */
  const run = (k: number, n: number, split: RangeSplit, args: (s: number, start: number, count: number) => number[]) => {
    for (let s = 0; s < split.shares; s++) {
      const start = s * split.step;
      pool.share(s, ...args(s, start, Math.min(split.step, n - start)));
    }
    pool.run(k, split.shares);
  };
  const fwd = id('conv2d_f32'), bin = id('conv2d_backward_input_f32'), bw = id('conv2d_backward_weight_f32');

  return {
    // (n, cin, h, wd, cout, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw, groups): the kernels' trailing arguments
    conv2d_workspace_f32(...geometry: number[]) {
      return pool.threads < 2 ? (ex.conv2d_workspace_f32 as (...g: number[]) => number)(...geometry) : pool.threads * one(geometry);
    },
    // (y, x, w, bias, ws, n, cin, h, wd, cout, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw, groups)
    conv2d_f32(...a: number[]) {
      const [y, x, w, bias, ws, n, cin, h, wd, cout, oh, ow, kh, kw] = a.map(Number), groups = a[20]!;
      const plane = oh! * ow!, k = (cin! / groups) * kh! * kw!, flopNs = 2 * plane * k * COST.gemmFlop;
      const step = one(a.slice(5, 21));
      const images = rangeSplit(n!, flopNs * cout!, 1, pool.active, minShare);
      if (images.shares >= 2) {
        return run(fwd, n!, images, (s, i0, count) =>
          with_(a, [0, y! + 4 * i0 * cout! * plane], [1, x! + 4 * i0 * cin! * h! * wd!], [4, ws! + s * step], [5, count]));
      }
      const channels = n === 1 && groups === 1 ? rangeSplit(cout!, flopNs, TILE_ROWS, pool.active, minShare) : images;
      if (channels.shares < 2) return (ex.conv2d_f32 as Fn)(...a);
      run(fwd, cout!, channels, (s, c0, count) => with_(a, [0, y! + 4 * c0 * plane], [2, w! + 4 * c0 * k],
        [3, bias ? bias + 4 * c0 : 0], [4, ws! + s * step], [9, count]));
    },
    // (dx, dy, w, ws, n, cin, h, wd, cout, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw, groups, overwrite)
    conv2d_backward_input_f32(...a: number[]) {
      const [dx, dy, , ws, n, cin, h, wd, cout, oh, ow, kh, kw] = a.map(Number), groups = a[19]!;
      const plane = oh! * ow!, k = (cin! / groups) * kh! * kw!;
      const images = rangeSplit(n!, 2 * plane * k * cout! * COST.gemmFlop, 1, pool.active, minShare);
      if (images.shares < 2) return (ex.conv2d_backward_input_f32 as Fn)(...a);
      const step = one(a.slice(4, 20));
      run(bin, n!, images, (s, i0, count) =>
        with_(a, [0, dx! + 4 * i0 * cin! * h! * wd!], [1, dy! + 4 * i0 * cout! * plane], [3, ws! + s * step], [4, count]));
    },
    // (dw, dbias, dy, x, ws, n, cin, h, wd, cout, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw, groups)
    conv2d_backward_weight_f32(...a: number[]) {
      const [dwt, dbias, dy, x, ws, n, cin, h, wd, cout, oh, ow, kh, kw] = a.map(Number), groups = a[20]!;
      const plane = oh! * ow!, k = cin! * kh! * kw!;
      const perChannel = dwt ? 2 * plane * k * COST.gemmFlop : plane * COST.reduce;
      if (groups !== 1) return (ex.conv2d_backward_weight_f32 as Fn)(...a);
      const channels = rangeSplit(cout!, perChannel, TILE_ROWS, pool.active, minShare);
      if (channels.shares < 2) return (ex.conv2d_backward_weight_f32 as Fn)(...a);
      const step = one(a.slice(5, 21));
      for (let i = 0; i < n!; i++) {
        run(bw, cout!, channels, (s, c0, count) => with_(a, [0, dwt ? dwt + 4 * c0 * k : 0], [1, dbias ? dbias + 4 * c0 : 0],
          [2, dy! + 4 * (i * cout! + c0) * plane], [3, x! + 4 * i * cin! * h! * wd!], [4, ws! + s * step], [5, 1], [9, count]));
      }
    },
  };
}

/** The arguments with some replaced: [index, value] pairs. */
function with_(a: readonly number[], ...set: [number, number][]): number[] {
  const out = a.slice();
  for (const [i, v] of set) out[i] = v;
  return out;
}
