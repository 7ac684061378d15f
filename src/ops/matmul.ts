// Matrix products on the GEMM kernel. Transposed views (x.T, transpose) are read in place: a
// matrix whose last stride is 1 goes as N, one whose second-to-last stride is 1 goes as T (the
// NT / TN kernels), anything else is copied first. Shapes follow torch.matmul: 1-D operands are
// promoted and squeezed back, batch dimensions broadcast.
import { Tensor } from '../tensor.js';
import { broadcastShapes, sizeOf, stridesOf } from '../shape.js';
import { ShapeError, fmtShape } from '../errors.js';
import { contiguous } from './shape.js';

interface Operand { t: Tensor; trans: number; ld: number; owned: boolean }

/** How the kernel reads the last two dims of t (rows × cols): layout flag and leading dim. */
function operand(t: Tensor): Operand {
  const r = t.rank, rows = t.shape[r - 2]!, cols = t.shape[r - 1]!;
  const s0 = t.strides[r - 2]!, s1 = t.strides[r - 1]!;
  if (s1 === 1 || cols === 1) {
    const ld = rows <= 1 ? Math.max(cols, 1) : s0;
    if (ld >= cols) return { t, trans: 0, ld, owned: false };
  }
  if (s0 === 1 || rows === 1) {
    const ld = cols <= 1 ? Math.max(rows, 1) : s1;
    if (ld >= rows) return { t, trans: 1, ld, owned: false };
  }
  const c = contiguous(t);
  return { t: c, trans: 0, ld: Math.max(cols, 1), owned: true };
}

export interface GemmOptions {
  /** Added to every row: shape [n]. */
  bias?: Tensor;
  /** Fused activation after the bias. */
  activation?: 'relu';
}

/**
 * Matrix product with torch.matmul's shape rules.
 * @example
 * const y = sg.matmul(x, w.T);          // [b, in] · [in, out] via the NT kernel, no copy
 */
export function matmul(a: Tensor, b: Tensor, options: GemmOptions = {}): Tensor {
  a.check(); b.check();
  if (a.rank === 0 || b.rank === 0) {
    throw new ShapeError(`matmul needs tensors of rank ≥ 1, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  }
  if (a.backend !== b.backend) throw new ShapeError('matmul: tensors live on different backends');
  const a2 = a.rank === 1 ? a.view([1, a.shape[0]!], [0, a.strides[0]!]) : a;
  const b2 = b.rank === 1 ? b.view([b.shape[0]!, 1], [b.strides[0]!, 0]) : b;
  try {
    const m = a2.shape[a2.rank - 2]!, k = a2.shape[a2.rank - 1]!;
    const k2 = b2.shape[b2.rank - 2]!, n = b2.shape[b2.rank - 1]!;
    if (k !== k2) {
      throw new ShapeError(`matmul: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} do not ` +
        `fit (inner dimensions ${k} ≠ ${k2})`);
    }
    const { bias, activation } = options;
    if (bias) {
      bias.check();
      if (bias.rank !== 1 || bias.shape[0] !== n) {
        throw new ShapeError(`matmul bias must have shape [${n}], got ${fmtShape(bias.shape)}`);
      }
    }
    const batchA = a2.shape.slice(0, -2), batchB = b2.shape.slice(0, -2);
    const batch = broadcastShapes(batchA, batchB);
    let shape = [...batch, m, n];
    const out = Tensor.empty(shape, a.backend);
    const oa = operand(a2), ob = operand(b2);
    const be = a.backend, heap = be.heap;
    const wsBytes = be.kernels.gemm_workspace_f32(m, n, k, oa.trans, ob.trans);
    const ws = wsBytes > 0 ? heap.alloc(wsBytes) : 0;
    const biasDense = bias && !bias.isContiguous ? contiguous(bias) : bias;
    try {
      const nb = sizeOf(batch), bstr = stridesOf(batch);
      const stepOf = (t: Tensor, bshape: readonly number[]) => (i: number): number => {
        let off = 0;
        for (let d = 0; d < batch.length; d++) {
          const j = d - (batch.length - bshape.length);
          const idx = Math.floor(i / bstr[d]!) % batch[d]!;
          if (j >= 0 && bshape[j] !== 1) off += idx * t.strides[j]!;
        }
        return off * 4;
      };
      const offA = stepOf(oa.t, batchA), offB = stepOf(ob.t, batchB);
      for (let i = 0; i < nb && m * n > 0; i++) {
        be.kernels.gemm_f32(out.ptr + i * m * n * 4, oa.t.ptr + offA(i), ob.t.ptr + offB(i),
          biasDense ? biasDense.ptr : 0, ws, m, n, k, oa.ld, ob.ld, Math.max(n, 1), oa.trans,
          ob.trans, 0, activation === 'relu' ? 1 : 0);
      }
    } catch (e) {
      out.dispose();
      throw e;
    } finally {
      if (ws) heap.free(ws);
      if (oa.owned) oa.t.dispose();
      if (ob.owned) ob.t.dispose();
      if (biasDense && biasDense !== bias) biasDense.dispose();
    }
    if (a.rank > 1 && b.rank > 1) return out;
    shape = [...batch, ...(a.rank > 1 ? [m] : []), ...(b.rank > 1 ? [n] : [])];
    const squeezed = out.view(shape, stridesOf(shape));
    out.dispose();
    return squeezed;
  } finally {
    if (a2 !== a) a2.dispose();
    if (b2 !== b) b2.dispose();
  }
}

/**
 * y = x·Wᵀ + b with an optional fused ReLU: PyTorch's F.linear (weight is [out, in]).
 * @example sg.linear(x, w, b, { activation: 'relu' })
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor, opts: { activation?: 'relu' } = {}): Tensor {
  if (weight.rank !== 2) throw new ShapeError(`linear weight must be 2-D, got ${fmtShape(weight.shape)}`);
  const wt = weight.T;
  try {
    return matmul(x, wt, { ...(bias ? { bias } : {}), ...opts });
  } finally {
    wt.dispose();
  }
}
