// sg.io.saveModel / loadModel: every built-in layer that can sit in a Sequential (and the recurrent
// and attention layers as whole models) round-trips through one safetensors file with predictions
// bit-identical after reload; preprocessing (scalers, encoders, names) and meta come back; paths,
// URLs and bytes; and every way a model or a file can be unfit is a typed error that leaks nothing.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { tensorCount } from '../../src/tensor.js';
import { BACKENDS } from '../helpers/backends.js';

const { nn } = sg;
const dir = mkdtempSync(join(tmpdir(), 'simdgrad-model-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Non-trivial weights (biases and norms too), seeded. */
function randomize(m: sg.nn.Module): void {
  sg.noGrad(() => m.parameters().forEach((p, i) => sg.nn.init.normal(p, 0, 0.5, { seed: 100 + i })));
}

type Case = [string, () => sg.nn.Module, () => sg.Tensor];
const x2 = (f: number) => () => sg.randn([5, f], { seed: 1 });
const seq = (...m: Array<() => sg.nn.Module>) => () => new nn.Sequential(...m.map((f) => f()) as sg.nn.TensorModule[]);
const CASES: Case[] = [
  ['Linear', seq(() => new nn.Linear(6, 4)), x2(6)],
  ['Linear without bias, nested Sequential', () => new nn.Sequential(new nn.Sequential(new nn.Linear(6, 4, { bias: false }), new nn.ReLU()), new nn.Linear(4, 2)), x2(6)],
  ['activations', seq(() => new nn.Linear(6, 6), () => new nn.LeakyReLU(0.2), () => new nn.GELU(), () => new nn.SiLU(), () => new nn.Tanh(), () => new nn.Sigmoid(), () => new nn.ReLU(), () => new nn.Softmax(1)), x2(6)],
  ['Dropout (identity in eval)', seq(() => new nn.Linear(6, 6), () => new nn.Dropout(0.3)), x2(6)],
  ['Flatten', seq(() => new nn.Flatten(), () => new nn.Linear(12, 3)), () => sg.randn([5, 3, 4], { seed: 2 })],
  ['LayerNorm 2-D and without affine', seq(() => new nn.LayerNorm([3, 4], { eps: 1e-3 }), () => new nn.LayerNorm(4, { elementwiseAffine: false }), () => new nn.Flatten(), () => new nn.Linear(12, 2)), () => sg.randn([5, 3, 4], { seed: 2 })],
  ['BatchNorm1d with running statistics', seq(() => new nn.Linear(6, 8), () => new nn.BatchNorm1d(8, { momentum: null }), () => new nn.BatchNorm1d(8, { affine: false, eps: 1e-3 })), x2(6)],
  ['a CNN (Conv2d, BatchNorm2d, pooling, Dropout2d, Conv1d)', seq(() => new nn.Conv2d(1, 4, 3, { padding: 1 }), () => new nn.BatchNorm2d(4), () => new nn.ReLU(), () => new nn.MaxPool2d(2, { stride: 2 }),
    () => new nn.Dropout2d(0.2), () => new nn.Conv2d(4, 6, [3, 1], { stride: 1, padding: 'same', groups: 2, bias: false }), () => new nn.AvgPool2d(2),
    () => new nn.AdaptiveAvgPool2d(1), () => new nn.Flatten(), () => new nn.Linear(6, 3)), () => sg.randn([3, 1, 8, 8], { seed: 6 })],
  ['Conv1d and MaxPool1d', seq(() => new nn.Conv1d(3, 4, 3, { dilation: 2 }), () => new nn.MaxPool1d(2), () => new nn.Flatten(), () => new nn.Linear(8, 2)), () => sg.randn([2, 3, 8], { seed: 7 })],
  ['Embedding with padding', seq(() => new nn.Embedding(20, 4, { paddingIdx: 0 }), () => new nn.Flatten(), () => new nn.Linear(12, 3)), () => sg.tensor([[1, 0, 5], [19, 2, 2]])],
  ['positional encodings', seq(() => new nn.LearnedPositionalEmbedding(6, 8, { batchFirst: true }), () => new nn.PositionalEncoding(8, { batchFirst: true, maxLen: 10, dropout: 0.2 })), () => sg.randn([2, 5, 8], { seed: 3 })],
  ['TransformerEncoderLayer', seq(() => new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true, normFirst: true, activation: 'gelu' })), () => sg.randn([2, 5, 8], { seed: 4 })],
  ['TransformerEncoder with a final norm', seq(() => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true }), 2, { norm: new nn.LayerNorm(8) })), () => sg.randn([2, 5, 8], { seed: 4 })],
];
const WHOLE: Case[] = [
  ['LSTM', () => new nn.LSTM(4, 6, { numLayers: 2, bidirectional: true }), () => sg.randn([5, 2, 4], { seed: 5 })],
  ['GRU', () => new nn.GRU(4, 6, { batchFirst: true }), () => sg.randn([2, 5, 4], { seed: 5 })],
  ['RNN relu', () => new nn.RNN(4, 6, { nonlinearity: 'relu', bias: false }), () => sg.randn([5, 2, 4], { seed: 5 })],
];

