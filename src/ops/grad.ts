// Gradient plumbing shared by every op's backward: the one helper that reduces a broadcast
// gradient to its input's shape (accumulate), its mirror for reductions (addBroadcast), and the
// entry points backward() and detach(). It sits below every op: it calls the kernels (add_f32,
// sum_f32, fill_f32) through kernel-calls.ts and imports no op.
import { Tensor, tensorArg } from '../tensor.js';
import { noGrad, runBackward, type BackwardOptions } from '../autograd.js';
import { sameShape } from '../shape.js';
import { ShapeError, fmtShape } from '../errors.js';
import type { BinaryKernel, Kernels } from '../backend/backend.js';
import { binaryInto, reduceAxes } from './kernel-calls.js';

const addKernel = (k: Kernels): BinaryKernel => k.add_f32;

/** An uninitialised contiguous tensor on like's backend (a gradient buffer an op overwrites). */
function emptyOn(shape: readonly number[], like: Tensor): Tensor {
  return Tensor.empty(shape, like.backend);
}

/** A zero-filled contiguous tensor on like's backend. */
export function zerosOn(shape: readonly number[], like: Tensor): Tensor {
  const t = Tensor.empty(shape, like.backend);
  t.backend.kernels.fill_f32(t.ptr, t.size, 0);
  return t;
}

/**
 * target += g, where g has target's shape or a shape target broadcasts to: g is summed over the
 * broadcast axes first. target is a contiguous gradient buffer.
 */
export function accumulate(target: Tensor, g: Tensor): void {
  if (sameShape(target.shape, g.shape)) {
    binaryInto('accumulate', addKernel, target, target, g);
    return;
  }
  const lead = g.rank - target.rank;
  if (lead < 0) {
    throw new ShapeError(`gradient of shape ${fmtShape(g.shape)} cannot flow into ${fmtShape(target.shape)}`);
  }
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) {
    if (i < lead || (target.shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  const reduced = reduceAxes(g.backend.kernels.sum_f32, g, axes, true);
  const flat = reduced.view(target.shape, reduced.strides.slice(lead));
  try {
    binaryInto('accumulate', addKernel, target, target, flat);
  } finally {
    flat.dispose();
    reduced.dispose();
  }
}

/** target += g broadcast to target's shape (g has target's rank or fewer leading dims). */
export function addBroadcast(target: Tensor, g: Tensor): void {
  binaryInto('addBroadcast', addKernel, target, target, g);
}

/** Backpropagates from t; see Tensor.backward. */
export function backward(t: Tensor, gradient?: Tensor, options?: BackwardOptions): void {
  tensorArg('backward', 'tensor', t);
  if (gradient !== undefined) tensorArg('backward', 'gradient', gradient);
  noGrad(() => runBackward(t, gradient, zerosOn, emptyOn, accumulate, onesLike, options));
}

/** A one-filled contiguous tensor of like's shape (the seed of a backward without a gradient). */
function onesLike(like: Tensor): Tensor {
  const one = Tensor.empty(like.shape, like.backend);
  one.backend.kernels.fill_f32(one.ptr, one.size, 1);
  return one;
}

/** A view of t's data that is not part of any graph. */
export function detach(t: Tensor): Tensor {
  t.check();
  return t.view(t.shape, t.strides);
}
