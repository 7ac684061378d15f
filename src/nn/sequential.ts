// Sequential: a chain of modules (torch.nn.Sequential). Children live in `_modules`, so their
// parameters are named "0.weight", "1.bias", … exactly like PyTorch's state dict. forward passes
// the output of each child to the next and frees the intermediate outputs (autograd keeps what
// backward needs on its own; the input, parameters and buffers are never freed), so a deep chain
// holds no extra tensors.
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { Buffer, Parameter } from './parameter.js';
import { DTypeError } from '../errors.js';
import type { ModuleConfig } from './module-repr.js';

/** A module whose forward maps one tensor to one tensor. */
export type TensorModule = Module & { forward(x: Tensor): Tensor };

/**
 * Runs modules in order.
 * @example
 * const mlp = new sg.nn.Sequential(new sg.nn.Linear(4, 16), new sg.nn.ReLU(), new sg.nn.Linear(16, 3));
 * mlp.namedParameters().map(([n]) => n); // ['0.weight', '0.bias', '2.weight', '2.bias']
 */
export class Sequential extends Module {
  readonly _modules: TensorModule[];

  constructor(...modules: TensorModule[]) {
    super();
    for (const [i, m] of modules.entries()) {
      if (!(m instanceof Module)) throw new DTypeError(`Sequential: argument ${i} is not a Module`);
    }
    this._modules = [...modules];
  }

  /** Number of children. */
  get length(): number { return this._modules.length; }
  /** Child i (negative counts from the end). */
  at(i: number): TensorModule | undefined { return this._modules.at(i); }
  /** Adds a module at the end; returns this. */
  append(m: TensorModule): this {
    if (!(m instanceof Module)) throw new DTypeError('Sequential.append: not a Module');
    this._modules.push(m);
    return this;
  }

  /** The children, by index. */
  override config(): ModuleConfig { return { args: Object.fromEntries(this._modules.map((m, i) => [String(i), m])) }; }
  /** Printed with its children only, as PyTorch. */
  override extraRepr(): string { return ''; }

  override forward(x: Tensor): Tensor {
    let h = x;
    for (let i = 0; i < this._modules.length; i++) {
      const next = this._modules[i]!.forward(h);
      if (h !== x && next !== h && !(h instanceof Parameter) && !(h instanceof Buffer)) h.dispose();
      h = next;
    }
    return h;
  }
}
