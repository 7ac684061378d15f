// Sliding-window geometry shared by convolution and pooling: options given as a number or a pair
// (or a single-element array for the 1-D layers), PyTorch's output-size formulas, and the typed
// errors PyTorch raises for impossible configurations — each naming the numbers at fault.
import { ShapeError, fmtShape } from '../errors.js';

/** A size given once for every spatial dimension, or per dimension. */
export type Size2 = number | readonly [number, number];
export type Size1 = number | readonly [number];

/** One value per dimension (dims = 1 or 2), each an integer ≥ min. */
export function tuple(owner: string, name: string, v: number | readonly number[], dims: number, min: number): number[] {
  const out = typeof v === 'number' ? new Array<number>(dims).fill(v) : [...v];
  if (out.length !== dims || out.some((d) => !Number.isInteger(d) || d < min)) {
    const what = dims === 1 ? 'an integer' : 'an integer or a pair of integers';
    throw new RangeError(`${owner}: ${name} must be ${what} ≥ ${min}, got ${Array.isArray(v) ? `[${v.join(', ')}]` : String(v)}`);
  }
  return out;
}

/** Output length of a window sliding over `size` inputs padded by `pad` on both sides (pooling's
 * ceil mode: a last, partial window is kept only if it starts inside the input or left padding). */
export function outLength(size: number, kernel: number, stride: number, pad: number, dilation = 1, ceilMode = false): number {
  const span = size + 2 * pad - dilation * (kernel - 1) - 1;
  let out = Math.floor((span + (ceilMode ? stride - 1 : 0)) / stride) + 1;
  if (ceilMode && (out - 1) * stride >= size + pad) out--;
  return out;
}

/** The spatial dims of x ([N, C, …spatial] or unbatched [C, …spatial]) with a batch of 1 for the latter. */
export function spatialInput(owner: string, x: { shape: readonly number[] }, dims: number): { n: number; c: number; spatial: number[]; batched: boolean } {
  const r = x.shape.length;
  if (r !== dims + 1 && r !== dims + 2) {
    const names = dims === 1 ? '[N, C, L] or [C, L]' : '[N, C, H, W] or [C, H, W]';
    throw new ShapeError(`${owner}: expected input ${names}, got ${fmtShape(x.shape)}`);
  }
  const batched = r === dims + 2, s = x.shape;
  return { n: batched ? s[0]! : 1, c: s[batched ? 1 : 0]!, spatial: s.slice(r - dims) as number[], batched };
}

/** Pooling's padding rule (PyTorch's): at most half the kernel, per dimension. */
export function checkPoolPadding(owner: string, kernel: number[], pad: number[]): void {
  kernel.forEach((k, i) => {
    if (pad[i]! > k / 2) {
      throw new RangeError(`${owner}: padding should be at most half of the kernel size, got padding ${pad[i]} for kernel size ${k}`);
    }
  });
}

/** Pooling's checks (PyTorch's pool2d_shape_check): the padding rule, output ≥ 1. */
export function checkPool(owner: string, input: readonly number[], kernel: number[], stride: number[], pad: number[], out: number[]): void {
  checkPoolPadding(owner, kernel, pad);
  if (out.some((o) => o < 1)) {
    throw new ShapeError(`${owner}: input ${fmtShape(input)} with kernel [${kernel.join(', ')}], stride [${stride.join(', ')}] ` +
      `and padding [${pad.join(', ')}] gives output size [${out.join(', ')}], which is too small`);
  }
}
