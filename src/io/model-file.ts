// saveModel / loadModel: a whole model in ONE safetensors file — the weights as tensors (its
// state dict, loadable by PyTorch), and in the metadata (key "simdgrad", JSON): the architecture
// (layer specs, layer-spec.ts), the preprocessing (scalers, encoders, class / feature / target
// names, preprocessing.ts) and free-form meta (hyperparameters, History.settings, …). Loaded on
// first use by model-file-lazy.ts. Contract: bytes in and out in every runtime; paths and file:
// URLs through node:fs where it exists, http(s) URLs through fetch (a path or URL that cannot be
// read or written is an IOError naming it). Saving refuses what it cannot
// store exactly (a custom layer, an unfitted scaler, meta that is not plain JSON: NaN, undefined,
// functions, class instances); loading refuses a corrupt file (SafetensorsError) or a foreign one
// (ModelFileError) and frees whatever it built. The rebuilt model is in eval mode and predicts
// bit-identically to the saved one.
import { Tensor } from '../tensor.js';
import type { Module } from '../nn/module.js';
import { tensor } from '../ops/create.js';
import { softmax } from '../ops/activation.js';
import { noGrad } from '../autograd.js';
import { scope } from '../scope.js';
import { DTypeError, IOError, ShapeError, describeValue, fmtShape } from '../errors.js';
import type { Label } from '../data/label-encoder.js';
import { save, loadInto, metadata } from './safetensors.js';
import { fromSpec, toSpec, type LayerSpec } from './layer-spec.js';
import { preprocessingFromJSON, preprocessingToJSON, type Preprocessing } from './preprocessing.js';
import { ModelFileError } from './model-file-error.js';
import type { HostURL } from '../runtime/host-types.js';

/** What saveModel stores. */
export interface ModelBundle {
  /** Built-in layers: a Sequential of them (nested ones too) or a single layer. */
  model: Module;
  preprocessing?: Preprocessing;
  /** Plain JSON data: hyperparameters, history.settings, a description, … */
  meta?: Record<string, unknown>;
}

/** predict()'s answer for raw input rows. */
export interface Prediction {
  /** The model's output per row (regression targets mapped back through targetScaler). */
  outputs: number[][];
  /** A classifier's predicted class per row (by name; the index when no names were saved). */
  labels?: Label[];
  /** A classifier's softmax probabilities per row. */
  probabilities?: number[][];
}

const KEY = 'simdgrad', VERSION = 1;

/** Checks that meta is plain JSON data, naming the first value that is not. */
function checkJson(v: unknown, path: string): void {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new DTypeError(`saveModel: ${path} is ${v}; meta must be plain JSON (finite numbers)`);
    return;
  }
  if (Array.isArray(v)) { v.forEach((x, i) => checkJson(x, `${path}[${i}]`)); return; }
  if (typeof v === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(v))) {
    for (const [k, x] of Object.entries(v as object)) checkJson(x, `${path}.${k}`);
    return;
  }
  throw new DTypeError(`saveModel: ${path} is ${typeof v === 'object' ? `a ${(v as object).constructor?.name ?? 'object'}` : typeof v}; meta must be plain JSON data`);
}

function encode(bundle: ModelBundle | undefined): Uint8Array {
  if (typeof bundle !== 'object' || bundle === null) throw new DTypeError('saveModel: expected a bundle { model, preprocessing?, meta? }');
  const { model, preprocessing = {}, meta = {} } = bundle;
  if (!model || typeof (model as Module).namedChildren !== 'function') throw new DTypeError('saveModel: bundle.model must be an nn.Module');
  checkJson(meta, 'meta');
  const pre = preprocessingToJSON(preprocessing);
  const { classes, labelEncoder } = preprocessing;
  if (classes && labelEncoder && JSON.stringify(classes) !== JSON.stringify(labelEncoder.classes)) {
    throw new DTypeError(`saveModel: preprocessing.classes ${JSON.stringify(classes)} differ from the labelEncoder's ${JSON.stringify(labelEncoder.classes)}`);
  }
  const record = { version: VERSION, architecture: toSpec(model), preprocessing: pre, meta };
  return save(model, { metadata: { format: 'pt', [KEY]: JSON.stringify(record) } });
}

/** What the runtime said, for an IOError: "ENOENT: no such file or directory", … */
const reason = (e: unknown): string => String((e as { cause?: { message?: unknown } }).cause?.message ?? (e as Error).message ?? e).split(', ')[0]!;

/** Reads a path, a URL or bytes; a source that cannot be read is an IOError naming it. */
async function bytesOf(source: Uint8Array | ArrayBuffer | string | HostURL): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (typeof source !== 'string' && !(source instanceof URL)) {
    throw new DTypeError(`loadModel: expected bytes (Uint8Array, ArrayBuffer), a path or a URL, got ${describeValue(source)}`);
  }
  const shown = typeof source === 'string' ? source : source.href;
  let res: Response | undefined;
  try {
    if (source instanceof URL && source.protocol !== 'file:') {
      res = await fetch(source);
      if (res.ok) return new Uint8Array(await res.arrayBuffer());
    } else {
      return new Uint8Array(await (await import('node:fs/promises')).readFile(source));
    }
  } catch (e) {
    throw new IOError(`loadModel: cannot read ${JSON.stringify(shown)} (${reason(e)})`, shown, { cause: e });
  }
  throw new IOError(`loadModel: fetching ${shown} failed with HTTP ${res.status}`, shown);
}

