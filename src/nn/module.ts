// Module: the base of every layer, as torch.nn.Module. Parameters, buffers and sub-modules are
// discovered from the instance's own properties (arrays of modules too), in insertion order, and
// named with PyTorch's dotted paths ("0.weight", "encoder.layers.1.bias"), so state dicts line up
// with PyTorch's and load from its safetensors files. Each layer describes its constructor
// arguments once, as data (config()): its printed form (PyTorch's module tree, extraRepr) and
// saved models (sg.io.saveModel) are made from it. Forward hooks wrap one instance's forward only
// while a hook is registered (no cost otherwise).
import { wordIndex } from '../memory.js';
import { Tensor } from '../tensor.js';
import { Parameter, Buffer } from './parameter.js';
import { DTypeError, describeValue } from '../errors.js';
import { stateDictValues, type StateValue } from './state-dict-values.js';
import { noGrad } from '../autograd.js';
import { setHasGrad } from '../has-grad.js';
import { moduleRepr, reprConfig, type ModuleConfig } from './module-repr.js';
import { summary, type ModelSummary } from './summary.js';

/** Called after a module's forward with its arguments and output (PyTorch's forward hook). */
export type ForwardHook = (module: Module, args: unknown[], output: unknown) => void;
/** What registerForwardHook returns: remove() takes the hook off again. */
export interface HookHandle { remove(): void }

/** Per instance with hooks: the hooks, and the own `forward` property to put back without them. */
const hooked = new WeakMap<Module, { hooks: ForwardHook[]; own: PropertyDescriptor | undefined }>();
const inspect = Symbol.for('nodejs.util.inspect.custom');

export abstract class Module {
  /** Whether extraRepr names the positional arguments (Linear: `in_features=64`) or prints them
   * bare (Embedding: `1000, 32`), as each PyTorch layer does. */
  static reprKeywords = false;
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

  /**
   * Turns gradients on or off for every parameter (PyTorch's requires_grad_): frozen parameters
   * get no gradient, and optimizers leave them as they are. Returns this.
   * @example model.at(0)!.requiresGrad(false);   // freeze the first layer
   */
  requiresGrad(flag = true): this {
    if (typeof flag !== 'boolean') throw new DTypeError(`requiresGrad: flag must be a boolean, got ${describeValue(flag)}`);
    for (const p of this.parameters()) p.requiresGrad = flag;
    return this;
  }

  /**
   * The constructor arguments as plain data (`new Layer(...Object.values(args), options)`
   * rebuilds it); {} for a module without any, null when it cannot be described.
   * @example new sg.nn.Linear(4, 2).config()   // { args: { inFeatures: 4, outFeatures: 2 }, options: { bias: true } }
   */
  config(): ModuleConfig | null { return {}; }

  /** The text inside `Name(…)` when printed (PyTorch's extra_repr), made from config(). */
  extraRepr(): string {
    return reprConfig(this.config(), (this.constructor as typeof Module).reprKeywords);
  }

  /** PyTorch's module tree. @example String(model) // 'Sequential(\n  (0): Linear(in_features=4, …' */
  toString(): string { return moduleRepr(this); }
  [inspect](): string { return this.toString(); }

  /**
   * A table of the layers: name, type, output shape for `input` (a tensor, or a shape run as
   * zeros), parameter counts (trainable and frozen) and bytes. See sg.nn.summary.
   * @example console.log(String(model.summary([32, 64])));
   */
  summary(input?: Tensor | readonly number[]): ModelSummary { return summary(this, { input }); }

  /**
   * Calls `hook(module, args, output)` after every forward of this module (not its children).
   * @example const h = layer.registerForwardHook((m, args, out) => console.log(out)); h.remove();
   */
  registerForwardHook(hook: ForwardHook): HookHandle {
    let state = hooked.get(this);
    if (!state) {
      const own = Object.getOwnPropertyDescriptor(this, 'forward'), inner = this.forward as (...a: unknown[]) => unknown;
      const hooks: ForwardHook[] = [];
      state = { hooks, own };
      hooked.set(this, state);
      Object.defineProperty(this, 'forward', {
        configurable: true, writable: true, enumerable: false,
        value: (...args: unknown[]) => {
          const out = inner.apply(this, args);
          for (const h of [...hooks]) h(this, args, out);
          return out;
        },
      });
    }
    state.hooks.push(hook);
    const s = state;
    return {
      remove: () => {
        const i = s.hooks.indexOf(hook);
        if (i < 0) return;
        s.hooks.splice(i, 1);
        if (s.hooks.length || hooked.get(this) !== s) return;
        hooked.delete(this);
        if (s.own) Object.defineProperty(this, 'forward', s.own);
        else delete (this as { forward?: unknown }).forward;
      },
    };
  }

  /** Frees every parameter, buffer and gradient of the module tree. */
  dispose(): void {
    for (const [, t] of [...this.namedParameters(), ...this.namedBuffers()]) t.dispose();
  }
}
