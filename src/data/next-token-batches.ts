// Next-token batches for language models. For a sequence s, the full sequence is
// [bos?, ...s, eos?]; the input is full[0 : n−1] and the target full[1 : n] (each position
// predicts the next token). nextTokenBatch() pads a list of sequences into [B, T] Int32Array
// inputs (padded with padId, on the right) and targets (padded with ignoreIndex, −100 by
// default, which crossEntropy skips); T is the longest input, at most maxLen (longer sequences
// keep their first maxLen positions). nextTokenBatches() yields such batches over a data set,
// in a seeded order per epoch (permutation(n, seed, epoch·n), as DataLoader).
import { permutation } from '../random.js';
import { padSequences } from './pad-sequences.js';
import { checkInt } from '../check-option.js';

export interface NextTokenBatchOptions {
  /** Prepended to every sequence (e.g. vocab.bosId); none if undefined or < 0. */
  bos?: number;
  /** Appended to every sequence (e.g. vocab.eosId); none if undefined or < 0. */
  eos?: number;
  /** Input padding id (default 0). */
  padId?: number;
  /** Target padding (default −100, crossEntropy's ignoreIndex). */
  ignoreIndex?: number;
  /** Longest input / target row. */
  maxLen?: number;
}

export interface NextTokenBatch {
  /** [B, T] row-major token ids. */
  input: Int32Array;
  /** [B, T]: the next token of each input position, ignoreIndex at padding. */
  target: Int32Array;
  shape: [number, number];
  /** Positions of each row that are not padding. */
  lengths: Int32Array;
  /** Number of targets that count (not ignoreIndex). */
  tokens: number;
  /** Which sequences of the data set the rows are. */
  indices: Int32Array;
}

/**
 * One [B, T] batch of inputs and next-token targets.
 * @example
 * const b = sg.data.nextTokenBatch([vocab.encode('cat')], { bos: vocab.bosId, eos: vocab.eosId });
 * // b.input: [bos, c, a, t], b.target: [c, a, t, eos], b.shape: [1, 4]
 */
export function nextTokenBatch(seqs: readonly ArrayLike<number>[], opts: NextTokenBatchOptions = {}, indices?: Int32Array): NextTokenBatch {
  const { bos = -1, eos = -1, padId = 0, ignoreIndex = -100, maxLen } = opts;
  const inputs: number[][] = [], targets: number[][] = [];
  for (const s of seqs) {
    const full = [...(bos >= 0 ? [bos] : []), ...Array.from(s), ...(eos >= 0 ? [eos] : [])];
    inputs.push(full.slice(0, -1));
    targets.push(full.slice(1));
  }
  const longest = inputs.reduce((m, s) => Math.max(m, s.length), 0);
  const T = maxLen === undefined ? longest : Math.min(maxLen, longest);
  const x = padSequences(inputs, { maxLen: T, paddingValue: padId });
  const y = padSequences(targets, { maxLen: T, paddingValue: ignoreIndex });
  const tokens = y.lengths.reduce((a, b) => a + b, 0);
  return { input: x.data, target: y.data, shape: x.shape, lengths: x.lengths, tokens, indices: indices ?? Int32Array.from(seqs.keys()) };
}

export interface NextTokenBatchesOptions extends NextTokenBatchOptions {
  batchSize?: number;
  /** Visit the sequences in a seeded order (default true). */
  shuffle?: boolean;
  seed?: number;
  /** Which epoch's order (default 0). */
  epoch?: number;
  /** Skip a last batch smaller than batchSize. */
  dropLast?: boolean;
}

/**
 * Batches of one epoch over `seqs`.
 * @example
 * for (const b of sg.data.nextTokenBatches(encoded, { batchSize: 64, seed: 1, epoch, bos, eos })) train(b);
 */
export function* nextTokenBatches(seqs: readonly ArrayLike<number>[], opts: NextTokenBatchesOptions = {}): Generator<NextTokenBatch> {
  const { batchSize = 32, shuffle = true, seed = 0, epoch = 0, dropLast = false } = opts;
  checkInt('nextTokenBatches', 'batchSize', batchSize, 1);
  const n = seqs.length;
  const order = shuffle ? permutation(n, seed, epoch * n) : Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < n; i += batchSize) {
    if (dropLast && i + batchSize > n) break;
    const idx = order.subarray(i, Math.min(n, i + batchSize));
    yield nextTokenBatch(Array.from(idx, (k) => seqs[k]!), opts, idx.slice());
  }
}
