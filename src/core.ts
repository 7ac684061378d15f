// simdgrad/core: the training library — tensors, autograd, nn, optim, data, io, fit — without the
// tuner (`sg.tune`, in the main entry `simdgrad`), for bundles where size counts (browsers, edge).
// The main entry re-exports all of this, so the two share one module instance.
// Nothing runs at import time: call `await init()` first.
export { init, backend, threads, type InitOptions } from './runtime/context.js';
export type { BackendName } from './backend/backend.js';
export { Tensor, isTensor, type TensorLike } from './tensor.js';
export { tensor, zeros, ones, full, arange, rand, randn, type TensorOptions, type RandomOptions } from './ops/create.js';
export { add, sub, mul, div, pow, maximum, minimum, neg, abs, exp, log, sqrt } from './ops/elementwise.js';
export { relu, leakyRelu, gelu, silu, tanh, sigmoid, softmax, logSoftmax } from './ops/activation.js';
export { sum, mean, max, argmax } from './ops/reduce.js';
export { reshape, transpose, flatten, slice, concat, contiguous } from './ops/shape.js';
export { matmul, linear, type GemmOptions } from './ops/matmul.js';
export { scope, keep } from './scope.js';
export { memory, type MemoryInfo } from './memory-stats.js';
export { manualSeed, permutation } from './random.js';
export {
  ShapeError, DTypeError, OptionError, StateDictError, IOError, MemoryLimitError, DisposedError, BackendError, NonFiniteLossError,
} from './errors.js';
export { noGrad, isGradEnabled, type BackwardOptions } from './autograd.js';
export { gradcheck, type GradcheckOptions, type GradcheckResult } from './gradcheck.js';
export * as nn from './nn/index.js';
export { fit, evaluate, earlyStopping, type FitOptions, type History, type Callback } from './train/index.js';
export * as train from './train/index.js';
export * as io from './io/index.js';
export * as optim from './optim/index.js';
export * as data from './data/index.js';
export { maskedSoftmax, type MaskedSoftmaxOptions } from './ops/attention.js';
