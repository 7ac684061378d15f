// sg.io safetensors: round trips, the exact header layout of the reference implementation,
// rejection of every kind of corrupt file with a SafetensorsError (and nothing allocated), a
// fuzz property, and interop with PyTorch through committed fixtures (scripts/fixtures/).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as sg from '../../src/index.js';
import { save, load, loadInto, metadata, SafetensorsError } from '../../src/io/index.js';
import { BACKENDS } from '../helpers/backends.js';
import { FIXTURE_METADATA, fixtureStateDict } from '../../scripts/fixtures/write-safetensors.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)));

/** A file from a raw header string (length prefix computed unless given) and data bytes. */
function file(header: string, data: ArrayLike<number> = [], n?: number): Uint8Array {
  const h = enc.encode(header);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setUint32(0, n ?? h.length, true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}
const f32bytes = (xs: number[]): Uint8Array => new Uint8Array(new Float32Array(xs).buffer);
const entry = (dtype: string, shape: number[], b: number, e: number): string =>
  JSON.stringify({ dtype, shape, data_offsets: [b, e] });

/** Expects fn to throw a SafetensorsError whose message contains `msg`, allocating nothing. */
function rejects(fn: () => unknown, msg: string | RegExp): void {
  const before = sg.memory();
  let err: unknown;
  try { fn(); } catch (e) { err = e; }
  expect(err, `expected SafetensorsError matching ${msg}`).toBeInstanceOf(SafetensorsError);
  expect((err as Error).message).toMatch(msg);
  expect(sg.memory().tensors).toBe(before.tensors);
  expect(sg.memory().bytes).toBe(before.bytes);
}

class Tiny extends sg.nn.Module {
  weight = sg.nn.param(() => sg.zeros([2, 3]));
  bias = sg.nn.param(() => sg.zeros([2]));
  forward(): void {}
}

describe.each(BACKENDS)('safetensors on %s', (name) => {
  let start: sg.MemoryInfo;
  beforeAll(async () => {
    await sg.init({ backend: name });
    start = sg.memory();
  });

  it('round-trips a state dict: names, shapes, values, metadata, empty and scalar tensors', () => sg.scope(() => {
    const sd = {
      'layer.weight': sg.tensor([[1.5, -2, 3e-8], [NaN, Infinity, -0]]),
      'layer.bias': sg.tensor([0.25, -1e30]),
      'empty': sg.zeros([0, 4]),
      'scalar': sg.tensor(7),
      'view': sg.arange(6).reshape([2, 3]).T,          // non-contiguous: written row-major
      ['__proto__']: sg.tensor([9]),                    // an awkward but legal name (own key)
    };
    const bytes = save(sd, { metadata: { epoch: '3', note: 'ü "quoted"' } });
    const back = load(bytes);
    expect(Object.keys(back).sort()).toEqual(Object.keys(sd).sort());
    for (const [k, t] of Object.entries(sd)) {
      expect(back[k]!.shape, k).toEqual(t.shape);
      expect(back[k]!.toArray(), k).toEqual(t.toArray());
    }
    expect(Object.is(back['layer.weight']!.toArray()[5], -0)).toBe(true);
    expect([...back.view!.toArray()]).toEqual([0, 3, 1, 4, 2, 5]);
    expect(Object.keys(back)).toContain('__proto__');
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(metadata(bytes)).toEqual({ epoch: '3', note: 'ü "quoted"' });
    expect(metadata(save({}))).toEqual({});
    expect(load(save({}))).toEqual({});
    // an ArrayBuffer and a Uint8Array at an odd offset inside a bigger buffer both load
    expect(load(bytes.slice().buffer)['layer.bias']!.toArray()).toEqual(sd['layer.bias'].toArray());
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    expect(load(shifted.subarray(3)).scalar!.item()).toBe(7);
  }));

  it('saves a module and loads into one (strict by default)', () => sg.scope(() => {
    const a = new Tiny(), b = new Tiny();
    sg.noGrad(() => {
      a.weight.backend.heap.f32.set([1, 2, 3, 4, 5, 6], a.weight.ptr >> 2);
      a.bias.backend.heap.f32.set([-1, -2], a.bias.ptr >> 2);
    });
    const bytes = save(a);
    const mem = sg.memory();
    loadInto(b, bytes);
    expect(sg.memory().tensors).toBe(mem.tensors);
    expect(sg.memory().bytes).toBe(mem.bytes);
    expect([...b.weight.toArray()]).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...b.bias.toArray()]).toEqual([-1, -2]);
    const extra = save({ ...a.stateDict(), step: sg.tensor([1]) });
    expect(() => loadInto(b, extra)).toThrow(/unexpected keys step/);
    loadInto(b, extra, { strict: false });
    const ints = file(`{"weight":${entry('F32', [2, 3], 0, 24)},"bias":${entry('F32', [2], 24, 32)},` +
      `"num_batches_tracked":${entry('I64', [], 32, 40)}}`, [...f32bytes([1, 2, 3, 4, 5, 6, 7, 8]), 0, 0, 0, 0, 0, 0, 0, 0]);
    loadInto(b, ints, { strict: false });                       // the integer tensor is skipped
    expect([...b.bias.toArray()]).toEqual([7, 8]);
    a.dispose(); b.dispose();
  }));

  it('loads what PyTorch wrote (F32, F16, BF16, F64, scalar, empty, metadata)', () => sg.scope(() => {
    const bytes = fixture('from-torch.safetensors');
    const sd = load(bytes);
    expect(Object.keys(sd).sort()).toEqual(
      ['brain', 'double', 'empty', 'half', 'linear.bias', 'linear.weight', 'scalar', 'wide.weight']);
    expect(sd['linear.weight']!.shape).toEqual([3, 4]);
    expect([...sd['linear.weight']!.toArray()]).toEqual(Array.from({ length: 12 }, (_, i) => i / 4 - 1));
    expect([...sd['linear.bias']!.toArray()]).toEqual([0.5, -0.25, 3]);
    expect(sd.half!.shape).toEqual([2, 3]);
    expect([...sd.half!.toArray()]).toEqual([1, -2.5, 65504, 2 ** -24, -0, Infinity]);
    expect(Object.is(sd.half!.toArray()[4], -0)).toBe(true);
    expect([...sd.brain!.toArray()]).toEqual([1, -3.140625, 2 ** 100, -Infinity]);
    expect([...sd.double!.toArray()]).toEqual([Math.fround(0.1), Math.fround(-1e-3)]);
    expect(sd.scalar!.shape).toEqual([]);
    expect(sd.scalar!.item()).toBe(42);
    expect(sd.empty!.shape).toEqual([0, 2]);
    expect([...sd['wide.weight']!.toArray()]).toEqual([0, 3, 1, 4, 2, 5]);
    expect(metadata(bytes).format).toBe('pt');
  }));

  it('save() reproduces the committed from-simdgrad.safetensors byte for byte', () => sg.scope(() => {
    const bytes = save(fixtureStateDict(), { metadata: { ...FIXTURE_METADATA } });
    expect(bytes).toEqual(fixture('from-simdgrad.safetensors'));
  }));

  it('leaks nothing', () => {
    expect(sg.memory().bytes).toBe(start.bytes);
    expect(sg.memory().tensors).toBe(start.tensors);
  });
});

