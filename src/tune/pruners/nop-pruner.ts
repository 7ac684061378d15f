// NopPruner: never prunes (every trial runs to the end).
import type { Pruner } from './pruner.js';

/** Never prunes. */
export class NopPruner implements Pruner {
  prune(): boolean { return false; }
}
