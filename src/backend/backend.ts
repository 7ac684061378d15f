// The kernel set: every kernel simdgrad runs, as one typed interface.
//
// Contract (the wasm ABI, docs/ARCHITECTURE.md#the-kernel-abi): arguments are numbers only — byte
// offsets ("pointers") into the one linear memory, then counts. Outputs come first, then inputs,
// then sizes. Every f32 buffer is 4-byte aligned. Kernels never allocate. Backward kernels
// ACCUMULATE (`+=`) into their gradient output; forward kernels overwrite theirs. Booleans are
// 0/1 integers. Scalar parameters (alpha, beta, p, smoothing, low/high, mean/std) are f32 in the
// wasm ABI (the JS reference rounds them with Math.fround); seeds and random offsets are u32.
// `src/backend/wasm.ts` (AssemblyScript exports) and `src/backend/js/` (naive loops: the
// specification) both satisfy this interface, so a missing kernel is a compile error.

/** Byte offset into linear memory. */
export type Ptr = number;

/** Names of the kernel implementations. */
export type BackendName = 'relaxed' | 'simd' | 'scalar' | 'js';

/** Binary elementwise kernel over a 2-D broadcast view.
 * out[o*inner + i] = op(a[o*aOuter + i*aInner], b[o*bOuter + i*bInner]) for o < outer, i < inner;
 * aInner and bInner are 0 (broadcast) or 1 (contiguous); strides count elements. */
export type BinaryKernel = (
  out: Ptr, a: Ptr, b: Ptr, outer: number, inner: number,
  aOuter: number, aInner: number, bOuter: number, bInner: number,
) => void;
/** Unary elementwise: out[i] = f(x[i]) for i < n. out may equal x. */
export type UnaryKernel = (out: Ptr, x: Ptr, n: number) => void;
/** Unary derivative: dx[i] += dy[i] · f'(x[i]), where y = f(x) is given too (some use it);
 * overwrite 1: dx[i] = dy[i] · f'(x[i]) (dx is not read: a fresh gradient buffer). */
export type UnaryBackwardKernel = (dx: Ptr, x: Ptr, y: Ptr, dy: Ptr, n: number, overwrite?: number) => void;
/** Unary with one parameter p (leaky slope, exponent). */
export type UnaryParamKernel = (out: Ptr, x: Ptr, n: number, p: number) => void;
export type UnaryParamBackwardKernel = (dx: Ptr, x: Ptr, y: Ptr, dy: Ptr, n: number, p: number, overwrite?: number) => void;
/** Reduction of the middle axis of a contiguous [outer, len, inner] view into out[outer, inner]. */
export type ReduceKernel = (out: Ptr, x: Ptr, outer: number, len: number, inner: number) => void;
/** Row-wise kernel over a contiguous [rows, cols] matrix. */
export type RowsKernel = (out: Ptr, x: Ptr, rows: number, cols: number) => void;
/** Row-wise backward: dx += f'(y, dy) per row, y the forward output. */
export type RowsBackwardKernel = (dx: Ptr, y: Ptr, dy: Ptr, rows: number, cols: number) => void;

export interface Kernels {
  // ---- GEMM (assembly/gemm.ts) -------------------------------------------------------------
  /** C[m×n] = act(op(A)[m×k] · op(B)[k×n] + bias[n] (+ C if accumulate)).
   * op(A)[i][p] = transA ? a[p*lda + i] : a[i*lda + p]; op(B)[p][j] = transB ? b[j*ldb + p] :
   * b[p*ldb + j]; C[i][j] at c[i*ldc + j]. Leading dimensions count elements. bias = 0: none.
   * act: 0 none, 1 relu (applied after bias and accumulation). ws: scratch of at least
   * gemm_workspace_f32(...) bytes (16-byte aligned), unused by the JS reference. C must not
   * overlap A, B or bias. */
  gemm_f32(
    c: Ptr, a: Ptr, b: Ptr, bias: Ptr, ws: Ptr, m: number, n: number, k: number,
    lda: number, ldb: number, ldc: number, transA: number, transB: number,
    accumulate: number, act: number,
  ): void;
  /** Scratch bytes gemm_f32 needs for these sizes (0 if none). */
  gemm_workspace_f32(m: number, n: number, k: number, transA: number, transB: number): number;

