// The hyperparameters of the CLI's models and their search space (`simdgrad tune --space FILE`):
// for the MLP (--model mlp) layers and a width per layer; for the CNN (--model cnn, image data)
// conv blocks, channels, kernel size and pooling (cnn-model.ts); for both activation, dropout,
// optimizer with its options, learning rate, weight decay, batch size, learning-rate schedule
// with its options. Contract: parseMlpSpace refuses (SearchSpaceError naming the key) an unknown
// parameter, one of the other model, a value the model cannot take, and an option no allowed
// choice ever uses; suggestMlp draws a configuration from a trial with the conditions (width_i
// exists only when layers > i; each optimizer or schedule option only for the optimizers or
// schedules that take it); mlpConfig checks a flat parameter record (a trial's params, a --params
// file; "model" names the model) the same way and fills in the defaults.
import type { tune } from '../index.js';
import { CliError } from './cli-error.js';
import { parseParam, suggestParam, valuesToCheck, SearchSpaceError, type ParamSpec, type SearchSpace, type SuggestingTrial } from './search-space.js';

export const ACTIVATIONS = ['relu', 'gelu', 'tanh', 'silu', 'leakyRelu'] as const;
export const OPTIMIZERS = ['sgd', 'sgd+momentum', 'adam', 'adamw', 'rmsprop'] as const;
export const SCHEDULES = ['constant', 'cosine', 'step', 'exponential'] as const;
export const MODELS = ['mlp', 'cnn'] as const;
export type ModelName = typeof MODELS[number];
export const POOLINGS = ['max', 'avg'] as const;
/** The most layers a space may ask for (width_0 … width_7). */
export const MAX_LAYERS = 8;

/** One trained configuration: every value the model and its training loop need. */
export interface MlpConfig {
  model: ModelName;
  /** The MLP's hidden layers and their widths (0 and [] for the CNN). */
  layers: number; widths: number[]; activation: string; dropout: number;
  /** The CNN's conv blocks, first block's channels (doubled per block), kernel size and pooling. */
  blocks?: number; channels?: number; kernelSize?: number; pooling?: string;
  optimizer: string; lr: number; weightDecay: number; batchSize: number;
  momentum?: number; nesterov?: boolean; beta1?: number; beta2?: number; eps?: number; alpha?: number; centered?: boolean;
  schedule: string; gamma?: number; stepSize?: number;
}

type Value = tune.ParamValue;
type Check = (v: Value) => string | null;
const num = (test: (n: number) => boolean, what: string): Check => (v) => (typeof v === 'number' && Number.isFinite(v) && test(v) ? null : `must be ${what}`);
const int = (min: number, max: number): Check => num((n) => Number.isInteger(n) && n >= min && n <= max, `an integer in [${min}, ${max}]`);
const oneOf = (list: readonly string[]): Check => (v) => (list.includes(v as string) ? null : `must be one of ${list.join(', ')}`);
const bool: Check = (v) => (typeof v === 'boolean' ? null : 'must be true or false');
const unit = num((n) => n >= 0 && n < 1, 'a number in [0, 1)');

interface Param {
  check: Check; default?: Value | ((c: Partial<MlpConfig>) => Value | undefined);
  optimizers?: readonly string[]; schedules?: readonly string[]; models?: readonly ModelName[];
}
const odd: Check = (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 9 && v % 2 === 1 ? null : 'must be an odd integer in [1, 9]');

