// Kernel test harness (not a test file): runs one kernel call on a backend with its buffers copied
// into that backend's heap, and returns every buffer read back afterwards, so the same call can be
// compared between a wasm build and the JS reference.
import type { Backend } from '../../src/backend/create.js';
import type { Ptr } from '../../src/backend/backend.js';

export type Buf = Float32Array | Int32Array;

/** Copies bufs in (16-byte padded), calls fn(ptrs), returns copies of all buffers afterwards. */
export function runKernel(b: Backend, bufs: Buf[], fn: (p: Ptr[]) => void): Buf[] {
  const ptrs = bufs.map((a) => {
    const p = b.heap.alloc(Math.max(16, a.length * 4));
    if (a instanceof Int32Array) b.heap.i32.set(a, p >> 2);
    else b.heap.f32.set(a, p >> 2);
    return p;
  });
  try {
    fn(ptrs);
    return bufs.map((a, i) => (a instanceof Int32Array
      ? b.heap.readI32(ptrs[i]!, a.length) : b.heap.readF32(ptrs[i]!, a.length)));
  } finally {
    for (const p of ptrs) b.heap.free(p);
  }
}

/** Inputs with special values mixed in at fixed positions. */
export function withSpecials(x: Float32Array, specials: number[]): Float32Array {
  const out = x.slice();
  for (let i = 0; i < out.length && i < specials.length * 3; i += 3) out[i] = specials[i / 3]!;
  return out;
}

/** Bitwise equality of two float arrays (NaN == NaN, +0 != −0). */
export function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length), ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return false;
  return true;
}
