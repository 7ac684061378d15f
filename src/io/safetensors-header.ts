// The safetensors header: parsing with full validation, and encoding.
//
// Contract: parseHeader(bytes) reads nothing outside `bytes` and returns only after the WHOLE
// header has been checked the way the reference implementation (huggingface/safetensors) checks
// it — length prefix vs file size and a 100 MB cap, UTF-8, JSON, a top-level object with no
// duplicate names, known dtypes, shapes of non-negative safe integers, integer offsets whose span
// equals numel·itemsize, and tensors that tile the data section exactly (sorted by offsets, no
// gap, no overlap, ending at the end of the file). Every failure is a SafetensorsError naming the
// tensor and the values at fault. encodeHeader writes the reference layout: compact JSON with
// `__metadata__` first, then the tensors in the order given, padded with spaces to a multiple of 8.

import { compareCodePoints } from '../compare-code-points.js';

/** A safetensors file (or a header) that is truncated, corrupted, or lies about its sizes. */
export class SafetensorsError extends Error {
  override name = 'SafetensorsError';
}

/** Bytes per element of every dtype the format defines. */
export const ITEM_SIZE: Readonly<Record<string, number>> = Object.freeze({
  BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1, I16: 2, U16: 2, F16: 2, BF16: 2,
  I32: 4, U32: 4, F32: 4, F64: 8, I64: 8, U64: 8,
});

/** The reference implementation refuses headers larger than this (bytes). */
export const MAX_HEADER_BYTES = 100_000_000;

/** One tensor's entry: offsets are relative to the data section. */
export interface HeaderEntry {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

export interface ParsedHeader {
  /** Tensors sorted by their data offsets. */
  entries: HeaderEntry[];
  /** The `__metadata__` map ({} when absent). */
  metadata: Record<string, string>;
  /** Byte offset of the data section in the file (8 + header length). */
  dataStart: number;
}

/** Sets an own enumerable property (safe for names such as "__proto__"). */
export function define<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

const fail = (msg: string): never => { throw new SafetensorsError(`safetensors: ${msg}`); };
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
/** A value for a message: JSON cut to 80 characters; a structure too deep to print is named, not printed. */
function show(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch { // nested past the stack (e.g. 100,000 '[' deep): String() would overflow too
    s = Array.isArray(v) ? 'a deeply nested array' : 'a deeply nested object';
  }
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

/** Names of the top-level object's keys in text order (duplicates kept). `text` is valid JSON. */
function topLevelKeys(text: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let j = i + 1;
      while (text.charCodeAt(j) !== 0x22) j += text.charCodeAt(j) === 0x5c ? 2 : 1;
      if (depth === 1 && expectKey) { keys.push(JSON.parse(text.slice(i, j + 1)) as string); expectKey = false; }
      i = j;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth === 1) expectKey = true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    } else if (c === 0x2c && depth === 1) {
      expectKey = true;
    }
  }
  return keys;
}

function checkEntry(name: string, v: unknown): HeaderEntry {
  const at = `tensor ${JSON.stringify(name)}`;
  if (!isObject(v)) return fail(`${at}: entry must be an object, got ${show(v)}`);
  const { dtype, shape, data_offsets: off } = v;
  if (typeof dtype !== 'string') return fail(`${at}: dtype must be a string, got ${show(dtype)}`);
  const item = Object.prototype.hasOwnProperty.call(ITEM_SIZE, dtype) ? ITEM_SIZE[dtype]! : 0;
  if (!item) return fail(`${at}: unknown dtype ${JSON.stringify(dtype)}`);
  if (!Array.isArray(shape)) return fail(`${at}: shape must be an array, got ${show(shape)}`);
  let numel = 1;
  for (const d of shape as unknown[]) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      return fail(`${at}: shape ${show(shape)} has an invalid dimension ${show(d)} (integers ≥ 0)`);
    }
    numel *= d;
    if (numel > Number.MAX_SAFE_INTEGER) return fail(`${at}: shape ${show(shape)} overflows the element count`);
  }
  if (!Array.isArray(off) || off.length !== 2 ||
      !off.every((o) => typeof o === 'number' && Number.isSafeInteger(o) && o >= 0)) {
    return fail(`${at}: data_offsets must be two integers ≥ 0, got ${show(off)}`);
  }
  const [begin, end] = off as [number, number];
  if (end < begin) return fail(`${at}: data_offsets [${begin}, ${end}] end before they begin`);
  const nbytes = numel * item;
  if (nbytes > Number.MAX_SAFE_INTEGER) return fail(`${at}: shape ${show(shape)} overflows the byte count`);
  if (end - begin !== nbytes) {
    return fail(`${at}: data_offsets [${begin}, ${end}] span ${end - begin} bytes, but ${dtype} ` +
      `shape ${show(shape)} needs ${numel}·${item} = ${nbytes}`);
  }
  return { name, dtype, shape: shape as number[], begin, end };
}