  // ---- binary elementwise, affine, fill (assembly/elementwise.ts) ------------------------
  add_f32: BinaryKernel;
  sub_f32: BinaryKernel;
  mul_f32: BinaryKernel;
  div_f32: BinaryKernel;
  /** Elementwise max/min; NaN in either input gives NaN (torch.maximum semantics). */
  maximum_f32: BinaryKernel;
  minimum_f32: BinaryKernel;
  /** a ** b (Math.pow semantics). */
  pow_f32: BinaryKernel;

  /** out[i] = x[i]·alpha + beta (scalar add/mul/sub without a scalar tensor). */
  affine_f32(out: Ptr, x: Ptr, n: number, alpha: number, beta: number): void;
  /** out[i] = value. */
  fill_f32(out: Ptr, n: number, value: number): void;

  // ---- unary elementwise and activations (assembly/activation.ts) ------------------------
  neg_f32: UnaryKernel; neg_backward_f32: UnaryBackwardKernel;
  abs_f32: UnaryKernel; abs_backward_f32: UnaryBackwardKernel;       // f'(0) = 0
  exp_f32: UnaryKernel; exp_backward_f32: UnaryBackwardKernel;
  log_f32: UnaryKernel; log_backward_f32: UnaryBackwardKernel;
  sqrt_f32: UnaryKernel; sqrt_backward_f32: UnaryBackwardKernel;
  tanh_f32: UnaryKernel; tanh_backward_f32: UnaryBackwardKernel;
  sigmoid_f32: UnaryKernel; sigmoid_backward_f32: UnaryBackwardKernel;
  /** x < 0 ? 0 : x (NaN passes through, −0 stays −0); f'(0) = 0. */
  relu_f32: UnaryKernel; relu_backward_f32: UnaryBackwardKernel;
  /** GELU, exact (erf) form: x·Φ(x) — PyTorch's default. */
  gelu_f32: UnaryKernel; gelu_backward_f32: UnaryBackwardKernel;
  /** SiLU / swish: x·sigmoid(x). */
  silu_f32: UnaryKernel; silu_backward_f32: UnaryBackwardKernel;
  /** x > 0 ? x : p·x. */
  leaky_relu_f32: UnaryParamKernel; leaky_relu_backward_f32: UnaryParamBackwardKernel;
  /** x ** p for a scalar exponent p; the derivative is 0 when p = 0 (as PyTorch). */
  pow_scalar_f32: UnaryParamKernel; pow_scalar_backward_f32: UnaryParamBackwardKernel;

  // ---- reductions and row-wise ops (assembly/reduce.ts) ----------------------------------
  sum_f32: ReduceKernel;
  mean_f32: ReduceKernel;
  /** max along the axis; NaN propagates. len = 0 gives -Infinity. */
  max_f32: ReduceKernel;
  /** Index of the first maximum along the axis, written as i32 into out; a NaN counts as the
   * maximum (the first NaN wins); len = 0 gives −1. */
  argmax_f32: ReduceKernel;
  /** Softmax over the last axis of [rows, cols] (max-subtracted). */
  softmax_f32: RowsKernel;
  /** dx += y ⊙ (dy − Σ_j dy_j·y_j), y = softmax(x). */
  softmax_backward_f32: RowsBackwardKernel;
  /** x − logsumexp(x) over the last axis. */
  log_softmax_f32: RowsKernel;
  /** dx += dy − exp(y)·Σ_j dy_j, y = log_softmax(x). */
  log_softmax_backward_f32: RowsBackwardKernel;

