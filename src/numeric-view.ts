// numericView: which typed arrays hold numbers that can become f32 data. BigInt64Array and
// BigUint64Array hold bigints and a DataView holds bytes; setting either into a Float32Array
// throws or reads garbage, so tensor() and loadStateDict() refuse them by name.

const NUMERIC = new Set(['Float16Array', 'Float32Array', 'Float64Array', 'Int8Array', 'Uint8Array',
  'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array']);

/** The kind of a typed array or DataView ('Float32Array', 'BigInt64Array', 'DataView', …). */
export function viewKind(v: ArrayBufferView): string {
  return (v as { [Symbol.toStringTag]?: string })[Symbol.toStringTag] ?? 'DataView';
}

/** Whether v is a typed array of numbers. @example isNumericView(new Int32Array(2)) // true */
export function isNumericView(v: ArrayBufferView): boolean {
  return NUMERIC.has(viewKind(v));
}
