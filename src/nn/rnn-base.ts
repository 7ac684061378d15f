// RNNBase: the stack of recurrent layers behind RNN, LSTM and GRU (torch.nn.RNNBase). Parameters
// carry PyTorch's names, shapes and gate order — weight_ih_l{k}[_reverse] [G·H, I_k],
// weight_hh_l{k}[_reverse] [G·H, H], bias_ih_l{k}[_reverse] and bias_hh_l{k}[_reverse] [G·H],
// registered layer by layer, forward direction first — so a PyTorch state dict (or safetensors
// file) loads as is. All start U(−1/√H, 1/√H) as in PyTorch. Each layer and direction is one
// recurrentSequence node (src/ops/recurrent.ts); the directions' outputs are concatenated on the
// feature axis, dropout (training only) goes between layers, not after the last.
// Shapes: input [T, B, I] ([B, T, I] with batchFirst, [T, I] unbatched); h0 / h_n
// [numLayers·D, B, H] ([numLayers·D, H] unbatched), D = 2 if bidirectional.
import { Tensor, tensorArg } from '../tensor.js';
import { Module } from './module.js';
import { param, type Parameter } from './parameter.js';
import { uniform } from './init.js';
import { dropout } from './functional.js';
import { ShapeError, fmtShape } from '../errors.js';
import { concat, reshape, slice, transpose } from '../ops/shape.js';
import { GATES, recurrentParts, recurrentSequence, type RecurrentMode } from '../ops/recurrent.js';
import { checkInt, checkNumber } from '../check-option.js';
import type { ModuleConfig } from './module-repr.js';

export interface RNNBaseOptions {
  /** Stacked layers (default 1). */
  numLayers?: number;
  /** Learn b_ih and b_hh (default true). */
  bias?: boolean;
  /** Input and output as [B, T, features] (default false: [T, B, features]). */
  batchFirst?: boolean;
  /** Dropout probability on the outputs of every layer but the last (training only). */
  dropout?: number;
  /** Run a second, reversed direction per layer and concatenate (default false). */
  bidirectional?: boolean;
  /** Seed of the initial weights (parameter i uses seed + i); default: the global stream. */
  seed?: number;
}

export abstract class RNNBase extends Module {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  protected readonly mode: RecurrentMode;
  private readonly dropoutSeed: number | undefined;
  private dropoutCalls = 0;

  constructor(mode: RecurrentMode, inputSize: number, hiddenSize: number, opts: RNNBaseOptions = {}) {
    super();
    const { numLayers = 1, bias = true, batchFirst = false, dropout: p = 0, bidirectional = false, seed } = opts;
    const name = this.constructor.name;
    checkInt(name, 'inputSize', inputSize, 0);
    checkInt(name, 'hiddenSize', hiddenSize, 1);
    checkInt(name, 'numLayers', numLayers, 1);
    checkNumber(name, 'dropout', p, { min: 0, max: 1 });
    this.mode = mode;
    this.dropoutSeed = seed === undefined ? undefined : seed + 7919;
    this.inputSize = inputSize; this.hiddenSize = hiddenSize; this.numLayers = numLayers;
    this.bias = bias; this.batchFirst = batchFirst; this.dropout = p; this.bidirectional = bidirectional;
    const G = GATES[mode], D = bidirectional ? 2 : 1, bound = 1 / Math.sqrt(hiddenSize);
    let i = 0;
    const make = (shape: number[]): Parameter => {
      const s = seed === undefined ? undefined : seed + i++;
      return param(() => uniform(Tensor.empty(shape), -bound, bound, { seed: s }));
    };
    const self = this as unknown as Record<string, Parameter>;
    for (let l = 0; l < numLayers; l++) {
      for (let d = 0; d < D; d++) {
        const sfx = `_l${l}${d ? '_reverse' : ''}`, inp = l === 0 ? inputSize : hiddenSize * D;
        self[`weight_ih${sfx}`] = make([G * hiddenSize, inp]);
        self[`weight_hh${sfx}`] = make([G * hiddenSize, hiddenSize]);
        if (bias) { self[`bias_ih${sfx}`] = make([G * hiddenSize]); self[`bias_hh${sfx}`] = make([G * hiddenSize]); }
      }
    }
  }

