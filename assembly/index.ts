// The ABI: re-exports every kernel (see src/backend/backend.ts for their contracts), nothing else.
export * from './gemm';
export * from './gemm-shared';
export * from './elementwise';
export * from './activation';
export * from './reduce';
export * from './loss';
export * from './copy';
export * from './random';
export * from './optim';
export * from './attention';

/** Which build this is: 2 relaxed, 1 simd, 0 scalar. */
export function variant_id(): i32 {
  return ASC_FEATURE_RELAXED_SIMD ? 2 : ASC_FEATURE_SIMD ? 1 : 0;
}
export * from './recurrent';
export * from './embedding';
export * from './conv';
export * from './pool';
export * from './batch-norm';