function checkMetadata(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v === null) return out;
  if (!isObject(v)) return fail(`__metadata__ must be an object of strings, got ${show(v)}`);
  for (const [k, s] of Object.entries(v)) {
    if (typeof s !== 'string') return fail(`__metadata__ value of ${JSON.stringify(k)} must be a string, got ${show(s)}`);
    define(out, k, s);
  }
  return out;
}

/**
 * Parses and validates the header of a whole safetensors file. Throws SafetensorsError.
 * @example const { entries, metadata, dataStart } = parseHeader(bytes);
 */
export function parseHeader(bytes: Uint8Array): ParsedHeader {
  const size = bytes.length;
  if (size < 8) fail(`file has ${size} bytes, fewer than the 8-byte header length`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, 8);
  const lo = dv.getUint32(0, true), hi = dv.getUint32(4, true);
  if (hi !== 0 || lo > MAX_HEADER_BYTES) {
    fail(`header length ${hi * 2 ** 32 + lo} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  }
  const n = lo;
  if (8 + n > size) fail(`header length ${n} runs past the end of the file (${size} bytes)`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    return fail(`header is not valid UTF-8`);
  }
  if (text.charCodeAt(0) !== 0x7b) fail(`header must start with '{', got ${show(text.slice(0, 16))}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return fail(`header is not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(json)) return fail(`header must be a JSON object`);
  const seen = new Set<string>();
  for (const k of topLevelKeys(text)) {
    if (seen.has(k)) fail(`duplicate tensor name ${JSON.stringify(k)} in the header`);
    seen.add(k);
  }
  let metadata: Record<string, string> = {};
  const entries: HeaderEntry[] = [];
  for (const [k, v] of Object.entries(json)) {
    if (k === '__metadata__') metadata = checkMetadata(v);
    else entries.push(checkEntry(k, v));
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  const dataBytes = size - 8 - n;
  let pos = 0;
  for (const e of entries) {
    if (e.begin !== pos) {
      fail(`tensor ${JSON.stringify(e.name)} starts at byte ${e.begin} of the data section, expected ${pos} ` +
        `(${e.begin > pos ? 'a gap' : 'an overlap'} between tensors)`);
    }
    pos = e.end;
    if (pos > dataBytes) {
      fail(`tensor ${JSON.stringify(e.name)} ends at byte ${pos}, past the ${dataBytes}-byte data section ` +
        `(file truncated?)`);
    }
  }
  if (pos !== dataBytes) fail(`the tensors cover ${pos} bytes but the data section has ${dataBytes}`);
  return { entries, metadata, dataStart: 8 + n };
}

/** UTF-8 byte order, i.e. code point order (the reference sorts names as Rust strings, by bytes). */
export function byteOrder(names: readonly string[]): string[] {
  return [...names].sort(compareCodePoints);
}

/**
 * The header bytes (without the 8-byte length): compact JSON, `__metadata__` first when given
 * (keys in byte order), then `entries` in order, padded with spaces to a multiple of 8.
 */
export function encodeHeader(entries: readonly HeaderEntry[], metadata?: Record<string, string>): Uint8Array {
  const parts: string[] = [];
  if (metadata) {
    const m = byteOrder(Object.keys(metadata)).map((k) => `${JSON.stringify(k)}:${JSON.stringify(metadata[k])}`);
    parts.push(`"__metadata__":{${m.join(',')}}`);
  }
  for (const e of entries) {
    parts.push(`${JSON.stringify(e.name)}:{"dtype":"${e.dtype}","shape":[${e.shape.join(',')}],` +
      `"data_offsets":[${e.begin},${e.end}]}`);
  }
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const padded = new Uint8Array(Math.ceil(json.length / 8) * 8).fill(0x20);
  padded.set(json);
  return padded;
}
