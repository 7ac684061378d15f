// readIdx: the IDX format of MNIST and Fashion-MNIST (LeCun's), from bytes, a file path or a URL,
// gzipped or not (gzip is recognised by its magic bytes and inflated with DecompressionStream where
// the runtime has it, else node:zlib, imported on first use).
//
// Contract: bytes 0–1 are zero, byte 2 the element type (0x08 uint8, 0x09 int8, 0x0B int16,
// 0x0C int32, 0x0D float32, 0x0E float64), byte 3 the number of dimensions d ≥ 1, then d
// big-endian u32 sizes, then exactly ∏ sizes elements, big-endian. Anything else is an IdxError
// naming the field at fault (magic number, data type, dimensions, data) and the numbers. The
// values come back in the matching typed array, in the file's row-major order.
import { IdxError, type IdxData, type IdxSource, type IdxType } from './read-idx-lazy.js';

const TYPES: Record<number, [IdxType, number]> = {
  0x08: ['uint8', 1], 0x09: ['int8', 1], 0x0b: ['int16', 2], 0x0c: ['int32', 4], 0x0d: ['float32', 4], 0x0e: ['float64', 8],
};

async function bytesOf(source: IdxSource): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  const url = source instanceof URL ? source : /^https?:\/\//.test(source) ? new URL(source) : null;
  if (url && url.protocol !== 'file:') {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`readIdx: fetching ${url.href} failed with HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  }
  const fs = await import('node:fs/promises');
  return new Uint8Array(await fs.readFile(url ?? (source as string)));
}

async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  if (typeof DecompressionStream === 'function') {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }
  const zlib = await import('node:zlib');
  return new Uint8Array(zlib.gunzipSync(bytes));
}

/** Parses an (inflated) IDX file. */
export function parseIdx(b: Uint8Array): IdxData {
  const hex = (v: number) => `0x${v.toString(16).padStart(2, '0')}`;
  if (b.length < 4) throw new IdxError(`readIdx: magic number: the file has ${b.length} bytes, fewer than the 4 of the magic number`);
  if (b[0] !== 0 || b[1] !== 0) throw new IdxError(`readIdx: magic number: the first two bytes must be 0, got ${hex(b[0]!)} ${hex(b[1]!)}`);
  const t = TYPES[b[2]!];
  if (!t) throw new IdxError(`readIdx: data type: unknown code ${hex(b[2]!)} (expected 0x08, 0x09, 0x0b, 0x0c, 0x0d or 0x0e)`);
  const d = b[3]!, start = 4 + 4 * d;
  if (d === 0) throw new IdxError('readIdx: dimensions: the header declares 0 dimensions');
  if (b.length < start) throw new IdxError(`readIdx: dimensions: the header declares ${d} dimensions (${start} header bytes) but the file has ${b.length} bytes`);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const shape = Array.from({ length: d }, (_, i) => view.getUint32(4 + 4 * i));
  const [type, size] = t, n = shape.reduce((a, v) => a * v, 1);
  if (b.length - start !== n * size) {
    throw new IdxError(`readIdx: data: dimensions [${shape.join(', ')}] need ${n * size} bytes of ${type}, the file has ${b.length - start} after the header`);
  }
  const body = b.subarray(start);
  if (type === 'uint8') return { data: body.slice(), shape, type };
  if (type === 'int8') return { data: new Int8Array(body.slice().buffer), shape, type };
  const data = new { int16: Int16Array, int32: Int32Array, float32: Float32Array, float64: Float64Array }[type](n);
  const get = { int16: view.getInt16, int32: view.getInt32, float32: view.getFloat32, float64: view.getFloat64 }[type].bind(view);
  for (let i = 0; i < n; i++) data[i] = get(start + i * size);
  return { data, shape, type };
}

/** See read-idx-lazy.ts (the core's entry point). */
export async function readIdx(source: IdxSource): Promise<IdxData> {
  let bytes = await bytesOf(source);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = await gunzip(bytes);
  return parseIdx(bytes);
}