/** Every parameter but the widths, in drawing order; options name the optimizers or schedules that take them. */
const PARAMS: Record<string, Param> = {
  layers: { check: int(1, MAX_LAYERS), default: 1, models: ['mlp'] },
  blocks: { check: int(1, 6), default: 2, models: ['cnn'] },
  channels: { check: int(1, 1024), default: 16, models: ['cnn'] },
  kernelSize: { check: odd, default: 3, models: ['cnn'] },
  pooling: { check: oneOf(POOLINGS), default: 'max', models: ['cnn'] },
  activation: { check: oneOf(ACTIVATIONS), default: 'relu' },
  dropout: { check: unit, default: 0 },
  optimizer: { check: oneOf(OPTIMIZERS), default: 'adam' },
  lr: { check: num((n) => n > 0, 'a number > 0'), default: 1e-3 },
  weightDecay: { check: num((n) => n >= 0, 'a number ≥ 0'), default: 0 },
  batchSize: { check: int(1, 1 << 20), default: 32 },
  momentum: { check: unit, optimizers: ['sgd+momentum', 'rmsprop'], default: (c) => (c.optimizer === 'rmsprop' ? 0 : 0.9) },
  nesterov: { check: bool, optimizers: ['sgd+momentum'], default: false },
  beta1: { check: unit, optimizers: ['adam', 'adamw'], default: 0.9 },
  beta2: { check: unit, optimizers: ['adam', 'adamw'], default: 0.999 },
  eps: { check: num((n) => n > 0, 'a number > 0'), optimizers: ['adam', 'adamw', 'rmsprop'], default: 1e-8 },
  alpha: { check: unit, optimizers: ['rmsprop'], default: 0.99 },
  centered: { check: bool, optimizers: ['rmsprop'], default: false },
  schedule: { check: oneOf(SCHEDULES), default: 'constant' },
  gamma: { check: num((n) => n > 0 && n <= 1, 'a number in (0, 1]'), schedules: ['step', 'exponential'], default: (c) => (c.schedule === 'step' ? 0.1 : 0.9) },
  stepSize: { check: int(1, 1 << 20), schedules: ['step'] },
};
const WIDTH: Check = int(1, 1 << 16);
/** Parameters that count something (besides the widths): a float range cannot draw them. */
const INTS = ['layers', 'batchSize', 'stepSize', 'blocks', 'channels', 'kernelSize'];
const widthName = (i: number) => `width_${i}`;
const WIDTH_NAMES = Array.from({ length: MAX_LAYERS }, (_, i) => widthName(i));
/** Every parameter name of either model. */
export const MLP_PARAMS = ['layers', 'width', ...WIDTH_NAMES, ...Object.keys(PARAMS).filter((k) => k !== 'layers')];

/** A parsed --space: the model, the distributions, and whether "width" is one width per layer (width_i) or one for all. */
export interface MlpSpace { model?: ModelName; params: SearchSpace; widthPerLayer: boolean }
/** Parameters of the MLP (widths included) or of the CNN. */
const ownParams = (m: ModelName) => MLP_PARAMS.filter((k) => (k.startsWith('width') ? m === 'mlp' : !PARAMS[k]!.models || PARAMS[k]!.models!.includes(m)));

/** The default space: the hyperparameters this field tunes first. */
export const DEFAULT_SPACE: MlpSpace = {
  widthPerLayer: true,
  params: {
    layers: { type: 'int', low: 1, high: 3 },
    width: { type: 'int', low: 16, high: 512, log: true },
    activation: { type: 'categorical', choices: [...ACTIVATIONS] },
    dropout: { type: 'float', low: 0, high: 0.5 },
    optimizer: { type: 'categorical', choices: [...OPTIMIZERS] },
    lr: { type: 'float', low: 1e-4, high: 3e-1, log: true },
    weightDecay: { type: 'float', low: 1e-6, high: 1e-2, log: true },
    batchSize: { type: 'categorical', choices: [16, 32, 64, 128] },
  },
};

/** The default CNN space (--model cnn): the conv blocks' shape and the optimizer's settings. */
export const DEFAULT_CNN_SPACE: MlpSpace = {
  model: 'cnn',
  widthPerLayer: false,
  params: {
    blocks: { type: 'int', low: 1, high: 3 },
    channels: { type: 'int', low: 4, high: 64, log: true },
    kernelSize: { type: 'categorical', choices: [3, 5] },
    pooling: { type: 'categorical', choices: [...POOLINGS] },
    dropout: { type: 'float', low: 0, high: 0.5 },
    optimizer: { type: 'categorical', choices: ['adam', 'adamw', 'sgd+momentum'] },
    lr: { type: 'float', low: 1e-4, high: 3e-2, log: true },
    weightDecay: { type: 'float', low: 1e-6, high: 1e-2, log: true },
    batchSize: { type: 'categorical', choices: [32, 64, 128] },
  },
};

/** The CNN's grid without --space: 32 points. */
export const DEFAULT_CNN_GRID: MlpSpace = {
  model: 'cnn',
  widthPerLayer: false,
  params: {
    blocks: { type: 'categorical', choices: [1, 2] },
    channels: { type: 'categorical', choices: [8, 32] },
    kernelSize: { type: 'categorical', choices: [3, 5] },
    pooling: { type: 'categorical', choices: ['max', 'avg'] },
    lr: { type: 'categorical', choices: [1e-3, 3e-3] },
  },
};

