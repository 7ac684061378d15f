// Reference unary kernels and their derivatives (the specification for assembly/activation.ts).
// Forward: out[i] = f(x[i]) in f64 (Math.*), rounded on store; out may equal x.
// Backward: dx[i] += dy[i]·f'(x[i]) (overwrite 1: dx[i] = …); where f' is naturally written with y = f(x), y is used
// (exp, sqrt, tanh, sigmoid). Conventions: relu(x) = x < 0 ? 0 : x (NaN propagates), relu'(0) =
// abs'(0) = 0; gelu is the exact form x·Φ(x); pow_scalar' with p = 0 is 0 (as PyTorch).
import type { Ptr, UnaryBackwardKernel, UnaryKernel, UnaryParamBackwardKernel, UnaryParamKernel } from '../backend.js';
import { wordIndex, type HeapViews } from '../../memory.js';
import { normalCdf, normalPdf } from './erf.js';

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

function unary(h: HeapViews, f: (x: number) => number): UnaryKernel {
  return (out, x, n) => {
    const v = h.f32;
    for (let i = 0; i < n; i++) v[wordIndex(out) + i] = f(v[wordIndex(x) + i]!);
  };
}
/** g(x, y, dy) = dy·f'(x). */
function backward(h: HeapViews, g: (x: number, y: number, dy: number) => number): UnaryBackwardKernel {
  return (dx, x, y, dy, n, overwrite = 0) => {
    const v = h.f32;
    for (let i = 0; i < n; i++) {
      const d = g(v[wordIndex(x) + i]!, v[wordIndex(y) + i]!, v[wordIndex(dy) + i]!);
      v[wordIndex(dx) + i] = overwrite ? d : v[wordIndex(dx) + i]! + d;
    }
  };
}
function unaryParam(h: HeapViews, f: (x: number, p: number) => number): UnaryParamKernel {
  return (out, x, n, p) => unary(h, (v) => f(v, Math.fround(p)))(out, x, n);
}
function backwardParam(
  h: HeapViews, g: (x: number, dy: number, p: number) => number,
): UnaryParamBackwardKernel {
  return (dx: Ptr, x: Ptr, y: Ptr, dy: Ptr, n: number, p: number, overwrite = 0) =>
    backward(h, (xv, _y, d) => g(xv, d, Math.fround(p)))(dx, x, y, dy, n, overwrite);
}

export function activationKernels(h: HeapViews) {
  return {
    neg_f32: unary(h, (x) => -x),
    neg_backward_f32: backward(h, (_x, _y, dy) => -dy),
    abs_f32: unary(h, Math.abs),
    abs_backward_f32: backward(h, (x, _y, dy) => (x > 0 ? dy : x < 0 ? -dy : 0)),
    exp_f32: unary(h, Math.exp),
    exp_backward_f32: backward(h, (_x, y, dy) => dy * y),
    log_f32: unary(h, Math.log),
    log_backward_f32: backward(h, (x, _y, dy) => dy / x),
    sqrt_f32: unary(h, Math.sqrt),
    sqrt_backward_f32: backward(h, (_x, y, dy) => (dy * 0.5) / y),
    tanh_f32: unary(h, Math.tanh),
    tanh_backward_f32: backward(h, (_x, y, dy) => dy * (1 - y * y)),
    sigmoid_f32: unary(h, sigmoid),
    sigmoid_backward_f32: backward(h, (_x, y, dy) => dy * y * (1 - y)),
    relu_f32: unary(h, (x) => (x < 0 ? 0 : x)),
    relu_backward_f32: backward(h, (x, _y, dy) => (x > 0 ? dy : 0)),
    gelu_f32: unary(h, (x) => x * normalCdf(x)),
    gelu_backward_f32: backward(h, (x, _y, dy) => dy * (normalCdf(x) + x * normalPdf(x))),
    silu_f32: unary(h, (x) => x * sigmoid(x)),
    silu_backward_f32: backward(h, (x, _y, dy) => {
      const s = sigmoid(x);
      return dy * s * (1 + x * (1 - s));
    }),
    leaky_relu_f32: unaryParam(h, (x, p) => (x > 0 ? x : p * x)),
    leaky_relu_backward_f32: backwardParam(h, (x, dy, p) => (x > 0 ? dy : p * dy)),
    pow_scalar_f32: unaryParam(h, (x, p) => Math.pow(x, p)),
    pow_scalar_backward_f32: backwardParam(h, (x, dy, p) => (p === 0 ? 0 : dy * p * Math.pow(x, p - 1))),
  };
}
