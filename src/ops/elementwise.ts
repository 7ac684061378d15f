// Elementwise math with NumPy/PyTorch broadcasting: add sub mul div pow maximum minimum, and
// unary neg abs exp log sqrt. Scalars take the fused affine / pow_scalar kernels (no scalar
// tensor). Broadcasting collapses the shapes into the 2-D [outer, inner] view the binary
// kernels take (kernel-calls.ts' binaryInto); anything the collapse leaves above two dims loops
// there.
import { Tensor, tensorArg, tensorOrNumber, type TensorLike } from '../tensor.js';
import { broadcastShapes } from '../shape.js';
import type { BinaryKernel, Kernels, UnaryBackwardKernel, UnaryKernel } from '../backend/backend.js';
import { contiguous } from './shape.js';
import { active } from '../runtime/context.js';
import { needsGrad, record } from '../autograd.js';
import { accumulate } from './grad.js';
import { binaryInto } from './kernel-calls.js';

/** t itself when contiguous, else a contiguous copy the caller must dispose. */
export function dense(t: Tensor): Tensor {
  return t.isContiguous ? t : contiguous(t);
}

function scalarTensor(v: number, backend = active()): Tensor {
  const s = Tensor.empty([], backend);
  backend.kernels.fill_f32(s.ptr, 1, v);
  return s;
}

/** Runs a broadcasting binary kernel into a new tensor. */
export function binary(name: string, kernel: (k: Kernels) => BinaryKernel, a: Tensor, b: Tensor): Tensor {
  a.check(); b.check();
  const out = Tensor.empty(broadcastShapes(a.shape, b.shape), a.backend);
  try {
    binaryInto(name, kernel, out, a, b);
  } catch (e) {
    out.dispose();
    throw e;
  }
  return out;
}

/** Runs a unary kernel into a new contiguous tensor (no graph). */
export function unary(kernel: (k: Kernels) => UnaryKernel, x: Tensor): Tensor {
  x.check();
  const dx = dense(x);
  const out = Tensor.empty(x.shape, x.backend);
  kernel(x.backend.kernels)(out.ptr, dx.ptr, x.size);
  if (dx !== x) dx.dispose();
  return out;
}

/** A unary op's kernels: the forward, and the backward dx += dy·f'(x, y). */
export interface UnaryKernels { fwd: (k: Kernels) => UnaryKernel; bwd: (k: Kernels) => UnaryBackwardKernel }

/**
 * A differentiable unary op applied to x. Ops call it from function declarations (nothing is
 * built at module load, so the order in which modules load cannot matter).
 */
export function unaryOp(name: string, kernels: UnaryKernels, x: Tensor): Tensor {
  tensorArg(name, 'x', x);
  const out = unary(kernels.fwd, x);
  if (!needsGrad(x)) return out;
  return record(name, out, [x], [x, out], (g, [gx], [xs, y], fresh) => {
    const xd = dense(xs!);
    kernels.bwd(g.backend.kernels)(gx!.ptr, xd.ptr, y!.ptr, g.ptr, g.size, fresh[0] ? 1 : 0);
    if (xd !== xs) xd.dispose();
  }, true);
}

/** Scales g by c into a temporary (backward helper). */
function scaled(g: Tensor, c: number): Tensor {
  const out = Tensor.empty(g.shape, g.backend);
  g.backend.kernels.affine_f32(out.ptr, g.ptr, g.size, c, 0);
  return out;
}

/** gradIn += f(...) for a temporary the helper disposes. */
function acc(target: Tensor | null, make: () => Tensor): void {
  if (!target) return;
  const t = make();
  try { accumulate(target, t); } finally { t.dispose(); }
}

/** y = alpha·x + beta; dx += alpha·dy. */
function affine(x: Tensor, alpha: number, beta: number): Tensor {
  x.check();
  const dx = dense(x);
  const out = Tensor.empty(x.shape, x.backend);
  x.backend.kernels.affine_f32(out.ptr, dx.ptr, x.size, alpha, beta);
  if (dx !== x) dx.dispose();
  if (!needsGrad(x)) return out;
  return record('affine', out, [x], [], (g, [gx]) => {
    if (alpha === 1) accumulate(gx!, g);
    else acc(gx!, () => scaled(g, alpha));
  });
}