/** The grid `--sampler grid` searches when no --space is given: 384 points of the default space. */
export const DEFAULT_GRID: MlpSpace = {
  widthPerLayer: false,
  params: {
    layers: { type: 'categorical', choices: [1, 2] },
    width: { type: 'categorical', choices: [64, 256] },
    activation: { type: 'categorical', choices: ['relu', 'gelu', 'tanh'] },
    dropout: { type: 'categorical', choices: [0, 0.2] },
    optimizer: { type: 'categorical', choices: ['adam', 'sgd+momentum'] },
    lr: { type: 'categorical', choices: [1e-3, 1e-2] },
    weightDecay: { type: 'categorical', choices: [0, 1e-4] },
    batchSize: { type: 'categorical', choices: [32, 128] },
  },
};

const allowed = (s: ParamSpec | undefined, fallback: Value): Value[] => (s ? valuesToCheck(s) : [fallback]);

/**
 * Validates a parsed --space file against the parameters of the model (the MLP by default).
 * @example parseMlpSpace({ layers: { type: 'int', low: 1, high: 3 }, width: { type: 'int', low: 16, high: 256, log: true } })
 */
export function parseMlpSpace(raw: unknown, model: ModelName = 'mlp'): MlpSpace {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new CliError('search space: expected a JSON object mapping parameter names to distributions');
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length === 0) throw new CliError('search space: no parameters');
  const params: SearchSpace = {};
  let widthPerLayer = true;
  for (const [name, spec] of entries) {
    const own = ownParams(model);
    if (!own.includes(name)) {
      const other = MLP_PARAMS.includes(name) ? `; it is the ${model === 'mlp' ? 'CNN' : 'MLP'}'s (--model ${model === 'mlp' ? 'cnn' : 'mlp'})` : '';
      throw new SearchSpaceError(name, `is not a hyperparameter of the ${model.toUpperCase()}${other} (known: ${own.filter((k) => !/_[1-9]/.test(k)).join(', ').replace('width_0', 'width_0 … width_7')})`);
    }
    const s = parseParam(name, spec, name === 'width' ? ['perLayer'] : []);
    if (name === 'width' && typeof spec === 'object' && spec !== null && 'perLayer' in spec) {
      const p = (spec as { perLayer: unknown }).perLayer;
      if (typeof p !== 'boolean') throw new SearchSpaceError(name, "has 'perLayer' that is not true or false");
      widthPerLayer = p;
    }
    const isWidth = name === 'width' || WIDTH_NAMES.includes(name), check = isWidth ? WIDTH : PARAMS[name]!.check;
    if (s.type === 'float' && (isWidth || INTS.includes(name))) throw new SearchSpaceError(name, "counts something: give an int range (type 'int') or choices");
    for (const v of valuesToCheck(s)) {
      const bad = check(v);
      if (bad) throw new SearchSpaceError(name, `${bad}, got ${JSON.stringify(v)}`);
    }
    params[name] = s;
  }
  const layers = allowed(params.layers, 1) as number[], maxLayers = Math.max(...layers);
  for (const w of WIDTH_NAMES) {
    const i = Number(w.slice(6));
    if (params[w] && i >= maxLayers) throw new SearchSpaceError(w, `never exists: 'layers' is at most ${maxLayers}`);
    if (params[w] && !widthPerLayer) throw new SearchSpaceError(w, "is given, but 'width' has perLayer: false (one width for every layer)");
  }
  const optimizers = allowed(params.optimizer, 'adam'), schedules = allowed(params.schedule, 'constant');
  for (const [name, p] of Object.entries(PARAMS)) {
    if (!params[name]) continue;
    if (p.optimizers && !optimizers.some((o) => p.optimizers!.includes(o as string))) {
      throw new SearchSpaceError(name, `applies only to the optimizers ${p.optimizers.join(', ')}, and 'optimizer' allows ${optimizers.join(', ')}`);
    }
    if (p.schedules && !schedules.some((o) => p.schedules!.includes(o as string))) {
      throw new SearchSpaceError(name, `applies only to the schedules ${p.schedules.join(', ')}, and 'schedule' allows ${schedules.join(', ')}`);
    }
  }
  return { ...(model === 'mlp' ? {} : { model }), params, widthPerLayer };
}

const applies = (p: Param, c: Partial<MlpConfig>) => (!p.models || p.models.includes(c.model!)) &&
  (!p.optimizers || p.optimizers.includes(c.optimizer!)) && (!p.schedules || p.schedules.includes(c.schedule!));

