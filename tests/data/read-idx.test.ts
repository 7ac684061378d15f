// sg.data.readIdx: IDX files written here byte by byte (every element type, big-endian), plain and
// gzipped, from bytes, an ArrayBuffer, a path, a file URL and an http URL; corrupt headers are
// IdxErrors naming the field; and Debian's Fashion-MNIST files when they are installed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as sg from '../../src/index.js';

/** An IDX file: header (type code, dims) then the values, big-endian. */
function idx(code: number, shape: number[], values: number[], size: number): Uint8Array {
  const b = new Uint8Array(4 + 4 * shape.length + values.length * size), v = new DataView(b.buffer);
  b[2] = code; b[3] = shape.length;
  shape.forEach((d, i) => v.setUint32(4 + 4 * i, d));
  const at = 4 + 4 * shape.length;
  values.forEach((x, i) => {
    const o = at + i * size;
    if (code === 0x08) v.setUint8(o, x); else if (code === 0x09) v.setInt8(o, x); else if (code === 0x0b) v.setInt16(o, x);
    else if (code === 0x0c) v.setInt32(o, x); else if (code === 0x0d) v.setFloat32(o, x); else v.setFloat64(o, x);
  });
  return b;
}

const IMAGES = idx(0x08, [2, 3, 4], Array.from({ length: 24 }, (_, i) => (i * 11) % 256), 1);
const FASHION = '/usr/share/datasets/fashion-mnist';
let dir = '', server: Server, port = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'simdgrad-idx-'));
  writeFileSync(join(dir, 'images-idx3-ubyte'), IMAGES);
  writeFileSync(join(dir, 'images-idx3-ubyte.gz'), gzipSync(IMAGES));
  server = createServer((req, res) => {
    if (req.url === '/images.gz') { res.end(gzipSync(IMAGES)); return; }
    res.statusCode = 404; res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});
afterAll(() => { rmSync(dir, { recursive: true, force: true }); server.close(); });

describe('readIdx', () => {
  it('reads every element type, big-endian, into the matching typed array', async () => {
    const u8 = await sg.data.readIdx(IMAGES);
    expect(u8.shape).toEqual([2, 3, 4]);
    expect(u8.type).toBe('uint8');
    expect(u8.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(u8.data)).toEqual(Array.from({ length: 24 }, (_, i) => (i * 11) % 256));
    const cases: [number, string, number[], number, unknown][] = [
      [0x09, 'int8', [-128, -1, 0, 127], 1, Int8Array], [0x0b, 'int16', [-32768, -2, 300, 32767], 2, Int16Array],
      [0x0c, 'int32', [-2147483648, -5, 70000, 2147483647], 4, Int32Array], [0x0d, 'float32', [-1.5, 0.25, 2 ** 100, -0], 4, Float32Array],
      [0x0e, 'float64', [Math.PI, -1e300, 5e-324, 1 / 3], 8, Float64Array],
    ];
    for (const [code, type, values, size, ctor] of cases) {
      const d = await sg.data.readIdx(idx(code, [2, 2], values, size).buffer as ArrayBuffer);
      expect(d.type).toBe(type);
      expect(d.data).toBeInstanceOf(ctor);
      expect(Array.from(d.data)).toEqual(values);
    }
  });

  it('reads gzipped data from bytes, a path, a file URL and an http URL', async () => {
    const want = Array.from(IMAGES.subarray(16));
    for (const src of [gzipSync(IMAGES), join(dir, 'images-idx3-ubyte'), join(dir, 'images-idx3-ubyte.gz'),
      pathToFileURL(join(dir, 'images-idx3-ubyte.gz')), `http://127.0.0.1:${port}/images.gz`]) {
      const d = await sg.data.readIdx(src);
      expect(d.shape).toEqual([2, 3, 4]);
      expect(Array.from(d.data)).toEqual(want);
    }
    await expect(sg.data.readIdx(`http://127.0.0.1:${port}/missing`)).rejects.toThrow('HTTP 404');
  });

  it('a corrupt header is an IdxError naming the field and the numbers', async () => {
    const bad = async (bytes: Uint8Array, ...parts: string[]) => {
      const e = await sg.data.readIdx(bytes).then(() => null, (err: unknown) => err);
      expect(e).toBeInstanceOf(sg.data.IdxError);
      for (const p of parts) expect((e as Error).message).toContain(p);
    };
    await bad(new Uint8Array([0, 0, 8]), 'magic number', '3 bytes');
    const magic = IMAGES.slice(); magic[1] = 8;
    await bad(magic, 'magic number', '0x00 0x08');
    const type = IMAGES.slice(); type[2] = 0x0a;
    await bad(type, 'data type', '0x0a');
    await bad(new Uint8Array([0, 0, 8, 0]), 'dimensions', '0 dimensions');
    await bad(IMAGES.slice(0, 10), 'dimensions', '3 dimensions', '16 header bytes', '10 bytes');
    await bad(IMAGES.slice(0, 30), 'data', '[2, 3, 4]', '24 bytes of uint8', '14');
    await bad(idx(0x0c, [3], [1, 2], 4), 'data', '[3]', '12 bytes of int32', '8');
  });

  it.skipIf(!existsSync(`${FASHION}/t10k-labels-idx1-ubyte.gz`))('reads Debian\'s Fashion-MNIST test set', async () => {
    const [x, y] = await Promise.all([sg.data.readIdx(`${FASHION}/t10k-images-idx3-ubyte.gz`), sg.data.readIdx(`${FASHION}/t10k-labels-idx1-ubyte.gz`)]);
    expect(x.shape).toEqual([10000, 28, 28]);
    expect(y.shape).toEqual([10000]);
    expect(Array.from(y.data.subarray(0, 10))).toEqual([9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
    expect(Math.max(...y.data)).toBe(9);
  });
});
