// Module: the base of every layer, as torch.nn.Module. Parameters, buffers and sub-modules are
// discovered from the instance's own properties (arrays of modules too), in insertion order, and
// named with PyTorch's dotted paths ("0.weight", "encoder.layers.1.bias"), so state dicts line up
// with PyTorch's and load from its safetensors files.
import { wordIndex } from '../memory.js';
import { Tensor } from '../tensor.js';
import { Parameter, Buffer } from './parameter.js';
import { stateDictValues, type StateValue } from './state-dict-values.js';
import { noGrad } from '../autograd.js';
import { setHasGrad } from '../has-grad.js';

export abstract class Module {
  /** Training mode (dropout active, batch statistics); eval() turns it off. */
  training = true;

  abstract forward(...args: never[]): unknown;

  /** Direct children by name: own properties holding a Module or an array of Modules. */
  namedChildren(): Array<[string, Module]> {
    const out: Array<[string, Module]> = [];
    for (const [k, v] of Object.entries(this)) {
      if (v instanceof Module) out.push([k, v]);
      else if (Array.isArray(v)) v.forEach((m, i) => { if (m instanceof Module) out.push([`${k === '_modules' ? '' : `${k}.`}${i}`, m]); });
    }
    return out;
  }

  /** Every module in the tree (this one first) with its dotted name. */
  namedModules(prefix = ''): Array<[string, Module]> {
    const out: Array<[string, Module]> = [[prefix, this]];
    for (const [k, m] of this.namedChildren()) out.push(...m.namedModules(prefix ? `${prefix}.${k}` : k));
    return out;
  }

  private namedOwn<T>(cls: abstract new (...a: never[]) => T): Array<[string, T]> {
    const out: Array<[string, T]> = [];
    for (const [prefix, m] of this.namedModules()) {
      for (const [k, v] of Object.entries(m)) {
        if (v instanceof cls) out.push([prefix ? `${prefix}.${k}` : k, v]);
      }
    }
    return out;
  }

  /** Parameters with PyTorch-style dotted names. @example model.namedParameters()[0][0] // '0.weight' */
  namedParameters(): Array<[string, Parameter]> { return this.namedOwn(Parameter); }
  parameters(): Parameter[] { return this.namedParameters().map(([, p]) => p); }
  namedBuffers(): Array<[string, Buffer]> { return this.namedOwn(Buffer); }
  /** Number of learned values. */
  numParameters(): number { return this.parameters().reduce((n, p) => n + p.size, 0); }

  /** Sets training mode on this module and every sub-module. */
  train(mode = true): this {
    for (const [, m] of this.namedModules()) m.training = mode;
    return this;
  }
  eval(): this { return this.train(false); }

  /** Frees every parameter's gradient (PyTorch's zero_grad(set_to_none=True)); gradients that
   * live in a ParameterBlock are zeroed in place instead. */
  zeroGrad(): void {
    for (const p of this.parameters()) {
      setHasGrad(p, false);
      const g = p.grad;
      if (!g) continue;
      if (g.storage.length !== g.size) g.backend.kernels.fill_f32(g.ptr, g.size, 0);
      else { g.dispose(); p.grad = null; }
    }
  }

  /** Parameters and buffers by dotted name (the module's own tensors, not copies). */
  stateDict(): Record<string, Tensor> {
    return Object.fromEntries([...this.namedParameters(), ...this.namedBuffers()]);
  }

  /**
   * Copies values in by name. Shapes must match; with strict (default) missing and unexpected
   * keys are an error. Everything is checked before anything is copied, so a failed load changes
   * nothing (see state-dict-values.ts for the errors).
   * @example model.loadStateDict(other.stateDict())
   */
  loadStateDict(sd: Record<string, StateValue>, opts: { strict?: boolean } = {}): void {
    const { strict = true } = opts ?? {};
    const values = stateDictValues(this.stateDict(), sd, strict);
    noGrad(() => {
      for (const [t, data] of values) t.backend.heap.f32.set(data, wordIndex(t.ptr));
    });
  }

  /** Frees every parameter, buffer and gradient of the module tree. */
  dispose(): void {
    for (const [, t] of [...this.namedParameters(), ...this.namedBuffers()]) t.dispose();
  }
}