/** Fills a configuration of the model from `get` (a value, or undefined for the default), parameter by parameter in drawing order. */
function build(model: ModelName, get: (name: string, c: Partial<MlpConfig>) => Value | undefined): MlpConfig {
  const c: Partial<MlpConfig> & Record<string, unknown> = { model, layers: 0, widths: [] };
  for (const [name, p] of Object.entries(PARAMS)) {
    if (!applies(p, c)) continue;
    const v = get(name, c) ?? (typeof p.default === 'function' ? p.default(c) : p.default);
    if (v !== undefined) c[name] = v;
    if (name === 'layers') {
      c.widths = Array.from({ length: c.layers! }, (_, i) => get(widthName(i), c) ?? get('width', c) ?? 128) as number[];
    }
  }
  return c as MlpConfig;
}

/** Draws a configuration from the trial: the space's parameters, defaults for the rest. */
export function suggestMlp(trial: SuggestingTrial, space: MlpSpace): MlpConfig {
  const { params, widthPerLayer } = space;
  let shared: Value | undefined;
  return build(space.model ?? 'mlp', (name) => {
    const i = WIDTH_NAMES.indexOf(name);
    if (i >= 0) {
      const s = params[name] ?? (widthPerLayer ? params.width : undefined);
      return s ? suggestParam(trial, name, s) : undefined;
    }
    if (name === 'width') return params.width ? (shared ??= suggestParam(trial, 'width', params.width)) : undefined;
    return params[name] ? suggestParam(trial, name, params[name]) : undefined;
  });
}

/**
 * A configuration from flat parameters (a trial's params, a --params file): each checked, the
 * conditions enforced (an option of another optimizer, a width_i beyond layers, a parameter of
 * the other model are errors). The model is p.model, else `model`; the two must agree.
 * @example mlpConfig({ layers: 2, width_0: 128, width_1: 64, optimizer: 'sgd+momentum', momentum: 0.8 })
 */
export function mlpConfig(raw: Record<string, unknown>, where = 'parameters', model?: ModelName): MlpConfig {
  const { model: named, ...p } = raw;
  if (named !== undefined && !MODELS.includes(named as ModelName)) throw new CliError(`${where}: 'model' must be one of ${MODELS.join(', ')}, got ${JSON.stringify(named)}`);
  if (named !== undefined && model !== undefined && named !== model) throw new CliError(`${where}: the parameters are a ${String(named).toUpperCase()}'s, not the ${model.toUpperCase()} --model ${model} asks for`);
  const m = (named as ModelName | undefined) ?? model ?? 'mlp', own = ownParams(m);
  for (const [k, v] of Object.entries(p)) {
    if (!own.includes(k)) throw new CliError(`${where}: '${k}' is not a hyperparameter of the ${m.toUpperCase()} (known: ${own.join(', ')})`);
    const bad = (k === 'width' || WIDTH_NAMES.includes(k) ? WIDTH : PARAMS[k]!.check)(v as Value);
    if (bad) throw new CliError(`${where}: '${k}' ${bad}, got ${JSON.stringify(v)}`);
  }
  const c = build(m, (name) => p[name] as Value | undefined);
  for (const k of Object.keys(p)) {
    const i = WIDTH_NAMES.indexOf(k);
    if (i >= c.layers) throw new CliError(`${where}: '${k}' is given but layers is ${c.layers}`);
    const q = PARAMS[k];
    if (q && !applies(q, c)) {
      throw new CliError(`${where}: '${k}' does not apply to ${q.optimizers ? `optimizer '${c.optimizer}' (it applies to ${q.optimizers.join(', ')})` : `schedule '${c.schedule}' (it applies to ${q.schedules!.join(', ')})`}`);
    }
  }
  return c;
}

/** A parsed space in the --space file's format (what a report shows as the space given). */
export function spaceJson(space: MlpSpace): Record<string, unknown> {
  return Object.fromEntries(Object.entries(space.params).map(([k, s]) => [k,
    s.type === 'fixed' ? s.value : k === 'width' && !space.widthPerLayer ? { ...s, perLayer: false } : s]));
}

/** A configuration as flat parameters (width_i per layer; "model" only for the CNN): what mlpConfig reads back. */
export function flatParams(c: MlpConfig): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const [k, v] of Object.entries(c)) {
    if ((k === 'model' && v === 'mlp') || (c.model === 'cnn' && (k === 'layers' || k === 'widths'))) continue;
    if (k === 'widths') (v as number[]).forEach((w, i) => { out[widthName(i)] = w; });
    else if (v !== undefined) out[k] = v as Value;
  }
  return out;
}
