// Kernel test harness (not a test file). Contract: `kernelSuite` runs a table of kernels on every
// backend in BACKENDS (js, scalar, simd, relaxed — the JS reference included) and checks each
// buffer against an expectation computed by a naive f64 twin written in the test file, never by
// src/backend/js. Adding a kernel adds one table entry: `name: () => cases`. `runKernel` runs one
// call with its buffers copied into a backend's heap and returns every buffer read back. Every
// table also runs on the kernel threads (3 threads, every splittable call split however small):
// there each case must meet its expectation and give exactly the bits of the one-thread build.
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend/create-backend.js';
import type { Kernels, Ptr } from '../../src/backend/backend.js';
import { BACKENDS, THREADED, backend, expectClose, threadedBackendOf, type Tolerance } from '../helpers/backends.js';

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

/** Bitwise equality of two float arrays (any NaN == any NaN, +0 != −0). */
export function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length), ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  return true;
}

/** Fails unless every buffer of `got` (a run on the kernel threads) has exactly the bits of `want`
 * (the same call on one thread). */
export function expectSameBits(got: Buf[], want: Buf[], label: string): void {
  got.forEach((g, i) => {
    const same = g instanceof Float32Array ? sameBits(g, want[i] as Float32Array) : g.every((v, j) => v === want[i]![j]);
    if (!same) expect.fail(`${label}: buffer ${i} differs from one thread's bits`);
  });
}

/** How close a buffer must come to its expectation: `expectClose` bounds, or 'bits' (identical). */
export type Check = Tolerance | 'bits';

/** One kernel call and what it must leave in every buffer. */
export interface KernelCase {
  /** Names the case in a failure message. */
  label: string;
  /** Buffers copied into the heap before the call (outputs with their starting contents). */
  bufs: Buf[];
  /** The call; p[i] points at bufs[i]; b gives the heap for scratch. A returned number is
   * checked against `returns`. */
  call: (k: Kernels, p: Ptr[], b: Backend) => number | void;
  /** Each buffer afterwards, from the test's naive f64 twin (rounded to f32 where it is stored).
   * An entry left undefined marks an input: it must come back bit for bit unchanged. */
  want: (ArrayLike<number> | undefined)[];
  /** Allowed distance from `want`: one for every buffer, or one per buffer. i32 buffers are exact. */
  tol: Check | Check[];
  /** Expected return value and its bounds (kernels that return a number). */
  returns?: { want: number; tol: Tolerance };
}

function checkBuffer(got: Buf, input: Buf, want: ArrayLike<number> | undefined, tol: Check, label: string): void {
  if (want === undefined) {
    const raw = (a: Buf) => new Int32Array(a.buffer, a.byteOffset, a.length);
    if (raw(got).some((v, i) => v !== raw(input)[i])) {
      expect.fail(`${label}: an input buffer was written`);
    }
  } else if (got instanceof Int32Array) {
    expect(Array.from(got), label).toEqual(Array.from(want));
  } else if (tol === 'bits') {
    if (!sameBits(got, Float32Array.from(want))) {
      expectClose(got, want, { rtol: 0, atol: 0 }, label);  // names the first differing index
      expect.fail(`${label}: same values but different bits (the sign of a zero)`);
    }
  } else {
    expectClose(got, want, tol, label);
  }
}

/** Runs one case on backend b and checks every buffer (and the return value); returns the buffers
 * and, last, the return value (NaN for none) as a one-element Float32Array. */
export function expectKernel(b: Backend, c: KernelCase): Buf[] {
  let ret: number | void = undefined;
  const got = runKernel(b, c.bufs, (p) => { ret = c.call(b.kernels, p, b); });
  const label = `${b.name} ${c.label}`;
  got.forEach((g, i) => {
    const tol = Array.isArray(c.tol) ? c.tol[i] : c.tol;
    if (c.want[i] !== undefined && tol === undefined) expect.fail(`${label}: buffer ${i} has an expectation but no tolerance`);
    checkBuffer(g, c.bufs[i]!, c.want[i], tol!, `${label} buffer ${i}`);
  });
  if (c.returns) expectClose([ret as unknown as number], [c.returns.want], c.returns.tol, `${label} return value`);
  return [...got, Float32Array.of(typeof ret === 'number' ? ret : NaN)];
}

/**
 * One `describe` per backend in BACKENDS and one `it` per table entry, running all of the entry's
 * cases. Each entry's cases (inputs and naive expectations) are built once and shared by the
 * backends. Example: `kernelSuite('unary kernels', { relu_f32: () => sizes.map(reluCase) })`.
 */
export function kernelSuite(title: string, table: Record<string, () => KernelCase[]>): void {
  const built = new Map<string, KernelCase[]>();
  const cases = (name: string): KernelCase[] => {
    let c = built.get(name);
    if (!c) built.set(name, (c = table[name]!()));
    return c;
  };
  describe.each(BACKENDS)(`${title} on %s`, (be) => {
    for (const name of Object.keys(table)) {
      it(name, async () => {
        const b = await backend(be);
        for (const c of cases(name)) expectKernel(b, c);
      });
    }
  });
  describe.each(THREADED)(`${title} on %s, 3 threads, every call split`, (be) => {
    for (const name of Object.keys(table)) {
      it(name, async () => {
        const [one, three] = await Promise.all([backend(be), threadedBackendOf(be, 3)]);
        for (const c of cases(name)) {
          expectSameBits(expectKernel(three, c), expectKernel(one, c), `${three.name} ${c.label}`);
        }
      });
    }
  });
}
