// Optimizer: the base of SGD, Adam, AdamW, RMSprop, Adagrad, as torch.optim.Optimizer.
//
// Contract: parameters come as a list or as parameter groups with their own hyperparameters;
// each group's parameters are gathered into one ParameterBlock when the optimizer is built, so
// step() is one fused kernel call per group over flat buffers and zeroGrad() one fill. Group
// hyperparameters live on `paramGroups[i]` (PyTorch's param_groups), where schedules read and
// write `lr` (and `initialLr`, set once from lr). `optimizer.lr` reads the first group's rate and
// sets every group's. As in PyTorch, a step skips every parameter without a gradient (never
// reached by backward since zeroGrad: hasGrad) or with requiresGrad false: its values, its state
// and its own step count (PyTorch's state['step']) stay as they are. Subclasses implement
// update(group, i, range): one kernel call over a range of the group's block — the whole block
// when every parameter takes part at the same step count, so the common step is one call — with
// state buffers from buffer() (lazily created, keep()-ed, block-sized f32 tensors, freed by
// dispose()). stateDict() copies step count, hyperparameters, state (Float32Arrays) and
// per-parameter steps out; loadStateDict() checks group count, parameter shapes, buffer lengths
// and steps.
import { wordIndex } from '../memory.js';
import { Tensor, tensorArg, type Storage } from '../tensor.js';
import { ParameterBlock, type BlockRange } from '../nn/parameter-block.js';
import { hasGrad } from '../has-grad.js';
import { keep } from '../scope.js';
import { DisposedError, OptionError, ShapeError, StateDictError, describeValue, fmtShape } from '../errors.js';

/** Hyperparameters every optimizer has. */
export interface BaseOptions { lr: number }

/** One group: its parameters, their block, and its hyperparameters (mutable, like PyTorch's dicts). */
export type ParamGroup<O extends BaseOptions> = O & {
  params: Tensor[];
  /** The rate this group started with (schedules compute from it). */
  initialLr: number;
  /** The group's parameters and gradients as one block. */
  readonly block: ParameterBlock;
};

/** What constructors accept: parameters, or groups overriding some options. */
export type ParamsInput<O> = Tensor[] | Array<{ params: Tensor[] } & Partial<O>>;

/** A group's hyperparameters in a state dict (everything but params and block). */
export type GroupOptions = Record<string, number | boolean | number[]>;

/** optimizer.stateDict(): plain data, safe to keep after the optimizer is disposed. */
export interface OptimizerStateDict {
  /** Steps taken. */
  step: number;
  groups: Array<{
    options: GroupOptions;
    /** Shapes of the group's parameters, in order (checked on load). */
    shapes: number[][];
    /** State buffers over the group's block (block layout: parameters at 16-aligned offsets). */
    state: Record<string, Float32Array>;
    /** Updates each parameter took, in order (optional on load: `step` for each by default). */
    steps?: number[];
  }>;
}

/** A range of a group's block for one kernel call: parameters first..last, all taking part in
 * this step and all at their step `t` (1-based, the same for each). */
export interface UpdateRange extends BlockRange { t: number }

/** An optimizer's kind and current hyperparameters as plain data (History.settings, saved models). */
export interface OptimizerConfig {
  name: string;
  /** The one group's hyperparameters; with several groups, the defaults they were built from. */
  options: GroupOptions;
  /** Each group's hyperparameters, when there are several. */
  groups?: GroupOptions[];
}

/** Blocks made by optimizers, by their gradient storage (clipGradNorm finds whole blocks here). */
const blocksByGrad = new WeakMap<Storage, ParameterBlock>();
/** The optimizer block whose gradient storage is `s`, if any. */
export function blockOfGrad(s: Storage): ParameterBlock | undefined { return blocksByGrad.get(s); }