  // ---- losses (assembly/loss.ts) ---------------------------------------------------------
  /** Fused softmax cross-entropy per row: loss[r] = −Σ_j q_j·log_softmax(logits_r)_j with
   * q = (1−s)·onehot(t_r) + s/cols (s = label smoothing). targets are i32; a target outside
   * [0, cols) (PyTorch's ignore_index −100 included) ignores the row (loss 0, no gradient). */
  softmax_xent_f32(
    loss: Ptr, logits: Ptr, targets: Ptr, rows: number, cols: number, smoothing: number,
  ): void;
  /** dlogits[r] += dloss[r] · (softmax(logits_r) − q_r); ignored rows get nothing. */
  softmax_xent_backward_f32(
    dlogits: Ptr, logits: Ptr, targets: Ptr, dloss: Ptr, rows: number, cols: number,
    smoothing: number,
  ): void;

  // ---- data movement (assembly/copy.ts) --------------------------------------------------
  /** Strided 4-D copy: out[((i0*d1+i1)*d2+i2)*... ] laid out with strides o0..o3, read from x with
   * strides x0..x3 (all in elements; x strides may be 0 or negative). Covers transpose, slice, concat, flips,
   * broadcast-expand; shapes of lower rank pad with leading 1s. */
  copy_strided_f32(
    out: Ptr, x: Ptr, d0: number, d1: number, d2: number, d3: number,
    o0: number, o1: number, o2: number, o3: number,
    x0: number, x1: number, x2: number, x3: number,
  ): void;

  // ---- optimizers (assembly/optim.ts) ----------------------------------------------------
  // One call per parameter group per step over flat buffers of n floats, PyTorch's update formulas
  // (torch.optim, single-tensor path) in f32 with the same operation order; step-dependent
  // scalars and the complements 1 − β, 1 − α, 1 − dampening come from the caller (computed in
  // f64, as PyTorch does). "g'" is g + weightDecay·p when weightDecay ≠ 0, else g.
  /** SGD: d = g'; with momentum ≠ 0: buf = first ? d : momentum·buf + (1 − dampening)·d, then
   * d = nesterov ? d + momentum·buf : buf; p −= lr·d. buf is unused (may be 0) if momentum = 0. */
  sgd_f32(p: Ptr, g: Ptr, buf: Ptr, n: number, lr: number, weightDecay: number, momentum: number,
    oneMinusDampening: number, nesterov: number, first: number): void;
  /** One Adam / AdamW step over the moments m, v (and vmax for amsgrad; 0 without), exactly as
   * stated in src/optim/adam.ts, which computes the scalars: stepSize, bc2Sqrt, the complements,
   * weightDecay (the L2 term; 0 for AdamW) and decay (1 − lr·wd for AdamW; 1 for Adam). */
  adam_f32(p: Ptr, g: Ptr, m: Ptr, v: Ptr, vmax: Ptr, n: number, stepSize: number, beta1: number,
    oneMinusBeta1: number, beta2: number, oneMinusBeta2: number, eps: number, weightDecay: number,
    bc2Sqrt: number, decay: number): void;
  /** RMSprop: sq = α·sq + (1−α)·g'·g'; centered (gradAvg ≠ 0): ga = α·ga + (1−α)·g',
   * avg = sqrt(sq − ga·ga) + eps, else avg = sqrt(sq) + eps; momentum > 0: buf = momentum·buf +
   * g'/avg, p −= lr·buf; else p −= lr·g'/avg. */
  rmsprop_f32(p: Ptr, g: Ptr, squareAvg: Ptr, gradAvg: Ptr, buf: Ptr, n: number, lr: number,
    alpha: number, oneMinusAlpha: number, eps: number, weightDecay: number, momentum: number): void;
  /** Adagrad: sum += g'·g'; p −= clr · g'/(sqrt(sum) + eps), clr = lr/(1 + (t−1)·lrDecay). */
  adagrad_f32(p: Ptr, g: Ptr, sum: Ptr, n: number, clr: number, weightDecay: number, eps: number): void;
  /** Σ x[i]² as a double (f32 partial sums of ≤ 256 elements added in f64). */
  sum_squares_f32(x: Ptr, n: number): number;
  /** max |x[i]|; 0 for n = 0, NaN if any element is NaN. */
  abs_max_f32(x: Ptr, n: number): number;
  /** out[i] = min(max(x[i], lo), hi); NaN passes through. out may equal x. */
  clamp_f32(out: Ptr, x: Ptr, n: number, lo: number, hi: number): void;

