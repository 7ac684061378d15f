// ParameterBlock: a set of parameters moved into one contiguous block of values and one of
// gradients, so that an optimizer step (and zeroing the gradients) is one kernel call over flat
// buffers. Each parameter becomes a view into `data` at its offset and its `.grad` a view into
// `grad`; backward accumulates straight into the block. Values are copied in; nothing else about
// the parameters changes (names, shapes, the modules holding them). ranges() cuts the block into
// the spans an optimizer updates when some parameters sit a step out (frozen, or without a
// gradient): the whole block in one span when none does. snapshot()/restore() save and put back
// all values at once (fit() rolls a step back with them when it made the weights non-finite).
import { wordIndex } from '../memory.js';
import { Tensor, Storage } from '../tensor.js';
import { keep } from '../scope.js';
import { setHasGrad } from '../has-grad.js';
import { ShapeError, fmtShape } from '../errors.js';

/** Consecutive parameters first..last of a block and the elements they span (with the padding
 * after each): one kernel call's worth. */
export interface BlockRange {
  first: number;
  last: number;
  /** Element offset into data, grad and block-sized state buffers. */
  offset: number;
  size: number;
}

export class ParameterBlock {
  /** All values, 1-D. */
  readonly data: Tensor;
  /** All gradients, 1-D, zero until backward accumulates. */
  readonly grad: Tensor;
  /** Element offset of each parameter in data and grad. */
  readonly offsets: number[];

  private constructor(readonly params: Tensor[], data: Tensor, grad: Tensor, offsets: number[]) {
    this.data = data;
    this.grad = grad;
    this.offsets = offsets;
  }

  /**
   * Gathers `params` (distinct, contiguous, one backend) into one block. Existing gradients are
   * copied in too. Offsets are 16-element aligned so every parameter starts on a SIMD boundary.
   * @example const block = ParameterBlock.gather(model.parameters()); block.zeroGrad();
   */
  static gather(params: Tensor[]): ParameterBlock {
    if (params.length === 0) throw new ShapeError('ParameterBlock.gather: no parameters');
    if (new Set(params).size !== params.length) throw new ShapeError('ParameterBlock.gather: a parameter appears twice');
    const be = params[0]!.backend;
    const offsets: number[] = [];
    let n = 0;
    for (const p of params) {
      p.check();
      if (p.backend !== be) throw new ShapeError('ParameterBlock.gather: parameters live on different backends');
      offsets.push(n);
      n += Math.ceil(p.size / 16) * 16;
    }
    const data = keep(Tensor.empty([n], be)), grad = keep(Tensor.empty([n], be));
    be.kernels.fill_f32(data.ptr, n, 0);
    be.kernels.fill_f32(grad.ptr, n, 0);
    const f = be.heap;
    params.forEach((p, i) => {
      const o = offsets[i]!;
      f.f32.set(p.toArray(), wordIndex(data.ptr) + o);
      if (p.grad) f.f32.set(p.grad.toArray(), wordIndex(grad.ptr) + o);
      setHasGrad(p, p.grad !== null);
      p.rebind(data.storage, o);
      p.grad?.dispose();
      p.grad = keep(new Tensor(grad.storage as Storage, p.shape, p.strides, o));
    });
    return new ParameterBlock(params, data, grad, offsets);
  }

  /** Zeroes every gradient in one kernel call (the views stay in place); no parameter has a
   * gradient afterwards (hasGrad), as after PyTorch's zero_grad(). */
  zeroGrad(): void {
    this.grad.backend.kernels.fill_f32(this.grad.ptr, this.grad.size, 0);
    for (const p of this.params) setHasGrad(p, false);
  }

  /**
   * The spans covering the parameters that `take`s, each run of consecutive ones with equal
   * `key` in one span. With every parameter taken and one key: the whole block, one span.
   * @example block.ranges((j) => params[j].requiresGrad, () => 0)
   */
  ranges(take: (j: number) => boolean, key: (j: number) => number): BlockRange[] {
    const out: BlockRange[] = [], n = this.params.length;
    for (let j = 0; j < n; j++) {
      if (!take(j)) continue;
      const first = j, k = key(j);
      while (j + 1 < n && take(j + 1) && key(j + 1) === k) j++;
      const end = j + 1 < n ? this.offsets[j + 1]! : this.data.size;
      out.push({ first, last: j, offset: this.offsets[first]!, size: end - this.offsets[first]! });
    }
    return out;
  }

  /**
   * Copies every value of the block, bit for bit, into `to` (a tensor of the block's size on its
   * backend; a new one, which the caller owns, by default): what restore() puts back.
   * @example const saved = block.snapshot(); …; block.restore(saved); saved.dispose();
   */
  snapshot(to: Tensor = Tensor.empty(this.data.shape, this.data.backend)): Tensor {
    copyValues(this.data, this.other(to, 'snapshot'));
    return to;
  }

  /** Puts the values a snapshot() saved back into the block (every parameter at once). */
  restore(from: Tensor): void {
    copyValues(this.other(from, 'restore'), this.data);
  }

  /** t, if it can hold the block's values (else a ShapeError naming its shape). */
  private other(t: Tensor, who: string): Tensor {
    t.check();
    if (t.size !== this.data.size || t.backend !== this.data.backend || !t.isContiguous) {
      throw new ShapeError(`ParameterBlock.${who}: needs a contiguous tensor of ${this.data.size} values on the block's backend, got ${fmtShape(t.shape)}`);
    }
    return t;
  }

  /** Whether each parameter still views this block (a user may have replaced a .grad). */
  get intact(): boolean {
    return this.params.every((p, i) => !p.disposed && p.storage === this.data.storage &&
      p.grad?.storage === this.grad.storage && p.grad.offset === this.offsets[i]);
  }

  /** Frees the block once no parameter views it. */
  dispose(): void {
    this.data.dispose();
    this.grad.dispose();
  }
}

/** to's values = from's, bit for bit (both contiguous, same size and backend). */
function copyValues(from: Tensor, to: Tensor): void {
  const f = to.backend.heap.f32, src = wordIndex(from.ptr);
  f.copyWithin(wordIndex(to.ptr), src, src + from.size);
}
