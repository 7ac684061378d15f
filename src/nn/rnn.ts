// RNN, LSTM and GRU (torch.nn.RNN / LSTM / GRU): the recurrent layers over RNNBase, with
// PyTorch's constructor options (camelCase), parameter names and gate order; forward returns
// [output, state] like PyTorch — state is h_n for RNN and GRU, [h_n, c_n] for LSTM.
// Cells: RNN h' = act(W_ih x + b_ih + W_hh h + b_hh), act tanh or relu; LSTM gates i, f, g, o;
// GRU gates r, z, n with n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h' = (1 − z)·n + z·h.
import type { Tensor } from '../tensor.js';
import { RNNBase, type RNNBaseOptions } from './rnn-base.js';
import { checkChoice } from '../check-option.js';
import type { ModuleConfig } from './module-repr.js';

export interface RNNOptions extends RNNBaseOptions {
  /** 'tanh' (default) or 'relu'. */
  nonlinearity?: 'tanh' | 'relu';
}

/**
 * Elman recurrent layer(s).
 * @example
 * const rnn = new sg.nn.RNN(10, 20, { numLayers: 2, nonlinearity: 'relu' });
 * const [out, hN] = rnn.forward(x);       // x [T, B, 10] → out [T, B, 20], hN [2, B, 20]
 */
export class RNN extends RNNBase {
  readonly nonlinearity: 'tanh' | 'relu';
  constructor(inputSize: number, hiddenSize: number, opts: RNNOptions = {}) {
    const nl = checkChoice('RNN', 'nonlinearity', opts.nonlinearity ?? 'tanh', ['tanh', 'relu']);
    super(nl === 'relu' ? 'rnn_relu' : 'rnn_tanh', inputSize, hiddenSize, opts);
    this.nonlinearity = nl;
  }

  override config(): ModuleConfig {
    const c = super.config();
    if (this.nonlinearity !== 'tanh') c.options = { ...c.options, nonlinearity: this.nonlinearity };
    return c;
  }

  /** input [T, B, I] (batchFirst: [B, T, I]); h0 [numLayers·D, B, H] or zeros. */
  override forward(input: Tensor, h0: Tensor | null = null): [Tensor, Tensor] {
    const [out, h] = this.run(input, h0, null);
    return [out, h];
  }
}

/**
 * Long short-term memory layer(s).
 * @example
 * const lstm = new sg.nn.LSTM(64, 256, { batchFirst: true });
 * const [out, [hN, cN]] = lstm.forward(x); // x [B, T, 64] → out [B, T, 256]
 */
export class LSTM extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, opts: RNNBaseOptions = {}) {
    super('lstm', inputSize, hiddenSize, opts);
  }

  /** input [T, B, I] (batchFirst: [B, T, I]); state [h0, c0], each [numLayers·D, B, H], or zeros. */
  override forward(input: Tensor, state: readonly [Tensor, Tensor] | null = null): [Tensor, [Tensor, Tensor]] {
    const [out, h, c] = this.run(input, state?.[0] ?? null, state?.[1] ?? null);
    return [out, [h, c!]];
  }
}

/**
 * Gated recurrent unit layer(s).
 * @example
 * const gru = new sg.nn.GRU(32, 64, { bidirectional: true });
 * const [out, hN] = gru.forward(x);       // x [T, B, 32] → out [T, B, 128], hN [2, B, 64]
 */
export class GRU extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, opts: RNNBaseOptions = {}) {
    super('gru', inputSize, hiddenSize, opts);
  }

  /** input [T, B, I] (batchFirst: [B, T, I]); h0 [numLayers·D, B, H] or zeros. */
  override forward(input: Tensor, h0: Tensor | null = null): [Tensor, Tensor] {
    const [out, h] = this.run(input, h0, null);
    return [out, h];
  }
}
