// The safetensors parser under random corruption: truncations, byte flips, header edits, forged
// length prefixes, random JSON headers, offsets of every kind, headers nested 100,000 deep. Each
// corrupted file must either be a SafetensorsError or load exactly what an independent reference
// decoder (written here: JSON.parse, DataView, the IEEE formats by hand) reads from those bytes —
// never data from outside the file, never a raw error, never a hang. load(), loadInto() (which
// must leave the model untouched when it refuses) and metadata() are all probed.
import fc from 'fast-check';
import * as sg from '../../src/index.js';
import { load, loadInto, metadata, save } from '../../src/io/index.js';
import { runProbe, type Tally } from './outcome.js';

const enc = new TextEncoder();
/** Bytes per element of every dtype the format defines; the first four load as f32. */
const ITEM: Record<string, number> = { F32: 4, F16: 2, BF16: 2, F64: 8, BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1,
  I16: 2, U16: 2, I32: 4, U32: 4, I64: 8, U64: 8 };
const FLOAT = ['F32', 'F16', 'BF16', 'F64'];

interface Ref {
  names: string[];
  /** Values of the float tensors (others are listed in `dtypes` only). */
  tensors: Record<string, { shape: number[]; values: number[] }>;
  dtypes: Record<string, string>;
  metadata: Record<string, string>;
}

/** binary16 → number, from the format's definition. */
function half(h: number): number {
  const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 31, m = h & 1023;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/**
 * What a correct reader gets from `bytes`, or a reason it must refuse them. Deliberately simple:
 * only used to judge a load that succeeded (is it exactly the file's content?) — any file this
 * reader cannot make sense of must have been refused.
 */
function reference(bytes: Uint8Array): Ref | string {
  if (bytes.length < 8) return 'shorter than the length prefix';
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const n = dv.getUint32(0, true) + dv.getUint32(4, true) * 2 ** 32;
  if (8 + n > bytes.length) return 'header past the end';
  let json: unknown;
  try { json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n))); } catch { return 'not UTF-8 JSON'; }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'not an object';
  const data = bytes.subarray(8 + n), ref: Ref = { names: [], tensors: {}, dtypes: {}, metadata: {} };
  const spans: Array<[number, number]> = [];
  for (const [k, v] of Object.entries(json as Record<string, unknown>)) {
    if (k === '__metadata__') {
      if (v === null) continue;
      if (typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((s) => typeof s !== 'string')) return 'bad metadata';
      ref.metadata = { ...(v as Record<string, string>) };
      continue;
    }
    const e = v as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof e !== 'object' || e === null || typeof e.dtype !== 'string' || !Object.hasOwn(ITEM, e.dtype)) return `entry ${k}: unknown dtype`;
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) return `entry ${k}: bad shape`;
    const off = e.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every((o) => Number.isSafeInteger(o) && o >= 0)) return `entry ${k}: bad offsets`;
    const [b, end] = off as [number, number], count = (e.shape as number[]).reduce((p, q) => p * q, 1);
    if (end - b !== count * ITEM[e.dtype]! || end > data.length) return `entry ${k}: offsets do not fit`;
    spans.push([b, end]);
    ref.names.push(k);
    ref.dtypes[k] = e.dtype;
    if (!FLOAT.includes(e.dtype)) continue;
    const d = new DataView(data.buffer, data.byteOffset + b, end - b), values: number[] = [];
    for (let i = 0; i < count; i++) {
      if (e.dtype === 'F32') values.push(d.getFloat32(4 * i, true));
      else if (e.dtype === 'F64') values.push(Math.fround(d.getFloat64(8 * i, true)));
      else if (e.dtype === 'F16') values.push(Math.fround(half(d.getUint16(2 * i, true))));
      else { const w = new DataView(new ArrayBuffer(4)); w.setUint32(0, d.getUint16(2 * i, true) << 16, false); values.push(w.getFloat32(0, false)); }
    }
    ref.tensors[k] = { shape: e.shape as number[], values };
  }
  spans.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  let pos = 0;
  for (const [b, end] of spans) { if (b !== pos) return 'tensors do not tile the data'; pos = end; }
  if (pos !== data.length) return 'data section not covered exactly';
  return ref;
}

const same = (a: number, b: number): boolean => (Number.isNaN(a) ? Number.isNaN(b) : Object.is(a, b));