  // ---- counter-based random numbers (assembly/random.ts) ---------------------------------
  // Philox4x32-10 (Salmon et al. 2011; M0 = 0xD2511F53, M1 = 0xCD9E8D57, W0 = 0x9E3779B9,
  // W1 = 0xBB67AE85) with key (seedLo, seedHi) and counter (block, 0, 0, 0). Element j = offset + i:
  // uniforms use word j & 3 of block j >>> 2, u = (word >>> 8)·2⁻²⁴; normals use words w0, w1 of
  // block j >>> 1: u1 = ((w0 >>> 8) + 1)·2⁻²⁴, u2 = (w1 >>> 8)·2⁻²⁴, r = sqrt(−2·ln u1),
  // z = r·cos(2π·u2) for even j, r·sin(2π·u2) for odd j (computed in f64). Every backend gives
  // the same bits for uniforms and masks, and normals equal up to last-bit rounding of log/cos.
  /** out[i] = low + (high − low)·u, u = (word >>> 8)·2⁻²⁴ ∈ [0, 1). */
  rand_uniform_f32(out: Ptr, n: number, seedLo: number, seedHi: number, offset: number,
    low: number, high: number): void;
  /** out[i] = mean + std·z, z standard normal. */
  rand_normal_f32(out: Ptr, n: number, seedLo: number, seedHi: number, offset: number,
    mean: number, std: number): void;
  /** mask[i] = u ≥ p ? 1/(1−p) : 0 (inverted dropout scale). p = 1 gives all zeros. */
  dropout_mask_f32(mask: Ptr, n: number, seedLo: number, seedHi: number, offset: number,
    p: number): void;

  // ---- recurrent cells (assembly/recurrent.ts) -------------------------------------------
  // Pointwise parts of one time step for `rows` sequences of `hidden` units; gate blocks are
  // contiguous [rows, G·hidden] in PyTorch's gate order. σ is the logistic sigmoid.
  /** LSTM: gates [rows, 4H] hold pre-activations (i, f, g, o) and are overwritten with
   * σ(i), σ(f), tanh(g), σ(o); c = f·cPrev + i·g, h = o·tanh(c) ([rows, H] each). */
  lstm_cell_f32(h: Ptr, c: Ptr, gates: Ptr, cPrev: Ptr, rows: number, hidden: number): void;
  /** LSTM backward with gates activated: tc = tanh(c), dct = dc + dh·o·(1 − tc²);
   * dgates += [dct·g·i(1−i), dct·cPrev·f(1−f), dct·i·(1−g²), dh·tc·o(1−o)]; dcPrev += dct·f. */
  lstm_cell_backward_f32(dgates: Ptr, dcPrev: Ptr, gates: Ptr, cPrev: Ptr, c: Ptr, dh: Ptr, dc: Ptr,
    rows: number, hidden: number): void;
  /** GRU: gates [rows, 3H] = x·W_ihᵀ + b_ih (r, z, n), overwritten with r, z, n; hw [rows, 3H] =
   * hPrev·W_hhᵀ + b_hh. r = σ(x_r + hw_r), z = σ(x_z + hw_z), hn = hw_n (written, [rows, H]),
   * n = tanh(x_n + r·hn), h = (1 − z)·n + z·hPrev (computed as n + z·(hPrev − n)). */
  gru_cell_f32(h: Ptr, hn: Ptr, gates: Ptr, hw: Ptr, hPrev: Ptr, rows: number, hidden: number): void;
  /** GRU backward: dan = dh·(1−z)·(1−n²), dar = dan·hn·r(1−r), daz = dh·(hPrev−n)·z(1−z);
   * dgx += [dar, daz, dan] (input side), dgh += [dar, daz, dan·r] (hidden side), dhPrev += dh·z. */
  gru_cell_backward_f32(dgx: Ptr, dgh: Ptr, dhPrev: Ptr, gates: Ptr, hn: Ptr, hPrev: Ptr, dh: Ptr,
    rows: number, hidden: number): void;
  /** Elman RNN: h[i] = act(pre[i]) for i < n; act 0 tanh, 1 relu (x < 0 ? 0 : x). */
  rnn_cell_f32(h: Ptr, pre: Ptr, n: number, act: number): void;
  /** dpre[i] += dh[i]·act'(h[i]): tanh 1 − h², relu h > 0 ? 1 : 0. */
  rnn_cell_backward_f32(dpre: Ptr, h: Ptr, dh: Ptr, n: number, act: number): void;

