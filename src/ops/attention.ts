// maskedSoftmax: softmax over the last axis of scale·x + masks, with an optional causal mask, on
// the fused softmax_masked kernel (one pass for scores, max, exponentials and normalisation; the
// masked-out tail of a causal row is never computed). Masks are additive float tensors (0 keeps,
// −inf excludes) broadcastable to x; a mask whose kept dimensions form one run of x's leading
// dims (a [T, S] mask, a [B, 1, 1, S] padding mask, a full mask) is read in place, any other is
// expanded first. Masks are constants: they receive no gradient. A row masked everywhere gives
// zeros (PyTorch gives NaN), and its gradient is zero.
import { Tensor, tensorArg } from '../tensor.js';
import { broadcastShapes, sizeOf } from '../shape.js';
import { ShapeError, DTypeError, OptionError, describeValue, fmtShape } from '../errors.js';
import { needsGrad, record } from '../autograd.js';
import { dense } from './elementwise.js';
import { binaryInto } from './kernel-calls.js';
import { checkNumber } from '../check-option.js';

export interface MaskedSoftmaxOptions {
  /** Multiplies x before the masks are added (attention's 1/√d). Default 1. */
  scale?: number;
  /** Additive masks, each broadcastable to x's shape (0 keeps, −inf excludes). */
  mask?: Tensor | readonly Tensor[] | null;
  /** Exclude columns j > i in every [T, S] matrix of the last two dims (tril(ones(T, S)) kept). */
  causal?: boolean;
}

interface Placed { t: Tensor; div: number; rows: number; owned: boolean }

/** How the kernel reads mask m for scores of shape `shape`: in place, or expanded to `shape`. */
function place(m: Tensor, shape: readonly number[], kept: Tensor[]): Placed {
  if (m.requiresGrad) throw new DTypeError(`maskedSoftmax: masks are constants, but the mask of shape ${fmtShape(m.shape)} requires grad`);
  const full = broadcastShapes(m.shape, shape);
  if (full.length !== shape.length || full.some((d, i) => d !== shape[i])) {
    throw new ShapeError(`maskedSoftmax: mask ${fmtShape(m.shape)} does not broadcast to scores ${fmtShape(shape)}`);
  }
  const r = shape.length, cols = shape[r - 1]!;
  const md = [...new Array<number>(r - m.rank).fill(1), ...m.shape];
  const keptDims = md.slice(0, -1).map((d, i) => (d !== 1 && shape[i] !== 1 ? i : -1)).filter((i) => i >= 0);
  const run = keptDims.length === 0 || keptDims.at(-1)! - keptDims[0]! + 1 === keptDims.length;
  if (md[r - 1] === cols && run) {
    const d = dense(m);
    if (d !== m) kept.push(d);
    const last = keptDims.at(-1) ?? r - 2;
    return { t: d, div: sizeOf(shape.slice(last + 1, -1)), rows: sizeOf(md.slice(0, -1)), owned: false };
  }
  const e = Tensor.empty(shape, m.backend); // expand: 0 + m broadcast
  e.backend.kernels.fill_f32(e.ptr, e.size, 0);
  binaryInto('maskedSoftmax', (k) => k.add_f32, e, e, m);
  kept.push(e);
  return { t: e, div: 1, rows: sizeOf(shape.slice(0, -1)), owned: true };
}

/**
 * softmax(scale·x + Σ masks) over the last axis, fused; `causal` masks j > i of the last two dims.
 * @example
 * const w = sg.maskedSoftmax(scores, { scale: 1 / Math.sqrt(d), causal: true });   // [B, H, T, S]
 */
export function maskedSoftmax(x: Tensor, opts: MaskedSoftmaxOptions = {}): Tensor {
  const { scale = 1, mask = null, causal = false } = opts ?? {};
  tensorArg('maskedSoftmax', 'x', x);
  if (x.rank === 0) throw new ShapeError('maskedSoftmax needs a tensor of rank ≥ 1, got a scalar');
  checkNumber('maskedSoftmax', 'scale', scale);
  if (typeof causal !== 'boolean') throw new OptionError(`maskedSoftmax: causal must be a boolean, got ${describeValue(causal)}`);
  const masks = mask === null ? [] : mask instanceof Tensor ? [mask] : Array.isArray(mask) ? [...mask as Tensor[]] : [mask as unknown as Tensor];
  masks.forEach((m, i) => tensorArg('maskedSoftmax', masks.length > 1 ? `mask[${i}]` : 'mask', m));
  const shape = x.shape, cols = shape[x.rank - 1]!, rows = cols === 0 ? 0 : x.size / cols;
  const T = x.rank >= 2 ? shape[x.rank - 2]! : 1;
  const temps: Tensor[] = [];
  const xd = dense(x);
  if (xd !== x) temps.push(xd);
  const out = Tensor.empty(shape, x.backend);
  try {
    let placed = masks.map((m) => place(m, shape, temps));
    if (placed.length > 2) { // sum the extra masks into one expanded mask
      const sum = Tensor.empty(shape, x.backend);
      x.backend.kernels.fill_f32(sum.ptr, sum.size, 0);
      temps.push(sum);
      for (const m of masks) binaryInto('maskedSoftmax', (k) => k.add_f32, sum, sum, m);
      placed = [{ t: sum, div: 1, rows, owned: true }];
    }
    const [a, b] = placed;
    if (rows > 0) {
      x.backend.kernels.softmax_masked_f32(out.ptr, xd.ptr, a ? a.t.ptr : 0, a?.div || 1, a?.rows || 1,
        b ? b.t.ptr : 0, b?.div || 1, b?.rows || 1, rows, cols, scale, causal ? T : 0);
    }
  } catch (e) {
    out.dispose();
    throw e;
  } finally {
    for (const t of temps) t.dispose();
  }
  if (!needsGrad(x)) return out;
  const causalT = causal ? T : 0;
  return record('maskedSoftmax', out, [x], [out], (g, [gx], [y]) => {
    if (rows > 0) g.backend.kernels.softmax_masked_backward_f32(gx!.ptr, y!.ptr, g.ptr, rows, cols, scale, causalT);
  });
}