/** Whether the loaded tensors are exactly the reference's. */
function matches(got: Record<string, { shape: readonly number[]; values: ArrayLike<number> }>, ref: Ref): true | string {
  const names = Object.keys(got).sort(), want = [...ref.names].sort();
  if (names.join('\u0000') !== want.join('\u0000')) return `names ${JSON.stringify(names)}, expected ${JSON.stringify(want)}`;
  for (const k of names) {
    const g = got[k]!, r = ref.tensors[k]!;
    if (g.shape.join() !== r.shape.join()) return `${k}: shape ${JSON.stringify(g.shape)}, expected ${JSON.stringify(r.shape)}`;
    for (let i = 0; i < r.values.length; i++) if (!same(g.values[i]!, r.values[i]!)) return `${k}[${i}] = ${g.values[i]}, expected ${r.values[i]}`;
  }
  return true;
}

/** A file from a header string and data bytes (length prefix computed unless given). */
function file(header: string, data: Uint8Array, prefix?: number): Uint8Array {
  const h = enc.encode(header), out = new Uint8Array(8 + h.length + data.length), dv = new DataView(out.buffer);
  const n = prefix ?? h.length;
  dv.setUint32(0, n % 2 ** 32, true); dv.setUint32(4, Math.floor(n / 2 ** 32), true);
  out.set(h, 8); out.set(data, 8 + h.length);
  return out;
}

/** Valid files to corrupt: save()'s output, and hand-written F16 / BF16 / F64 ones. */
function seeds(): Uint8Array[] {
  const saved = sg.scope(() => save({ w: sg.tensor([[1, 2, 3], [4, 5, 6]]), b: sg.tensor([0.5, -0.5]), s: sg.tensor(3), e: sg.zeros([0, 2]) }, { metadata: { k: 'v' } }));
  const mixed = file(JSON.stringify({ h: { dtype: 'F16', shape: [2], data_offsets: [0, 4] }, bf: { dtype: 'BF16', shape: [2], data_offsets: [4, 8] },
    d: { dtype: 'F64', shape: [1], data_offsets: [8, 16] } }), Uint8Array.from([0x00, 0x3c, 0x00, 0xc0, 0x80, 0x3f, 0xc0, 0x7f, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f]));
  return [saved, mixed];
}

