// Dropout and Dropout2d (torch.nn.Dropout / Dropout2d): in training mode zero each element (each
// whole channel of [N, C, …]) with probability p and scale the rest by 1/(1−p) (nn.functional.dropout
// / dropout2d); in eval mode they pass values through (a copy).
// With { seed } the masks are reproducible: call k of forward uses a key derived from (seed, k),
// so successive calls draw different masks; without a seed the global stream continues.
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { dropout, dropout2d } from './functional.js';
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
    const owner = (this.constructor as typeof Dropout).layerName;
    checkNumber(owner, 'p', p, { min: 0, max: 1 });
    this.seed = checkSeed(owner, seed);
  }

  /** The name errors give (class names do not survive minification). */
  static readonly layerName: string = 'Dropout';
  /** The functional form this layer applies. */
  protected readonly drop: typeof dropout = dropout;

  /** p (the seed is not part of it: a rebuilt layer draws from the global stream). */
  override config(): ModuleConfig { return { args: { p: this.p } }; }

  override forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return this.drop(x, this.p, { training: false });
    let seed: number | undefined;
    if (this.seed !== undefined) { // low word: the seed's; high word: its own high word + call count
      const hi = (Math.floor(this.seed / 2 ** 32) + this.calls++) % 2 ** 21;
      seed = (this.seed >>> 0) + hi * 2 ** 32;
    }
    return this.drop(x, this.p, { training: true, seed });
  }
}

/**
 * Zeroes whole channels of [N, C, H, W] (or [N, C, L]) while training.
 * @example new sg.nn.Dropout2d(0.1, { seed: 1 }).forward(featureMaps)
 */
export class Dropout2d extends Dropout {
  static override readonly layerName: string = 'Dropout2d';
  protected override readonly drop: typeof dropout = dropout2d;
}
