// Pooling layers (torch.nn.MaxPool1d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d): stateless
// wrappers over the functional forms in ops/pool.ts, for use inside Sequential. Options are
// checked at construction (the input shape is checked per call).
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { adaptiveAvgPool2d, avgPool2d, maxPool1d, maxPool2d, type AvgPool2dOptions, type MaxPool1dOptions, type MaxPool2dOptions } from '../ops/pool.js';
import { checkPoolPadding, tuple, type Size1, type Size2 } from '../ops/window.js';
import type { ConfigValue, ModuleConfig } from './module-repr.js';

/** The options shared by the window pooling layers, checked at construction: kernel and stride
 * ≥ 1, padding ≥ 0 and at most half the kernel. */
abstract class PoolNd<S extends Size2 | Size1, O extends { stride?: S; padding?: S }> extends Module {
  static override reprKeywords = true;
  constructor(owner: string, readonly kernelSize: S, readonly options: O, dims: number) {
    super();
    const k = tuple(owner, 'kernelSize', kernelSize, dims, 1);
    if (options.stride !== undefined) tuple(owner, 'stride', options.stride, dims, 1);
    checkPoolPadding(owner, k, tuple(owner, 'padding', options.padding ?? 0, dims, 0));
  }

  /** The kernel size and the options given. */
  override config(): ModuleConfig {
    const options = Object.fromEntries(Object.entries(this.options).filter(([, v]) => v !== undefined)) as Record<string, ConfigValue>;
    return { args: { kernelSize: this.kernelSize as ConfigValue }, options };
  }
}

/** Max over windows of [N, C, H, W]. @example new sg.nn.MaxPool2d(2).forward(x) // halves H and W */
export class MaxPool2d extends PoolNd<Size2, MaxPool2dOptions> {
  constructor(kernelSize: Size2, options: MaxPool2dOptions = {}) { super('MaxPool2d', kernelSize, options, 2); }
  override forward(x: Tensor): Tensor { return maxPool2d(x, this.kernelSize, this.options); }
}

/** Max over windows of [N, C, L]. @example new sg.nn.MaxPool1d(3, { stride: 2 }).forward(x) */
export class MaxPool1d extends PoolNd<Size1, MaxPool1dOptions> {
  constructor(kernelSize: Size1, options: MaxPool1dOptions = {}) { super('MaxPool1d', kernelSize, options, 1); }
  override forward(x: Tensor): Tensor { return maxPool1d(x, this.kernelSize, this.options); }
}

/** Mean over windows of [N, C, H, W]. @example new sg.nn.AvgPool2d(2).forward(x) */
export class AvgPool2d extends PoolNd<Size2, AvgPool2dOptions> {
  constructor(kernelSize: Size2, options: AvgPool2dOptions = {}) { super('AvgPool2d', kernelSize, options, 2); }
  override forward(x: Tensor): Tensor { return avgPool2d(x, this.kernelSize, this.options); }
}

/**
 * Mean pooling to a fixed output size (each output size must divide the input's).
 * @example new sg.nn.AdaptiveAvgPool2d(1).forward(x) // [N, C, H, W] → [N, C, 1, 1]
 */
export class AdaptiveAvgPool2d extends Module {
  static override reprKeywords = true;
  constructor(readonly outputSize: Size2) {
    super();
    tuple('AdaptiveAvgPool2d', 'outputSize', outputSize, 2, 1);
  }
  override config(): ModuleConfig { return { args: { outputSize: this.outputSize as ConfigValue } }; }
  override forward(x: Tensor): Tensor { return adaptiveAvgPool2d(x, this.outputSize); }
}
