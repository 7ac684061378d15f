// Layer specs: a module tree of built-in layers as JSON ({ type, args, options }, children as
// nested specs) and back. Each layer's config() is the source (its constructor arguments as data);
// the registry maps names to the built-in constructors, found by identity, so the names survive
// minifiers. Contract: toSpec refuses (ModelFileError naming the layer's path) a module that is
// not a built-in layer or cannot describe itself; fromSpec refuses an unknown type or malformed
// spec, and builds without touching the global random stream (the saved weights replace the
// initial ones). Seeds are not part of a spec.
import type { Module } from '../nn/module.js';
import type { ConfigValue } from '../nn/module-repr.js';
import { Sequential } from '../nn/sequential.js';
import { Linear } from '../nn/linear.js';
import { ReLU, LeakyReLU, GELU, SiLU, Tanh, Sigmoid, Softmax } from '../nn/activations.js';
import { Dropout, Dropout2d } from '../nn/dropout.js';
import { Flatten } from '../nn/flatten.js';
import { LayerNorm } from '../nn/layer-norm.js';
import { BatchNorm1d, BatchNorm2d } from '../nn/batch-norm.js';
import { Conv1d, Conv2d } from '../nn/conv.js';
import { MaxPool1d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d } from '../nn/pooling.js';
import { Embedding } from '../nn/embedding.js';
import { RNN, LSTM, GRU } from '../nn/rnn.js';
import { MultiheadAttention } from '../nn/multihead-attention.js';
import { TransformerEncoderLayer } from '../nn/transformer-encoder-layer.js';
import { TransformerEncoder } from '../nn/transformer-encoder.js';
import { PositionalEncoding } from '../nn/positional-encoding.js';
import { LearnedPositionalEmbedding } from '../nn/learned-positional-embedding.js';
import { keepingStream } from '../random.js';
import { ModelFileError } from './model-file-error.js';

type Ctor = new (...args: never[]) => Module;

/** The built-in layers a saved model may contain, by name. */
export const LAYERS: Readonly<Record<string, Ctor>> = Object.freeze({
  Sequential, Linear, ReLU, LeakyReLU, GELU, SiLU, Tanh, Sigmoid, Softmax, Dropout, Dropout2d, Flatten, LayerNorm, BatchNorm1d,
  BatchNorm2d, Conv1d, Conv2d, MaxPool1d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, Embedding, RNN, LSTM, GRU, MultiheadAttention, TransformerEncoderLayer, TransformerEncoder, PositionalEncoding,
  LearnedPositionalEmbedding,
} as Record<string, Ctor>);

/** A JSON value of a spec: plain data or a nested layer. */
export type SpecValue = number | string | boolean | null | SpecValue[] | LayerSpec;
export interface LayerSpec { type: string; args?: Record<string, SpecValue>; options?: Record<string, SpecValue> }

const isModule = (v: unknown): v is Module => typeof (v as Module | null)?.namedChildren === 'function';

/** The spec of a module tree. @example toSpec(new sg.nn.Linear(2, 3)) // { type: 'Linear', args: {…}, options: { bias: true } } */
export function toSpec(m: Module, path = ''): LayerSpec {
  const where = path ? `layer ${path}` : 'the model';
  const type = Object.keys(LAYERS).find((k) => LAYERS[k] === m.constructor);
  if (!type) {
    throw new ModelFileError(`saveModel: ${where} is a ${m.constructor.name}, not a built-in layer (${Object.keys(LAYERS).join(', ')}); ` +
      'save its weights with sg.io.save and rebuild it in code');
  }
  const config = m.config();
  if (!config) throw new ModelFileError(`saveModel: ${where} (${type}) cannot describe its configuration (layers built differently)`);
  const value = (v: ConfigValue, key: string): SpecValue => {
    if (isModule(v)) return toSpec(v, path ? `${path}.${key}` : key);
    return Array.isArray(v) ? v.map((x, i) => value(x, `${key}.${i}`)) : v as SpecValue;
  };
  const record = (r: Record<string, ConfigValue> | undefined) => r && Object.fromEntries(Object.entries(r).map(([k, v]) => [k, value(v, k)]));
  const spec: LayerSpec = { type };
  if (config.args && Object.keys(config.args).length) spec.args = record(config.args)!;
  if (config.options && Object.keys(config.options).length) spec.options = record(config.options)!;
  return spec;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Builds the module tree of a spec (fresh weights, to be replaced by the saved ones). */
export function fromSpec(spec: unknown, path = ''): Module {
  return keepingStream(() => build(spec, path));
}

function build(spec: unknown, path: string): Module {
  const where = path ? `layer ${path}` : 'the model';
  if (!isRecord(spec) || typeof spec.type !== 'string') throw new ModelFileError(`loadModel: ${where} is not a layer spec: ${JSON.stringify(spec)}`);
  const C = Object.prototype.hasOwnProperty.call(LAYERS, spec.type) ? LAYERS[spec.type] : undefined;
  if (!C) throw new ModelFileError(`loadModel: ${where} has the unknown layer type ${JSON.stringify(spec.type)}`);
  for (const k of ['args', 'options'] as const) {
    if (spec[k] !== undefined && !isRecord(spec[k])) throw new ModelFileError(`loadModel: ${where} (${spec.type}) has ${k} that are not an object`);
  }
  const made: Module[] = [];
  const value = (v: unknown, key: string): unknown => {
    if (isRecord(v)) { const m = build(v, path ? `${path}.${key}` : key); made.push(m); return m; }
    return Array.isArray(v) ? v.map((x, i) => value(x, `${key}.${i}`)) : v;
  };
  try {
    const args = Object.entries((spec.args ?? {}) as Record<string, unknown>).map(([k, v]) => value(v, k));
    const options = Object.fromEntries(Object.entries((spec.options ?? {}) as Record<string, unknown>).map(([k, v]) => [k, value(v, k)]));
    try {
      return new (C as unknown as new (...a: unknown[]) => Module)(...args, ...(spec.options ? [options] : []));
    } catch (e) {
      throw new ModelFileError(`loadModel: ${where} (${spec.type}) cannot be built from ${JSON.stringify(spec)}: ${(e as Error).message}`);
    }
  } catch (e) {
    for (const m of made) m.dispose(); // the children built before the failure
    throw e;
  }
}
