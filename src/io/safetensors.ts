// safetensors save/load: the format PyTorch, Hugging Face and others use for weights.
//
// Contract: save() writes the exact bytes the reference implementation writes for the same F32
// tensors and metadata (names sorted, data contiguous in that order, header padded with spaces
// to a multiple of 8). load() validates the whole header (see safetensors-header.ts) before it
// allocates anything, converts F16 / BF16 / F64 to f32, refuses integer and bool tensors by name,
// and frees whatever it allocated if it fails; a bad file is always a SafetensorsError.
import { wordIndex } from '../memory.js';
import { Tensor } from '../tensor.js';
import { noGrad } from '../autograd.js';
import { DTypeError, describeValue } from '../errors.js';
import {
  ITEM_SIZE, SafetensorsError, byteOrder, define, encodeHeader, parseHeader, type HeaderEntry, type ParsedHeader,
} from './safetensors-header.js';

export { SafetensorsError } from './safetensors-header.js';

/** Anything with a state dict: every nn.Module. */
export interface HasStateDict {
  stateDict(): Record<string, Tensor>;
  loadStateDict(sd: Record<string, { shape: readonly number[]; data: ArrayLike<number> }>, opts?: { strict?: boolean }): void;
}

export interface SaveOptions {
  /** Free-form string map stored as `__metadata__` (e.g. { format: 'pt' }). */
  metadata?: Record<string, string>;
}

/** The floating-point dtypes load() converts to f32. */
export const LOADABLE_DTYPES: readonly string[] = ['F32', 'F16', 'BF16', 'F64'];

function asBytes(bytes: Uint8Array | ArrayBuffer): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  throw new DTypeError(`safetensors: expected a Uint8Array or an ArrayBuffer, got ${Object.prototype.toString.call(bytes)}`);
}

/**
 * Serializes a module's state dict (or a record of tensors) to safetensors bytes (F32).
 * @example
 * const bytes = sg.io.save(model, { metadata: { epoch: '3' } });
 * fs.writeFileSync('model.safetensors', bytes);   // torch: safetensors.torch.load_file(...)
 */
export function save(modelOrStateDict: HasStateDict | Record<string, Tensor>, { metadata }: SaveOptions = {}): Uint8Array {
  if (typeof modelOrStateDict !== 'object' || modelOrStateDict === null) {
    throw new DTypeError(`save: expected a module or a record of tensors, got ${describeValue(modelOrStateDict)}`);
  }
  const sd = typeof (modelOrStateDict as HasStateDict).stateDict === 'function'
    ? (modelOrStateDict as HasStateDict).stateDict()
    : modelOrStateDict as Record<string, Tensor>;
  if (metadata !== undefined) {
    if (typeof metadata !== 'object' || metadata === null) throw new DTypeError('save: metadata must be an object of strings');
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new DTypeError(`save: metadata value of ${JSON.stringify(k)} must be a string, got ${typeof v}`);
    }
  }
  const names = byteOrder(Object.keys(sd));
  const entries: HeaderEntry[] = [];
  let offset = 0;
  for (const name of names) {
    const t = sd[name];
    if (!(t instanceof Tensor)) throw new DTypeError(`save: ${JSON.stringify(name)} is not a Tensor`);
    if (name === '__metadata__') throw new SafetensorsError('save: "__metadata__" is reserved by the format and cannot name a tensor');
    t.check();
    entries.push({ name, dtype: 'F32', shape: [...t.shape], begin: offset, end: offset + t.size * 4 });
    offset += t.size * 4;
  }
  const header = encodeHeader(entries, metadata);
  const out = new Uint8Array(8 + header.length + offset);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, header.length % 2 ** 32, true);
  dv.setUint32(4, Math.floor(header.length / 2 ** 32), true);
  out.set(header, 8);
  const base = 8 + header.length;
  for (const e of entries) {
    const t = sd[e.name]!;
    const c = t.isContiguous ? t : noGrad(() => t.contiguous());
    try {
      // Linear memory is little-endian on every host, so its bytes are the file's bytes.
      out.set(c.backend.heap.u8.subarray(c.ptr, c.ptr + e.end - e.begin), base + e.begin);
    } finally {
      if (c !== t) c.dispose();
    }
  }
  return out;
}

