// Built-in data sets: sizes, value ranges, class counts, the first/last rows as the raw files have
// them, and every value against digests of the raw files (fixtures/raw-digests.json, written from
// them by scripts/fixtures/dataset-digests.mjs), and the packaging promise — the core entry's bundle reaches none of src/datasets and carries none of
// the data, while the datasets entry bundles on its own.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { packed } from '../helpers/packed.js';
import { digits, iris, words } from '../../src/datasets/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const raw = JSON.parse(readFileSync(new URL('./fixtures/raw-digests.json', import.meta.url), 'utf8')) as
  Record<'digits' | 'iris' | 'words' | 'wordsCopyright', { rows?: number; sha256: string }>;
/** SHA-256 of typed arrays' bytes or strings' UTF-8, in order (as the fixture script hashes them). */
const sha = (...parts: (ArrayBufferView | string)[]) => parts.reduce((h, p) =>
  h.update(typeof p === 'string' ? p : new Uint8Array(p.buffer, p.byteOffset, p.byteLength)), createHash('sha256')).digest('hex');
const counts = (y: Int32Array, k: number) => Array.from({ length: k }, (_, c) => y.filter((v) => v === c).length);

describe('digits()', () => {
  const d = digits();
  it('has 1,797 8×8 images with pixels 0–16 and 10 classes', () => {
    expect(d.shape).toEqual([1797, 64]);
    expect(d.images).toEqual([8, 8]);
    expect(d.classes).toBe(10);
    expect(d.x).toBeInstanceOf(Float32Array);
    expect(d.x.length).toBe(1797 * 64);
    expect(d.y).toBeInstanceOf(Int32Array);
    expect(d.x.every((v) => Number.isInteger(v) && v >= 0 && v <= 16)).toBe(true);
    expect(Math.max(...d.x)).toBe(16);
    expect(counts(d.y, 10)).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
    expect(d.credit).toMatch(/Alpaydin.*Kaynak.*CC BY 4\.0/);
  });
  it('matches the CSV (first and last rows; every value by digest)', () => {
    expect([...d.x.subarray(0, 64), d.y[0]]).toEqual([0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0, 0, 3, 15, 2, 0, 11,
      8, 0, 0, 4, 12, 0, 0, 8, 8, 0, 0, 5, 8, 0, 0, 9, 8, 0, 0, 4, 11, 0, 1, 12, 7, 0, 0, 2, 14, 5, 10, 12, 0, 0, 0, 0, 6, 13, 10,
      0, 0, 0, 0]);
    expect([...d.x.subarray(1796 * 64), d.y[1796]]).toEqual([0, 0, 10, 14, 8, 1, 0, 0, 0, 2, 16, 14, 6, 1, 0, 0, 0, 0, 15, 15,
      8, 15, 0, 0, 0, 0, 5, 16, 16, 10, 0, 0, 0, 0, 12, 15, 15, 12, 0, 0, 0, 4, 16, 6, 4, 16, 6, 0, 0, 8, 16, 10, 8, 16, 8, 0, 0,
      1, 8, 12, 14, 12, 1, 0, 8]);
    expect(sha(d.x, d.y)).toBe(raw.digits.sha256);
  });
  it('loads as [N, 1, 8, 8] images: the same values, NCHW', () => {
    const im = digits({ asImages: true });
    expect(im.shape).toEqual([1797, 1, 8, 8]);
    expect(Array.from(im.x)).toEqual(Array.from(d.x));
    expect(Array.from(im.y)).toEqual(Array.from(d.y));
  });
  it('returns a fresh copy each call', () => {
    const a = digits();
    a.x[0] = 99;
    expect(digits().x[0]).toBe(0);
  });
});