type Mutation =
  | { kind: 'truncate'; at: number } | { kind: 'flip' | 'flipData'; flips: Array<[number, number]> }
  | { kind: 'edit'; at: number; del: number; ins: string; fix: boolean } | { kind: 'prefix'; n: number }
  | { kind: 'header'; json: string; data: number } | { kind: 'deep'; where: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(400) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('flip' as const), flips: fc.array(fc.tuple(fc.nat(400), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('flipData' as const), flips: fc.array(fc.tuple(fc.nat(64), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('edit' as const), at: fc.nat(300), del: fc.nat(4), fix: fc.boolean(),
    ins: fc.string({ unit: fc.constantFrom(...'{}[]",:0123456789-.eE FIU_B6tdypsha\\'.split('')), maxLength: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('prefix' as const), n: fc.oneof(fc.nat(400), fc.constantFrom(2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, 100_000_001)) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('header' as const), data: fc.nat(24), json: fc.oneof(
    fc.json({ maxDepth: 3 }),
    fc.dictionary(fc.string({ maxLength: 3 }), fc.record({ dtype: fc.constantFrom('F32', 'F16', 'BF16', 'F64', 'I64', 'X', 3),
      shape: fc.array(fc.oneof(fc.nat(3), fc.constantFrom(-1, 1.5, 2 ** 60, '2')), { maxLength: 3 }),
      data_offsets: fc.array(fc.oneof(fc.nat(24), fc.constantFrom(-4, 0.5, 2 ** 64, '8')), { maxLength: 3 }) }), { maxKeys: 3 })
      .map((o) => JSON.stringify(o))) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deep' as const), where: fc.nat(3) }) },
);

function apply(base: Uint8Array, m: Mutation): Uint8Array {
  const headerEnd = 8 + new DataView(base.buffer, base.byteOffset).getUint32(0, true);
  switch (m.kind) {
    case 'truncate': return base.slice(0, m.at % base.length);
    case 'flip': { const b = base.slice(); for (const [i, x] of m.flips) b[i % b.length] = b[i % b.length]! ^ x; return b; }
    case 'flipData': { // the data section only: the file stays valid, its values change
      const b = base.slice(), n = b.length - headerEnd;
      for (const [i, x] of m.flips) if (n > 0) b[headerEnd + (i % n)] = b[headerEnd + (i % n)]! ^ x;
      return b;
    }
    case 'prefix': { const b = base.slice(), dv = new DataView(b.buffer); dv.setUint32(0, m.n % 2 ** 32, true); dv.setUint32(4, Math.floor(m.n / 2 ** 32), true); return b; }
    case 'edit': {
      const text = new TextDecoder().decode(base.subarray(8, headerEnd)), at = m.at % Math.max(text.length, 1);
      const h = text.slice(0, at) + m.ins + text.slice(at + m.del);
      return file(h, base.subarray(headerEnd), m.fix ? undefined : headerEnd - 8);
    }
    case 'header': return file(m.json, new Uint8Array(m.data).map((_, i) => (i * 37) & 255));
    case 'deep': {
      const d = (o: string, c: string) => o.repeat(100_000) + c.repeat(100_000);
      const h = [`{"a":${d('[', ']')}}`, `{"__metadata__":${d('[', ']')}}`, `{"a":{"dtype":"F32","shape":${d('[', ']')},"data_offsets":[0,0]}}`,
        `{"a":${d('{"b":', '}').replace(/\}+$/, (x) => `1${x}`)}}`][m.where % 4]!;
      return file(h, new Uint8Array(0));
    }
  }
}

class Tiny extends sg.nn.Module {
  w = sg.nn.param(() => sg.zeros([2, 3]));
  b = sg.nn.param(() => sg.zeros([2]));
  forward(): void {}
}

/** Probes load(), loadInto() and metadata() on `numRuns` corrupted files; counts into `tally`. */
export function runSafetensorsProbes(tally: Tally, numRuns: number, seed: number): Tally {
  const bases = seeds();
  const model = new Tiny();
  try {
    for (const [b, m] of fc.sample(fc.tuple(fc.nat(bases.length - 1), mutation), { numRuns, seed })) {
      const bytes = apply(bases[b]!, m), ref = reference(bytes), label = `${m.kind} of file ${b}: ${JSON.stringify(m).slice(0, 120)}`;
      const loadable = typeof ref !== 'string' && ref.names.every((k) => FLOAT.includes(ref.dtypes[k]!));
      const expectLoad = !loadable ? 'error' as const : (r: Record<string, { shape: number[]; values: number[] }>) => matches(r, ref as Ref);
      const t0 = Date.now();
      runProbe(tally, { label: `load(${label})`, run: () => sg.scope(() => Object.fromEntries(Object.entries(load(bytes))
        .map(([k, t]) => [k, { shape: [...t.shape], values: [...t.toArray()] }]))), expect: expectLoad, mayRefuse: true });
      runProbe(tally, { label: `metadata(${label})`, run: () => metadata(bytes),
        expect: typeof ref === 'string' ? 'error' : (md) => JSON.stringify(md) === JSON.stringify(ref.metadata) || `metadata ${JSON.stringify(md)}`, mayRefuse: true });
      // loadInto: refused (model untouched) or exactly the file's w and b (strict: false ignores other names)
      sg.noGrad(() => { model.w.backend.heap.f32.fill(7, model.w.ptr >> 2, (model.w.ptr >> 2) + 6); model.b.backend.heap.f32.fill(7, model.b.ptr >> 2, (model.b.ptr >> 2) + 2); });
      const fits = typeof ref !== 'string' && ['w', 'b'].every((k) => !ref.dtypes[k] || (FLOAT.includes(ref.dtypes[k]!) && ref.tensors[k]!.shape.join() === (k === 'w' ? '2,3' : '2')));
      const state = (): Record<'w' | 'b', { shape: number[]; values: number[] }> => ({ w: { shape: [2, 3], values: [...model.w.toArray()] }, b: { shape: [2], values: [...model.b.toArray()] } });
      const wantInto = (r: Ref): Ref => ({ names: ['w', 'b'], metadata: {}, dtypes: {}, tensors: { w: r.tensors.w ?? { shape: [2, 3], values: Array(6).fill(7) }, b: r.tensors.b ?? { shape: [2], values: [7, 7] } } });
      runProbe(tally, { label: `loadInto(${label})`, run: () => { try { loadInto(model, bytes, { strict: false }); } catch (e) {
        const untouched = state();
        if (untouched.w.values.some((v) => v !== 7) || untouched.b.values.some((v) => v !== 7)) throw new Error(`a refused load changed the model: ${String(e)}`);
        throw e;
      } return state(); }, expect: fits ? (r) => matches(r, wantInto(ref as Ref)) : 'error', mayRefuse: true });
      const ms = Date.now() - t0;
      if (ms > 2000) tally.record('silent', label, `took ${ms} ms`);
    }
  } finally {
    model.dispose();
  }
  return tally;
}
