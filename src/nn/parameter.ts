// Parameter: a learned tensor (weights, biases) that a Module owns — requiresGrad, never freed by
// a scope (only by dispose() or the module's dispose()). Buffer: state that is saved with the
// module but not learned (BatchNorm's running statistics).
import { Tensor } from '../tensor.js';
import { keep } from '../scope.js';

export class Parameter extends Tensor {
  /** PyTorch's form: 'Parameter containing:' above the tensor. */
  override toString(): string { return `Parameter containing:\n${super.toString()}`; }

  /** Wraps t's data as a parameter (t stays usable; both share storage). */
  static from(t: Tensor, requiresGrad = true): Parameter {
    t.check();
    const p = new Parameter(t.storage, t.shape, t.strides, t.offset);
    keep(p);
    p.requiresGrad = requiresGrad;
    return p;
  }
}

export class Buffer extends Tensor {
  static from(t: Tensor): Buffer {
    t.check();
    return keep(new Buffer(t.storage, t.shape, t.strides, t.offset));
  }
}

/** Creates a parameter from a freshly made tensor and frees the temporary. */
export function param(make: () => Tensor, requiresGrad = true): Parameter {
  const t = make();
  const p = Parameter.from(t, requiresGrad);
  t.dispose();
  return p;
}

/** Creates a buffer from a freshly made tensor and frees the temporary. */
export function buffer(make: () => Tensor): Buffer {
  const t = make();
  const b = Buffer.from(t);
  t.dispose();
  return b;
}
