// CharVocab: a character vocabulary for character-level models. fit() collects the characters
// (Unicode code points) of some strings, sorted by code point so that the same text always gives
// the same ids; special tokens (padding, begin, end, and optionally unknown) take ids 0, 1, 2, …
// first. encode() maps a string to Int32Array ids (optionally wrapped in begin / end), decode()
// maps ids back (skipping specials by default). A character outside the vocabulary is an error
// unless an unknown token is configured. toJSON() / fromJSON() round-trip it.
import { compareCodePoints } from '../compare-code-points.js';
import { OptionError, DTypeError } from '../errors.js';

export interface CharVocabOptions {
  /** Padding token (id 0); null for none. Default '<pad>'. */
  pad?: string | null;
  /** Begin-of-sequence token; null for none. Default '<bos>'. */
  bos?: string | null;
  /** End-of-sequence token; null for none. Default '<eos>'. */
  eos?: string | null;
  /** Unknown-character token; default null (unknown characters throw). */
  unk?: string | null;
}

export interface CharVocabJSON { tokens: string[]; pad: string | null; bos: string | null; eos: string | null; unk: string | null }

/**
 * Characters ↔ integer ids.
 * @example
 * const vocab = sg.data.CharVocab.fit(['cat', 'dog']);
 * vocab.encode('dog', { addBos: true, addEos: true });   // Int32Array [1, 5, 8, 6, 2]
 * vocab.decode([5, 8, 6]);                                 // 'dog'
 */
export class CharVocab {
  /** Token of each id: specials first, then characters by code point. */
  readonly tokens: readonly string[];
  readonly padId: number;
  readonly bosId: number;
  readonly eosId: number;
  readonly unkId: number;
  private readonly ids: Map<string, number>;
  private readonly specials: CharVocabJSON;

  private constructor(json: CharVocabJSON) {
    this.specials = { ...json, tokens: [] };
    this.tokens = Object.freeze([...json.tokens]);
    this.ids = new Map(this.tokens.map((t, i) => [t, i]));
    if (this.ids.size !== this.tokens.length) throw new OptionError('CharVocab: tokens must be distinct');
    const id = (t: string | null) => (t === null ? -1 : this.ids.get(t) ?? -1);
    this.padId = id(json.pad); this.bosId = id(json.bos); this.eosId = id(json.eos); this.unkId = id(json.unk);
    for (const k of ['pad', 'bos', 'eos', 'unk'] as const) {
      if (json[k] !== null && id(json[k]) < 0) throw new OptionError(`CharVocab: special token ${k} '${json[k]}' is not among the tokens`);
    }
  }

  /** Builds the vocabulary of every character in `texts`. */
  static fit(texts: Iterable<string>, { pad = '<pad>', bos = '<bos>', eos = '<eos>', unk = null }: CharVocabOptions = {}): CharVocab {
    const specials = [pad, bos, eos, unk].filter((t): t is string => t !== null);
    const chars = new Set<string>();
    for (const text of texts) {
      if (typeof text !== 'string') throw new DTypeError(`CharVocab.fit: expected strings, got ${typeof text}`);
      for (const ch of text) chars.add(ch);
    }
    for (const s of specials) {
      if ([...s].length === 1 && chars.has(s)) throw new OptionError(`CharVocab.fit: special token '${s}' is also a character of the text`);
    }
    const sorted = [...chars].sort(compareCodePoints);
    return new CharVocab({ tokens: [...specials, ...sorted], pad, bos, eos, unk });
  }

  static fromJSON(json: CharVocabJSON): CharVocab { return new CharVocab(json); }
  toJSON(): CharVocabJSON { return { ...this.specials, tokens: [...this.tokens] }; }

  /** Number of ids (specials included). */
  get size(): number { return this.tokens.length; }

  /** Id of a character or token; −1 if absent. */
  idOf(token: string): number { return this.ids.get(token) ?? -1; }

  /** The ids of `text`'s characters, optionally wrapped in the begin / end tokens. */
  encode(text: string, { addBos = false, addEos = false }: { addBos?: boolean; addEos?: boolean } = {}): Int32Array {
    if (addBos && this.bosId < 0) throw new OptionError('CharVocab.encode: addBos without a begin token');
    if (addEos && this.eosId < 0) throw new OptionError('CharVocab.encode: addEos without an end token');
    const chars = [...text];
    const out = new Int32Array(chars.length + (addBos ? 1 : 0) + (addEos ? 1 : 0));
    let i = 0;
    if (addBos) out[i++] = this.bosId;
    chars.forEach((ch, at) => {
      const id = this.ids.get(ch);
      if (id === undefined) {
        if (this.unkId < 0) throw new OptionError(`CharVocab.encode: character '${ch}' (at ${at} of '${text}') is not in the vocabulary`);
        out[i++] = this.unkId;
      } else out[i++] = id;
    });
    if (addEos) out[i++] = this.eosId;
    return out;
  }

  /** The string of `ids`; padding, begin and end tokens are skipped unless skipSpecial is false (an
   * unknown id prints as the unk token). Stops at the first end token if stopAtEos. */
  decode(ids: ArrayLike<number>, { skipSpecial = true, stopAtEos = false }: { skipSpecial?: boolean; stopAtEos?: boolean } = {}): string {
    let s = '';
    const special = new Set([this.padId, this.bosId, this.eosId].filter((v) => v >= 0));
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (stopAtEos && id === this.eosId) break;
      const t = this.tokens[id];
      if (t === undefined || !Number.isInteger(id)) throw new OptionError(`CharVocab.decode: id ${id} (at ${i}) is out of range for ${this.size} tokens`);
      if (skipSpecial && special.has(id)) continue;
      s += t;
    }
    return s;
  }
}
