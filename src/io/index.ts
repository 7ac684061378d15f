// sg.io: reading and writing weights (safetensors, interoperable with PyTorch).
export { save, load, loadInto, metadata, SafetensorsError, LOADABLE_DTYPES, type SaveOptions, type HasStateDict } from './safetensors.js';
