// Embedding lookup (contracts in src/backend/backend.ts): a row gather forward and a scatter-add
// backward — no dense one-hot. Indices are i32 and already validated by the caller (in range).
// f32x4 copies/adds over each row with a scalar tail.

/** out[i, :] = weight[indices[i], :] for i < n; rows of dim floats. */
export function embedding_f32(out: usize, weight: usize, indices: usize, n: i32, dim: i32): void {
  const rb = <usize>dim << 2;
  for (let i = 0; i < n; i++) {
    const src = weight + <usize>load<i32>(indices + (<usize>i << 2)) * rb, dst = out + <usize>i * rb;
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      for (; j + 4 <= dim; j += 4) v128.store(dst + (<usize>j << 2), v128.load(src + (<usize>j << 2)));
    }
    for (; j < dim; j++) store<f32>(dst + (<usize>j << 2), load<f32>(src + (<usize>j << 2)));
  }
}

/** dweight[indices[i], :] += dout[i, :] for every i whose index ≠ paddingIdx (−1: none). */
export function embedding_backward_f32(dweight: usize, indices: usize, dout: usize, n: i32, dim: i32, paddingIdx: i32): void {
  const rb = <usize>dim << 2;
  for (let i = 0; i < n; i++) {
    const row = load<i32>(indices + (<usize>i << 2));
    if (row == paddingIdx) continue;
    const dst = dweight + <usize>row * rb, src = dout + <usize>i * rb;
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      for (; j + 4 <= dim; j += 4) {
        const o = <usize>j << 2;
        v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
      }
    }
    for (; j < dim; j++) {
      const o = <usize>j << 2;
      store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
    }
  }
}
