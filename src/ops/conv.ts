// Convolution, PyTorch's F.conv1d / F.conv2d (NCHW, weight [out, in/groups, (kh,) kw]), as ONE
// autograd node per call: the forward and both gradients run on the convolution kernels
// (assembly/conv.ts: GEMMs on the packed micro-kernel with implicit im2col). padding 'same' pads
// d·(k − 1) in all, the odd one at the bottom/right, as PyTorch does; conv1d runs as a conv2d of
// height 1 on views. Unbatched input ([C, H, W] / [C, L]) gives unbatched output.
import { Tensor } from '../tensor.js';
import { ShapeError, fmtShape } from '../errors.js';
import { needsGrad, record } from '../autograd.js';
import { dense } from './elementwise.js';
import { reshape } from './shape.js';
import { checkInt } from '../check-option.js';
import { spatialInput, tuple, type Size1, type Size2 } from './window.js';

/** Options of conv1d (S = Size1) and conv2d (S = Size2). */
export interface ConvFnOptions<S = number | readonly number[]> {
  stride?: S;
  /** Zeros added on both sides, or 'valid' (none) or 'same' (output size = input size; stride 1). */
  padding?: S | 'same' | 'valid';
  dilation?: S;
  groups?: number;
}
export type Conv2dOptions = ConvFnOptions<Size2>;
export type Conv1dOptions = ConvFnOptions<Size1>;

/** n, cin, h, w, cout, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw, groups: the kernels' arguments. */
type Geometry = [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number];

/** Stride, padding (top/left) and dilation per spatial dim, checked as PyTorch's conv modules do. */
export function convParams(owner: string, kernel: number[], opts: ConvFnOptions, dims: number) {
  const stride = tuple(owner, 'stride', opts.stride ?? 1, dims, 1);
  const dilation = tuple(owner, 'dilation', opts.dilation ?? 1, dims, 1);
  const groups = checkInt(owner, 'groups', opts.groups ?? 1, 1);
  const p = opts.padding ?? 0;
  if (p === 'same' && stride.some((s) => s !== 1)) {
    throw new RangeError(`${owner}: padding 'same' is not supported for strided convolutions (stride [${stride.join(', ')}])`);
  }
  // 'same': total d·(k − 1), floor half before, the rest after
  const total = kernel.map((k, i) => (p === 'same' ? dilation[i]! * (k - 1) : 0));
  const before = p === 'same' ? total.map((t) => Math.floor(t / 2))
    : p === 'valid' ? new Array<number>(dims).fill(0) : tuple(owner, 'padding', p, dims, 0);
  const padded = p === 'same' ? total : before.map((b) => 2 * b);
  return { stride, dilation, groups, before, padded };
}

function geometry(owner: string, x: Tensor, w: Tensor, opts: ConvFnOptions, dims: number): { g: Geometry; batched: boolean } {
  const { n, c, spatial, batched } = spatialInput(owner, x, dims);
  if (w.rank !== dims + 2) throw new ShapeError(`${owner}: weight must be ${dims + 2}-D [out, in/groups, …kernel], got ${fmtShape(w.shape)}`);
  const kernel = w.shape.slice(2) as number[];
  const { stride, dilation, groups, before, padded } = convParams(owner, kernel, opts, dims);
  const cout = w.shape[0]!;
  if (cout % groups !== 0) {
    throw new ShapeError(`${owner}: groups ${groups} must divide the weight's ${cout} output channels (weight ${fmtShape(w.shape)})`);
  }
  if (c !== w.shape[1]! * groups) {
    throw new ShapeError(`${owner}: expected input ${fmtShape(x.shape)} to have ${w.shape[1]! * groups} channels ` +
      `(weight ${fmtShape(w.shape)}, groups ${groups}), but got ${c} channels`);
  }
  const size = spatial.map((s, i) => s + padded[i]!), eff = kernel.map((k, i) => dilation[i]! * (k - 1) + 1);
  if (size.some((s, i) => s < eff[i]!)) {
    throw new ShapeError(`${owner}: padded input size per channel (${size.join(' x ')}) is smaller than the ` +
      `kernel size (${eff.join(' x ')}${dilation.some((d) => d > 1) ? ' with dilation' : ''}): input ${fmtShape(x.shape)}, weight ${fmtShape(w.shape)}`);
  }
  const out = spatial.map((s, i) => Math.floor((s + padded[i]! - eff[i]!) / stride[i]!) + 1);
  const [h, wd] = dims === 2 ? spatial : [1, spatial[0]!];
  const at = (a: number[], i: number, one: number) => (dims === 2 ? a[i]! : i === 0 ? one : a[0]!);
  const g: Geometry = [n, c, h!, wd!, cout, at(out, 0, 1), at(out, 1, 1), at(kernel, 0, 1), at(kernel, 1, 1),
    at(stride, 0, 1), at(stride, 1, 1), at(before, 0, 0), at(before, 1, 0), at(dilation, 0, 1), at(dilation, 1, 1), groups];
  return { g, batched };
}