describe('safetensors header layout and validation', () => {
  beforeAll(async () => { await sg.init({ backend: 'js' }); });

  it('writes the reference layout (checked by hand)', () => sg.scope(() => {
    // 8-byte LE length, compact JSON, data right after: this header is exactly 64 bytes.
    const out = save({ 'attn.0': sg.tensor([0, 1, 2, 3, 4, 5], [1, 2, 3]) });
    const json = '{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}';
    expect(json.length).toBe(64);
    expect([...out.subarray(0, 8)]).toEqual([64, 0, 0, 0, 0, 0, 0, 0]);
    expect(dec.decode(out.subarray(8, 72))).toBe(json);
    expect([...out.subarray(72, 80)]).toEqual([0, 0, 0, 0, 0, 0, 0x80, 0x3f]);    // 0.0f, 1.0f
    expect(out.length).toBe(72 + 24);
    // a 65-byte header is padded with 7 spaces to 72
    const pad = save({ attn0: sg.tensor([0, 1, 2, 3, 4, 5], [1, 1, 2, 3]) });
    expect(pad[0]).toBe(72);
    expect(dec.decode(pad.subarray(8, 80))).toBe(`{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}${' '.repeat(7)}`);
    // empty file, and metadata first with keys sorted; names sorted by UTF-8 bytes
    expect([...save({})]).toEqual([8, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0x7d, 32, 32, 32, 32, 32, 32]);
    expect(dec.decode(save({}, { metadata: { framework: 'pt' } }).subarray(8))).toBe('{"__metadata__":{"framework":"pt"}}     ');
    const order = save({ b: sg.tensor([2]), 'é': sg.tensor([3]), a: sg.tensor([1]), B: sg.tensor([0]) });
    const names = Object.keys(JSON.parse(dec.decode(order.subarray(8, 8 + order[0]!))) as object);
    expect(names).toEqual(['B', 'a', 'b', 'é']);
    expect([...new Float32Array(order.slice(8 + order[0]!).buffer)]).toEqual([0, 1, 2, 3]);
  }));

  it('rejects bad arguments to save', () => sg.scope(() => {
    expect(() => save({ __metadata__: sg.tensor([1]) })).toThrow(SafetensorsError);
    expect(() => save({ x: [1, 2] as unknown as sg.Tensor })).toThrow(sg.DTypeError);
    expect(() => save({}, { metadata: { a: 1 as unknown as string } })).toThrow(sg.DTypeError);
    const t = sg.tensor([1]);
    t.dispose();
    expect(() => save({ t })).toThrow(sg.DisposedError);
    expect(() => load([1, 2] as unknown as Uint8Array)).toThrow(sg.DTypeError);
  }));

  const ok = `{"a":${entry('F32', [2], 0, 8)}}`;
  const data = f32bytes([1, 2]);
  const cases: Array<[string, Uint8Array, string | RegExp]> = [
    ['fewer than 8 bytes', new Uint8Array([1, 0, 0]), 'fewer than the 8-byte header length'],
    ['header length over 100 MB', file(ok, data, 100_000_001), 'exceeds the 100000000-byte limit'],
    ['header length past the end', file(ok, data, 1000), 'runs past the end of the file'],
    ['header length ≥ 2^32', (() => { const f = file(ok, data); f[4] = 1; return f; })(), 'exceeds'],
    ['invalid UTF-8', (() => { const f = file(`{"a\u00e9":${entry('F32', [2], 0, 8)}}`, data); f[12] = 0xff; return f; })(), 'not valid UTF-8'],
    ['not starting with {', file(` ${ok}`, data), "must start with '{'"],
    ['invalid JSON', file(ok.slice(0, -1) + ' ', data), 'not valid JSON'],
    ['duplicate names', file(`{"a":${entry('F32', [1], 0, 4)},"a":${entry('F32', [1], 4, 8)}}`, data), 'duplicate tensor name "a"'],
    ['entry not an object', file('{"a":[1,2]}'), 'entry must be an object'],
    ['unknown dtype', file(`{"a":${entry('F33', [2], 0, 8)}}`, data), 'unknown dtype "F33"'],
    ['dtype not a string', file('{"a":{"dtype":4,"shape":[2],"data_offsets":[0,8]}}', data), 'dtype must be a string'],
    ['shape not an array', file('{"a":{"dtype":"F32","shape":2,"data_offsets":[0,8]}}', data), 'shape must be an array'],
    ['negative dimension', file(`{"a":${entry('F32', [-2], 0, 8)}}`, data), 'invalid dimension -2'],
    ['fractional dimension', file(`{"a":${entry('F32', [1.5], 0, 8)}}`, data), 'invalid dimension 1.5'],
    ['huge dimension', file('{"a":{"dtype":"F32","shape":[1e300],"data_offsets":[0,8]}}', data), 'invalid dimension'],
    ['element count overflow', file(`{"a":${entry('F32', [2 ** 30, 2 ** 30, 2 ** 30, 0], 0, 0)}}`), 'overflows'],
    ['offsets not two integers', file('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0]}}', data), 'data_offsets must be two integers'],
    ['offsets reversed', file(`{"a":${entry('F32', [0], 8, 0)}}`, data), 'end before they begin'],
    ['span ≠ numel·itemsize', file(`{"a":${entry('F32', [3], 0, 8)}}`, data), 'needs 3·4 = 12'],
    ['a gap', file(`{"a":${entry('F32', [1], 0, 4)},"b":${entry('F32', [0], 8, 8)}}`, data), 'a gap'],
    ['an overlap', file(`{"a":${entry('F32', [2], 0, 8)},"b":${entry('F32', [1], 4, 8)}}`, data), 'an overlap'],
    ['not starting at 0', file(`{"a":${entry('F32', [1], 4, 8)}}`, data), 'starts at byte 4'],
    ['truncated data', file(ok, data.subarray(0, 6)), 'past the 6-byte data section'],
    ['trailing bytes', file(ok, [...data, 0, 0, 0, 0]), 'cover 8 bytes but the data section has 12'],
    ['metadata not strings', file(`{"__metadata__":{"k":1},"a":${entry('F32', [2], 0, 8)}}`, data), 'value of "k" must be a string'],
    ['metadata not an object', file(`{"__metadata__":[],"a":${entry('F32', [2], 0, 8)}}`, data), '__metadata__ must be an object'],
    ['integer tensor', file(`{"a":${entry('F32', [1], 0, 4)},"ids":${entry('I64', [1], 4, 12)}}`, [...f32bytes([1]), 0, 0, 0, 0, 0, 0, 0, 0]),
      'tensor "ids" has dtype I64'],
    ['bool tensor', file(`{"mask":${entry('BOOL', [2], 0, 2)}}`, [0, 1]), 'tensor "mask" has dtype BOOL'],
  ];
  it.each(cases)('rejects %s', (_, bytes, msg) => {
    expect(() => sg.scope(() => { load(file(ok, data)); })).not.toThrow();
    rejects(() => load(bytes), msg);
    if (!/has dtype/.test(String(msg))) rejects(() => metadata(bytes), msg);
  });

  it('tensors are validated before anything is allocated', () => {
    // a valid first tensor followed by an integer one: nothing is left behind
    rejects(() => load(cases.find(([n]) => n === 'integer tensor')![1]), 'I64');
    expect(metadata(cases.find(([n]) => n === 'integer tensor')![1])).toEqual({});
  });

  it('a header nested 100,000 deep is a SafetensorsError, not a stack overflow', () => {
    const deep = (open: string, close: string): string => open.repeat(100_000) + close.repeat(100_000);
    rejects(() => load(file(`{"a":${deep('[', ']')}}`)), /tensor "a": entry must be an object, got a deeply nested array/);
    rejects(() => load(file(`{"a":{"dtype":"F32","shape":${deep('[', ']')},"data_offsets":[0,0]}}`)), /invalid dimension/);
    rejects(() => metadata(file(`{"__metadata__":${deep('[', ']')}}`)), /__metadata__ must be an object of strings/);
    rejects(() => load(file(`{"a":${deep('{"b":', '}').replace(/\}+$/, (m) => `1${m}`)}}`)), /dtype must be a string/);
    // a long value in a message is cut, not printed whole
    let msg = '';
    try { load(file(`{"a":"${'x'.repeat(10_000)}"}`)); } catch (e) { msg = (e as Error).message; }
    expect(msg.length).toBeLessThan(200);
  });

  it('loadInto: names such as toString, constructor and __proto__ are names like any other', () => sg.scope(() => {
    const a = new Tiny(), b = new Tiny();
    sg.noGrad(() => a.weight.backend.heap.f32.set([1, 2, 3, 4, 5, 6], a.weight.ptr >> 2));
    const odd = { toString: sg.tensor([1]), constructor: sg.tensor([2]), ['__proto__']: sg.tensor([3]), valueOf: sg.tensor([4]) };
    const bytes = save({ ...a.stateDict(), ...odd });
    expect(() => loadInto(b, bytes)).toThrow(sg.StateDictError);
    expect(() => loadInto(b, bytes)).toThrow(/unexpected keys .*toString/);
    expect([...b.weight.toArray()]).toEqual([0, 0, 0, 0, 0, 0]);
    loadInto(b, bytes, { strict: false });
    expect([...b.weight.toArray()]).toEqual([1, 2, 3, 4, 5, 6]);
    a.dispose(); b.dispose();
  }));

  it('loadInto is atomic: a tensor that does not fit leaves every earlier one unchanged', () => sg.scope(() => {
    const b = new Tiny();
    // bias (sorted first by offset) fits, weight does not: nothing may be written
    const bad = file(`{"bias":${entry('F32', [2], 0, 8)},"weight":${entry('F32', [3, 2], 8, 32)}}`, f32bytes([7, 8, 1, 2, 3, 4, 5, 6]));
    expect(() => loadInto(b, bad)).toThrow(/weight has shape \[3, 2\], the module expects \[2, 3\]/);
    expect([...b.bias.toArray()]).toEqual([0, 0]);
    b.dispose();
  }));

  it('fuzz: truncations, byte flips and header edits load or throw SafetensorsError', () => {
    const valid = sg.scope(() => save({
      'w': sg.tensor([[1, 2, 3], [4, 5, 6]]), 'b': sg.tensor([0.5, -0.5]), 's': sg.tensor(3), 'e': sg.zeros([0, 2]),
    }, { metadata: { k: 'v' } }));
    const headerEnd = 8 + valid[0]!;
    const shapes = JSON.stringify(sg.scope(() => Object.entries(load(valid)).map(([k, t]) => [k, t.shape])));
    const before = sg.memory();
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(valid.length - 1) }),
      fc.record({ kind: fc.constant('flip' as const), flips: fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }) }),
      fc.record({ kind: fc.constant('edit' as const), at: fc.nat(headerEnd - 9), del: fc.nat(3),
        ins: fc.string({ unit: fc.constantFrom(...'{}[]",:0123456789-.e FIU_'.split('')), maxLength: 3 }), fixLength: fc.boolean() }),
    );
    fc.assert(fc.property(mutation, (m) => {
      let bytes: Uint8Array;
      let dataOnly = false;
      if (m.kind === 'truncate') bytes = valid.slice(0, m.at);
      else if (m.kind === 'flip') {
        bytes = valid.slice();
        for (const [i, x] of m.flips) bytes[i] = bytes[i]! ^ x;
        dataOnly = m.flips.every(([i]) => i >= headerEnd);
      } else {
        const text = dec.decode(valid.subarray(8, headerEnd));
        const h = enc.encode(text.slice(0, m.at) + m.ins + text.slice(m.at + m.del));
        bytes = new Uint8Array(8 + h.length + valid.length - headerEnd);
        bytes.set(valid.subarray(0, 8));
        if (m.fixLength) new DataView(bytes.buffer).setUint32(0, h.length, true);
        bytes.set(h, 8);
        bytes.set(valid.subarray(headerEnd), 8 + h.length);
      }
      sg.scope(() => {
        let sd: Record<string, sg.Tensor>;
        try {
          sd = load(bytes);
        } catch (e) {
          if (!(e instanceof SafetensorsError)) throw e;
          return;
        }
        expect(m.kind).not.toBe('truncate');
        if (dataOnly) expect(JSON.stringify(Object.entries(sd).map(([k, t]) => [k, t.shape]))).toBe(shapes);
        const bytesIn = Object.values(sd).reduce((n, t) => n + t.size, 0);
        expect(bytesIn).toBeLessThanOrEqual(bytes.length);
      });
    }), { numRuns: 400, seed: 42 });
    expect(sg.memory().tensors).toBe(before.tensors);
    expect(sg.memory().bytes).toBe(before.bytes);
  });
});
