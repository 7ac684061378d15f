// LabelEncoder: maps labels (strings or numbers) to 0…C−1 and back, scikit-learn's semantics.
//
// Contract: fit() sorts the distinct labels like numpy's np.unique (numbers ascending with NaN
// last, strings by Unicode code point); mixing strings and numbers throws a DTypeError.
// transform() → Int32Array; a label not seen in fit throws a RangeError naming it;
// inverseTransform() maps codes back and rejects codes outside 0…C−1. toJSON / fromJSON carry
// the classes.
import { DTypeError, OptionError } from '../errors.js';
import { compareCodePoints } from '../compare-code-points.js';

export type Label = string | number;

function compareLabels(a: Label, b: Label): number {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
    if (Number.isNaN(b)) return -1;
    return a - b;
  }
  return compareCodePoints(a as string, b as string);
}

/** The distinct labels sorted like np.unique. */
export function uniqueLabels<L extends Label>(y: ArrayLike<L>, who = 'LabelEncoder.fit'): L[] {
  const seen = new Set<L>();
  for (let i = 0; i < y.length; i++) seen.add(y[i]!);
  const classes = [...seen];
  const kinds = new Set(classes.map((c) => typeof c));
  if (kinds.size > 1) {
    throw new DTypeError(`${who}: labels mix strings and numbers (e.g. ${JSON.stringify(classes.find((c) => typeof c === 'string'))} ` +
      `and ${classes.find((c) => typeof c === 'number')}); encode them as one type`);
  }
  for (const c of classes) {
    if (typeof c !== 'string' && typeof c !== 'number') throw new DTypeError(`${who}: label ${String(c)} is not a string or a number`);
  }
  return classes.sort(compareLabels);
}

/**
 * Encodes labels as integers 0…C−1 (sorted classes).
 * @example
 * const enc = new sg.data.LabelEncoder().fit(['cat', 'dog', 'cat', 'bird']);
 * enc.classes;                         // ['bird', 'cat', 'dog']
 * enc.transform(['dog', 'bird']);      // Int32Array [2, 0]
 * enc.inverseTransform([1]);           // ['cat']
 */
export class LabelEncoder<L extends Label = Label> {
  private cls: L[] | null = null;
  private index = new Map<L, number>();

  /** The sorted distinct labels (sklearn's classes_). */
  get classes(): readonly L[] {
    if (!this.cls) throw new Error('LabelEncoder: call fit() before reading classes');
    return this.cls;
  }

  /** Learns the classes from y; returns this. */
  fit(y: ArrayLike<L>): this {
    this.cls = uniqueLabels(y);
    this.index = new Map(this.cls.map((c, i) => [c, i]));
    return this;
  }

  /** The code of each label. */
  transform(y: ArrayLike<L>): Int32Array {
    this.classes;
    const out = new Int32Array(y.length);
    for (let i = 0; i < y.length; i++) {
      const k = this.index.get(y[i]!);
      if (k === undefined) {
        throw new OptionError(`LabelEncoder.transform: label ${JSON.stringify(y[i])} at index ${i} was not seen in fit ` +
          `(classes: ${JSON.stringify(this.cls!.slice(0, 20))}${this.cls!.length > 20 ? '…' : ''})`);
      }
      out[i] = k;
    }
    return out;
  }

  /** fit(y) then transform(y). */
  fitTransform(y: ArrayLike<L>): Int32Array {
    return this.fit(y).transform(y);
  }

  /** The label of each code. */
  inverseTransform(codes: ArrayLike<number>): L[] {
    const cls = this.classes;
    return Array.from({ length: codes.length }, (_, i) => {
      const k = codes[i]!;
      if (!Number.isInteger(k) || k < 0 || k >= cls.length) {
        throw new OptionError(`LabelEncoder.inverseTransform: code ${k} at index ${i} is not in 0…${cls.length - 1}`);
      }
      return cls[k]!;
    });
  }

  /** The classes as JSON-able data. */
  toJSON(): { type: 'LabelEncoder'; classes: L[] | null } {
    return { type: 'LabelEncoder', classes: this.cls && [...this.cls] };
  }

  /** Rebuilds an encoder from toJSON()'s output. */
  static fromJSON<L extends Label>(json: { type?: string; classes: L[] | null }): LabelEncoder<L> {
    if (json.type !== 'LabelEncoder') throw new DTypeError(`LabelEncoder.fromJSON: got a serialised ${String(json.type)}`);
    const e = new LabelEncoder<L>();
    if (json.classes) e.fit(json.classes);
    return e;
  }
}
