// `--model cnn` for `simdgrad tune` and `train` on image data: the CNN's hyperparameters in the
// search space (each mistake a SearchSpaceError or CliError naming the key; parameters of the other
// model refused), its configuration round-trips through flat parameters, the built network has the
// counted parameters (checked against numParameters and against a count written out here), images
// too small for the blocks are refused by size; image data: the digits as 1×8×8 (not once columns
// are dropped) and a directory of IDX files (written here: one gzipped, one not; bars across or
// down 12×12 images, a task a CNN learns in a few epochs); and the command run in child processes:
// a small tune, a train on the IDX directory above chance by far, one-line errors.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { DEFAULT_CNN_SPACE, flatParams, mlpConfig, parseMlpSpace, suggestMlp } from '../../src/cli/mlp-space.js';
import { SearchSpaceError } from '../../src/cli/search-space.js';
import { buildCnn, checkBlocks, cnnParamCount, maxBlocks } from '../../src/cli/cnn-model.js';
import { loadData } from '../../src/cli/tabular-data.js';
import { fitMlp } from '../../src/cli/fit-mlp.js';
import { CliError } from '../../src/cli/cli-error.js';
import { runCli } from '../helpers/cli.js';

const cli = runCli;
let dir = '';

/** An IDX file of unsigned bytes with the given dimensions. */
function idx(dims: number[], data: Uint8Array): Uint8Array {
  const head = new DataView(new ArrayBuffer(4 + 4 * dims.length));
  head.setUint8(2, 0x08); head.setUint8(3, dims.length);
  dims.forEach((d, i) => head.setUint32(4 + 4 * i, d));
  return new Uint8Array([...new Uint8Array(head.buffer), ...data]);
}

/** n 12×12 images: label 0 a bright column, 1 a bright row, at a seeded place, over faint noise. */
function bars(n: number): { images: Uint8Array; labels: Uint8Array } {
  let s = 12345;
  const rnd = () => { s = (s * 1103515245 + 12345) >>> 0; return s / 4294967296; };
  const images = new Uint8Array(n * 144), labels = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const label = k % 2, at = 1 + Math.floor(rnd() * 10);
    labels[k] = label;
    for (let p = 0; p < 144; p++) {
      const r = Math.floor(p / 12), c = p % 12;
      images[k * 144 + p] = (label === 0 ? c === at : r === at) ? 200 + Math.floor(rnd() * 55) : Math.floor(rnd() * 60);
    }
  }
  return { images, labels };
}