const outputs = (m: sg.nn.Module, x: sg.Tensor): Float32Array[] => sg.noGrad(() => sg.scope(() => {
  const out = (m.forward as (t: sg.Tensor) => unknown)(x);
  const all: Float32Array[] = [];
  const walk = (v: unknown): void => { if (v instanceof sg.Tensor) all.push(v.toArray()); else if (Array.isArray(v)) v.forEach(walk); };
  walk(out);
  return all;
}));

describe.each(BACKENDS.filter((b) => b === 'js' || b === 'simd'))('saveModel / loadModel on %s', (backend) => {
  beforeAll(async () => { await sg.init({ backend }); });

  it.each([...CASES, ...WHOLE])('%s: same architecture, weights and bit-identical outputs after reload', async (_, make, input) => {
    const before = tensorCount();
    const m = make(), x = input();
    randomize(m);
    sg.noGrad(() => sg.scope(() => { (m.forward as (t: sg.Tensor) => unknown)(x); })); // training pass: running statistics move
    m.eval();
    const expected = outputs(m, x);
    const bytes = await sg.io.saveModel({ model: m });
    const loaded = await sg.io.loadModel(bytes);
    expect(String(loaded.model)).toBe(String(m));
    expect(loaded.model.namedModules().every(([, c]) => !c.training)).toBe(true);
    const a = m.stateDict(), b = loaded.model.stateDict();
    expect(Object.keys(b)).toEqual(Object.keys(a));
    for (const k of Object.keys(a)) expect(b[k]!.toArray(), k).toEqual(a[k]!.toArray());
    expect(outputs(loaded.model, x)).toEqual(expected);
    loaded.dispose(); m.dispose(); x.dispose();
    expect(tensorCount()).toBe(before);
  });

  it('keeps the preprocessing and meta, and predicts from raw rows as the pipeline it was trained in', async () => {
    const raw = sg.tensor([[5.1, 3.5, 1.4], [6.2, 2.9, 4.3], [7.7, 3.0, 6.1], [5.0, 3.4, 1.5], [6.0, 2.2, 5.0], [6.9, 3.1, 4.9]]);
    const scaler = new sg.data.StandardScaler().fit(raw);
    const labels = new sg.data.LabelEncoder<string>().fit(['setosa', 'versicolor', 'virginica']);
    const vocab = sg.data.CharVocab.fit(['abc']);
    const model = new nn.Sequential(new nn.Linear(3, 8, { seed: 1 }), new nn.ReLU(), new nn.Linear(8, 3, { seed: 2 }));
    const meta = { hyperparameters: { lr: 1e-3, hidden: 8, optimizer: 'adam' }, note: null, tags: ['a', 1, true] };
    const file = join(dir, 'iris.safetensors');
    const bytes = await sg.io.saveModel(file, {
      model, meta,
      preprocessing: { scaler, labelEncoder: labels, features: ['sepal_length', 'sepal_width', 'petal_length'], target: 'species', vocab },
    });
    expect(new Uint8Array(readFileSync(file))).toEqual(bytes);
    expect(sg.io.metadata(bytes).format).toBe('pt');
    const plain = sg.io.load(bytes); // an ordinary safetensors file: PyTorch reads the weights
    expect(Object.keys(plain).sort()).toEqual(['0.bias', '0.weight', '2.bias', '2.weight']);
    Object.values(plain).forEach((t) => t.dispose());
    for (const source of [file, pathToFileURL(file), bytes.slice().buffer]) {
      const m = await sg.io.loadModel(source);
      expect(m.meta).toEqual(meta);
      expect(m.classes).toEqual(['setosa', 'versicolor', 'virginica']);
      expect(m.preprocessing.features).toEqual(['sepal_length', 'sepal_width', 'petal_length']);
      expect(m.preprocessing.target).toBe('species');
      expect(m.preprocessing.scaler!.toJSON()).toEqual(scaler.toJSON());
      expect(m.preprocessing.vocab!.encode('cab')).toEqual(vocab.encode('cab'));
      const rows = [[5.1, 3.5, 1.4], [6.9, 3.1, 4.9]];
      const p = m.predict(rows);
      // The pipeline by hand: scale, forward, argmax, name.
      const want = sg.noGrad(() => sg.scope(() => model.forward(scaler.transform(sg.tensor(rows))).toArray()));
      expect(p.outputs.flat()).toEqual(Array.from(want));
      const argmax = [0, 1].map((i) => { const r = Array.from(want.subarray(3 * i, 3 * i + 3)); return r.indexOf(Math.max(...r)); });
      expect(p.labels).toEqual(argmax.map((k) => labels.classes[k]));
      for (const pr of p.probabilities!) expect(pr.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
      expect(() => m.predict([[1, 2]])).toThrow(/expected rows of 3 features \(sepal_length, sepal_width, petal_length\), got shape \[1, 2\]/);
      expect(() => m.predict([[1, 2, 3], [1, 2]])).toThrow(sg.ShapeError);
      expect(() => m.predict([[1, 2, 'x' as unknown as number]])).toThrow(sg.DTypeError);
      m.dispose();
    }
    model.dispose(); raw.dispose();
  });

  it('maps regression outputs back through the target scaler', async () => {
    const y = sg.tensor([[10], [20], [40]]);
    const targetScaler = new sg.data.MinMaxScaler().fit(y);
    const model = new nn.Linear(2, 1, { seed: 3 });
    const m = await sg.io.loadModel(await sg.io.saveModel({ model, preprocessing: { targetScaler } }));
    const p = m.predict([[0.5, -1], [2, 3]]);
    const scaled = sg.noGrad(() => sg.scope(() => model.forward(sg.tensor([[0.5, -1], [2, 3]])).toArray()));
    // MinMaxScaler on [10, 40] maps [0, 1] back to [10, 40]: y = 30·v + 10.
    expect(p.outputs.map(([v]) => v)).toHaveLength(2);
    p.outputs.forEach(([v], i) => expect(v).toBeCloseTo(30 * scaled[i]! + 10, 4));
    expect(p.labels).toBeUndefined();
    m.dispose(); model.dispose(); y.dispose();
  });
});

describe('saveModel / loadModel refuse what they cannot store or read', () => {
  beforeAll(async () => { await sg.init({ backend: BACKENDS[0] }); });

  class Net extends nn.Module {
    fc = new nn.Linear(2, 2);
    override forward(x: sg.Tensor): sg.Tensor { return this.fc.forward(x); }
  }

  it('a custom layer, an unfitted scaler, preprocessing and meta that are not plain data', async () => {
    const custom = new nn.Sequential(new nn.Linear(2, 2), new Net() as sg.nn.TensorModule);
    await expect(sg.io.saveModel({ model: custom })).rejects.toThrow(sg.io.ModelFileError);
    await expect(sg.io.saveModel({ model: custom })).rejects.toThrow(/layer 1 is a Net, not a built-in layer/);
    custom.dispose();
    const model = new nn.Linear(2, 2);
    const bad: Array<[unknown, RegExp]> = [
      [{ preprocessing: { scaler: new sg.data.StandardScaler() } }, /preprocessing\.scaler is not fitted/],
      [{ preprocessing: { labelEncoder: new sg.data.LabelEncoder() } }, /labelEncoder is not fitted/],
      [{ preprocessing: { classes: ['a', {}] } }, /classes must be an array of strings or finite numbers/],
      [{ preprocessing: { features: [1, 2] } }, /features must be an array of strings/],
      [{ preprocessing: { scaling: 1 } }, /preprocessing\.scaling is not one of/],
      [{ preprocessing: { classes: ['a', 'b'], labelEncoder: new sg.data.LabelEncoder().fit(['a', 'c']) } }, /differ from the labelEncoder's/],
      [{ meta: { lr: NaN } }, /meta\.lr is NaN/],
      [{ meta: { a: [1, undefined] } }, /meta\.a\[1\] is undefined/],
      [{ meta: { f: () => 1 } }, /meta\.f is function/],
      [{ meta: { when: new Date(0) } }, /meta\.when is a Date/],
    ];
    for (const [extra, message] of bad) {
      await expect(sg.io.saveModel({ model, ...(extra as object) })).rejects.toThrow(sg.DTypeError);
      await expect(sg.io.saveModel({ model, ...(extra as object) })).rejects.toThrow(message);
    }
    await expect(sg.io.saveModel(join(dir, 'x.safetensors'))).rejects.toThrow(/expected a bundle/);
    model.dispose();
  });

  it('corrupt, weights-only and foreign files, leaking nothing', async () => {
    const before = tensorCount();
    const model = new nn.Sequential(new nn.Linear(4, 3), new nn.ReLU());
    const good = await sg.io.saveModel({ model });
    const describe = (record: unknown) => sg.io.save(model, { metadata: { simdgrad: JSON.stringify(record) } });
    const arch = JSON.parse(sg.io.metadata(good).simdgrad!) as { architecture: unknown };
    const cases: Array<[Uint8Array, new (...a: never[]) => Error, RegExp]> = [
      [good.subarray(0, good.length - 5), sg.io.SafetensorsError, /safetensors/],
      [sg.io.save(model), sg.io.ModelFileError, /holds weights only/],
      [sg.io.save(model, { metadata: { simdgrad: '{not json' } }), sg.io.ModelFileError, /not JSON/],
      [describe({ version: 2 }), sg.io.ModelFileError, /unsupported model file version 2/],
      [describe({ version: 1, architecture: { type: 'Conv9d' } }), sg.io.ModelFileError, /unknown layer type "Conv9d"/],
      [describe({ version: 1, architecture: { type: 'Sequential', args: { 0: { type: 'Linear', args: { a: 4, b: 3 } }, 1: 7 } } }), sg.io.ModelFileError, /Sequential\) cannot be built/],
      [describe({ version: 1, architecture: { type: 'Sequential', args: { 0: { type: 'Linear', args: { a: 4, b: 2 } } } } }), sg.io.ModelFileError, /weights do not fit the architecture/],
      [describe({ version: 1, architecture: { type: 'Linear', args: { a: 4, b: 3 } } }), sg.io.ModelFileError, /weights do not fit/],
      [describe({ ...arch, version: 1, preprocessing: { scaler: { type: 'Nope' } } }), sg.io.ModelFileError, /damaged preprocessing record: unknown scaler "Nope"/],
      [describe({ ...arch, version: 1, meta: [1] }), sg.io.ModelFileError, /meta record is not an object/],
    ];
    for (const [bytes, E, message] of cases) {
      await expect(sg.io.loadModel(bytes)).rejects.toThrow(E);
      await expect(sg.io.loadModel(bytes)).rejects.toThrow(message);
    }
    await expect(sg.io.loadModel(join(dir, 'missing.safetensors'))).rejects.toThrow(sg.IOError);
    await expect(sg.io.loadModel(join(dir, 'missing.safetensors'))).rejects.toThrow(/loadModel: cannot read ".*missing\.safetensors" \(ENOENT/);
    await expect(sg.io.saveModel(join(dir, 'no', 'such', 'dir.safetensors'), { model })).rejects.toThrow(sg.IOError);
    await expect(sg.io.loadModel(42 as unknown as string)).rejects.toThrow(sg.DTypeError);
    model.dispose();
    expect(tensorCount()).toBe(before);
  });

  it('loads from an http URL (fetch)', async () => {
    const { createServer } = await import('node:http');
    const model = new nn.Linear(3, 2, { seed: 1 });
    const bytes = await sg.io.saveModel({ model, meta: { served: true } });
    const server = createServer((req, res) => {
      if (req.url === '/m.safetensors') res.end(Buffer.from(bytes));
      else { res.statusCode = 404; res.end(); }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    try {
      const m = await sg.io.loadModel(new URL(`http://127.0.0.1:${port}/m.safetensors`));
      expect(m.meta).toEqual({ served: true });
      expect(m.model.stateDict().weight!.toArray()).toEqual(model.weight.toArray());
      m.dispose();
      await expect(sg.io.loadModel(new URL(`http://127.0.0.1:${port}/nope`))).rejects.toThrow(sg.IOError);
      await expect(sg.io.loadModel(new URL(`http://127.0.0.1:${port}/nope`))).rejects.toThrow(/HTTP 404/);
    } finally {
      server.close();
      model.dispose();
    }
  });

  it('loading leaves the global random stream where it was', async () => {
    const model = new nn.Sequential(new nn.Linear(8, 8), new nn.Embedding(4, 8));
    const bytes = await sg.io.saveModel({ model });
    model.dispose();
    const draw = () => sg.scope(() => sg.randn([4]).toArray());
    sg.manualSeed(3);
    const plain = draw();
    sg.manualSeed(3);
    const m = await sg.io.loadModel(bytes);
    expect(draw()).toEqual(plain);
    m.dispose();
  });
});