function withScalar(name: string, k: (k: Kernels) => BinaryKernel, a: TensorLike, b: TensorLike,
  backward?: (g: Tensor, ga: Tensor | null, gb: Tensor | null, a: Tensor, b: Tensor, out: Tensor) => void): Tensor {
  const be = typeof a !== 'number' ? a.backend : typeof b !== 'number' ? b.backend : active();
  const ta = typeof a === 'number' ? scalarTensor(a, be) : a;
  const tb = typeof b === 'number' ? scalarTensor(b, be) : b;
  try {
    const out = binary(name, k, ta, tb);
    if (!backward || !needsGrad(ta, tb)) return out;
    return record(name, out, [ta, tb], [ta, tb, out], (g, [ga, gb], [sa, sb, y]) => backward(g, ga ?? null, gb ?? null, sa!, sb!, y!));
  } finally {
    if (ta !== a) ta.dispose();
    if (tb !== b) tb.dispose();
  }
}

/** Both operands checked: each a live tensor or a plain number. */
function operands(name: string, a: TensorLike, b: TensorLike): void {
  tensorOrNumber(name, 'a', a);
  tensorOrNumber(name, 'b', b);
}

const mulT = (x: Tensor, y: Tensor): Tensor => binary('mul', (k) => k.mul_f32, x, y);
const divT = (x: Tensor, y: Tensor): Tensor => binary('div', (k) => k.div_f32, x, y);

/** a + b with broadcasting. @example sg.add(x, 1); x.add(y) */
export function add(a: TensorLike, b: TensorLike): Tensor {
  operands('add', a, b);
  if (typeof b === 'number' && typeof a !== 'number') return affine(a, 1, b);
  if (typeof a === 'number' && typeof b !== 'number') return affine(b, 1, a);
  return withScalar('add', (k) => k.add_f32, a, b, (g, ga, gb) => {
    if (ga) accumulate(ga, g);
    if (gb) accumulate(gb, g);
  });
}
/** a − b with broadcasting. */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  operands('sub', a, b);
  if (typeof b === 'number' && typeof a !== 'number') return affine(a, 1, -b);
  if (typeof a === 'number' && typeof b !== 'number') return affine(b, -1, a);
  return withScalar('sub', (k) => k.sub_f32, a, b, (g, ga, gb) => {
    if (ga) accumulate(ga, g);
    acc(gb, () => scaled(g, -1));
  });
}
/** a · b elementwise with broadcasting. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  operands('mul', a, b);
  if (typeof b === 'number' && typeof a !== 'number') return affine(a, b, 0);
  if (typeof a === 'number' && typeof b !== 'number') return affine(b, a, 0);
  return withScalar('mul', (k) => k.mul_f32, a, b, (g, ga, gb, x, y) => {
    acc(ga, () => mulT(g, y));
    acc(gb, () => mulT(g, x));
  });
}
/** a / b elementwise with broadcasting. */
export function div(a: TensorLike, b: TensorLike): Tensor {
  operands('div', a, b);
  // x·(1/b) where 1/b is a normal f32; a reciprocal that overflows or is subnormal (|b| near 0 or
  // near the f32 maximum) would not give x/b, so those take the division kernel
  if (typeof b === 'number' && typeof a !== 'number' && Math.abs(Math.fround(1 / b)) >= 2 ** -126
    && Number.isFinite(Math.fround(1 / b))) return affine(a, 1 / b, 0);
  return withScalar('div', (k) => k.div_f32, a, b, (g, ga, gb, _x, y, out) => {
    acc(ga, () => divT(g, y));
    acc(gb, () => { // −g·out / b
      const t = mulT(g, out), q = divT(t, y);
      t.dispose();
      q.backend.kernels.affine_f32(q.ptr, q.ptr, q.size, -1, 0);
      return q;
    });
  });
}
/** a ** b; a scalar exponent uses the pow_scalar kernel. */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  operands('pow', a, b);
  if (typeof b === 'number' && typeof a !== 'number') {
    a.check();
    const da = dense(a), out = Tensor.empty(a.shape, a.backend);
    a.backend.kernels.pow_scalar_f32(out.ptr, da.ptr, a.size, b);
    if (da !== a) da.dispose();
    if (!needsGrad(a)) return out;
    return record('pow', out, [a], [a, out], (g, [ga], [x, y], fresh) => {
      const xd = dense(x!);
      g.backend.kernels.pow_scalar_backward_f32(ga!.ptr, xd.ptr, y!.ptr, g.ptr, g.size, b, fresh[0] ? 1 : 0);
      if (xd !== x) xd.dispose();
    }, true);
  }
  return withScalar('pow', (k) => k.pow_f32, a, b, (g, ga, gb, x, y, out) => {
    acc(ga, () => { // g·b·x^(b−1)
      const bm1 = Tensor.empty(y.shape, y.backend), yd = dense(y);
      y.backend.kernels.affine_f32(bm1.ptr, yd.ptr, y.size, 1, -1);
      if (yd !== y) yd.dispose();
      const p = binary('pow', (k) => k.pow_f32, x, bm1), t = mulT(p, y), r = mulT(t, g);
      bm1.dispose(); p.dispose(); t.dispose();
      return r;
    });
    acc(gb, () => { // g·out·log(x)
      const l = unary((k) => k.log_f32, x), t = mulT(out, l), r = mulT(t, g);
      l.dispose(); t.dispose();
      return r;
    });
  });
}