/** The conv2d node on 4-D operands (x [n, cin, h, w], w [cout, cin/g, kh, kw]). */
function convNode(x: Tensor, w: Tensor, bias: Tensor | null, g: Geometry): Tensor {
  const [n, , , , cout, oh, ow] = g;
  const be = x.backend, K = be.kernels;
  const work = (): number => be.heap.alloc(Math.max(16, K.conv2d_workspace_f32(...g)));
  const xs = dense(x), wt = dense(w), bs = bias && dense(bias);
  const y = Tensor.empty([n, cout, oh, ow], be);
  const ws = work();
  try {
    K.conv2d_f32(y.ptr, xs.ptr, wt.ptr, bs ? bs.ptr : 0, ws, ...g);
  } finally {
    be.heap.free(ws);
    if (bs && bs !== bias) bs.dispose();
  }
  let out = y;
  if (needsGrad(x, w, bias)) {
    out = record('conv2d', y, bias ? [x, w, bias] : [x, w], [xs, wt], (gy, [gx, gw, gb], [sx, sw], fresh) => {
      const gd = dense(gy), scratch = work();
      try {
        if (gx) K.conv2d_backward_input_f32(gx.ptr, gd.ptr, sw!.ptr, scratch, ...g, fresh[0] ? 1 : 0);
        for (const [t, f] of [[gw, fresh[1]], [gb, fresh[2]]] as const) if (t && f) K.fill_f32(t.ptr, t.size, 0); // computed weights
        if (gw || gb) K.conv2d_backward_weight_f32(gw ? gw.ptr : 0, gb ? gb.ptr : 0, gd.ptr, sx!.ptr, scratch, ...g);
      } finally {
        be.heap.free(scratch);
        if (gd !== gy) gd.dispose();
      }
    }, true);
  }
  if (xs !== x) xs.dispose();
  if (wt !== w) wt.dispose();
  return out;
}

function checkBias(owner: string, bias: Tensor | null | undefined, cout: number): Tensor | null {
  if (!bias) return null;
  bias.check();
  if (bias.rank !== 1 || bias.shape[0] !== cout) throw new ShapeError(`${owner}: bias must have shape [${cout}], got ${fmtShape(bias.shape)}`);
  return bias;
}

/** conv1d (dims 1) or conv2d (dims 2); `owner` names the caller in errors. */
export function convNd(owner: string, x: Tensor, weight: Tensor, bias: Tensor | null | undefined, opts: ConvFnOptions, dims: number): Tensor {
  x.check(); weight.check();
  const { g, batched } = geometry(owner, x, weight, opts, dims);
  const b = checkBias(owner, bias, g[4]);
  const [n, cin, h, w, cout, oh, ow] = g;
  const x4 = batched && dims === 2 ? x : reshape(x, [n, cin, h, w]);
  const w4 = dims === 2 ? weight : reshape(weight, [cout, weight.shape[1]!, 1, weight.shape[2]!]);
  try {
    const y = convNode(x4, w4, b, g);
    if (batched && dims === 2) return y;
    const spatial = dims === 2 ? [oh, ow] : [ow];
    try { return reshape(y, batched ? [n, cout, ...spatial] : [cout, ...spatial]); } finally { y.dispose(); }
  } finally {
    if (x4 !== x) x4.dispose();
    if (w4 !== weight) w4.dispose();
  }
}

/**
 * 2-D convolution over x [N, C, H, W] (or [C, H, W]) with weight [out, C/groups, kh, kw].
 * @example
 * const y = sg.nn.functional.conv2d(x, w, b, { stride: 2, padding: 1 });   // [N, out, H/2, W/2]
 */
export const conv2d = (x: Tensor, weight: Tensor, bias?: Tensor | null, opts: Conv2dOptions = {}): Tensor =>
  convNd('conv2d', x, weight, bias, opts, 2);

/**
 * 1-D convolution over x [N, C, L] (or [C, L]) with weight [out, C/groups, k].
 * @example const y = sg.nn.functional.conv1d(x, w, null, { padding: 'same' });
 */
export const conv1d = (x: Tensor, weight: Tensor, bias?: Tensor | null, opts: Conv1dOptions = {}): Tensor =>
  convNd('conv1d', x, weight, bias, opts, 1);
