// Flatten (torch.nn.Flatten): merges dims startDim..endDim (default 1..−1, keeping the batch
// dim) into one; a view when the input is contiguous.
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { flatten } from '../ops/shape.js';
import type { ModuleConfig } from './module-repr.js';

/** @example new sg.nn.Flatten().forward(images) // [N, 1, 8, 8] → [N, 64] */
export class Flatten extends Module {
  static override reprKeywords = true;
  constructor(readonly startDim = 1, readonly endDim = -1) { super(); }
  override config(): ModuleConfig { return { args: { startDim: this.startDim, endDim: this.endDim } }; }
  override forward(x: Tensor): Tensor { return flatten(x, this.startDim, this.endDim); }
}