describe('iris()', () => {
  const d = iris();
  it('has 150 rows of 4 measurements in 3 classes of 50', () => {
    expect(d.shape).toEqual([150, 4]);
    expect(d.x.length).toBe(600);
    expect(counts(d.y, 3)).toEqual([50, 50, 50]);
    expect(d.targetNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(d.featureNames).toHaveLength(4);
    expect(Math.min(...d.x)).toBeCloseTo(0.1, 6);
    expect(Math.max(...d.x)).toBeCloseTo(7.9, 6);
    expect(d.credit).toMatch(/Fisher/);
  });
  it('matches the CSV', () => {
    expect([...d.x.subarray(0, 4)]).toEqual([5.1, 3.5, 1.4, 0.2].map(Math.fround));
    expect([...d.x.subarray(200, 204), d.y[50]]).toEqual([...[7.0, 3.2, 4.7, 1.4].map(Math.fround), 1]);
    expect([...d.x.subarray(596), d.y[149]]).toEqual([...[5.9, 3.0, 5.1, 1.8].map(Math.fround), 2]);
    expect(sha(d.x, d.y)).toBe(raw.iris.sha256);
  });
});

describe('words()', () => {
  const w = words();
  it('has 52,271 sorted lowercase words of 3–10 letters, with the copyright notice', () => {
    expect(w.words).toHaveLength(52271);
    expect(w.words.slice(0, 3)).toEqual(['aardvark', 'aardvarks', 'abaci']);
    expect(w.words.at(-1)).toBe('zygotes');
    expect(w.words.every((s) => /^[a-z]{3,10}$/.test(s))).toBe(true);
    expect(w.words.every((s, i) => i === 0 || w.words[i - 1]! < s)).toBe(true);
    expect(w.copyright).toMatch(/Copyright 2000-2011 by Kevin Atkinson/);
    expect(w.credit).toMatch(/SCOWL/);
    expect(sha(w.words.join('\n'))).toBe(raw.words.sha256);
    expect(sha(w.copyright)).toBe(raw.wordsCopyright.sha256);
  });
});

describe('packaging', () => {
  // strings that only the data carry: a word, the notices, digits' first row encoded, an iris row
  const MARKERS = ['aardvark', 'Kevin Atkinson', 'Alpaydin', '005=9100', '5.1,3.5,1.4'];
  const bundle = (entry: string) => build({
    entryPoints: [`${root}${entry}`], bundle: true, write: false, format: 'esm', platform: 'neutral',
    metafile: true, logLevel: 'silent', external: ['node:*'],
  });

  it('the core entry reaches none of src/datasets and carries none of the data', async () => {
    const core = await bundle('src/index.ts');
    const inputs = Object.keys(core.metafile.inputs);
    expect(inputs.some((p) => p.includes('src/index.ts'))).toBe(true);
    expect(inputs.filter((p) => p.includes('datasets'))).toEqual([]);
    const text = core.outputFiles[0]!.text;
    for (const marker of MARKERS) {
      expect(text.includes(marker), marker).toBe(false);
    }
  });

  it('the published main entry (the packed tarball\'s dist) carries none of the data either', async () => {
    const { consumer } = await packed();   // built once per run, shared with tests/package.test.ts
    for (const f of ['dist/index.js', 'dist/index.cjs']) {
      expect(readFileSync(join(consumer, 'node_modules', 'simdgrad', f), 'utf8').includes('aardvark'), f).toBe(false);
    }
  }, 900_000);   // packed() may be building (a fresh-clone pack: wasm + rollup)

  it('the datasets entry bundles on its own (no core code) and decodes', async () => {
    const ds = await bundle('src/datasets/index.ts');
    expect(Object.keys(ds.metafile.inputs).every((p) => p.includes('src/datasets/'))).toBe(true);
    const text = ds.outputFiles[0]!.text;
    expect(text.length).toBeLessThan(320_000);
    for (const marker of MARKERS) expect(text.includes(marker), marker).toBe(true);
    const mod = await import(`data:text/javascript;base64,${Buffer.from(text).toString('base64')}`) as typeof import('../../src/datasets/index.js');
    expect(mod.digits().shape).toEqual([1797, 64]);
    expect(mod.words().words).toHaveLength(52271);
  });
});
