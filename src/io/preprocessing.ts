// Preprocessing of a saved model: the fitted scalers and encoders (their toJSON / fromJSON), the
// class names, the feature and target names — what turns raw rows into model inputs and model
// outputs into answers. Contract: toJSON refuses (DTypeError naming the key) an unknown key, an
// unfitted scaler or encoder, or names that are not strings; fromJSON refuses a damaged record
// with a ModelFileError. Class names come from `classes` or from a fitted LabelEncoder.
import { StandardScaler } from '../data/standard-scaler.js';
import { MinMaxScaler } from '../data/min-max-scaler.js';
import { RobustScaler } from '../data/robust-scaler.js';
import { LabelEncoder, type Label } from '../data/label-encoder.js';
import { CharVocab } from '../data/char-vocab.js';
import { DTypeError } from '../errors.js';
import { ModelFileError } from './model-file-error.js';

export type FittedScaler = StandardScaler | MinMaxScaler | RobustScaler;

/** What a model needs around it: scalers, encoders and names (every key optional). */
export interface Preprocessing {
  /** The fitted feature scaler: predict() transforms raw rows with it. */
  scaler?: FittedScaler;
  /** The fitted scaler of regression targets: predict() maps outputs back through it. */
  targetScaler?: FittedScaler;
  /** Class names in output order (a classifier's); predict() answers with them. */
  classes?: readonly Label[];
  /** A fitted LabelEncoder: its classes are the class names. */
  labelEncoder?: LabelEncoder;
  /** The input columns' names, in order. */
  features?: readonly string[];
  /** The target column's name. */
  target?: string;
  /** A character model's vocabulary. */
  vocab?: CharVocab;
}

const SCALERS = { StandardScaler, MinMaxScaler, RobustScaler } as const;
const KEYS = ['scaler', 'targetScaler', 'classes', 'labelEncoder', 'features', 'target', 'vocab'];

function checkNames(key: string, v: unknown, labels: boolean): void {
  const ok = Array.isArray(v) && v.every((x) => typeof x === 'string' || (labels && typeof x === 'number' && Number.isFinite(x)));
  if (!ok) throw new DTypeError(`saveModel: preprocessing.${key} must be an array of ${labels ? 'strings or finite numbers' : 'strings'}, got ${JSON.stringify(v)}`);
}

/** The preprocessing as JSON-able data. */
export function preprocessingToJSON(p: Preprocessing): Record<string, unknown> {
  if (typeof p !== 'object' || p === null) throw new DTypeError('saveModel: preprocessing must be an object');
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) {
    if (v === undefined) continue;
    if (!KEYS.includes(k)) throw new DTypeError(`saveModel: preprocessing.${k} is not one of ${KEYS.join(', ')}`);
    if (k === 'scaler' || k === 'targetScaler') {
      if (!Object.values(SCALERS).some((S) => v instanceof S)) throw new DTypeError(`saveModel: preprocessing.${k} must be a StandardScaler, MinMaxScaler or RobustScaler`);
      if (!(v as FittedScaler).fitted) throw new DTypeError(`saveModel: preprocessing.${k} is not fitted; call fit() first`);
      out[k] = (v as FittedScaler).toJSON();
    } else if (k === 'labelEncoder' || k === 'vocab') {
      const C = k === 'vocab' ? CharVocab : LabelEncoder;
      if (!(v instanceof C)) throw new DTypeError(`saveModel: preprocessing.${k} must be a ${C.name}`);
      if (k === 'labelEncoder' && (v as LabelEncoder).toJSON().classes === null) throw new DTypeError('saveModel: preprocessing.labelEncoder is not fitted; call fit() first');
      out[k] = (v as LabelEncoder | CharVocab).toJSON();
    } else if (k === 'target') {
      if (typeof v !== 'string') throw new DTypeError(`saveModel: preprocessing.target must be a string, got ${JSON.stringify(v)}`);
      out[k] = v;
    } else {
      checkNames(k, v, k === 'classes');
      out[k] = [...v as Label[]];
    }
  }
  return out;
}

/** The preprocessing back from preprocessingToJSON's output. */
export function preprocessingFromJSON(json: unknown): Preprocessing {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ModelFileError('loadModel: the preprocessing record is not an object');
  const out: Preprocessing = {};
  try {
    for (const [k, v] of Object.entries(json)) {
      if (k === 'scaler' || k === 'targetScaler') {
        const S = SCALERS[(v as { type: keyof typeof SCALERS }).type];
        if (!S) throw new Error(`unknown scaler ${JSON.stringify((v as { type?: unknown }).type)}`);
        out[k] = S.fromJSON(v as never);
      } else if (k === 'labelEncoder') out.labelEncoder = LabelEncoder.fromJSON(v as never);
      else if (k === 'vocab') out.vocab = CharVocab.fromJSON(v as never);
      else if (k === 'target' && typeof v === 'string') out.target = v;
      else if ((k === 'classes' || k === 'features') && Array.isArray(v)) out[k] = v as string[];
      else throw new Error(`unexpected ${k}: ${JSON.stringify(v)}`);
    }
  } catch (e) {
    throw new ModelFileError(`loadModel: damaged preprocessing record: ${(e as Error).message}`);
  }
  return out;
}
