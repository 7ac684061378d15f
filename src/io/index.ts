// sg.io: reading and writing weights (safetensors, interoperable with PyTorch) and whole models.
export { save, load, loadInto, metadata, SafetensorsError, LOADABLE_DTYPES, type SaveOptions, type HasStateDict } from './safetensors.js';
export {
  saveModel, loadModel, type LoadedModel, type ModelBundle, type Prediction, type Preprocessing, type FittedScaler, type LayerSpec, type SpecValue,
} from './model-file-lazy.js'; // model-file.ts loads on first use
export { ModelFileError } from './model-file-error.js';
