// Naive f64 oracles for the op probes, written from the definitions (index arithmetic, no
// library code): broadcasting, axis reductions, batched matmul, permutations, slices. Each returns
// the expected { shape, data } or null where PyTorch raises (shapes that do not fit).
import type { Expected } from './values.js';

const sizeOf = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** Row-major strides. */
export function strides(s: readonly number[]): number[] {
  const out = new Array<number>(s.length);
  let acc = 1;
  for (let i = s.length - 1; i >= 0; i--) { out[i] = acc; acc *= s[i]!; }
  return out;
}

/** The multi-index of flat position i in shape s. */
export function unravel(i: number, s: readonly number[]): number[] {
  const idx = new Array<number>(s.length);
  for (let d = s.length - 1; d >= 0; d--) { idx[d] = i % s[d]!; i = Math.floor(i / s[d]!); }
  return idx;
}

/** NumPy broadcasting of two shapes, null when they do not broadcast. */
export function broadcast(a: readonly number[], b: readonly number[]): number[] | null {
  const r = Math.max(a.length, b.length), out: number[] = [];
  for (let i = 0; i < r; i++) {
    const x = a[a.length - r + i] ?? 1, y = b[b.length - r + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Flat index into a tensor of shape s read broadcast at multi-index idx of a larger shape. */
function readAt(s: readonly number[], idx: readonly number[]): number {
  const st = strides(s), off = idx.length - s.length;
  let k = 0;
  for (let d = 0; d < s.length; d++) if (s[d] !== 1) k += idx[d + off]! * st[d]!;
  return k;
}

/** f(a, b) elementwise over broadcast operands. */
export function binary(a: Expected, b: Expected, f: (x: number, y: number) => number): Expected | null {
  const shape = broadcast(a.shape, b.shape);
  if (!shape) return null;
  const n = sizeOf(shape), data = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const idx = unravel(i, shape);
    data[i] = f(a.data[readAt(a.shape, idx)]!, b.data[readAt(b.shape, idx)]!);
  }
  return { shape, data };
}

/** Reduces the listed axes (sorted, unique) with a fold over each output's inputs. */
export function reduceAxes(x: Expected, axes: readonly number[], keepDims: boolean,
  fold: (values: number[]) => number): Expected {
  const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const groups = new Map<number, number[]>();
  const ks = strides(kept);
  for (let i = 0; i < sizeOf(x.shape); i++) {
    const idx = unravel(i, x.shape);
    let o = 0;
    idx.forEach((v, d) => { if (!axes.includes(d)) o += v * ks[d]!; });
    (groups.get(o) ?? groups.set(o, []).get(o)!).push(x.data[i]!);
  }
  const n = sizeOf(kept), data = new Float64Array(n);
  for (let o = 0; o < n; o++) data[o] = fold(groups.get(o) ?? []);
  return { shape: keepDims ? kept : x.shape.filter((_, i) => !axes.includes(i)), data };
}

/** Output multi-index order permuted: out[idx] = x[perm⁻¹ idx] where out.shape[d] = x.shape[perm[d]]. */
export function permute(x: Expected, perm: readonly number[]): Expected {
  const shape = perm.map((p) => x.shape[p]!), xs = strides(x.shape), n = sizeOf(shape);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const idx = unravel(i, shape);
    let k = 0;
    perm.forEach((p, d) => { k += idx[d]! * xs[p]!; });
    data[i] = x.data[k]!;
  }
  return { shape, data };
}

/** torch.matmul: 1-D operands promoted and squeezed back, batch dims broadcast. */
export function matmul(a: Expected, b: Expected): Expected | null {
  if (a.shape.length === 0 || b.shape.length === 0) return null;
  const as = a.shape.length === 1 ? [1, a.shape[0]!] : a.shape, bs = b.shape.length === 1 ? [b.shape[0]!, 1] : b.shape;
  const m = as[as.length - 2]!, k = as[as.length - 1]!, k2 = bs[bs.length - 2]!, n = bs[bs.length - 1]!;
  if (k !== k2) return null;
  const batch = broadcast(as.slice(0, -2), bs.slice(0, -2));
  if (!batch) return null;
  const nb = sizeOf(batch), data = new Float64Array(nb * m * n);
  for (let t = 0; t < nb; t++) {
    const bi = unravel(t, batch);
    const ao = readAt(as.slice(0, -2), bi) * m * k, bo = readAt(bs.slice(0, -2), bi) * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a.data[ao + i * k + p]! * b.data[bo + p * n + j]!;
        data[(t * m + i) * n + j] = s;
      }
    }
  }
  const shape = [...batch, ...(a.shape.length > 1 ? [m] : []), ...(b.shape.length > 1 ? [n] : [])];
  return { shape, data };
}

/** Python-style slice bounds of one dimension of size n. */
export function clampIndex(v: number, n: number): number {
  return Math.min(n, Math.max(0, v < 0 ? v + n : v));
}

/** x[lo0:hi0, lo1:hi1, …]. */
export function sliceOf(x: Expected, lo: readonly number[], hi: readonly number[]): Expected {
  const shape = x.shape.map((_, d) => Math.max(0, hi[d]! - lo[d]!)), xs = strides(x.shape), n = sizeOf(shape);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const idx = unravel(i, shape);
    data[i] = x.data[idx.reduce((k, v, d) => k + (v + lo[d]!) * xs[d]!, 0)]!;
  }
  return { shape, data };
}

/** erf(x) = 2/√π · e^{−x²} · Σ 2ⁿx^{2n+1} / (1·3·…·(2n+1)): positive terms, no cancellation. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax > 6) return Math.sign(x);
  let term = ax, sum = ax;
  for (let n = 1; n < 400 && term > 1e-17 * sum; n++) {
    term *= (2 * ax * ax) / (2 * n + 1);
    sum += term;
  }
  return Math.sign(x) * Math.min(1, (2 / Math.sqrt(Math.PI)) * Math.exp(-ax * ax) * sum);
}
