// Training: fit(), evaluate(), callbacks and metrics.
export { fit, evaluate, type FitOptions, type EvaluateOptions, type EvaluateResult, type History, type LossFn } from './fit.js';
export { earlyStopping, type Callback, type EarlyStoppingOptions, type Logs, type TrainContext } from './callbacks.js';
export type { MetricName } from './metrics.js';
