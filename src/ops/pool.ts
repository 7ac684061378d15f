// Pooling, PyTorch's F.max_pool1d / max_pool2d / avg_pool2d / adaptive_avg_pool2d over NCHW (or
// unbatched CHW) input, each ONE autograd node on the pooling kernels (assembly/pool.ts). Output
// sizes follow PyTorch's pooling formula (ceilMode keeps a last partial window that starts inside
// the input or the left padding); padding may be at most half the kernel. Max pooling keeps the
// argmax of each window for its backward; 1-D pooling runs as 2-D pooling of height 1.
import { Tensor } from '../tensor.js';
import { ShapeError, fmtShape } from '../errors.js';
import { needsGrad, record } from '../autograd.js';
import { dense } from './elementwise.js';
import { checkPool, outLength, spatialInput, tuple, type Size1, type Size2 } from './window.js';

export interface MaxPool2dOptions {
  /** Default: the kernel size. */
  stride?: Size2;
  padding?: Size2;
  ceilMode?: boolean;
}
export interface MaxPool1dOptions { stride?: Size1; padding?: Size1; ceilMode?: boolean }
export interface AvgPool2dOptions extends MaxPool2dOptions {
  /** Count the zero padding in each window's divisor (default true, as PyTorch). */
  countIncludePad?: boolean;
}

/** planes, h, w, oh, ow, kh, kw, sh, sw, ph, pw: the kernels' geometry. */
type Geometry = [number, number, number, number, number, number, number, number, number, number, number];

function geometry(owner: string, x: Tensor, kernelSize: Size2 | Size1, opts: MaxPool2dOptions | MaxPool1dOptions, dims: number) {
  x.check();
  const { n, c, spatial } = spatialInput(owner, x, dims);
  const kernel = tuple(owner, 'kernelSize', kernelSize, dims, 1);
  const stride = tuple(owner, 'stride', opts.stride ?? kernel, dims, 1);
  const pad = tuple(owner, 'padding', opts.padding ?? 0, dims, 0);
  const out = spatial.map((s, i) => outLength(s, kernel[i]!, stride[i]!, pad[i]!, 1, opts.ceilMode ?? false));
  checkPool(owner, x.shape, kernel, stride, pad, out);
  const d2 = (a: number[], one: number): [number, number] => (dims === 2 ? [a[0]!, a[1]!] : [one, a[0]!]);
  const g: Geometry = [n * c, ...d2(spatial, 1), ...d2(out, 1), ...d2(kernel, 1), ...d2(stride, 1), ...d2(pad, 0)];
  return { g, shape: [...x.shape.slice(0, x.rank - dims), ...out] };
}

function maxPool(owner: string, x: Tensor, kernelSize: Size2 | Size1, opts: MaxPool2dOptions, dims: number): Tensor {
  const { g, shape } = geometry(owner, x, kernelSize, opts, dims);
  const be = x.backend, xs = dense(x);
  const y = Tensor.empty(shape, be), idx = Tensor.empty(shape, be); // idx holds i32 bits
  be.kernels.max_pool2d_f32(y.ptr, idx.ptr, xs.ptr, ...g);
  if (xs !== x) xs.dispose();
  try {
    if (!needsGrad(x)) return y;
    return record(owner, y, [x], [idx], (gy, [gx], [si], fresh) => {
      const gd = dense(gy);
      try { be.kernels.max_pool2d_backward_f32(gx!.ptr, si!.ptr, gd.ptr, ...g, fresh[0] ? 1 : 0); } finally { if (gd !== gy) gd.dispose(); }
    }, true);
  } finally {
    idx.dispose();
  }
}

/**
 * Max pooling over windows of x [N, C, H, W] (or [C, H, W]).
 * @example const y = sg.nn.functional.maxPool2d(x, 2);          // [N, C, H/2, W/2]
 */
export const maxPool2d = (x: Tensor, kernelSize: Size2, opts: MaxPool2dOptions = {}): Tensor =>
  maxPool('maxPool2d', x, kernelSize, opts, 2);

/** Max pooling over windows of x [N, C, L] (or [C, L]). @example sg.nn.functional.maxPool1d(x, 3, { stride: 2 }) */
export const maxPool1d = (x: Tensor, kernelSize: Size1, opts: MaxPool1dOptions = {}): Tensor =>
  maxPool('maxPool1d', x, kernelSize, opts as MaxPool2dOptions, 1);

/**
 * Average pooling over windows of x [N, C, H, W] (or [C, H, W]); the divisor counts the padding
 * unless countIncludePad is false.
 * @example const y = sg.nn.functional.avgPool2d(x, 3, { stride: 2, padding: 1 });
 */
export function avgPool2d(x: Tensor, kernelSize: Size2, opts: AvgPool2dOptions = {}, owner = 'avgPool2d'): Tensor {
  const { g, shape } = geometry(owner, x, kernelSize, opts, 2);
  const cip = (opts.countIncludePad ?? true) ? 1 : 0;
  const be = x.backend, xs = dense(x);
  const y = Tensor.empty(shape, be);
  be.kernels.avg_pool2d_f32(y.ptr, xs.ptr, ...g, cip);
  if (xs !== x) xs.dispose();
  if (!needsGrad(x)) return y;
  return record(owner, y, [x], [], (gy, [gx]) => {
    const gd = dense(gy);
    try { be.kernels.avg_pool2d_backward_f32(gx!.ptr, gd.ptr, ...g, cip); } finally { if (gd !== gy) gd.dispose(); }
  });
}

/**
 * Average pooling to a fixed output size [oh, ow] (a number: square). Supported when each output
 * size divides the input size (1×1 global pooling included): windows of H/oh × W/ow.
 * @example const pooled = sg.nn.functional.adaptiveAvgPool2d(x, 1);   // [N, C, 1, 1]
 */
export function adaptiveAvgPool2d(x: Tensor, outputSize: Size2): Tensor {
  x.check();
  const [oh, ow] = tuple('adaptiveAvgPool2d', 'outputSize', outputSize, 2, 1);
  const { spatial: [h, w] } = spatialInput('adaptiveAvgPool2d', x, 2);
  if (h! % oh! !== 0 || w! % ow! !== 0) {
    throw new ShapeError(`adaptiveAvgPool2d: output size [${oh}, ${ow}] must divide the input size [${h}, ${w}] ` +
      `(input ${fmtShape(x.shape)}); other sizes are not supported`);
  }
  const k: [number, number] = [h! / oh!, w! / ow!];
  return avgPool2d(x, k, { stride: k }, 'adaptiveAvgPool2d');
}