/** Merges options over defaults, ignoring keys given as undefined. */
export function withDefaults<O extends object>(defaults: O, opts: Partial<O> | undefined): O {
  const out = { ...defaults };
  for (const [k, v] of Object.entries(opts ?? {})) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

export abstract class Optimizer<O extends BaseOptions = BaseOptions> {
  readonly paramGroups: ParamGroup<O>[];
  /** The options every group started from: the constructor's over the defaults (PyTorch's defaults). */
  readonly defaults: Readonly<O>;
  /** Steps taken (the bias-correction step count of Adam-style methods). */
  stepCount = 0;
  private readonly buffers: Array<Map<string, Tensor>>;
  /** Updates each parameter of each group took. */
  private readonly steps: number[][];
  private disposedState = false;

  protected constructor(params: ParamsInput<O>, defaults: O) {
    if (!Array.isArray(params) || params.length === 0) throw new OptionError(`optimizer: expected a non-empty list of parameters or groups, got ${describeValue(params)}`);
    this.defaults = Object.freeze({ ...defaults });
    const groups = (params[0] as { params?: Tensor[] } | null)?.params !== undefined
      ? (params as Array<{ params: Tensor[] } & Partial<O>>)
      : [{ params: params as Tensor[] } as { params: Tensor[] } & Partial<O>];
    const seen = new Set<Tensor>();
    const merged = groups.map((g, i) => {
      if (typeof g !== 'object' || g === null || !Array.isArray(g.params)) {
        throw new OptionError(`optimizer: group ${i} must be { params: Tensor[], … }, got ${describeValue(g)}`);
      }
      for (const [j, p] of g.params.entries()) {
        tensorArg('optimizer', `params[${j}]`, p);
        if (seen.has(p)) throw new OptionError('optimizer: a parameter appears in more than one group');
        seen.add(p);
      }
      const m = withDefaults(defaults as O & { params: Tensor[] }, g as Partial<O & { params: Tensor[] }>);
      checkLr(m.lr);
      return Object.assign(m, { params: [...g.params], initialLr: m.lr }) as unknown as ParamGroup<O>;
    });
    merged.forEach((g, i) => this.validate(g, i)); // before any parameter moves
    this.paramGroups = merged.map((g) => Object.assign(g, { block: ParameterBlock.gather(g.params) }));
    for (const g of this.paramGroups) blocksByGrad.set(g.block.grad.storage, g.block);
    this.buffers = this.paramGroups.map(() => new Map());
    this.steps = this.paramGroups.map((g) => g.params.map(() => 0));
  }

  /** Learning rate of the first group; setting it sets every group's. */
  get lr(): number { return this.paramGroups[0]!.lr; }
  set lr(v: number) {
    checkLr(v);
    for (const g of this.paramGroups) g.lr = v;
  }

  /** Checks a group's hyperparameters (RangeError naming the value); called on build and load. */
  protected abstract validate(group: ParamGroup<O>, index: number): void;
  /** One fused update of a range of group `index`'s block (see UpdateRange). */
  protected abstract update(group: ParamGroup<O>, index: number, range: UpdateRange): void;

  /**
   * Applies one update from the accumulated gradients: one kernel call per group (per run of
   * parameters at the same step count when some sit this step out).
   * @example loss.backward(); opt.step(); opt.zeroGrad();
   */
  step(): void {
    this.checkLive();
    const groups = this.paramGroups;
    for (let i = 0; i < groups.length; i++) {
      checkLr(groups[i]!.lr);
      if (!groups[i]!.block.intact) {
        throw new ShapeError(`optimizer group ${i}: its parameters no longer view the optimizer's block ` +
          '(a .grad was replaced or disposed, or another optimizer gathered them); build a new optimizer');
      }
    }
    this.stepCount++;
    groups.forEach((g, i) => {
      const steps = this.steps[i]!, ranges = g.block.ranges((j) => takesPart(g.params[j]!), (j) => steps[j]!);
      for (const r of ranges) this.update(g, i, { ...r, t: steps[r.first]! + 1 });
      for (const r of ranges) for (let j = r.first; j <= r.last; j++) steps[j]!++;
    });
  }

  /** Group `index`'s state buffer `name` (block-sized), created filled with `init` on first use.
   * `created` tells the caller whether this call made it. */
  protected buffer(index: number, name: string, init = 0): { t: Tensor; created: boolean } {
    const m = this.buffers[index]!;
    let t = m.get(name);
    if (t) return { t, created: false };
    const d = this.paramGroups[index]!.block.data;
    t = keep(Tensor.empty([d.size], d.backend));
    d.backend.kernels.fill_f32(t.ptr, d.size, init);
    m.set(name, t);
    return { t, created: true };
  }

  /**
   * The optimizer's name and hyperparameters as they are now (lr as a schedule left it), as plain data.
   * @example new sg.optim.SGD(params, { lr: 0.1 }).config() // { name: 'SGD', options: { lr: 0.1, momentum: 0, … } }
   */
  config(): OptimizerConfig {
    const groups = this.paramGroups.map((g) => {
      const { initialLr: _initial, ...o } = groupOptions(g);
      return o;
    });
    const name = this.constructor.name;
    return groups.length === 1 ? { name, options: groups[0]! } : { name, options: groupOptions(this.defaults), groups };
  }

  /** Step count, hyperparameters and state buffers, copied out. */
  stateDict(): OptimizerStateDict {
    this.checkLive();
    return {
      step: this.stepCount,
      groups: this.paramGroups.map((g, i) => ({
        options: groupOptions(g),
        shapes: g.params.map((p) => [...p.shape]),
        state: Object.fromEntries([...this.buffers[i]!].map(([k, t]) => [k, t.toArray()])),
        steps: [...this.steps[i]!],
      })),
    };
  }

  /** Restores a stateDict() of an optimizer of the same kind over parameters of the same shapes. */
  loadStateDict(sd: OptimizerStateDict): void {
    this.checkLive();
    const name = this.constructor.name;
    if (!sd || !Array.isArray(sd.groups) || !Number.isInteger(sd.step) || sd.step < 0) {
      throw new StateDictError(`${name}.loadStateDict: expected { step, groups } from stateDict()`);
    }
    if (sd.groups.length !== this.paramGroups.length) {
      throw new StateDictError(`${name}.loadStateDict: state has ${sd.groups.length} groups, optimizer has ${this.paramGroups.length}`);
    }
    // check everything before changing anything
    sd.groups.forEach((sg, i) => {
      const g = this.paramGroups[i]!, n = g.block.data.size;
      if (typeof sg !== 'object' || sg === null || !Array.isArray(sg.shapes) || typeof sg.state !== 'object' || sg.state === null
        || typeof sg.options !== 'object' || sg.options === null) {
        throw new StateDictError(`${name}.loadStateDict: group ${i} must be { options, shapes, state } from stateDict()`);
      }
      if (sg.shapes.length !== g.params.length) {
        throw new StateDictError(`${name}.loadStateDict: group ${i} has ${sg.shapes.length} parameters in the state, ${g.params.length} here`);
      }
      sg.shapes.forEach((s, j) => {
        const want = g.params[j]!.shape;
        if (!Array.isArray(s) || s.length !== want.length || s.some((d, k) => d !== want[k])) {
          throw new ShapeError(`${name}.loadStateDict: group ${i} parameter ${j} has shape ${fmtShape(s)} in the state, ${fmtShape(want)} here`);
        }
      });
      for (const [k, v] of Object.entries(sg.state)) {
        if (!(v instanceof Float32Array) || v.length !== n) {
          throw new StateDictError(`${name}.loadStateDict: group ${i} state '${k}' must be a Float32Array of ${n} floats, got ${v instanceof Float32Array ? v.length : describeValue(v)}`);
        }
      }
      const st = sg.steps;
      if (st && !(Array.isArray(st) && st.length === g.params.length && st.every((c) => Number.isInteger(c) && c >= 0))) {
        throw new RangeError(`${name}.loadStateDict: group ${i} steps must be ${g.params.length} integers ≥ 0, got ${String(st)}`);
      }
      this.validate({ ...g, ...sg.options } as ParamGroup<O>, i);
      checkLr((sg.options as { lr?: number }).lr ?? g.lr);
    });
    this.disposeState();
    this.stepCount = sd.step;
    sd.groups.forEach((sg, i) => {
      const g = this.paramGroups[i]!;
      for (const [k, v] of Object.entries(sg.options)) (g as unknown as Record<string, unknown>)[k] = Array.isArray(v) ? [...v] : v;
      for (const [k, v] of Object.entries(sg.state)) {
        const { t } = this.buffer(i, k);
        t.backend.heap.f32.set(v, wordIndex(t.ptr));
      }
      this.steps[i] = g.params.map((_, j) => sg.steps?.[j] ?? sd.step);
    });
  }

  /** Frees the state buffers and the groups' blocks (the parameters stay usable). Idempotent. */
  dispose(): void {
    if (this.disposedState) return;
    this.disposeState();
    for (const g of this.paramGroups) g.block.dispose();
    this.disposedState = true;
  }

  private disposeState(): void {
    for (const m of this.buffers) {
      for (const t of m.values()) t.dispose();
      m.clear();
    }
  }

  private checkLive(): void {
    if (this.disposedState) throw new DisposedError(`${this.constructor.name} was used after dispose()`);
  }

  /** Zeroes every gradient (one fill per group). */
  zeroGrad(): void {
    for (const g of this.paramGroups) g.block.zeroGrad();
  }
}

/** Whether p takes part in a step: it requires grad and backward reached it since zeroGrad. */
function takesPart(p: Tensor): boolean {
  return p.requiresGrad && hasGrad(p);
}

function groupOptions(g: object): GroupOptions {
  const out: GroupOptions = {};
  for (const [k, v] of Object.entries(g)) {
    if (k === 'params' || k === 'block') continue;
    if (typeof v === 'number' || typeof v === 'boolean') out[k] = v;
    else if (Array.isArray(v) && v.every((x) => typeof x === 'number')) out[k] = [...v as number[]];
  }
  return out;
}

function checkLr(lr: number): void {
  if (typeof lr !== 'number' || !(lr >= 0) || !Number.isFinite(lr)) throw new OptionError(`learning rate must be a finite number ≥ 0, got ${describeValue(lr)}`);
}
