// Conv1d and Conv2d (torch.nn.Conv1d / Conv2d): weight [out, in/groups, …kernel] and bias [out]
// with PyTorch's names, shapes and initialisation (kaiming_uniform(a = √5) ⇒ U(±1/√fanIn), bias
// U(±1/√fanIn), fanIn = in/groups·∏kernel), so state dicts load as they are. The forward is
// sg.nn.functional.conv1d / conv2d (ops/conv.ts). Only paddingMode 'zeros' is implemented.
import { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { param, type Parameter } from './parameter.js';
import { kaimingUniform, uniform } from './init.js';
import { convNd, convParams, type ConvFnOptions } from '../ops/conv.js';
import { tuple, type Size1, type Size2 } from '../ops/window.js';
import { checkChoice, checkInt, checkSeed } from '../check-option.js';
import { reprConfig, reprValue, type ModuleConfig } from './module-repr.js';

export interface ConvOptions<S> {
  stride?: S;
  /** Zeros on both sides, 'valid' (0) or 'same' (stride 1 only). */
  padding?: S | 'same' | 'valid';
  dilation?: S;
  groups?: number;
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** How the border is padded: only 'zeros' (PyTorch's default). */
  paddingMode?: 'zeros';
  /** Seed of the initial weights (the bias uses seed + 1); default: the global stream. */
  seed?: number;
}

/** The parameters and options shared by Conv1d and Conv2d. */
abstract class ConvNd extends Module {
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[] | 'same' | 'valid';
  readonly dilation: number[];
  readonly groups: number;
  readonly paddingMode: 'zeros';
  weight: Parameter;
  bias: Parameter | null;

  constructor(private readonly owner: string, readonly inChannels: number, readonly outChannels: number,
    kernelSize: number | readonly number[], private readonly dims: number, opts: ConvOptions<number | readonly number[]>) {
    super();
    checkInt(owner, 'inChannels', inChannels, 1);
    checkInt(owner, 'outChannels', outChannels, 1);
    checkSeed(owner, opts.seed);
    this.kernelSize = tuple(owner, 'kernelSize', kernelSize, dims, 1);
    const p = convParams(owner, this.kernelSize, opts, dims);
    this.stride = p.stride; this.dilation = p.dilation; this.groups = p.groups;
    this.padding = opts.padding === 'same' || opts.padding === 'valid' ? opts.padding : p.before;
    this.paddingMode = checkChoice(owner, 'paddingMode', opts.paddingMode ?? 'zeros', ['zeros'] as const);
    for (const [what, v] of [['inChannels', inChannels], ['outChannels', outChannels]] as const) {
      if (v % p.groups !== 0) throw new RangeError(`${owner}: ${what} ${v} must be divisible by groups ${p.groups}`);
    }
    const shape = [outChannels, inChannels / p.groups, ...this.kernelSize];
    const fanIn = shape.slice(1).reduce((a, b) => a * b, 1), bound = 1 / Math.sqrt(fanIn), seed = opts.seed;
    this.weight = param(() => kaimingUniform(Tensor.empty(shape), { a: Math.sqrt(5), seed }));
    this.bias = opts.bias ?? true
      ? param(() => uniform(Tensor.empty([outChannels]), -bound, bound, { seed: seed === undefined ? undefined : seed + 1 }))
      : null;
  }

  override config(): ModuleConfig {
    return {
      args: { inChannels: this.inChannels, outChannels: this.outChannels, kernelSize: [...this.kernelSize] },
      options: { stride: [...this.stride], padding: typeof this.padding === 'string' ? this.padding : [...this.padding], dilation: [...this.dilation], groups: this.groups, bias: this.bias !== null },
    };
  }

  /** PyTorch's: channels bare, kernel_size and stride named, the rest when not the default. */
  override extraRepr(): string {
    const pad = this.padding, zero = typeof pad !== 'string' && pad.every((v) => v === 0);
    const extra: ModuleConfig['options'] = { stride: [...this.stride] };
    if (!zero) extra.padding = typeof pad === 'string' ? pad : [...pad];
    if (this.dilation.some((v) => v !== 1)) extra.dilation = [...this.dilation];
    if (this.groups !== 1) extra.groups = this.groups;
    if (!this.bias) extra.bias = false;
    return `${this.inChannels}, ${this.outChannels}, kernel_size=${reprValue([...this.kernelSize])}, ${reprConfig({ options: extra }, false)}`;
  }

  override forward(x: Tensor): Tensor {
    const opts: ConvFnOptions = { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups };
    return convNd(this.owner, x, this.weight, this.bias, opts, this.dims);
  }
}

/**
 * 2-D convolution over [N, C, H, W] (or [C, H, W]) input.
 * @example
 * const conv = new sg.nn.Conv2d(1, 6, 5, { padding: 2 });
 * conv.forward(images);            // [N, 1, 28, 28] → [N, 6, 28, 28]
 */
export class Conv2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: Size2, opts: ConvOptions<Size2> = {}) {
    super('Conv2d', inChannels, outChannels, kernelSize, 2, opts);
  }
}

/**
 * 1-D convolution over [N, C, L] (or [C, L]) input.
 * @example
 * const conv = new sg.nn.Conv1d(16, 32, 3, { padding: 'same' });
 * conv.forward(x);                 // [N, 16, L] → [N, 32, L]
 */
export class Conv1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: Size1, opts: ConvOptions<Size1> = {}) {
    super('Conv1d', inChannels, outChannels, kernelSize, 1, opts);
  }
}
