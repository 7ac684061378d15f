// Finite-difference gradient check: compares backward() against central differences.
//
// Contract: gradcheck(fn, inputs) projects fn's output onto fixed pseudo-random weights w
// (L = Σ w·fn(inputs)), runs backward with gradient w, then perturbs every element of every
// input by ±eps and evaluates L in f64 from the outputs. It returns the worst mismatch instead
// of throwing, so a test can print it. Use small inputs (it runs fn 2·N times) and the 'js'
// backend for the cleanest numbers; f32 storage limits the attainable agreement to ~1e-3.
import { wordIndex } from './memory.js';
import { Tensor, tensorArg } from './tensor.js';
import { noGrad } from './autograd.js';
import { scope } from './scope.js';
import { DTypeError, describeValue } from './errors.js';

export interface GradcheckOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Seed of the projection weights. */
  seed?: number;
}

export interface GradcheckResult {
  ok: boolean;
  /** Largest |analytic − numeric| − (atol + rtol·|numeric|) seen, with where it happened. */
  worst: { input: number; index: number; analytic: number; numeric: number; excess: number } | null;
}

function weights(n: number, seed: number): Float64Array {
  const w = new Float64Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    w[i] = 0.5 + (s / 4294967296); // in [0.5, 1.5): no cancellation between outputs
  }
  return w;
}

/**
 * Checks fn's gradients with respect to `inputs` (leaf tensors with requiresGrad).
 * @example
 * const r = sg.gradcheck((x) => x.tanh().mul(x), [sg.randn([3, 4], { requiresGrad: true })]);
 * expect(r.ok).toBe(true);
 */
export function gradcheck(
  fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[], opts: GradcheckOptions = {},
): GradcheckResult {
  if (typeof fn !== 'function') throw new DTypeError(`gradcheck: fn must be a function, got ${describeValue(fn)}`);
  if (!Array.isArray(inputs)) throw new DTypeError(`gradcheck: inputs must be an array of tensors, got ${describeValue(inputs)}`);
  inputs.forEach((x, i) => tensorArg('gradcheck', `inputs[${i}]`, x));
  const { eps = 1e-2, atol = 1e-3, rtol = 1e-2, seed = 7 } = opts ?? {};
  for (const x of inputs) { x.grad?.dispose(); x.grad = null; }
  // analytic
  scope(() => {
    const y = fn(...inputs);
    const w = weights(y.size, seed);
    const g = Tensor.empty(y.shape, y.backend);
    g.backend.heap.f32.set(Float32Array.from(w), wordIndex(g.ptr));
    y.backward(g);
  });
  const analytic = inputs.map((x) => (x.grad ? x.grad.toArray() : new Float32Array(x.size)));
  // numeric
  const loss = (): number => noGrad(() => scope(() => {
    const y = fn(...inputs).toArray();
    const w = weights(y.length, seed);
    let s = 0;
    for (let i = 0; i < y.length; i++) s += w[i]! * y[i]!;
    return s;
  }));
  let worst: GradcheckResult['worst'] = null;
  inputs.forEach((x, k) => {
    if (!x.requiresGrad) return;
    const f = x.backend.heap.f32;
    for (let i = 0; i < x.size; i++) {
      // element i of a possibly strided leaf
      let off = x.offset, rem = i;
      for (let d = x.rank - 1; d >= 0; d--) {
        off += (rem % x.shape[d]!) * x.strides[d]!;
        rem = Math.floor(rem / x.shape[d]!);
      }
      const at = wordIndex(x.storage.ptr) + off, orig = f[at]!;
      x.backend.heap.f32[at] = orig + eps;
      const up = loss();
      x.backend.heap.f32[at] = orig - eps;
      const down = loss();
      x.backend.heap.f32[at] = orig;
      const numeric = (up - down) / (2 * eps), a = analytic[k]![i]!;
      const excess = Math.abs(a - numeric) - (atol + rtol * Math.abs(numeric));
      if (!worst || excess > worst.excess) worst = { input: k, index: i, analytic: a, numeric, excess };
    }
  });
  for (const x of inputs) { x.grad?.dispose(); x.grad = null; }
  return { ok: !worst || (worst as { excess: number }).excess <= 0, worst };
}
