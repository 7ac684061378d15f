// Elementwise math with NumPy/PyTorch broadcasting: add sub mul div pow maximum minimum, and
// unary neg abs exp log sqrt. Scalars take the fused affine / pow_scalar kernels (no scalar
// tensor). Broadcasting collapses the shapes into the 2-D [outer, inner] view the binary
// kernels take; anything the collapse leaves above two dims loops here.
import { Tensor, type TensorLike } from '../tensor.js';
import { broadcastShapes, broadcastStrides } from '../shape.js';
import { ShapeError, fmtShape } from '../errors.js';
import type { BinaryKernel, Kernels, UnaryKernel } from '../backend/backend.js';
import { contiguous } from './shape.js';
import { active } from '../runtime/context.js';

/** t itself when contiguous, else a contiguous copy the caller must dispose. */
function dense(t: Tensor): Tensor {
  return t.isContiguous ? t : contiguous(t);
}

function scalarTensor(v: number, backend = active()): Tensor {
  const s = Tensor.empty([], backend);
  backend.kernels.fill_f32(s.ptr, 1, v);
  return s;
}

/** Runs a broadcasting binary kernel. */
export function binary(name: string, kernel: (k: Kernels) => BinaryKernel, a: Tensor, b: Tensor): Tensor {
  a.check(); b.check();
  if (a.backend !== b.backend) {
    throw new ShapeError(`${name}: tensors ${fmtShape(a.shape)} and ${fmtShape(b.shape)} live on ` +
      'different backends (created before and after init() switched)');
  }
  const shape = broadcastShapes(a.shape, b.shape);
  const out = Tensor.empty(shape, a.backend);
  const da = dense(a), db = dense(b);
  try {
    const as = broadcastStrides(a.shape, shape), bs = broadcastStrides(b.shape, shape);
    // collapse: merge dims contiguous in both operands, drop size-1 dims
    const d: number[] = [], sa: number[] = [], sb: number[] = [];
    for (let i = 0; i < shape.length; i++) {
      const n = shape[i]!;
      if (n === 1) continue;
      const k = d.length - 1;
      if (k >= 0 && sa[k] === as[i]! * n && sb[k] === bs[i]! * n) {
        d[k]! *= n; sa[k] = as[i]!; sb[k] = bs[i]!;
      } else {
        d.push(n); sa.push(as[i]!); sb.push(bs[i]!);
      }
    }
    while (d.length < 2) { d.unshift(1); sa.unshift(0); sb.unshift(0); }
    const r = d.length, f = kernel(a.backend.kernels);
    const inner = d[r - 1]!, outer = d[r - 2]!, block = inner * outer;
    const go = (dim: number, o: number, pa: number, pb: number): void => {
      if (dim === r - 2) {
        f(out.ptr + o * 4, da.ptr + pa * 4, db.ptr + pb * 4, outer, inner, sa[r - 2]!, sa[r - 1]!,
          sb[r - 2]!, sb[r - 1]!);
        return;
      }
      const span = block * d.slice(dim + 1, r - 2).reduce((x, y) => x * y, 1);
      for (let i = 0; i < d[dim]!; i++) go(dim + 1, o + i * span, pa + i * sa[dim]!, pb + i * sb[dim]!);
    };
    if (out.size > 0) go(0, 0, 0, 0);
  } catch (e) {
    out.dispose();
    throw e;
  } finally {
    if (da !== a) da.dispose();
    if (db !== b) db.dispose();
  }
  return out;
}

/** Runs a unary kernel into a new contiguous tensor. */
export function unary(kernel: (k: Kernels) => UnaryKernel, x: Tensor): Tensor {
  x.check();
  const dx = dense(x);
  const out = Tensor.empty(x.shape, x.backend);
  kernel(x.backend.kernels)(out.ptr, dx.ptr, x.size);
  if (dx !== x) dx.dispose();
  return out;
}

function affine(x: Tensor, alpha: number, beta: number): Tensor {
  x.check();
  const dx = dense(x);
  const out = Tensor.empty(x.shape, x.backend);
  x.backend.kernels.affine_f32(out.ptr, dx.ptr, x.size, alpha, beta);
  if (dx !== x) dx.dispose();
  return out;
}

function withScalar(name: string, k: (k: Kernels) => BinaryKernel, a: TensorLike, b: TensorLike): Tensor {
  const be = typeof a !== 'number' ? a.backend : typeof b !== 'number' ? b.backend : active();
  const ta = typeof a === 'number' ? scalarTensor(a, be) : a;
  const tb = typeof b === 'number' ? scalarTensor(b, be) : b;
  try {
    return binary(name, k, ta, tb);
  } finally {
    if (ta !== a) ta.dispose();
    if (tb !== b) tb.dispose();
  }
}

/** a + b with broadcasting. @example sg.add(x, 1); x.add(y) */
export function add(a: TensorLike, b: TensorLike): Tensor {
  if (typeof b === 'number' && typeof a !== 'number') return affine(a, 1, b);
  if (typeof a === 'number' && typeof b !== 'number') return affine(b, 1, a);
  return withScalar('add', (k) => k.add_f32, a, b);
}
/** a − b with broadcasting. */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  if (typeof b === 'number' && typeof a !== 'number') return affine(a, 1, -b);
  if (typeof a === 'number' && typeof b !== 'number') return affine(b, -1, a);
  return withScalar('sub', (k) => k.sub_f32, a, b);
}
/** a · b elementwise with broadcasting. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  if (typeof b === 'number' && typeof a !== 'number') return affine(a, b, 0);
  if (typeof a === 'number' && typeof b !== 'number') return affine(b, a, 0);
  return withScalar('mul', (k) => k.mul_f32, a, b);
}
/** a / b elementwise with broadcasting. */
export function div(a: TensorLike, b: TensorLike): Tensor {
  return withScalar('div', (k) => k.div_f32, a, b);
}
/** a ** b; a scalar exponent uses the pow_scalar kernel. */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  if (typeof b === 'number' && typeof a !== 'number') {
    a.check();
    const da = dense(a), out = Tensor.empty(a.shape, a.backend);
    a.backend.kernels.pow_scalar_f32(out.ptr, da.ptr, a.size, b);
    if (da !== a) da.dispose();
    return out;
  }
  return withScalar('pow', (k) => k.pow_f32, a, b);
}
/** Elementwise maximum (NaN propagates). */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return withScalar('maximum', (k) => k.maximum_f32, a, b);
}
/** Elementwise minimum (NaN propagates). */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return withScalar('minimum', (k) => k.minimum_f32, a, b);
}

export const neg = (x: Tensor): Tensor => unary((k) => k.neg_f32, x);
export const abs = (x: Tensor): Tensor => unary((k) => k.abs_f32, x);
export const exp = (x: Tensor): Tensor => unary((k) => k.exp_f32, x);
export const log = (x: Tensor): Tensor => unary((k) => k.log_f32, x);
export const sqrt = (x: Tensor): Tensor => unary((k) => k.sqrt_f32, x);