let halfTable: Float32Array | undefined;
/** f32 value of every IEEE binary16 bit pattern (built once, 256 KiB). */
function halfToFloat(): Float32Array {
  if (halfTable) return halfTable;
  halfTable = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1, exp = (h >> 10) & 0x1f, frac = h & 0x3ff;
    halfTable[h] = exp === 0 ? sign * frac * 2 ** -24
      : exp === 31 ? (frac ? NaN : sign * Infinity)
        : sign * (1 + frac / 1024) * 2 ** (exp - 15);
  }
  return halfTable;
}

/** Number of elements of a validated entry. */
const count = (e: HeaderEntry): number => (e.end - e.begin) / ITEM_SIZE[e.dtype]!;

/**
 * Writes entry `e`'s values as f32 into dst[at …]; `src` is the data section. The byte-level
 * paths (F32, BF16) assume a little-endian host, as every WebAssembly memory is.
 */
function decode(e: HeaderEntry, src: Uint8Array, dst: Float32Array, at: number): void {
  const bytes = src.subarray(e.begin, e.end);
  const n = count(e);
  if (e.dtype === 'F32') {
    new Uint8Array(dst.buffer, dst.byteOffset + at * 4, bytes.length).set(bytes);
  } else if (e.dtype === 'BF16') {
    const u32 = new Uint32Array(dst.buffer, dst.byteOffset + at * 4, n);
    for (let i = 0; i < n; i++) u32[i] = (bytes[2 * i]! | (bytes[2 * i + 1]! << 8)) << 16 >>> 0;
  } else if (e.dtype === 'F16') {
    const table = halfToFloat();
    for (let i = 0; i < n; i++) dst[at + i] = table[bytes[2 * i]! | (bytes[2 * i + 1]! << 8)]!;
  } else {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    for (let i = 0; i < n; i++) dst[at + i] = dv.getFloat64(8 * i, true);
  }
}

function checkLoadable(e: HeaderEntry): void {
  if (!LOADABLE_DTYPES.includes(e.dtype)) {
    throw new SafetensorsError(`safetensors: tensor ${JSON.stringify(e.name)} has dtype ${e.dtype}; ` +
      `only floating-point tensors (${LOADABLE_DTYPES.join(', ')}) can be loaded as f32`);
  }
}

function parse(bytes: Uint8Array | ArrayBuffer): { buf: Uint8Array; header: ParsedHeader } {
  const buf = asBytes(bytes);
  return { buf, header: parseHeader(buf) };
}

/**
 * Reads safetensors bytes into f32 tensors on the active backend, by name.
 * @example
 * const sd = sg.io.load(fs.readFileSync('model.safetensors'));
 * sd['0.weight'].shape;   // [256, 784]
 */
export function load(bytes: Uint8Array | ArrayBuffer): Record<string, Tensor> {
  const { buf, header } = parse(bytes);
  header.entries.forEach(checkLoadable);
  const data = buf.subarray(header.dataStart);
  const out: Record<string, Tensor> = {};
  const made: Tensor[] = [];
  try {
    for (const e of header.entries) {
      const t = Tensor.empty(e.shape);
      made.push(t);
      decode(e, data, t.backend.heap.f32, wordIndex(t.ptr));
      define(out, e.name, t);
    }
  } catch (err) {
    for (const t of made) t.dispose();
    throw err;
  }
  return out;
}

/**
 * Loads safetensors bytes straight into a module's parameters and buffers (no temporary
 * tensors). With `strict` (default) the names must match exactly; without it, tensors the model
 * lacks are ignored (even integer ones, such as PyTorch's `num_batches_tracked`).
 * @example sg.io.loadInto(model, fs.readFileSync('model.safetensors'));
 */
export function loadInto(model: HasStateDict, bytes: Uint8Array | ArrayBuffer, { strict = true } = {}): void {
  const { buf, header } = parse(bytes);
  const own = model.stateDict();
  const has = (k: string): boolean => Object.prototype.hasOwnProperty.call(own, k);
  header.entries.filter((e) => has(e.name)).forEach(checkLoadable);
  const data = buf.subarray(header.dataStart);
  const sd: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const e of header.entries) {
    // Tensors the model lacks are listed (strict mode reports them) but never decoded.
    const values = new Float32Array(has(e.name) ? count(e) : 0);
    if (has(e.name)) decode(e, data, values, 0);
    define(sd, e.name, { shape: e.shape, data: values });
  }
  model.loadStateDict(sd, { strict });
}

/**
 * The `__metadata__` string map of safetensors bytes ({} when absent); validates the header.
 * @example sg.io.metadata(bytes).format;   // 'pt'
 */
export function metadata(bytes: Uint8Array | ArrayBuffer): Record<string, string> {
  return parse(bytes).header.metadata;
}
