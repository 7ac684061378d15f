// sg.optim: optimizers (fused kernel steps over parameter blocks), schedules, gradient clipping.
export { Optimizer, type BaseOptions, type ParamGroup, type ParamsInput, type OptimizerStateDict, type GroupOptions, type UpdateRange, type OptimizerConfig } from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, AdamW, type AdamOptions } from './adam.js';
export { RMSprop, type RMSpropOptions } from './rmsprop.js';
export { Adagrad, type AdagradOptions } from './adagrad.js';
export { clipGradNorm, clipGradValue, type ClipGradNormOptions } from './clip.js';
export * from './schedules/index.js';
