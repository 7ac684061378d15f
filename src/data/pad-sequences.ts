// padSequences: variable-length integer sequences → one row-major [N, L] Int32Array, padded
// with paddingValue on the right (or left) and truncated to maxLen (keeping the start, or the end
// with truncationSide 'left'); L = maxLen or the longest sequence. lengths are the kept lengths.
import { checkInt } from '../check-option.js';
import { OptionError } from '../errors.js';

export interface PadSequencesOptions {
  /** Row length; default the longest sequence. */
  maxLen?: number;
  /** Value of padded positions (default 0). */
  paddingValue?: number;
  /** Where padding goes (default 'right'). */
  paddingSide?: 'right' | 'left';
  /** Which end a long sequence loses (default 'right': keep the beginning). */
  truncationSide?: 'right' | 'left';
}

export interface PaddedSequences {
  /** [N, L] row-major. */
  data: Int32Array;
  shape: [number, number];
  /** Length of each row before padding. */
  lengths: Int32Array;
}

/**
 * Pads (and truncates) sequences to one length.
 * @example
 * sg.data.padSequences([[1, 2, 3], [4]]).data;   // Int32Array [1, 2, 3, 4, 0, 0], shape [2, 3]
 */
export function padSequences(seqs: readonly ArrayLike<number>[], opts: PadSequencesOptions = {}): PaddedSequences {
  const { paddingValue = 0, paddingSide = 'right', truncationSide = 'right' } = opts;
  const longest = seqs.reduce((m, s) => Math.max(m, s.length), 0);
  const L = opts.maxLen ?? longest;
  checkInt('padSequences', 'maxLen', L, 0);
  if (!Number.isInteger(paddingValue)) throw new OptionError(`padSequences: paddingValue must be an integer, got ${paddingValue}`);
  const N = seqs.length, data = new Int32Array(N * L).fill(paddingValue), lengths = new Int32Array(N);
  seqs.forEach((s, i) => {
    const n = Math.min(s.length, L), from = truncationSide === 'right' ? 0 : s.length - n;
    const at = i * L + (paddingSide === 'right' ? 0 : L - n);
    for (let j = 0; j < n; j++) {
      const v = s[from + j]!;
      if (!Number.isInteger(v)) throw new OptionError(`padSequences: sequence ${i} holds ${v} at ${from + j}, not an integer`);
      data[at + j] = v;
    }
    lengths[i] = n;
  });
  return { data, shape: [N, L], lengths };
}
