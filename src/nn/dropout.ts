// Dropout (torch.nn.Dropout): in training mode zeroes each element with probability p and scales
// the rest by 1/(1−p) (nn.functional.dropout); in eval mode it passes values through (a copy).
// With { seed } the masks are reproducible: call k of forward uses a key derived from (seed, k),
// so successive calls draw different masks; without a seed the global stream continues.
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { dropout } from './functional.js';
import { checkNumber, checkSeed } from '../check-option.js';
import type { ModuleConfig } from './module-repr.js';

/**
 * Randomly zeroes activations while training.
 * @example
 * const drop = new sg.nn.Dropout(0.2, { seed: 1 });
 * drop.forward(x);           // masked and scaled
 * drop.eval().forward(x);    // the identity
 */
export class Dropout extends Module {
  static override reprKeywords = true;
  private readonly seed: number | undefined;
  private calls = 0;

  constructor(readonly p = 0.5, { seed }: { seed?: number } = {}) {
    super();
    checkNumber('Dropout', 'p', p, { min: 0, max: 1 });
    this.seed = checkSeed('Dropout', seed);
  }

  /** p (the seed is not part of it: a rebuilt layer draws from the global stream). */
  override config(): ModuleConfig { return { args: { p: this.p } }; }

  override forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return dropout(x, this.p, { training: false });
    let seed: number | undefined;
    if (this.seed !== undefined) { // low word: the seed's; high word: its own high word + call count
      const hi = (Math.floor(this.seed / 2 ** 32) + this.calls++) % 2 ** 21;
      seed = (this.seed >>> 0) + hi * 2 ** 32;
    }
    return dropout(x, this.p, { training: true, seed });
  }
}
