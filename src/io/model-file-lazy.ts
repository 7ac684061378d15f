// sg.io.saveModel / loadModel as the core bundle exports them: the model-file code (model-file.ts,
// its layer registry and preprocessing) loads on first use, so bundles that never save a whole
// model carry none of it. Same signatures and contracts as model-file.ts.
import type { LoadedModel, ModelBundle, Prediction } from './model-file.js';
import type { HostURL } from '../runtime/host-types.js';
import type { Preprocessing, FittedScaler } from './preprocessing.js';
import type { LayerSpec, SpecValue } from './layer-spec.js';

export type { LoadedModel, ModelBundle, Prediction, Preprocessing, FittedScaler, LayerSpec, SpecValue };

/**
 * Writes a whole model — weights, architecture, preprocessing, meta — as one safetensors file
 * (or returns its bytes when no file is given).
 * @example
 * await sg.io.saveModel('iris.safetensors', { model, preprocessing: { scaler, classes, features }, meta: { lr: 1e-3 } });
 * const bytes = await sg.io.saveModel({ model });   // any runtime: bytes only
 */
export async function saveModel(fileOrBundle: string | HostURL | ModelBundle, bundle?: ModelBundle): Promise<Uint8Array> {
  return (await import('./model-file.js')).saveModel(fileOrBundle, bundle);
}

/**
 * Rebuilds a model saved by saveModel from its bytes, a path or a URL: architecture, weights,
 * preprocessing and meta, in eval mode, ready to predict.
 * @example
 * const m = await sg.io.loadModel('iris.safetensors');
 * m.predict([[5.1, 3.5, 1.4, 0.2]]).labels;   // ['setosa']
 */
export async function loadModel(source: Uint8Array | ArrayBuffer | string | HostURL): Promise<LoadedModel> {
  return (await import('./model-file.js')).loadModel(source);
}
