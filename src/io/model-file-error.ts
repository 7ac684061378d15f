// ModelFileError: a file given to sg.io.loadModel that is valid safetensors but not a whole model
// this library can rebuild (no or damaged model description, an unknown layer, weights that do not
// fit the architecture), or a model that saveModel cannot describe. Corrupt safetensors bytes are
// a SafetensorsError, as everywhere in sg.io.

/** A model file (or a model to save) that cannot be rebuilt; the message names what is at fault. */
export class ModelFileError extends Error {
  override name = 'ModelFileError';
}