/** Gradient routing of maximum/minimum: to the winner, split evenly on ties (as PyTorch). */
function minmaxBackward(sign: 1 | -1) {
  return (g: Tensor, ga: Tensor | null, gb: Tensor | null, x: Tensor, y: Tensor): void => {
    const d = binary('sub', (k) => k.sub_f32, x, y); // x − y, out's shape
    if (sign < 0) d.backend.kernels.affine_f32(d.ptr, d.ptr, d.size, -1, 0);
    const k = g.backend.kernels, n = g.size;
    const win = Tensor.empty(g.shape, g.backend), lose = Tensor.empty(g.shape, g.backend);
    k.fill_f32(win.ptr, n, 0); k.fill_f32(lose.ptr, n, 0);
    k.relu_backward_f32(win.ptr, d.ptr, d.ptr, g.ptr, n); // g where x wins
    k.affine_f32(d.ptr, d.ptr, n, -1, 0);
    k.relu_backward_f32(lose.ptr, d.ptr, d.ptr, g.ptr, n); // g where y wins
    const tie = binary('sub', (kk) => kk.sub_f32, g, win), tie2 = binary('sub', (kk) => kk.sub_f32, tie, lose);
    k.affine_f32(tie2.ptr, tie2.ptr, n, 0.5, 0);
    acc(ga, () => binary('add', (kk) => kk.add_f32, win, tie2));
    acc(gb, () => binary('add', (kk) => kk.add_f32, lose, tie2));
    for (const t of [d, win, lose, tie, tie2]) t.dispose();
  };
}
/** Elementwise maximum (NaN propagates). */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  operands('maximum', a, b);
  return withScalar('maximum', (k) => k.maximum_f32, a, b, minmaxBackward(1));
}
/** Elementwise minimum (NaN propagates). */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  operands('minimum', a, b);
  return withScalar('minimum', (k) => k.minimum_f32, a, b, minmaxBackward(-1));
}

const NEG: UnaryKernels = { fwd: (k) => k.neg_f32, bwd: (k) => k.neg_backward_f32 };
const ABS: UnaryKernels = { fwd: (k) => k.abs_f32, bwd: (k) => k.abs_backward_f32 };
const EXP: UnaryKernels = { fwd: (k) => k.exp_f32, bwd: (k) => k.exp_backward_f32 };
const LOG: UnaryKernels = { fwd: (k) => k.log_f32, bwd: (k) => k.log_backward_f32 };
const SQRT: UnaryKernels = { fwd: (k) => k.sqrt_f32, bwd: (k) => k.sqrt_backward_f32 };

/** −x. */
export function neg(x: Tensor): Tensor { return unaryOp('neg', NEG, x); }
/** |x|. */
export function abs(x: Tensor): Tensor { return unaryOp('abs', ABS, x); }
/** eˣ. */
export function exp(x: Tensor): Tensor { return unaryOp('exp', EXP, x); }
/** Natural logarithm. */
export function log(x: Tensor): Tensor { return unaryOp('log', LOG, x); }
/** Square root. */
export function sqrt(x: Tensor): Tensor { return unaryOp('sqrt', SQRT, x); }
