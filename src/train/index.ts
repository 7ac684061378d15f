// Training: fit(), evaluate(), callbacks and metrics, the learning-rate range test (sg.train).
export { fit, evaluate, type FitOptions, type EvaluateOptions, type EvaluateResult, type History, type LossFn } from './fit.js';
export type { FitSettings } from './fit-settings.js';
export { earlyStopping, type Callback, type EarlyStoppingOptions, type Logs, type TrainContext } from './callbacks.js';
export type { MetricName } from './metrics.js';
export { lrFinder, suggestLrs, valleyIndex, type LrFinderOptions, type LrFinderResult, type LrSuggestion } from './lr-finder.js';
