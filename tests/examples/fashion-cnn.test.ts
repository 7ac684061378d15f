// The Fashion-MNIST example (examples/node/fashion-cnn.ts) on a tiny stand-in: IDX files written
// here (a few hundred 28×28 images of two easy classes, some gzipped, some not) in a temporary
// directory passed as `data`. One epoch must learn them, report an accuracy in [0, 1] and the
// training time, leak nothing; a directory without the files is a clear error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sg from '../../src/index.js';
import { fashionCnn } from '../../examples/node/fashion-cnn.js';

/** An IDX file of uint8 values. */
const idx = (shape: number[], values: Uint8Array): Uint8Array => {
  const b = new Uint8Array(4 + 4 * shape.length + values.length), v = new DataView(b.buffer);
  b[2] = 0x08; b[3] = shape.length;
  shape.forEach((d, i) => v.setUint32(4 + 4 * i, d));
  b.set(values, 4 + 4 * shape.length);
  return b;
};
/** n images: class 0 bright on the left half, class 1 on the right. */
const images = (n: number): [Uint8Array, Uint8Array] => {
  const x = new Uint8Array(n * 784), y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    for (let p = 0; p < 784; p++) if ((p % 28 < 14) === (y[i] === 0)) x[i * 784 + p] = 150 + ((i * 7 + p) % 100);
  }
  return [x, y];
};

let dir = '';
beforeAll(async () => {
  await sg.init();
  dir = mkdtempSync(join(tmpdir(), 'simdgrad-fashion-'));
  const [xt, yt] = images(320), [xe, ye] = images(60);
  writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(idx([320, 28, 28], xt)));
  writeFileSync(join(dir, 'train-labels-idx1-ubyte'), idx([320], yt));
  writeFileSync(join(dir, 't10k-images-idx3-ubyte'), idx([60, 28, 28], xe));
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), gzipSync(idx([60], ye)));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fashion-cnn example', () => {
  it('trains on IDX files from --data and reports accuracy and time', async () => {
    const tensors0 = sg.memory().tensors, lines: string[] = [];
    const r = await fashionCnn({ data: dir, epochs: 1, batch: 32, log: (l) => lines.push(l) });
    expect(r.accuracy).toBeGreaterThan(0.9);
    expect(r.seconds).toBeGreaterThan(0);
    expect(lines[0]).toContain('320 train / 60 test');
    expect(lines[1]).toMatch(/epoch 1: training loss [\d.]+, test accuracy [\d.]+%, [\d.]+ s of training/);
    expect(sg.memory().tensors).toBe(tensors0);
  });

  it('says where it looked when the files are missing', async () => {
    await expect(fashionCnn({ data: tmpdir(), log: () => {} })).rejects.toThrow(/no Fashion-MNIST IDX files in .*--data DIR/);
  });
});
