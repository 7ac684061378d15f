// scaledDotProductAttention (torch.nn.functional.scaled_dot_product_attention):
// softmax(q·kᵀ·scale + mask)·v over the last two dims, batch dims broadcast as in matmul. kᵀ is a
// view (the NT GEMM reads it in place); the softmax is the fused maskedSoftmax; dropout, when
// asked for, drops attention weights. Masks are additive float tensors (0 keeps, −inf excludes) —
// PyTorch's boolean masks mean "keep" here, so convert with attentionMask(); a fully masked row
// attends to nothing and gives zeros (PyTorch: NaN).
import { tensorArg, type Tensor } from '../tensor.js';
import { ShapeError, fmtShape } from '../errors.js';
import { matmul } from '../ops/matmul.js';
import { transpose } from '../ops/shape.js';
import { maskedSoftmax } from '../ops/attention.js';
import { dropout } from './functional.js';
import { checkNumber, checkSeed } from '../check-option.js';

export interface ScaledDotProductAttentionOptions {
  /** Additive mask broadcastable to [..., T, S] (or several). */
  attnMask?: Tensor | readonly Tensor[] | null;
  /** Dropout probability on the attention weights (applied only when > 0). */
  dropoutP?: number;
  /** Keep only j ≤ i (a causal mask, tril(ones(T, S))). */
  isCausal?: boolean;
  /** Default 1/√(q's last dim). */
  scale?: number;
  /** Seed of the dropout mask. */
  seed?: number;
  /** Also return the attention weights (default false). */
  needWeights?: boolean;
}

/**
 * Attention of queries q [..., T, D] over keys k [..., S, D] and values v [..., S, Dv] → [..., T, Dv].
 * @example
 * const out = sg.nn.functional.scaledDotProductAttention(q, k, v, { isCausal: true });
 */
export function scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, opts: ScaledDotProductAttentionOptions & { needWeights: true }): [Tensor, Tensor];
export function scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, opts?: ScaledDotProductAttentionOptions): Tensor;
export function scaledDotProductAttention(
  q: Tensor, k: Tensor, v: Tensor, opts: ScaledDotProductAttentionOptions = {},
): Tensor | [Tensor, Tensor] {
  const { attnMask = null, dropoutP = 0, isCausal = false, scale, seed, needWeights = false } = opts ?? {};
  tensorArg('scaledDotProductAttention', 'q', q);
  tensorArg('scaledDotProductAttention', 'k', k);
  tensorArg('scaledDotProductAttention', 'v', v);
  if (q.rank < 2 || k.rank < 2 || v.rank < 2) {
    throw new ShapeError(`scaledDotProductAttention needs rank ≥ 2, got q ${fmtShape(q.shape)}, k ${fmtShape(k.shape)}, v ${fmtShape(v.shape)}`);
  }
  const d = q.shape[q.rank - 1]!;
  if (k.shape[k.rank - 1] !== d || k.shape[k.rank - 2] !== v.shape[v.rank - 2]) {
    throw new ShapeError(`scaledDotProductAttention: q ${fmtShape(q.shape)}, k ${fmtShape(k.shape)} and v ${fmtShape(v.shape)} ` +
      'need q and k to share the last dim and k and v the second-to-last');
  }
  checkNumber('scaledDotProductAttention', 'dropoutP', dropoutP, { min: 0, max: 1 });
  checkSeed('scaledDotProductAttention', seed);
  const kt = transpose(k, -2, -1);
  const scores = matmul(q, kt);
  kt.dispose();
  let w: Tensor;
  try {
    w = maskedSoftmax(scores, { scale: scale ?? 1 / Math.sqrt(d), mask: attnMask, causal: isCausal });
  } finally {
    scores.dispose();
  }
  if (dropoutP > 0) {
    const dropped = dropout(w, dropoutP, { training: true, seed });
    w.dispose();
    w = dropped;
  }
  const out = matmul(w, v);
  if (needWeights) return [out, w];
  w.dispose();
  return out;
}
