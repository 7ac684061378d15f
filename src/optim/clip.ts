// Gradient clipping, as torch.nn.utils.clip_grad_norm_ / clip_grad_value_: in place on the
// parameters' .grad (parameters without one are skipped). When the parameters cover a whole
// optimizer ParameterBlock, its gradient buffer is handled in one kernel call (the block's
// padding between parameters is always zero, so it changes neither the norm nor the result);
// otherwise one call per gradient, merging gradients that sit back to back in one storage.
import { Tensor, tensorArg } from '../tensor.js';
import type { Ptr } from '../backend/backend.js';
import type { Backend } from '../backend/create.js';
import { blockOfGrad } from './optimizer.js';
import { ShapeError, OptionError } from '../errors.js';

interface Segment { be: Backend; ptr: Ptr; n: number }

/** Contiguous runs of gradient memory covering every given parameter's .grad exactly once. */
function segments(params: Tensor | Iterable<Tensor>): Segment[] {
  const iterable = typeof params === 'object' && params !== null && Symbol.iterator in params && !(params instanceof Tensor);
  const list = [...new Set<Tensor>(iterable ? params as Iterable<Tensor> : [params as Tensor])];
  list.forEach((p, i) => tensorArg('clipGrad', `params[${i}]`, p));
  const grads = list.filter((p) => p.grad !== null).map((p) => p.grad!.check());
  const out: Segment[] = [];
  const done = new Set<Tensor>();
  const given = new Set(list);
  for (const g of grads) {
    const block = blockOfGrad(g.storage);
    if (!block || done.has(g) || !block.intact || !block.params.every((p) => given.has(p))) continue;
    for (const p of block.params) done.add(p.grad!);
    out.push({ be: block.grad.backend, ptr: block.grad.ptr, n: block.grad.size });
  }
  const rest = grads.filter((g) => !done.has(g)).sort((a, b) => a.ptr - b.ptr);
  for (const g of rest) {
    if (!g.isContiguous) throw new ShapeError(`clipGrad: gradient of shape [${g.shape.join(', ')}] is not contiguous`);
    const last = out[out.length - 1];
    if (last && last.be === g.backend && last.ptr + last.n * 4 === g.ptr) last.n += g.size;
    else out.push({ be: g.backend, ptr: g.ptr, n: g.size });
  }
  return out;
}

export interface ClipGradNormOptions {
  /** Order of the norm: a number > 0 or Infinity (default 2). */
  normType?: number;
  /** Throw a RangeError when the total norm is NaN or infinite (default false, as PyTorch). */
  errorIfNonfinite?: boolean;
}

/**
 * Scales the gradients so that their joint norm is at most `maxNorm`; returns the norm before
 * clipping. Scale = min(1, maxNorm / (norm + 1e-6)), as torch.nn.utils.clip_grad_norm_.
 * @example
 * loss.backward();
 * const norm = sg.optim.clipGradNorm(model.parameters(), 1.0);
 * opt.step();
 */
export function clipGradNorm(params: Tensor | Iterable<Tensor>, maxNorm: number,
  { normType = 2, errorIfNonfinite = false }: ClipGradNormOptions = {}): number {
  if (typeof maxNorm !== 'number' || Number.isNaN(maxNorm)) throw new OptionError(`clipGradNorm: maxNorm must be a number, got ${String(maxNorm)}`);
  if (typeof normType !== 'number' || !(normType > 0)) throw new OptionError(`clipGradNorm: normType must be a number > 0 or Infinity, got ${String(normType)}`);
  const segs = segments(params);
  if (segs.length === 0) return 0;
  let total = 0;
  if (normType === Infinity) {
    for (const s of segs) total = Math.max(total, s.be.kernels.abs_max_f32(s.ptr, s.n)); // NaN sticks
  } else if (normType === 2) {
    for (const s of segs) total += s.be.kernels.sum_squares_f32(s.ptr, s.n);
    total = Math.sqrt(total);
  } else {
    for (const s of segs) for (const v of s.be.heap.readF32(s.ptr, s.n)) total += Math.abs(v) ** normType;
    total **= 1 / normType;
  }
  total = Math.fround(total);
  if (errorIfNonfinite && !Number.isFinite(total)) {
    throw new OptionError(`clipGradNorm: the total norm of order ${normType} of the gradients is ${total}`);
  }
  const scale = Math.min(Math.fround(maxNorm / Math.fround(total + 1e-6)), 1);
  if (scale !== 1) for (const s of segs) s.be.kernels.affine_f32(s.ptr, s.ptr, s.n, scale, 0);
  return total;
}

/**
 * Clamps every gradient element into [−clipValue, clipValue] (torch.nn.utils.clip_grad_value_).
 * @example loss.backward(); sg.optim.clipGradValue(model.parameters(), 0.5); opt.step();
 */
export function clipGradValue(params: Tensor | Iterable<Tensor>, clipValue: number): void {
  if (typeof clipValue !== 'number' || !(clipValue >= 0)) throw new OptionError(`clipGradValue: clipValue must be a number ≥ 0, got ${String(clipValue)}`);
  for (const s of segments(params)) s.be.kernels.clamp_f32(s.ptr, s.ptr, s.n, -clipValue, clipValue);
}
