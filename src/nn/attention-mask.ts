// Attention masks for sg.nn layers. PyTorch's MultiheadAttention and TransformerEncoderLayer take
// boolean masks where true means "masked out" and float masks that are added to the scores;
// additiveMask turns either into the additive float tensor maskedSoftmax reads (0 keeps, −inf
// excludes). generateSquareSubsequentMask is nn.Transformer.generate_square_subsequent_mask.
import { Tensor } from '../tensor.js';
import { tensor } from '../ops/create.js';
import { ShapeError, DTypeError, fmtShape } from '../errors.js';
import { sizeOf } from '../shape-arithmetic.js';
import { checkInt } from '../check-option.js';

/** A boolean mask, true = masked: flat (row-major, matched by size) or nested (matched by shape). */
export type BoolMask = Uint8Array | readonly boolean[] | readonly (readonly boolean[])[] | readonly (readonly (readonly boolean[])[])[];
/** A boolean mask (true = masked) or an additive float tensor (0 keeps, −inf excludes). */
export type AttentionMaskLike = Tensor | BoolMask;

/**
 * The additive float form of `mask`, checked against `shape` (the shapes it may have, first
 * match wins for flat booleans). A tensor is returned as is (the caller must not dispose it).
 * @example additiveMask([[false, true]], [[1, 2]], 'keyPaddingMask') // tensor [[0, −inf]]
 */
export function additiveMask(mask: AttentionMaskLike, shapes: readonly (readonly number[])[], what: string): { mask: Tensor; owned: boolean } {
  const expected = shapes.map(fmtShape).join(' or ');
  if (mask instanceof Tensor) {
    mask.check();
    const s = shapes.find((sh) => sh.join() === mask.shape.join());
    if (!s) throw new ShapeError(`${what}: mask of shape ${fmtShape(mask.shape)}, expected ${expected}`);
    return { mask, owned: false };
  }
  let flat: ArrayLike<unknown>, shape: number[] | undefined;
  if (mask instanceof Uint8Array) flat = mask;
  else if (Array.isArray(mask)) {
    shape = [];
    for (let level: unknown = mask; Array.isArray(level); level = level[0]) shape.push(level.length);
    const out: unknown[] = [];
    const walk = (v: unknown, d: number): void => {
      if (d === shape!.length) { out.push(v); return; }
      if (!Array.isArray(v) || v.length !== shape![d]) throw new ShapeError(`${what}: ragged boolean mask (expected ${fmtShape(shape!)})`);
      for (const x of v) walk(x, d + 1);
    };
    walk(mask, 0);
    flat = out;
    if (shape.length === 1) shape = undefined; // a flat list: matched by size
  } else throw new DTypeError(`${what}: a mask must be a tensor, a Uint8Array or boolean arrays`);
  const s = shape ? shapes.find((sh) => sh.join() === shape!.join()) : shapes.find((sh) => sizeOf(sh) === flat.length);
  if (!s) throw new ShapeError(`${what}: boolean mask of ${shape ? fmtShape(shape) : `${flat.length} values`}, expected ${expected}`);
  const vals = new Float32Array(flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (typeof v !== 'boolean' && v !== 0 && v !== 1) throw new DTypeError(`${what}: mask value ${i} is ${String(v)}, not a boolean`);
    vals[i] = v ? -Infinity : 0;
  }
  return { mask: tensor(vals, [...s]), owned: true };
}

/**
 * A [size, size] float mask with −inf above the diagonal: position i attends to j ≤ i.
 * @example const mask = sg.nn.generateSquareSubsequentMask(4);
 */
export function generateSquareSubsequentMask(size: number): Tensor {
  checkInt('generateSquareSubsequentMask', 'size', size, 0);
  const v = new Float32Array(size * size);
  for (let i = 0; i < size; i++) for (let j = i + 1; j < size; j++) v[i * size + j] = -Infinity;
  return tensor(v, [size, size]);
}
