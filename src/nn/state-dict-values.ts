// stateDictValues: the check behind Module.loadStateDict, run on the whole state dict before a
// single value is copied, so a load that fails changes nothing. Keys are own properties only
// (`toString`, `constructor` or `__proto__` in a state dict are keys like any other). Missing or
// unexpected keys are a StateDictError (with `strict`), a value that is not a tensor or a
// { shape, data } of numbers a DTypeError, a shape or length that does not fit a ShapeError —
// each naming the key.
import { Tensor } from '../tensor.js';
import { DTypeError, ShapeError, StateDictError, describeValue, fmtShape } from '../errors.js';
import { isNumericView, viewKind } from '../numeric-view.js';

/** A state dict value: a tensor, or plain numbers with their shape. */
export type StateValue = Tensor | { shape: readonly number[]; data: ArrayLike<number> };

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** The numbers of one value, or a DTypeError naming the key and what is wrong. */
function valuesOf(key: string, v: unknown): { shape: readonly number[]; data: ArrayLike<number> } {
  if (v instanceof Tensor) return { shape: v.check().shape, data: v.toArray() };
  const { shape, data } = (typeof v === 'object' && v !== null ? v : {}) as { shape?: unknown; data?: unknown };
  if (!Array.isArray(shape)) {
    throw new DTypeError(`loadStateDict: ${key} must be a Tensor or { shape, data }, got ${describeValue(v)}`);
  }
  if (ArrayBuffer.isView(data)) {
    if (!isNumericView(data)) throw new DTypeError(`loadStateDict: ${key} holds a ${viewKind(data)}, not numbers`);
    return { shape, data: data as unknown as ArrayLike<number> };
  }
  if (!Array.isArray(data)) throw new DTypeError(`loadStateDict: ${key}.data must be numbers, got ${describeValue(data)}`);
  const bad = data.findIndex((x) => typeof x !== 'number');
  if (bad >= 0) throw new DTypeError(`loadStateDict: ${key}.data[${bad}] is ${describeValue(data[bad])}, not a number`);
  return { shape, data: data as number[] };
}

/**
 * Checks `sd` against the module's own tensors and returns, for every key both have, the target
 * tensor and the values to copy into it. Throws before anything is copied.
 */
export function stateDictValues(own: Record<string, Tensor>, sd: unknown, strict: unknown): Array<[Tensor, ArrayLike<number>]> {
  if (typeof sd !== 'object' || sd === null || Array.isArray(sd)) {
    throw new StateDictError(`loadStateDict: expected an object of tensors by name, got ${describeValue(sd)}`);
  }
  if (typeof strict !== 'boolean') throw new StateDictError(`loadStateDict: strict must be a boolean, got ${describeValue(strict)}`);
  const rec = sd as Record<string, unknown>;
  const missing = Object.keys(own).filter((k) => !hasOwn(rec, k));
  const unexpected = Object.keys(rec).filter((k) => !hasOwn(own, k));
  if (strict && (missing.length || unexpected.length)) {
    throw new StateDictError(`loadStateDict: ${missing.length ? `missing keys ${missing.join(', ')}` : ''}` +
      `${missing.length && unexpected.length ? '; ' : ''}${unexpected.length ? `unexpected keys ${unexpected.join(', ')}` : ''}`);
  }
  const out: Array<[Tensor, ArrayLike<number>]> = [];
  for (const k of Object.keys(rec)) {
    if (!hasOwn(own, k)) continue;
    const t = own[k]!, { shape, data } = valuesOf(k, rec[k]);
    if (t.shape.join() !== shape.join()) {
      throw new ShapeError(`loadStateDict: ${k} has shape ${fmtShape(shape)}, the module expects ${fmtShape(t.shape)}`);
    }
    if (data.length !== t.size) throw new ShapeError(`loadStateDict: ${k} has ${data.length} values, expected ${t.size}`);
    if (!t.isContiguous) throw new ShapeError(`loadStateDict: ${k} is not contiguous`);
    out.push([t, data]);
  }
  return out;
}