beforeAll(async () => {
  await sg.init();
  dir = mkdtempSync(join(tmpdir(), 'simdgrad-cnn-'));
  const { images, labels } = bars(240);
  mkdirSync(join(dir, 'bars'));
  writeFileSync(join(dir, 'bars', 'train-images-idx3-ubyte.gz'), gzipSync(idx([240, 12, 12], images)));
  writeFileSync(join(dir, 'bars', 'train-labels-idx1-ubyte'), idx([240], labels));
  mkdirSync(join(dir, 'short'));
  writeFileSync(join(dir, 'short', 'train-images-idx3-ubyte'), idx([240, 12, 12], images));
  writeFileSync(join(dir, 'short', 'train-labels-idx1-ubyte'), idx([200], labels.subarray(0, 200)));
  mkdirSync(join(dir, 'nolabels'));
  writeFileSync(join(dir, 'nolabels', 'train-images-idx3-ubyte'), idx([240, 12, 12], images));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the CNN in the search space', () => {
  it('parses its hyperparameters and refuses the MLP\'s, and the MLP refuses its', () => {
    const space = parseMlpSpace({ blocks: { type: 'int', low: 1, high: 2 }, channels: 8, kernelSize: { type: 'categorical', choices: [3, 5] }, pooling: 'avg', lr: 0.01 }, 'cnn');
    expect(space.model).toBe('cnn');
    expect(() => parseMlpSpace({ layers: 2 }, 'cnn')).toThrow(/parameter 'layers' is not a hyperparameter of the CNN; it is the MLP's \(--model mlp\)/);
    expect(() => parseMlpSpace({ width: 64 }, 'cnn')).toThrow(SearchSpaceError);
    expect(() => parseMlpSpace({ blocks: 2 })).toThrow(/parameter 'blocks' is not a hyperparameter of the MLP; it is the CNN's \(--model cnn\)/);
    expect(() => parseMlpSpace({ kernelSize: { type: 'categorical', choices: [3, 4] } }, 'cnn')).toThrow(/'kernelSize' must be an odd integer in \[1, 9\], got 4/);
    expect(() => parseMlpSpace({ pooling: 'min' }, 'cnn')).toThrow(/'pooling' must be one of max, avg, got "min"/);
    expect(() => parseMlpSpace({ channels: { type: 'float', low: 4, high: 8 } }, 'cnn')).toThrow(/'channels' counts something/);
  });

  it('draws configurations of the default CNN space and round-trips them through flat parameters', async () => {
    const study = await sg.tune.createStudy({ sampler: new sg.tune.RandomSampler({ seed: 3 }), logger: false });
    const drawn: ReturnType<typeof suggestMlp>[] = [];
    await study.optimize((t) => { drawn.push(suggestMlp(t, DEFAULT_CNN_SPACE)); return 0; }, { nTrials: 20 });
    for (const c of drawn) {
      expect(c.model).toBe('cnn');
      expect(c.blocks).toBeGreaterThanOrEqual(1); expect(c.blocks).toBeLessThanOrEqual(3);
      expect([3, 5]).toContain(c.kernelSize);
      expect(c.widths).toEqual([]);
      expect(mlpConfig(flatParams(c))).toEqual(c);
    }
    expect(new Set(drawn.map((c) => c.pooling))).toEqual(new Set(['max', 'avg']));
    expect(mlpConfig({}, 'flags', 'cnn')).toMatchObject({ model: 'cnn', blocks: 2, channels: 16, kernelSize: 3, pooling: 'max', optimizer: 'adam' });
    expect(() => mlpConfig({ model: 'cnn' }, 'best.json', 'mlp')).toThrow(/best.json: the parameters are a CNN's, not the MLP --model mlp asks for/);
    expect(() => mlpConfig({ blocks: 2 }, 'flags')).toThrow(CliError);
    expect(() => mlpConfig({ model: 'rnn' })).toThrow(/'model' must be one of mlp, cnn, got "rnn"/);
  });

  it('builds a network with the counted parameters, and refuses blocks the image cannot halve', () => {
    // blocks of (conv k×k + bias, batch-norm scale and shift), then the linear layer
    const count = (image: number[], blocks: number, ch: number, k: number, classes: number) => {
      let [c, h, w] = image as [number, number, number], n = 0;
      for (let i = 0; i < blocks; i++) { const o = ch << i; n += o * c * k * k + o + 2 * o; c = o; h >>= 1; w >>= 1; }
      return n + c * h * w * classes + classes;
    };
    for (const [image, blocks, channels, kernelSize, pooling] of [[[1, 8, 8], 1, 4, 3, 'max'], [[1, 8, 8], 3, 5, 5, 'avg'], [[1, 28, 28], 2, 7, 3, 'max'], [[1, 12, 9], 3, 2, 1, 'avg']] as const) {
      const c = mlpConfig({ blocks, channels, kernelSize, pooling, dropout: 0.1 }, 'test', 'cnn');
      const model = buildCnn(image, 10, c, 0);
      try {
        expect(model.numParameters()).toBe(count([...image], blocks, channels, kernelSize, 10));
        expect(cnnParamCount(image, 10, c)).toBe(model.numParameters());
        const out = sg.scope(() => model.forward(sg.zeros([2, ...image])).shape);
        expect(out).toEqual([2, 10]);
      } finally { model.dispose(); }
    }
    expect(maxBlocks([1, 8, 8])).toBe(3);
    expect(maxBlocks([1, 28, 28])).toBe(4);
    expect(() => checkBlocks([1, 8, 8], 4, '--blocks 4')).toThrow('--blocks 4: 4 conv blocks halve a 8×8 image 4 times; at most 3 fit');
  });
});

describe('image data for the CNN', () => {
  it('the digits are 1×8×8 images with every pixel, flat rows without', async () => {
    expect((await loadData('digits')).image).toEqual([1, 8, 8]);
    expect((await loadData('digits', { drop: ['pixel_0_0'] })).image).toBeUndefined();
    expect((await loadData('iris')).image).toBeUndefined();
  });

  it('reads a directory of IDX files (gzipped or not) and names what is wrong with one', async () => {
    const d = await loadData(join(dir, 'bars'));
    expect(d.shape).toEqual([240, 144]);
    expect(d.image).toEqual([1, 12, 12]);
    expect(d.classes).toBe(2);
    const { images, labels } = bars(240);
    expect(d.x[5]).toBeCloseTo(images[5]! / 255, 6);
    expect([...d.y.slice(0, 4)]).toEqual([...labels.slice(0, 4)]);
    await expect(loadData(join(dir, 'short'))).rejects.toThrow(/train-labels-idx1-ubyte: expected 240 labels \(one per image of .*\), got shape \[200\]/);
    await expect(loadData(join(dir, 'nolabels'))).rejects.toThrow(/needs train-labels-idx1-ubyte \(or train-labels-idx1-ubyte.gz\); it is not there/);
    await expect(loadData(join(dir, 'bars'), { target: 'y' })).rejects.toThrow(/--target: .* is a directory of IDX images/);
  });

  it('fits the CNN on the digits (a fold\'s unit), far above chance', async () => {
    const d = await loadData('digits'), split = sg.data.trainTestSplit(d.y, { testSize: 0.25, stratify: true, seed: 0 });
    const before = sg.memory().tensors;
    const run = fitMlp(d, mlpConfig({ blocks: 2, channels: 8, lr: 3e-3 }, 'test', 'cnn'), split.train, split.test, { seed: 0, epochs: 3 });
    expect(run.score).toBeGreaterThan(0.9);
    expect(sg.memory().tensors).toBe(before);
    expect(() => fitMlp({ ...d, image: undefined }, mlpConfig({}, 'test', 'cnn'), split.train, split.test, { seed: 0, epochs: 1 }))
      .toThrow('--model cnn: digits is not image data');
  });
});

describe('simdgrad tune/train --model cnn', () => {
  it('tunes and trains the CNN, and gives one-line errors for what cannot be', async () => {
    writeFileSync(join(dir, 'mlp-space.json'), '{"layers": 2}');
    const [tune, train, iris, space, blocks, save] = await Promise.all([
      cli('tune', '--model', 'cnn', '--data', 'digits', '--trials', '2', '--folds', '2', '--epochs', '1', '--json'),
      cli('train', '--model', 'cnn', '--data', join(dir, 'bars'), '--epochs', '6', '--channels', '4', '--lr', '0.01', '--json'),
      cli('train', '--model', 'cnn', '--data', 'iris'),
      cli('tune', '--model', 'cnn', '--space', join(dir, 'mlp-space.json')),
      cli('train', '--model', 'cnn', '--blocks', '4'),
      cli('train', '--model', 'cnn', '--save', join(dir, 'cnn.safetensors')),
    ]);
    expect(tune.code, tune.stderr).toBe(0);
    const t = JSON.parse(tune.stdout);
    expect(t.trials).toBe(2);
    expect(t.bestConfig).toMatchObject({ model: 'cnn' });
    expect(Object.keys(t.bestParams)).toEqual(expect.arrayContaining(['blocks', 'channels', 'kernelSize', 'pooling', 'lr']));
    const { epochs, ...best } = t.bestConfig;
    expect(epochs).toBe(1);
    expect(t.leaderboard[0].paramCount).toBe(cnnParamCount([1, 8, 8], 10, mlpConfig(best)));
    expect(train.code, train.stderr).toBe(0);
    const r = JSON.parse(train.stdout);
    expect(r.config).toMatchObject({ model: 'cnn', channels: 4, blocks: 2 });
    expect(r.parameters).toBe(cnnParamCount([1, 12, 12], 2, mlpConfig(r.config)));
    expect(r.test.accuracy).toBeGreaterThan(0.9); // chance is 0.5
    for (const [res, pattern] of [
      [iris, /--model cnn: iris is not image data/],
      [space, /mlp-space.json: search space: parameter 'layers' is not a hyperparameter of the CNN/],
      [blocks, /--blocks 4: 4 conv blocks halve a 8×8 image 4 times; at most 3 fit/],
      [save, /--save: a CNN cannot be saved yet/],
    ] as const) {
      expect(res.code, res.stderr).toBe(2);
      expect(res.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(res.stderr).toMatch(pattern);
    }
  });
});
