// The pure-JS reference backend: naive loops, the specification every wasm kernel is tested
// against, and the fallback where WebAssembly is unavailable. One factory per kernel family,
// assembled here; `satisfies Kernels` makes a missing kernel a compile error.
import type { Kernels } from '../backend.js';
import type { HeapViews } from '../../memory.js';
import { gemmKernels } from './gemm.js';
import { elementwiseKernels } from './elementwise.js';
import { activationKernels } from './activation.js';
import { reduceKernels } from './reduce.js';
import { lossKernels } from './loss.js';
import { copyKernels } from './copy.js';
import { randomKernels } from './random.js';
import { optimKernels } from './optim.js';
import { recurrentKernels } from './recurrent.js';
import { embeddingKernels } from './embedding.js';
import { attentionKernels } from './attention.js';
import { convKernels } from './conv.js';
import { poolKernels } from './pool.js';
import { batchNormKernels } from './batch-norm.js';

export function jsKernels(h: HeapViews): Kernels {
  return {
    ...gemmKernels(h),
    ...elementwiseKernels(h),
    ...activationKernels(h),
    ...reduceKernels(h),
    ...lossKernels(h),
    ...copyKernels(h),
    ...randomKernels(h),
    ...optimKernels(h),
    ...recurrentKernels(h),
    ...embeddingKernels(h),
    ...attentionKernels(h),
    ...convKernels(h),
    ...poolKernels(h),
    ...batchNormKernels(h),
  } satisfies Kernels;
}
