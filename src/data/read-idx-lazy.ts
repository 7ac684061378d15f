// sg.data.readIdx as the core bundle exports it: the IDX reader (read-idx.ts) loads on first use,
// so bundles that never read an IDX file carry none of it; its error type and result types live
// here. Same contract as read-idx.ts.
import type { HostURL } from '../runtime/host-types.js';

/** An IDX file whose header or size is wrong; the message names the field at fault. */
export class IdxError extends Error {
  override name = 'IdxError';
}

export type IdxType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';
export type IdxSource = Uint8Array | ArrayBuffer | string | HostURL;
export interface IdxData {
  /** The elements in row-major order, in the file's element type. */
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
  shape: number[];
  type: IdxType;
}

/**
 * Reads an IDX file (MNIST, Fashion-MNIST), gzipped or not, from bytes, a file path or a URL.
 * @example
 * const images = await sg.data.readIdx('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz');
 * images.shape;   // [60000, 28, 28]; images.data is a Uint8Array
 * const x = sg.tensor(Float32Array.from(images.data, (v) => v / 255), [60000, 1, 28, 28]);
 */
export async function readIdx(source: IdxSource): Promise<IdxData> {
  return (await import('./read-idx.js')).readIdx(source);
}
