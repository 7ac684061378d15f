// Naive n-d reference computations for tensor-API tests, independent of the library: the kernels
// and src/shape-arithmetic.ts alike (broadcast shapes and strides are worked out here, so a shape bug in the
// library cannot hide in its own expectation).

const sizeOf = (shape: number[]): number => shape.reduce((a, d) => a * d, 1);
/** Row-major strides: the product of the dimensions after each one. */
const stridesOf = (shape: number[]): number[] => shape.map((_, i) => sizeOf(shape.slice(i + 1)));
/** NumPy broadcasting: align from the right; each pair of dimensions is equal or has a 1. */
function broadcastShapes(a: number[], b: number[]): number[] {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => {
    const x = a[a.length - n + i] ?? 1, y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`naive: [${a}] and [${b}] do not broadcast`);
    return x === 1 ? y : x;
  });
}

/** Elementwise f over broadcast operands, by explicit index arithmetic. */
export function naiveBinary(
  a: ArrayLike<number>, as: number[], b: ArrayLike<number>, bs: number[], f: (x: number, y: number) => number,
): { data: Float32Array; shape: number[] } {
  const shape = broadcastShapes(as, bs);
  const n = sizeOf(shape), os = stridesOf(shape), sa = stridesOf(as), sb = stridesOf(bs);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let ia = 0, ib = 0;
    for (let d = 0; d < shape.length; d++) {
      const idx = Math.floor(i / os[d]!) % shape[d]!;
      const da = d - (shape.length - as.length), db = d - (shape.length - bs.length);
      if (da >= 0 && as[da] !== 1) ia += idx * sa[da]!;
      if (db >= 0 && bs[db] !== 1) ib += idx * sb[db]!;
    }
    out[i] = f(a[ia]!, b[ib]!);
  }
  return { data: out, shape };
}

/** Reduce one axis with (init, step, finish). */
export function naiveReduce(
  x: ArrayLike<number>, shape: number[], axis: number, init: number, step: (acc: number, v: number) => number,
  finish: (acc: number, len: number) => number = (a) => a,
): Float32Array {
  const outer = sizeOf(shape.slice(0, axis)), len = shape[axis]!, inner = sizeOf(shape.slice(axis + 1));
  const out = new Float32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let acc = init;
      for (let l = 0; l < len; l++) acc = step(acc, x[(o * len + l) * inner + i]!);
      out[o * inner + i] = finish(acc, len);
    }
  }
  return out;
}

/** C = A·B for row-major A [m,k], B [k,n]. */
export function naiveMatmul(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): Float32Array {
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p]! * b[p * n + j]!;
      c[i * n + j] = s;
    }
  }
  return c;
}

/** Row-major transpose of an [r, c] matrix. */
export function naiveTranspose(a: ArrayLike<number>, r: number, c: number): Float32Array {
  const t = new Float32Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t[j * r + i] = a[i * c + j]!;
  return t;
}
