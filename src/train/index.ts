// Training: fit(), evaluate(), callbacks and metrics.
export { fit, evaluate, type FitOptions, type History, type LossFn } from './fit.js';
export type { FitSettings } from './fit-settings.js';
export { earlyStopping, type Callback, type EarlyStoppingOptions, type Logs, type TrainContext } from './callbacks.js';
export type { MetricName } from './metrics.js';
