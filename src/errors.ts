// Typed errors. Every error names the shapes or values at fault; a call that throws leaves
// every tensor it was given intact.

/** Shapes that do not fit together: mismatch, not broadcastable, wrong rank, bad dimension. */
export class ShapeError extends Error {
  override name = 'ShapeError';
}

/** A value of the wrong type: integer targets that are not integers, a wrong data length... */
export class DTypeError extends Error {
  override name = 'DTypeError';
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

/** Formats a shape for messages: [2, 3]. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Training met a NaN or infinite loss; the model keeps its last finite weights. */
export class NonFiniteLossError extends Error {
  override name = 'NonFiniteLossError';
  constructor(readonly epoch: number, readonly step: number, readonly loss: number) {
    super(`loss became ${loss} at epoch ${epoch}, step ${step}; training stopped and the model ` +
      'keeps the last finite weights');
  }
}
