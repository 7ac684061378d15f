// Matrix products on the GEMM kernel. Transposed views (x.T, transpose) are read in place: a
// matrix whose last stride is 1 goes as N, one whose second-to-last stride is 1 goes as T (the
// NT / TN kernels), anything else is copied first. Shapes follow torch.matmul: 1-D operands are
// promoted and squeezed back, batch dimensions broadcast.
import { Tensor, tensorArg } from '../tensor.js';
import { checkChoice } from '../check-option.js';
import { broadcastShapes, sizeOf, stridesOf } from '../shape-arithmetic.js';
import { ShapeError, fmtShape } from '../errors.js';
import { contiguous } from './shape.js';
import { needsGrad, noGrad, record } from '../autograd.js';
import { accumulate } from './grad.js';

interface Operand { t: Tensor; trans: number; ld: number; owned: boolean }

/** The fused activations (GemmOptions.activation). */
const ACTIVATIONS: readonly 'relu'[] = ['relu'];

/** The batch shape of plain matrices. */
const NO_BATCH: readonly number[] = Object.freeze([]);

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

/** Byte offset of batch item i (of the broadcast batch shape) in t, whose batch dims are t's leading ones. */
function batchOffset(t: Tensor, batch: readonly number[], bstr: readonly number[], i: number): number {
  const tb = t.rank - 2;
  let off = 0;
  for (let d = 0; d < batch.length; d++) {
    const j = d - (batch.length - tb);
    if (j >= 0 && t.shape[j] !== 1) off += (Math.floor(i / bstr[d]!) % batch[d]!) * t.strides[j]!;
  }
  return off * 4;
}

/**
 * c (contiguous [...batchC, m, n]) = act(a·b + bias) or c += a·b when accumulate, over the
 * broadcast batch of a, b and c — a c with fewer batch items sums over the others (gradients).
 */
function gemmInto(c: Tensor, a: Tensor, b: Tensor, accumulate: number, bias?: Tensor, act = 0): void {
  const m = a.shape[a.rank - 2]!, k = a.shape[a.rank - 1]!, n = b.shape[b.rank - 1]!;
  const batch = a.rank === 2 && b.rank === 2 && c.rank === 2 ? NO_BATCH
    : broadcastShapes(broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2)), c.shape.slice(0, -2));
  const oa = operand(a), ob = operand(b);
  const be = c.backend, heap = be.heap;
  const wsBytes = m * n > 0 ? be.kernels.gemm_workspace_f32(m, n, k, oa.trans, ob.trans) : 0;
  const ws = wsBytes > 0 ? heap.alloc(wsBytes) : 0;
  const biasDense = bias && !bias.isContiguous ? contiguous(bias) : bias;
  try {
    const bstr = stridesOf(batch), nb = sizeOf(batch);
    for (let i = 0; i < nb && m * n > 0; i++) {
      be.kernels.gemm_f32(c.ptr + batchOffset(c, batch, bstr, i), oa.t.ptr + batchOffset(oa.t, batch, bstr, i),
        ob.t.ptr + batchOffset(ob.t, batch, bstr, i), biasDense ? biasDense.ptr : 0, ws, m, n, k,
        oa.ld, ob.ld, c.strides[c.rank - 2] ?? n, oa.trans, ob.trans, accumulate, act);
    }
  } finally {
    if (ws) heap.free(ws);
    if (oa.owned) oa.t.dispose();
    if (ob.owned) ob.t.dispose();
    if (biasDense && biasDense !== bias) biasDense.dispose();
  }
}

/**
 * Matrix product with torch.matmul's shape rules.
 * @example
 * const y = sg.matmul(x, w.T);          // [b, in] · [in, out] via the NT kernel, no copy
 */