  // ---- embedding (assembly/embedding.ts) -------------------------------------------------
  /** out[i, :] = weight[indices[i], :] for i < n (indices i32, in range; rows of dim floats). */
  embedding_f32(out: Ptr, weight: Ptr, indices: Ptr, n: number, dim: number): void;
  /** dweight[indices[i], :] += dout[i, :] for each i with indices[i] ≠ paddingIdx (−1: none). */
  embedding_backward_f32(dweight: Ptr, indices: Ptr, dout: Ptr, n: number, dim: number, paddingIdx: number): void;

  // ---- attention (assembly/attention.ts) -------------------------------------------------
  /** Softmax of masked, scaled scores over each row of [rows, cols]: z_j = scale·x_j + m1_j + m2_j,
   * where mask k (a pointer to additive rows [mkRows, cols]; 0 = none) contributes its row
   * floor(r / mkDiv) % mkRows; with causal = T > 0 the columns j > r % T are masked too (never
   * read). y = softmax(z) over the unmasked columns, 0 elsewhere; a fully masked row (every z
   * −inf) gives zeros, not NaN (PyTorch gives NaN); a NaN score gives a NaN row. */
  softmax_masked_f32(
    out: Ptr, x: Ptr, m1: Ptr, m1Div: number, m1Rows: number, m2: Ptr, m2Div: number, m2Rows: number,
    rows: number, cols: number, scale: number, causal: number,
  ): void;
  /** dx += scale · y ⊙ (dy − Σ_j dy_j·y_j) over the columns the forward used (j ≤ r % causal). */
  softmax_masked_backward_f32(dx: Ptr, y: Ptr, dy: Ptr, rows: number, cols: number, scale: number, causal: number): void;

  // ---- convolution (assembly/conv.ts) ----------------------------------------------------
  // NCHW. Geometry (all counts): n images of cin channels of h×w; cout output channels of oh×ow;
  // a kh×kw kernel with stride (sh, sw), top/left padding (ph, pw) and dilation (dh, dw); groups
  // dividing cin and cout. Output (i, j) reads input row i·sh + a·dh − ph and column j·sw + b·dw − pw
  // for tap (a, b), zero outside the image (so bottom/right padding is whatever oh, ow imply).
  // The weight is [cout, cin/groups, kh, kw]. ws: scratch of conv2d_workspace_f32(...) bytes
  // (16-byte aligned), unused by the JS reference.
  /** y[n, cout, oh, ow] = bias[co] (0: none) + Σ_{ci in co's group, a, b} w[co, ci, a, b]·x(…). */
  conv2d_f32(y: Ptr, x: Ptr, w: Ptr, bias: Ptr, ws: Ptr, n: number, cin: number, h: number, wd: number,
    cout: number, oh: number, ow: number, kh: number, kw: number, sh: number, sw: number, ph: number,
    pw: number, dh: number, dw: number, groups: number): void;
  /** dx[n, cin, h, w] += ∂/∂x of Σ dy·y (the transposed convolution of dy); overwrite 1: dx = …
   * (dx is not read: a fresh gradient buffer). */
  conv2d_backward_input_f32(dx: Ptr, dy: Ptr, w: Ptr, ws: Ptr, n: number, cin: number, h: number, wd: number,
    cout: number, oh: number, ow: number, kh: number, kw: number, sh: number, sw: number, ph: number,
    pw: number, dh: number, dw: number, groups: number, overwrite?: number): void;
  /** dw[cout, cin/groups, kh, kw] (0: none) += ∂/∂w of Σ dy·y; dbias[cout] (0: none) += Σ dy over n, oh, ow. */
  conv2d_backward_weight_f32(dw: Ptr, dbias: Ptr, dy: Ptr, x: Ptr, ws: Ptr, n: number, cin: number, h: number,
    wd: number, cout: number, oh: number, ow: number, kh: number, kw: number, sh: number, sw: number,
    ph: number, pw: number, dh: number, dw_: number, groups: number): void;
  /** Scratch bytes any of the three convolution kernels needs for this geometry (the kernels'
   * trailing arguments, n … groups). */
  conv2d_workspace_f32(n: number, cin: number, h: number, wd: number, cout: number, oh: number, ow: number, kh: number,
    kw: number, sh: number, sw: number, ph: number, pw: number, dh: number, dw: number, groups: number): number;