  /** Sizes, and the options that differ from their defaults (what PyTorch prints). */
  override config(): ModuleConfig {
    const options: Record<string, number | boolean> = {};
    if (this.numLayers !== 1) options.numLayers = this.numLayers;
    if (!this.bias) options.bias = false;
    if (this.batchFirst) options.batchFirst = true;
    if (this.dropout !== 0) options.dropout = this.dropout;
    if (this.bidirectional) options.bidirectional = true;
    return { args: { inputSize: this.inputSize, hiddenSize: this.hiddenSize }, options };
  }

  /** The parameter named weight_ih_l0 etc. */
  protected p(name: string): Parameter | null {
    return (this as unknown as Record<string, Parameter | undefined>)[name] ?? null;
  }

  /** Runs the stack; hx = h0 (and c0 for LSTM), or null for zeros. Returns output, h_n, c_n. */
  protected run(input: Tensor, h0: Tensor | null, c0: Tensor | null): [Tensor, Tensor, Tensor | null] {
    const name = this.constructor.name, D = this.bidirectional ? 2 : 1, L = this.numLayers, H = this.hiddenSize;
    tensorArg(this.constructor.name, 'input', input);
    if ((input.rank !== 2 && input.rank !== 3) || input.shape[input.rank - 1] !== this.inputSize) {
      throw new ShapeError(`${name}: input ${fmtShape(input.shape)} must be ${this.batchFirst ? '[B, T, ' : '[T, B, '}` +
        `${this.inputSize}] or unbatched [T, ${this.inputSize}]`);
    }
    const batched = input.rank === 3, B = batched ? input.shape[this.batchFirst ? 0 : 1]! : 1;
    const want = batched ? [L * D, B, H] : [L * D, H];
    for (const [k, s] of [['h0', h0], ['c0', c0]] as const) {
      if (s && s.shape.join() !== want.join()) {
        throw new ShapeError(`${name}: ${k} has shape ${fmtShape(s.shape)}, expected ${fmtShape(want)} for input ${fmtShape(input.shape)}`);
      }
    }
    const temps: Tensor[] = [];
    const tmp = (t: Tensor): Tensor => { temps.push(t); return t; };
    const state = (s: Tensor | null, idx: number): Tensor | null =>
      s && tmp(reshape(tmp(slice(s, [idx], [idx + 1])), [B, H]));
    try {
      let x = !batched ? tmp(reshape(input, [input.shape[0]!, 1, this.inputSize]))
        : this.batchFirst ? tmp(transpose(input, 0, 1)) : input;
      const hs: Tensor[] = [], cs: Tensor[] = [];
      for (let l = 0; l < L; l++) {
        const outs: Tensor[] = [];
        for (let d = 0; d < D; d++) {
          const sfx = `_l${l}${d ? '_reverse' : ''}`;
          const P = recurrentSequence(this.mode, x, state(h0, l * D + d), state(c0, l * D + d), {
            weightIh: this.p(`weight_ih${sfx}`)!, weightHh: this.p(`weight_hh${sfx}`)!,
            biasIh: this.p(`bias_ih${sfx}`), biasHh: this.p(`bias_hh${sfx}`),
          }, d === 1);
          const { output, hN, cN } = recurrentParts(P, this.mode, d === 1);
          P.dispose();
          outs.push(tmp(output)); hs.push(tmp(hN));
          if (cN) cs.push(tmp(cN));
        }
        let y = D === 2 ? tmp(concat(outs, 2)) : outs[0]!;
        if (l < L - 1 && this.training && this.dropout > 0) y = tmp(dropout(y, this.dropout, { seed: this.nextDropoutSeed() }));
        x = y;
      }
      const T = x.shape[0]!;
      let out: Tensor;
      if (!batched) out = reshape(x, [T, D * H]);
      else if (this.batchFirst) out = transpose(x, 0, 1);
      else { out = x; temps.splice(temps.indexOf(x), 1); } // the last layer's output itself
      const fin = (list: Tensor[]): Tensor => {
        const c = concat(list, 0);
        if (batched) return c;
        const r = reshape(c, want);
        c.dispose();
        return r;
      };
      return [out, fin(hs), cs.length ? fin(cs) : null];
    } finally {
      for (const t of temps) t.dispose();
    }
  }

  private nextDropoutSeed(): number | undefined {
    if (this.dropoutSeed === undefined) return undefined;
    return (this.dropoutSeed >>> 0) + ((Math.floor(this.dropoutSeed / 2 ** 32) + this.dropoutCalls++) % 2 ** 21) * 2 ** 32;
  }
}