export function matmul(a: Tensor, b: Tensor, options: GemmOptions = {}): Tensor {
  tensorArg('matmul', 'a', a); tensorArg('matmul', 'b', b);
  if (a.rank === 0 || b.rank === 0) {
    throw new ShapeError(`matmul needs tensors of rank ≥ 1, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  }
  if (a.backend !== b.backend) throw new ShapeError('matmul: tensors live on different backends');
  // 1-D operands as [1, k] / [k, 1] views of the same data (untracked, no graph)
  const a2 = a.rank === 1 ? new Tensor(a.storage, [1, a.shape[0]!], [0, a.strides[0]!], a.offset) : a;
  const b2 = b.rank === 1 ? new Tensor(b.storage, [b.shape[0]!, 1], [b.strides[0]!, 0], b.offset) : b;
  try {
    const m = a2.shape[a2.rank - 2]!, k = a2.shape[a2.rank - 1]!;
    const k2 = b2.shape[b2.rank - 2]!, n = b2.shape[b2.rank - 1]!;
    if (k !== k2) {
      throw new ShapeError(`matmul: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} do not ` +
        `fit (inner dimensions ${k} ≠ ${k2})`);
    }
    const { bias, activation } = options;
    if (activation !== undefined) checkChoice('matmul', 'activation', activation, ACTIVATIONS);
    if (bias !== undefined) {
      tensorArg('matmul', 'bias', bias);
      if (bias.rank !== 1 || bias.shape[0] !== n) {
        throw new ShapeError(`matmul bias must have shape [${n}], got ${fmtShape(bias.shape)}`);
      }
    }
    const batch = a2.rank === 2 && b2.rank === 2 ? NO_BATCH
      : broadcastShapes(a2.shape.slice(0, -2), b2.shape.slice(0, -2));
    const full = batch.concat(m, n);
    const act = activation === 'relu' ? 1 : 0;
    const out = Tensor.empty(full, a.backend);
    try {
      gemmInto(out, a2, b2, 0, bias, act);
    } catch (e) {
      out.dispose();
      throw e;
    }
    let result = out;
    if (a.rank === 1 || b.rank === 1) { // squeeze the promoted dims back out
      const shape = batch.concat(a.rank > 1 ? [m] : [], b.rank > 1 ? [n] : []);
      result = out.view(shape, stridesOf(shape));
      out.dispose();
    }
    if (!needsGrad(a, b, bias)) return result;
    return record('matmul', result, bias ? [a, b, bias] : [a, b], [a, b, result], (g, [ga, gb, gbias], [sa, sb, y]) => {
      const gz = g.view(full, stridesOf(full));
      let gpre = gz;
      if (act) { // through the fused ReLU: the mask is y > 0
        gpre = Tensor.empty(full, g.backend);
        g.backend.kernels.fill_f32(gpre.ptr, gpre.size, 0);
        g.backend.kernels.relu_backward_f32(gpre.ptr, y!.ptr, y!.ptr, g.ptr, g.size);
      }
      const as2 = sa!.rank === 1 ? sa!.view([1, sa!.shape[0]!], [0, sa!.strides[0]!]) : sa!;
      const bs2 = sb!.rank === 1 ? sb!.view([sb!.shape[0]!, 1], [sb!.strides[0]!, 0]) : sb!;
      const views: Tensor[] = [];
      const as = (t: Tensor, s: readonly number[]): Tensor => { const v = t.view(s, stridesOf(s)); views.push(v); return v; };
      try {
        if (ga) { // dA += dC · Bᵀ
          const bt = transposeView(bs2);
          views.push(bt);
          gemmInto(as(ga, as2.shape), gpre, bt, 1);
        }
        if (gb) { // dB += Aᵀ · dC
          const at = transposeView(as2);
          views.push(at);
          gemmInto(as(gb, bs2.shape), at, gpre, 1);
        }
        if (gbias) accumulate(gbias, gpre);
      } finally {
        for (const v of views) v.dispose();
        if (gpre !== gz) gpre.dispose();
        gz.dispose();
        if (as2 !== sa) as2.dispose();
        if (bs2 !== sb) bs2.dispose();
      }
    });
  } finally {
    if (a2 !== a) a2.dispose();
    if (b2 !== b) b2.dispose();
  }
}

/** The last two dims swapped, as a plain view (no graph). */
function transposeView(t: Tensor): Tensor {
  const r = t.rank, shape = t.shape.slice(), strides = t.strides.slice();
  shape[r - 2] = t.shape[r - 1]!; shape[r - 1] = t.shape[r - 2]!;
  strides[r - 2] = t.strides[r - 1]!; strides[r - 1] = t.strides[r - 2]!;
  return t.view(Object.freeze(shape), Object.freeze(strides)); // frozen: the view keeps them as they are
}

/**
 * y = x·Wᵀ + b with an optional fused ReLU: PyTorch's F.linear (weight is [out, in]). Its
 * backward writes dW = dYᵀ·x straight in W's layout (TN GEMM) — no transposed copy.
 * @example sg.linear(x, w, b, { activation: 'relu' })
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor, opts: { activation?: 'relu' } = {}): Tensor {
  tensorArg('linear', 'x', x); tensorArg('linear', 'weight', weight);
  if (bias !== undefined) tensorArg('linear', 'bias', bias);
  if (weight.rank !== 2) throw new ShapeError(`linear weight must be 2-D, got ${fmtShape(weight.shape)}`);
  if (x.rank < 1 || x.shape[x.rank - 1] !== weight.shape[1]) {
    throw new ShapeError(`linear: input ${fmtShape(x.shape)} does not fit weight ${fmtShape(weight.shape)} ` +
      `(last dimension must be ${weight.shape[1]})`);
  }
  const wt = transposeView(weight);
  const y = noGrad(() => matmul(x, wt, { bias, activation: opts.activation }));
  wt.dispose();
  if (!needsGrad(x, weight, bias)) return y;
  return record('linear', y, bias ? [x, weight, bias] : [x, weight], [x, weight, y], (g, [gx, gw, gb], [xs, ws, ys]) => {
    const rows = g.size / weight.shape[0]!;
    let gz = g;
    if (opts.activation === 'relu') {
      gz = Tensor.empty(g.shape, g.backend);
      g.backend.kernels.fill_f32(gz.ptr, gz.size, 0);
      g.backend.kernels.relu_backward_f32(gz.ptr, ys!.ptr, ys!.ptr, g.ptr, g.size);
    }
    const g2 = asMatrix(gz, rows, weight.shape[0]!);
    const x2 = xs!.isContiguous ? asMatrix(xs!, rows, weight.shape[1]!) : null;
    try {
      if (gx) { // dX += dY · W
        const gx2 = asMatrix(gx, rows, weight.shape[1]!);
        gemmInto(gx2, g2, ws!, 1);
        if (gx2 !== gx) gx2.dispose();
      }
      if (gw) { // dW += dYᵀ · X
        const xd = x2 ?? xs!.reshape([rows, weight.shape[1]!]); // (a contiguous copy, held by the view alone)
        const gt = transposeView(g2);
        gemmInto(gw, gt, xd, 1);
        gt.dispose();
        if (xd !== x2) xd.dispose();
      }
      if (gb) accumulate(gb, gz);
    } finally {
      if (g2 !== gz) g2.dispose();
      if (x2 && x2 !== xs) x2.dispose();
      if (gz !== g) gz.dispose();
    }
  });
}

/** Contiguous t as a [rows, cols] matrix: t itself when it is exactly that already, else a view to dispose. */
function asMatrix(t: Tensor, rows: number, cols: number): Tensor {
  const isMatrix = t.rank === 2 && t.shape[0] === rows && t.shape[1] === cols && t.strides[0] === cols && t.strides[1] === 1;
  return isMatrix ? t : t.view([rows, cols], [cols, 1]);
}