  // ---- pooling (assembly/pool.ts) ---------------------------------------------------------
  // `planes` contiguous h×w inputs → oh×ow outputs; window (i, j) covers rows i·sh − ph …
  // i·sh − ph + kh − 1 and columns likewise, clipped to the input (every window holds ≥ 1 input).
  /** y = window max; idx (i32) = flat index in the plane of the value taken: a value replaces the
   * running max when greater or NaN (PyTorch's CPU rule), starting from the window's first input. */
  max_pool2d_f32(y: Ptr, idx: Ptr, x: Ptr, planes: number, h: number, w: number, oh: number, ow: number,
    kh: number, kw: number, sh: number, sw: number, ph: number, pw: number): void;
  /** dx[plane·h·w + idx] += dy for every output (the forward's geometry); overwrite 1: dx = those
   * sums, 0 where no output took the input (dx is not read: a fresh gradient buffer). */
  max_pool2d_backward_f32(dx: Ptr, idx: Ptr, dy: Ptr, planes: number, h: number, w: number, oh: number, ow: number,
    kh: number, kw: number, sh: number, sw: number, ph: number, pw: number, overwrite?: number): void;
  /** y = Σ window / divisor: the window clipped to the padded input [−p, size + p) when
   * countIncludePad, else to the input (PyTorch's avg_pool2d). */
  avg_pool2d_f32(y: Ptr, x: Ptr, planes: number, h: number, w: number, oh: number, ow: number,
    kh: number, kw: number, sh: number, sw: number, ph: number, pw: number, countIncludePad: number): void;
  /** dx += dy / divisor over each window. */
  avg_pool2d_backward_f32(dx: Ptr, dy: Ptr, planes: number, h: number, w: number, oh: number, ow: number,
    kh: number, kw: number, sh: number, sw: number, ph: number, pw: number, countIncludePad: number): void;

  // ---- batch normalisation (assembly/batch-norm.ts) ----------------------------------------
  // x [n, c, hw] contiguous; per-channel vectors of c floats.
  /** mean = Σx / (n·hw), variance = Σ(x − mean)² / (n·hw) per channel (sums in f64). */
  batch_norm_stats_f32(mean: Ptr, variance: Ptr, x: Ptr, n: number, c: number, hw: number): void;
  /** y = (x − mean)·invstd·weight + bias; weight 0: 1, bias 0: 0. */
  batch_norm_f32(y: Ptr, x: Ptr, mean: Ptr, invstd: Ptr, weight: Ptr, bias: Ptr, n: number, c: number, hw: number): void;
  /** With M = n·hw, Sd = Σdy and Sx = Σdy·(x − mean) per channel (f64): dweight += Sx·invstd,
   * dbias += Sd, dx += weight·invstd·(dy − Sd/M − (x − mean)·invstd²·Sx/M) when training, else
   * weight·invstd·dy. Any of dx, dweight, dbias may be 0 (not wanted); weight 0 means 1. */
  batch_norm_backward_f32(dx: Ptr, dweight: Ptr, dbias: Ptr, x: Ptr, dy: Ptr, mean: Ptr, invstd: Ptr,
    weight: Ptr, n: number, c: number, hw: number, training: number): void;
}
