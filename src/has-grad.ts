// hasGrad: whether a leaf received a gradient since its gradient was last cleared — PyTorch's
// `p.grad is not None`. A parameter in an optimizer's block always has a `.grad` view (zeroGrad
// fills it with zeros rather than dropping it), so its `.grad` cannot say whether backward reached
// it; optimizers skip a parameter without one, as PyTorch does.
//
// Contract: backward() marks every leaf it accumulates into; zeroGrad (an optimizer's, a
// block's or a module's) clears the mark; ParameterBlock.gather marks a parameter exactly when
// it brings a gradient along.
import type { Tensor } from './tensor.js';

const marked = new WeakSet<Tensor>();

/**
 * Whether backward() accumulated into t's gradient since it was last zeroed.
 * @example loss.backward(); hasGrad(w) // true for every leaf loss depends on
 */
export function hasGrad(t: Tensor): boolean {
  return marked.has(t);
}

/** Marks (or clears) t as holding a gradient. */
export function setHasGrad(t: Tensor, value: boolean): void {
  if (value) marked.add(t);
  else marked.delete(t);
}
