// Sequential: a chain of modules (torch.nn.Sequential). Children live in `_modules`, so their
// parameters are named "0.weight", "1.bias", … exactly like PyTorch's state dict. forward passes
// the output of each child to the next and frees the intermediate outputs (autograd keeps what
// backward needs on its own; the input, parameters and buffers are never freed), so a deep chain
// holds no extra tensors. A ReLU followed by max pooling runs as the pooling followed by the ReLU
// (see poolsFirst): the same values and gradients on k·k times fewer elements.
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { ReLU } from './activations.js';
import { MaxPool1d, MaxPool2d } from './pooling.js';
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
    const ms = this._modules, n = ms.length;
    for (let i = 0; i < n; i++) {
      const m = ms[i]!;
      if (i + 1 < n && poolsFirst(m, ms[i + 1]!)) {
        h = step(x, step(x, h, ms[i + 1]!), m);
        i++;
      } else {
        h = step(x, h, m);
      }
    }
    return h;
  }
}

/** m's output for h; h freed unless it is the input, a parameter or a buffer (or m returned it). */
function step(x: Tensor, h: Tensor, m: TensorModule): Tensor {
  const next = m.forward(h);
  if (h !== x && next !== h && !(h instanceof Parameter) && !(h instanceof Buffer)) h.dispose();
  return next;
}

/** Whether a ReLU and the max pooling after it may swap: both the plain classes' forward (no
 * forward hook, no subclass override). relu is monotone, so max(relu(window)) = relu(max(window))
 * (up to the sign of a zero: relu keeps −0), NaN included (both pick a window's NaN); the gradients
 * agree too: a window whose max is ≤ 0 gets none either way, any other routes to the same argmax.
 * Every window holds an input element (padding ≤ kernel / 2), so −∞ padding never wins. */
function poolsFirst(a: Module, b: Module): boolean {
  return a.forward === ReLU.prototype.forward && a instanceof ReLU &&
    ((b instanceof MaxPool2d && b.forward === MaxPool2d.prototype.forward) ||
     (b instanceof MaxPool1d && b.forward === MaxPool1d.prototype.forward));
}
