// GEMM test cases shared by tests/backend/gemm.test.ts (every backend) and
// tests/threads/gemm-shared.test.ts (the threaded plans): a case's inputs with padded leading
// dimensions and a sentinel after C, the naive f64 twin of what gemm_f32 must leave in C, and the
// call with a NaN-poisoned workspace of the size the backend asks for. Tolerance: see gemm.test.ts.
import { expect } from 'vitest';
import { randomArray } from './backends.js';
import type { Backend } from '../../src/backend/create-backend.js';
import type { Kernels, Ptr } from '../../src/backend/backend.js';
import type { KernelCase } from '../backend/harness.js';

export interface Case {
  m: number; n: number; k: number; transA: number; transB: number;
  accumulate: number; bias: boolean; act: number; pad: number;
}

export interface Inputs { a: Float32Array; b: Float32Array; c: Float32Array; bias: Float32Array; lda: number; ldb: number; ldc: number }

const GUARD = 8;
const SENTINEL = 12345.5;

export function inputs(cs: Case, seed: number): Inputs {
  const { m, n, k, transA, transB, pad } = cs;
  const lda = (transA ? m : k) + pad, ldb = (transB ? k : n) + pad, ldc = n + pad;
  const a = randomArray(Math.max(1, (transA ? k : m) * lda), seed);
  const b = randomArray(Math.max(1, (transB ? n : k) * ldb), seed + 1);
  const c = randomArray(m * ldc + GUARD, seed + 2);
  for (let i = 0; i < m; i++) for (let j = n; j < ldc; j++) c[i * ldc + j] = SENTINEL;
  c.fill(SENTINEL, m * ldc);
  return { a, b, c, bias: randomArray(Math.max(1, n), seed + 3), lda, ldb, ldc };
}

/** The f64 twin: C as the kernel must leave it, padding and guard included. */
export function twin(cs: Case, x: Inputs): Float64Array {
  const out = new Float64Array(x.c);
  const A = (i: number, p: number) => x.a[cs.transA ? p * x.lda + i : i * x.lda + p]!;
  const B = (p: number, j: number) => x.b[cs.transB ? j * x.ldb + p : p * x.ldb + j]!;
  for (let i = 0; i < cs.m; i++) {
    for (let j = 0; j < cs.n; j++) {
      let s = 0;
      for (let p = 0; p < cs.k; p++) s += A(i, p) * B(p, j);
      if (cs.bias) s += x.bias[j]!;
      if (cs.accumulate) s += x.c[i * x.ldc + j]!;
      out[i * x.ldc + j] = cs.act && s < 0 ? 0 : s;                    // relu keeps NaN
    }
  }
  return out;
}

/** The call with a NaN-poisoned workspace of the size the backend asks for. */
/** Words after the workspace that must come back unchanged (a kernel stays inside what it asked for). */
const WS_GUARD = 64;

export const gemmCall = (cs: Case, x: Inputs) => (K: Kernels, p: Ptr[], be: Backend): void => {
  const bytes = K.gemm_workspace_f32(cs.m, cs.n, cs.k, cs.transA, cs.transB);
  expect(bytes).toBeGreaterThanOrEqual(0);
  expect(bytes % 16).toBe(0);
  const ws = be.heap.alloc(bytes + 4 * WS_GUARD), end = (ws + bytes) >> 2;
  be.heap.f32.fill(NaN, ws >> 2, end);
  be.heap.f32.fill(SENTINEL, end, end + WS_GUARD);
  K.gemm_f32(p[0]!, p[1]!, p[2]!, cs.bias ? p[3]! : 0, ws, cs.m, cs.n, cs.k, x.lda, x.ldb, x.ldc,
    cs.transA, cs.transB, cs.accumulate, cs.act);
  const over = be.heap.f32.subarray(end, end + WS_GUARD).findIndex((v) => v !== SENTINEL);
  be.heap.free(ws);
  if (over >= 0) expect.fail(`gemm_f32 wrote ${4 * over} bytes past its workspace of ${bytes}`);
};

export const gemmCase = (cs: Case, x: Inputs, label: string): KernelCase => ({
  label, bufs: [x.c, x.a, x.b, x.bias], call: gemmCall(cs, x), want: [twin(cs, x)],
  tol: { rtol: 1e-5, atol: 2e-6 * (cs.k + 4) },
});

export const name = (cs: Case): string =>
  `${cs.transA ? 'T' : 'N'}${cs.transB ? 'T' : 'N'} m=${cs.m} n=${cs.n} k=${cs.k} pad=${cs.pad}` +
  ` acc=${cs.accumulate} bias=${+cs.bias} relu=${cs.act}`;
