// simdgrad's public barrel: the training core (./core.ts, also the entry `simdgrad/core`) and the
// tuner, `sg.tune`. Nothing runs at import time: call `await init()` first.
export * from './core.js';
export * as tune from './tune/index.js';
