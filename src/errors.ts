// Typed errors. Every error names the shapes or values at fault; a call that throws leaves
// every tensor it was given intact.

/** Shapes that do not fit together: mismatch, not broadcastable, wrong rank, bad dimension. */
export class ShapeError extends Error {
  override name = 'ShapeError';
}

/**
 * A value of the wrong type: a non-number in tensor data, a non-tensor where an op needs a tensor,
 * a BigInt64Array, a fractional class label. A TypeError, so `instanceof TypeError` holds.
 */
export class DTypeError extends TypeError {
  override name = 'DTypeError';
}

/**
 * An option or argument outside what the function accepts: NaN or Infinity where a finite number
 * is needed, a negative count, low > high, a seed that is not a safe integer, a name that is not
 * one of the choices, an index past the end. A RangeError, so `instanceof RangeError` holds.
 */
export class OptionError extends RangeError {
  override name = 'OptionError';
}

/** A state dict that does not fit what loads it: missing or unexpected keys, values that are not numbers. */
export class StateDictError extends Error {
  override name = 'StateDictError';
}

/**
 * Reading a file or URL failed (missing path, a directory, a network error, an HTTP error);
 * `path` names what was read and `cause` carries the runtime's own error.
 */
export class IOError extends Error {
  override name = 'IOError';
  constructor(message: string, readonly path: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Linear memory cannot hold the request (wasm32 tops out at 4 GiB). Nothing was allocated. */
export class MemoryLimitError extends Error {
  override name = 'MemoryLimitError';
}

/** A tensor was used after `dispose()` (directly or by the scope that owned it). */
export class DisposedError extends Error {
  override name = 'DisposedError';
}

/** `init()` has not run, or the requested backend cannot run here. */
export class BackendError extends Error {
  override name = 'BackendError';
}

/** A storage's server stayed unreachable for the whole retry period (PostgresStorage). */
export class StorageUnavailableError extends Error {
  override name = 'StorageUnavailableError';
}

/** Formats a shape for messages: [2, 3]. Safe on anything (hostile shapes are reported too). */
export function fmtShape(shape: readonly number[]): string {
  if (!Array.isArray(shape)) return describeValue(shape);
  return `[${shape.map((d) => (typeof d === 'number' ? String(d) : describeValue(d))).join(', ')}]`;
}

/**
 * A short, never-throwing description of any value for messages: 2.5, 'abc', null, undefined,
 * Symbol(x), 12n, [1, 2], a Float32Array, a Tensor of shape [2, 3], a function.
 */
export function describeValue(v: unknown): string {
  try {
    switch (typeof v) {
      case 'number': case 'boolean': case 'undefined': return String(v);
      case 'string': return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
      case 'bigint': return `${v}n`;
      case 'symbol': return v.toString();
      case 'function': return 'a function';
    }
    if (v === null) return 'null';
    if (Array.isArray(v)) {
      return v.length <= 8 && v.every((x) => typeof x === 'number')
        ? `[${v.join(', ')}]` : `an array of ${v.length} items`;
    }
    const name = (Object.getPrototypeOf(v) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
    const kind = typeof name === 'string' && name !== '' ? name : 'Object';
    const shape = (v as { shape?: unknown }).shape;
    const article = /^[AEIOU]/.test(kind) ? 'an' : 'a';
    return kind === 'Tensor' && Array.isArray(shape) ? `a Tensor of shape ${fmtShape(shape)}` : `${article} ${kind}`;
  } catch {
    return 'an unprintable value';
  }
}

/** Training met a NaN or infinite loss; the model keeps its last finite weights. */
export class NonFiniteLossError extends Error {
  override name = 'NonFiniteLossError';
  constructor(readonly epoch: number, readonly step: number, readonly loss: number) {
    super(`loss became ${loss} at epoch ${epoch}, step ${step}; training stopped and the model ` +
      'keeps the last finite weights');
  }
}
