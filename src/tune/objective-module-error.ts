// ObjectiveModuleError: optimize({ module, export }) refused to start because the objective module
// could not be loaded in a worker (missing file, an error at load time, no such function export).
// Nothing was written to the study. The `simdgrad worker` command reports it as an input error.

/** The objective module of a worker-thread optimize cannot be loaded; no trial was started. */
export class ObjectiveModuleError extends Error {
  override name = 'ObjectiveModuleError';
}
