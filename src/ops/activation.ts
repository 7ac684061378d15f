// Activations: relu leakyRelu gelu silu tanh sigmoid (forward and derivative kernels), and
// softmax / logSoftmax along an axis: the row kernels work on the last axis, other axes are
// moved there and back with differentiable transposes. Every op is a function declaration:
// nothing is built while the module loads, so the order in which modules load cannot matter.
import { Tensor, tensorArg } from '../tensor.js';
import { checkNumber } from '../check-option.js';
import { normAxis } from '../shape.js';
import type { RowsBackwardKernel, RowsKernel, Kernels } from '../backend/backend.js';
import { dense, unaryOp, type UnaryKernels } from './elementwise.js';
import { contiguous, transpose } from './shape.js';
import { needsGrad, record } from '../autograd.js';

const RELU: UnaryKernels = { fwd: (k) => k.relu_f32, bwd: (k) => k.relu_backward_f32 };
const GELU: UnaryKernels = { fwd: (k) => k.gelu_f32, bwd: (k) => k.gelu_backward_f32 };
const SILU: UnaryKernels = { fwd: (k) => k.silu_f32, bwd: (k) => k.silu_backward_f32 };
const TANH: UnaryKernels = { fwd: (k) => k.tanh_f32, bwd: (k) => k.tanh_backward_f32 };
const SIGMOID: UnaryKernels = { fwd: (k) => k.sigmoid_f32, bwd: (k) => k.sigmoid_backward_f32 };

/** max(x, 0). */
export function relu(x: Tensor): Tensor { return unaryOp('relu', RELU, x); }
/** GELU, exact erf form (PyTorch's default). */
export function gelu(x: Tensor): Tensor { return unaryOp('gelu', GELU, x); }
/** x·σ(x). */
export function silu(x: Tensor): Tensor { return unaryOp('silu', SILU, x); }
/** Hyperbolic tangent. */
export function tanh(x: Tensor): Tensor { return unaryOp('tanh', TANH, x); }
/** The logistic function 1/(1 + e⁻ˣ). */
export function sigmoid(x: Tensor): Tensor { return unaryOp('sigmoid', SIGMOID, x); }

/** x > 0 ? x : negativeSlope·x (PyTorch's default slope 0.01). */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  tensorArg('leakyRelu', 'x', x);
  checkNumber('leakyRelu', 'negativeSlope', negativeSlope);
  const dx = dense(x);
  const out = Tensor.empty(x.shape, x.backend);
  x.backend.kernels.leaky_relu_f32(out.ptr, dx.ptr, x.size, negativeSlope);
  if (dx !== x) dx.dispose();
  if (!needsGrad(x)) return out;
  return record('leakyRelu', out, [x], [x, out], (g, [gx], [xs, y], fresh) => {
    const xd = dense(xs!);
    g.backend.kernels.leaky_relu_backward_f32(gx!.ptr, xd.ptr, y!.ptr, g.ptr, g.size, negativeSlope, fresh[0] ? 1 : 0);
    if (xd !== xs) xd.dispose();
  }, true);
}

/** A row-wise op on the last axis: forward kernel, backward dx += f'(y, dy). */
function lastAxis(name: string, fwd: (k: Kernels) => RowsKernel, bwd: (k: Kernels) => RowsBackwardKernel, x: Tensor): Tensor {
  const xd = dense(x);
  const out = Tensor.empty(x.shape, x.backend);
  const cols = x.shape[x.rank - 1]!, rows = cols === 0 ? 0 : x.size / cols;
  fwd(x.backend.kernels)(out.ptr, xd.ptr, rows, cols);
  if (xd !== x) xd.dispose();
  if (!needsGrad(x)) return out;
  return record(name, out, [x], [out], (g, [gx], [y]) => {
    bwd(g.backend.kernels)(gx!.ptr, y!.ptr, g.ptr, rows, cols);
  });
}

function alongAxis(name: string, fwd: (k: Kernels) => RowsKernel, bwd: (k: Kernels) => RowsBackwardKernel, x: Tensor, axis: number): Tensor {
  tensorArg(name, 'x', x);
  if (x.rank === 0) {
    normAxis(axis, 0, x.shape);
    const v = x.reshape([1]), r = lastAxis(name, fwd, bwd, v), out = r.reshape([]);
    v.dispose(); r.dispose();
    return out;
  }
  const ax = normAxis(axis, x.rank, x.shape), last = x.rank - 1;
  if (ax === last) return lastAxis(name, fwd, bwd, x);
  const moved = transpose(x, ax, last), r = lastAxis(name, fwd, bwd, moved);
  const back = transpose(r, ax, last), out = contiguous(back);
  moved.dispose(); r.dispose(); back.dispose();
  return out;
}

/** Softmax along `axis` (default last), max-subtracted for stability. */
export const softmax = (x: Tensor, axis = -1): Tensor =>
  alongAxis('softmax', (k) => k.softmax_f32, (k) => k.softmax_backward_f32, x, axis);
/** log(softmax(x)) along `axis`, computed as x − logsumexp(x). */
export const logSoftmax = (x: Tensor, axis = -1): Tensor =>
  alongAxis('logSoftmax', (k) => k.log_softmax_f32, (k) => k.log_softmax_backward_f32, x, axis);
