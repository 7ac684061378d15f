// Activations: relu leakyRelu gelu silu tanh sigmoid, and softmax / logSoftmax along an axis
// (the row kernels work on the last axis; other axes are moved there and back).
import { Tensor } from '../tensor.js';
import { normAxis } from '../shape.js';
import type { RowsKernel } from '../backend/backend.js';
import { unary } from './elementwise.js';
import { contiguous, transpose } from './shape.js';

export const relu = (x: Tensor): Tensor => unary((k) => k.relu_f32, x);
export const gelu = (x: Tensor): Tensor => unary((k) => k.gelu_f32, x);
export const silu = (x: Tensor): Tensor => unary((k) => k.silu_f32, x);
export const tanh = (x: Tensor): Tensor => unary((k) => k.tanh_f32, x);
export const sigmoid = (x: Tensor): Tensor => unary((k) => k.sigmoid_f32, x);

/** x > 0 ? x : negativeSlope·x (PyTorch's default slope 0.01). */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  x.check();
  const dx = x.isContiguous ? x : contiguous(x);
  const out = Tensor.empty(x.shape, x.backend);
  x.backend.kernels.leaky_relu_f32(out.ptr, dx.ptr, x.size, negativeSlope);
  if (dx !== x) dx.dispose();
  return out;
}

function rows(kernel: (k: Tensor['backend']['kernels']) => RowsKernel, x: Tensor, axis: number): Tensor {
  x.check();
  if (x.rank === 0) return rows(kernel, x.reshape([1]), 0).reshape([]);
  const ax = normAxis(axis, x.rank, x.shape);
  const last = x.rank - 1;
  const moved = ax === last ? x : transpose(x, ax, last);
  const dense = moved.isContiguous ? moved : contiguous(moved);
  const out = Tensor.empty(dense.shape, x.backend);
  const cols = dense.shape[last]!;
  kernel(x.backend.kernels)(out.ptr, dense.ptr, cols === 0 ? 0 : dense.size / cols, cols);
  if (dense !== moved) dense.dispose();
  if (moved !== x) moved.dispose();
  if (ax === last) return out;
  const back = transpose(out, ax, last);
  const result = contiguous(back);
  back.dispose();
  out.dispose();
  return result;
}

/** Softmax along `axis` (default last), max-subtracted for stability. */
export const softmax = (x: Tensor, axis = -1): Tensor => rows((k) => k.softmax_f32, x, axis);
/** log(softmax(x)) along `axis`, computed as x − logsumexp(x). */
export const logSoftmax = (x: Tensor, axis = -1): Tensor => rows((k) => k.log_softmax_f32, x, axis);
