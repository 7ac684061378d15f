// Flatten (torch.nn.Flatten): merges dims startDim..endDim (default 1..−1, keeping the batch
// dim) into one; a view when the input is contiguous.
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { flatten } from '../ops/shape.js';

/** @example new sg.nn.Flatten().forward(images) // [N, 1, 8, 8] → [N, 64] */
export class Flatten extends Module {
  constructor(readonly startDim = 1, readonly endDim = -1) { super(); }
  override forward(x: Tensor): Tensor { return flatten(x, this.startDim, this.endDim); }
}
