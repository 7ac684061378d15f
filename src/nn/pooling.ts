// Pooling layers (torch.nn.MaxPool1d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d): stateless
// wrappers over the functional forms in ops/pool.ts, for use inside Sequential. Options are
// checked at construction (the input shape is checked per call).
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { adaptiveAvgPool2d, avgPool2d, maxPool1d, maxPool2d, type AvgPool2dOptions, type MaxPool1dOptions, type MaxPool2dOptions } from '../ops/pool.js';
import { checkPoolPadding, tuple, type Size1, type Size2 } from '../ops/window.js';

/** Checks a pooling layer's options: kernel and stride ≥ 1, padding ≥ 0 and at most half the kernel. */
function checked<O extends { stride?: Size2 | Size1; padding?: Size2 | Size1 }>(owner: string, kernelSize: Size2 | Size1, opts: O, dims: number): O {
  const k = tuple(owner, 'kernelSize', kernelSize, dims, 1);
  if (opts.stride !== undefined) tuple(owner, 'stride', opts.stride, dims, 1);
  checkPoolPadding(owner, k, tuple(owner, 'padding', opts.padding ?? 0, dims, 0));
  return opts;
}

/** Max over windows of [N, C, H, W]. @example new sg.nn.MaxPool2d(2).forward(x) // halves H and W */
export class MaxPool2d extends Module {
  constructor(readonly kernelSize: Size2, readonly options: MaxPool2dOptions = {}) {
    super();
    checked('MaxPool2d', kernelSize, options, 2);
  }
  override forward(x: Tensor): Tensor { return maxPool2d(x, this.kernelSize, this.options); }
}

/** Max over windows of [N, C, L]. @example new sg.nn.MaxPool1d(3, { stride: 2 }).forward(x) */
export class MaxPool1d extends Module {
  constructor(readonly kernelSize: Size1, readonly options: MaxPool1dOptions = {}) {
    super();
    checked('MaxPool1d', kernelSize, options, 1);
  }
  override forward(x: Tensor): Tensor { return maxPool1d(x, this.kernelSize, this.options); }
}

/** Mean over windows of [N, C, H, W]. @example new sg.nn.AvgPool2d(2).forward(x) */
export class AvgPool2d extends Module {
  constructor(readonly kernelSize: Size2, readonly options: AvgPool2dOptions = {}) {
    super();
    checked('AvgPool2d', kernelSize, options, 2);
  }
  override forward(x: Tensor): Tensor { return avgPool2d(x, this.kernelSize, this.options); }
}

/**
 * Mean pooling to a fixed output size (each output size must divide the input's).
 * @example new sg.nn.AdaptiveAvgPool2d(1).forward(x) // [N, C, H, W] → [N, C, 1, 1]
 */
export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: Size2) {
    super();
    tuple('AdaptiveAvgPool2d', 'outputSize', outputSize, 2, 1);
  }
  override forward(x: Tensor): Tensor { return adaptiveAvgPool2d(x, this.outputSize); }
}