/** sg.io.saveModel (documented in model-file-lazy.ts): the file's bytes, written to `file` when given. */
export async function saveModel(fileOrBundle: string | HostURL | ModelBundle, bundle?: ModelBundle): Promise<Uint8Array> {
  const toFile = typeof fileOrBundle === 'string' || fileOrBundle instanceof URL;
  const bytes = encode((toFile ? bundle : fileOrBundle) as ModelBundle);
  if (toFile) {
    const shown = typeof fileOrBundle === 'string' ? fileOrBundle : fileOrBundle.href;
    try {
      await (await import('node:fs/promises')).writeFile(fileOrBundle, bytes);
    } catch (e) {
      throw new IOError(`saveModel: cannot write ${JSON.stringify(shown)} (${reason(e)})`, shown, { cause: e });
    }
  }
  return bytes;
}

/** A model rebuilt from a file, ready to predict. */
export class LoadedModel {
  constructor(readonly model: Module, readonly preprocessing: Preprocessing, readonly meta: Record<string, unknown>,
    /** The architecture as stored (layer specs). */
    readonly architecture: LayerSpec) {}

  /** Class names in output order, for a classifier (from classes or the labelEncoder). */
  get classes(): readonly Label[] | undefined { return this.preprocessing.classes ?? this.preprocessing.labelEncoder?.classes; }

  /**
   * Answers for raw input rows (a tensor [n, features] or arrays): scaled as in training, run in
   * eval mode (each layer's mode is put back after) without a graph; nothing stays allocated.
   * @example const { labels, probabilities } = loaded.predict([[5.1, 3.5, 1.4, 0.2]]);
   */
  predict(x: Tensor | ArrayLike<number>[]): Prediction {
    const { scaler, targetScaler, features } = this.preprocessing, classes = this.classes;
    return noGrad(() => scope(() => {
      let input = x instanceof Tensor ? x : rowsTensor(x);
      const width = features?.length ?? (scaler?.fitted ? scaler.nFeatures : undefined);
      if (width !== undefined && (input.rank !== 2 || input.shape[1] !== width)) {
        throw new ShapeError(`predict: expected rows of ${width} features${features ? ` (${features.join(', ')})` : ''}, got shape ${fmtShape(input.shape)}`);
      }
      if (scaler) input = scaler.transform(input);
      const modules = this.model.namedModules().map(([, m]) => m), modes = modules.map((m) => m.training);
      let raw: unknown;
      try {
        this.model.eval();
        raw = (this.model.forward as (t: Tensor) => unknown)(input);
      } finally {
        modules.forEach((m, i) => { m.training = modes[i]!; });
      }
      if (!(raw instanceof Tensor)) throw new ModelFileError('predict: the model returns several tensors; call loaded.model.forward yourself');
      let out = raw;
      if (targetScaler) out = targetScaler.inverseTransform(out);
      const n = out.shape[0] ?? 1, values = out.toArray(), per = n ? values.length / n : 0;
      const rows = (v: Float32Array) => Array.from({ length: n }, (_, i) => Array.from(v.subarray(i * per, (i + 1) * per)));
      const result: Prediction = { outputs: rows(values) };
      if (!classes) return result;
      if (out.rank !== 2 || out.shape[1] !== classes.length) {
        throw new ShapeError(`predict: ${classes.length} classes were saved but the model outputs shape ${fmtShape(out.shape)}`);
      }
      result.probabilities = rows(softmax(out, -1).toArray());
      result.labels = Array.from(out.argmax(-1), (k) => classes[k]!);
      return result;
    }));
  }

  /** Frees the model's tensors. */
  dispose(): void { this.model.dispose(); }
}

function rowsTensor(x: ArrayLike<number>[]): Tensor {
  if (!Array.isArray(x)) throw new DTypeError('predict: x must be a tensor or an array of rows');
  const width = x[0]?.length ?? 0, data = new Float32Array(x.length * width);
  x.forEach((row, i) => {
    if (row?.length !== width) throw new ShapeError(`predict: row ${i} has ${row?.length} values, row 0 has ${width}`);
    for (let j = 0; j < width; j++) {
      const v = row[j];
      if (typeof v !== 'number') throw new DTypeError(`predict: row ${i}, column ${j} is ${JSON.stringify(v)}, not a number`);
      data[i * width + j] = v;
    }
  });
  return tensor(data, [x.length, width]);
}

/** sg.io.loadModel (documented in model-file-lazy.ts): the model of a file's bytes, path or URL. */
export async function loadModel(source: Uint8Array | ArrayBuffer | string | HostURL): Promise<LoadedModel> {
  const bytes = await bytesOf(source);
  const text = metadata(bytes)[KEY];
  if (text === undefined) {
    throw new ModelFileError('loadModel: this safetensors file holds weights only (no model description); load them with sg.io.load or sg.io.loadInto');
  }
  let record: { version?: unknown; architecture?: unknown; preprocessing?: unknown; meta?: unknown };
  try { record = JSON.parse(text) as typeof record; } catch (e) { throw new ModelFileError(`loadModel: the model description is not JSON: ${(e as Error).message}`); }
  if (record?.version !== VERSION) throw new ModelFileError(`loadModel: unsupported model file version ${JSON.stringify(record?.version)} (this library reads ${VERSION})`);
  const meta = record.meta ?? {};
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) throw new ModelFileError('loadModel: the meta record is not an object');
  const preprocessing = preprocessingFromJSON(record.preprocessing ?? {});
  const model = fromSpec(record.architecture);
  try {
    loadInto(model, bytes);
  } catch (e) {
    model.dispose();
    throw new ModelFileError(`loadModel: the weights do not fit the architecture: ${(e as Error).message}`);
  }
  return new LoadedModel(model.eval(), preprocessing, meta as Record<string, unknown>, record.architecture as LayerSpec);
}
