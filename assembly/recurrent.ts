// Fused pointwise cells of the recurrent layers (contracts in src/backend/backend.ts): LSTM
// (gates i, f, g, o), GRU (gates r, z, n) and the Elman RNN (tanh / relu), forward and backward.
// The matrix products around them (input projection for all steps, h·W_hhᵀ per step, weight
// gradients over all steps) are GEMM calls made by src/ops/recurrent.ts; these kernels do
// everything between two GEMMs in one pass over [rows, hidden]. Each row runs an f32x4 body over
// the hidden units and a scalar tail (the vmath scalar twins compute the same polynomials).
import { vtanh, stanh, vsigmoid, ssigmoid } from './vmath';

@inline function one(): v128 { return f32x4.splat(1); }

// ---- LSTM -------------------------------------------------------------------------------------

/** gates [rows, 4H] pre-activations → activated in place; c = f·cPrev + i·g; h = o·tanh(c). */
export function lstm_cell_f32(h: usize, c: usize, gates: usize, cPrev: usize, rows: i32, hidden: i32): void {
  const hb = <usize>hidden << 2;
  for (let r = 0; r < rows; r++) {
    const gi = gates + <usize>r * (hb << 2), gf = gi + hb, gg = gf + hb, go = gg + hb;
    const hr = h + <usize>r * hb, cr = c + <usize>r * hb, pr = cPrev + <usize>r * hb;
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      for (; j + 4 <= hidden; j += 4) {
        const o = <usize>j << 2;
        const i = vsigmoid(v128.load(gi + o)), f = vsigmoid(v128.load(gf + o));
        const g = vtanh(v128.load(gg + o)), og = vsigmoid(v128.load(go + o));
        const cn = f32x4.add(f32x4.mul(f, v128.load(pr + o)), f32x4.mul(i, g));
        v128.store(gi + o, i); v128.store(gf + o, f); v128.store(gg + o, g); v128.store(go + o, og);
        v128.store(cr + o, cn);
        v128.store(hr + o, f32x4.mul(og, vtanh(cn)));
      }
    }
    for (; j < hidden; j++) {
      const o = <usize>j << 2;
      const i = ssigmoid(load<f32>(gi + o)), f = ssigmoid(load<f32>(gf + o));
      const g = stanh(load<f32>(gg + o)), og = ssigmoid(load<f32>(go + o));
      const cn = f * load<f32>(pr + o) + i * g;
      store<f32>(gi + o, i); store<f32>(gf + o, f); store<f32>(gg + o, g); store<f32>(go + o, og);
      store<f32>(cr + o, cn);
      store<f32>(hr + o, og * stanh(cn));
    }
  }
}

/** With gates activated and tc = tanh(c): dct = dc + dh·o·(1 − tc²);
 * dgates += [dct·g·i(1−i), dct·cPrev·f(1−f), dct·i·(1−g²), dh·tc·o(1−o)]; dcPrev += dct·f. */
export function lstm_cell_backward_f32(
  dgates: usize, dcPrev: usize, gates: usize, cPrev: usize, c: usize, dh: usize, dc: usize, rows: i32, hidden: i32,
): void {
  const hb = <usize>hidden << 2;
  for (let r = 0; r < rows; r++) {
    const ro = <usize>r * (hb << 2), so = <usize>r * hb;
    const gi = gates + ro, gf = gi + hb, gg = gf + hb, go = gg + hb;
    const di = dgates + ro, df = di + hb, dg = df + hb, dO = dg + hb;
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      for (; j + 4 <= hidden; j += 4) {
        const o = <usize>j << 2, e = so + o;
        const i = v128.load(gi + o), f = v128.load(gf + o), g = v128.load(gg + o), og = v128.load(go + o);
        const tc = vtanh(v128.load(c + e)), d = v128.load(dh + e), cp = v128.load(cPrev + e);
        const dct = f32x4.add(v128.load(dc + e), f32x4.mul(f32x4.mul(d, og), f32x4.sub(one(), f32x4.mul(tc, tc))));
        v128.store(di + o, f32x4.add(v128.load(di + o), f32x4.mul(f32x4.mul(dct, g), f32x4.mul(i, f32x4.sub(one(), i)))));
        v128.store(df + o, f32x4.add(v128.load(df + o), f32x4.mul(f32x4.mul(dct, cp), f32x4.mul(f, f32x4.sub(one(), f)))));
        v128.store(dg + o, f32x4.add(v128.load(dg + o), f32x4.mul(f32x4.mul(dct, i), f32x4.sub(one(), f32x4.mul(g, g)))));
        v128.store(dO + o, f32x4.add(v128.load(dO + o), f32x4.mul(f32x4.mul(d, tc), f32x4.mul(og, f32x4.sub(one(), og)))));
        v128.store(dcPrev + e, f32x4.add(v128.load(dcPrev + e), f32x4.mul(dct, f)));
      }
    }
    for (; j < hidden; j++) {
      const o = <usize>j << 2, e = so + o;
      const i = load<f32>(gi + o), f = load<f32>(gf + o), g = load<f32>(gg + o), og = load<f32>(go + o);
      const tc = stanh(load<f32>(c + e)), d = load<f32>(dh + e), cp = load<f32>(cPrev + e);
      const dct = load<f32>(dc + e) + (d * og) * (1 - tc * tc);
      store<f32>(di + o, load<f32>(di + o) + (dct * g) * (i * (1 - i)));
      store<f32>(df + o, load<f32>(df + o) + (dct * cp) * (f * (1 - f)));
      store<f32>(dg + o, load<f32>(dg + o) + (dct * i) * (1 - g * g));
      store<f32>(dO + o, load<f32>(dO + o) + (d * tc) * (og * (1 - og)));
      store<f32>(dcPrev + e, load<f32>(dcPrev + e) + dct * f);
    }
  }
}

// ---- GRU --------------------------------------------------------------------------------------

/** gates [rows, 3H] = input projections (with b_ih) → r, z, n in place, hw [rows, 3H] =
 * hPrev·W_hhᵀ + b_hh: r = σ(x_r + hw_r), z = σ(x_z + hw_z), hn = hw_n (saved),
 * n = tanh(x_n + r·hn), h = n + z·(hPrev − n). */
export function gru_cell_f32(h: usize, hn: usize, gates: usize, hw: usize, hPrev: usize, rows: i32, hidden: i32): void {
  const hb = <usize>hidden << 2;
  for (let r = 0; r < rows; r++) {
    const ro = <usize>r * hb * 3, so = <usize>r * hb;
    const gr = gates + ro, gz = gr + hb, gn = gz + hb;
    const wr = hw + ro, wz = wr + hb, wn = wz + hb;
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      for (; j + 4 <= hidden; j += 4) {
        const o = <usize>j << 2, e = so + o;
        const rg = vsigmoid(f32x4.add(v128.load(gr + o), v128.load(wr + o)));
        const zg = vsigmoid(f32x4.add(v128.load(gz + o), v128.load(wz + o)));
        const hnv = v128.load(wn + o);
        const n = vtanh(f32x4.add(v128.load(gn + o), f32x4.mul(rg, hnv)));
        v128.store(gr + o, rg); v128.store(gz + o, zg); v128.store(gn + o, n); v128.store(hn + e, hnv);
        v128.store(h + e, f32x4.add(n, f32x4.mul(zg, f32x4.sub(v128.load(hPrev + e), n))));
      }
    }
    for (; j < hidden; j++) {
      const o = <usize>j << 2, e = so + o;
      const rg = ssigmoid(load<f32>(gr + o) + load<f32>(wr + o));
      const zg = ssigmoid(load<f32>(gz + o) + load<f32>(wz + o));
      const hnv = load<f32>(wn + o);
      const n = stanh(load<f32>(gn + o) + rg * hnv);
      store<f32>(gr + o, rg); store<f32>(gz + o, zg); store<f32>(gn + o, n); store<f32>(hn + e, hnv);
      store<f32>(h + e, n + zg * (load<f32>(hPrev + e) - n));
    }
  }
}

/** dan = dh·(1−z)·(1−n²), dar = dan·hn·r(1−r), daz = dh·(hPrev − n)·z(1−z):
 * dgx += [dar, daz, dan]; dgh += [dar, daz, dan·r]; dhPrev += dh·z. */
export function gru_cell_backward_f32(
  dgx: usize, dgh: usize, dhPrev: usize, gates: usize, hn: usize, hPrev: usize, dh: usize, rows: i32, hidden: i32,
): void {
  const hb = <usize>hidden << 2;
  for (let r = 0; r < rows; r++) {
    const ro = <usize>r * hb * 3, so = <usize>r * hb;
    const gr = gates + ro, gz = gr + hb, gn = gz + hb;
    const xr = dgx + ro, xz = xr + hb, xn = xz + hb;
    const hr = dgh + ro, hz = hr + hb, hN = hz + hb;
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      for (; j + 4 <= hidden; j += 4) {
        const o = <usize>j << 2, e = so + o;
        const rg = v128.load(gr + o), zg = v128.load(gz + o), n = v128.load(gn + o), d = v128.load(dh + e);
        const dan = f32x4.mul(f32x4.mul(d, f32x4.sub(one(), zg)), f32x4.sub(one(), f32x4.mul(n, n)));
        const dar = f32x4.mul(f32x4.mul(dan, v128.load(hn + e)), f32x4.mul(rg, f32x4.sub(one(), rg)));
        const daz = f32x4.mul(f32x4.mul(d, f32x4.sub(v128.load(hPrev + e), n)), f32x4.mul(zg, f32x4.sub(one(), zg)));
        v128.store(xr + o, f32x4.add(v128.load(xr + o), dar)); v128.store(hr + o, f32x4.add(v128.load(hr + o), dar));
        v128.store(xz + o, f32x4.add(v128.load(xz + o), daz)); v128.store(hz + o, f32x4.add(v128.load(hz + o), daz));
        v128.store(xn + o, f32x4.add(v128.load(xn + o), dan));
        v128.store(hN + o, f32x4.add(v128.load(hN + o), f32x4.mul(dan, rg)));
        v128.store(dhPrev + e, f32x4.add(v128.load(dhPrev + e), f32x4.mul(d, zg)));
      }
    }
    for (; j < hidden; j++) {
      const o = <usize>j << 2, e = so + o;
      const rg = load<f32>(gr + o), zg = load<f32>(gz + o), n = load<f32>(gn + o), d = load<f32>(dh + e);
      const dan = (d * (1 - zg)) * (1 - n * n);
      const dar = (dan * load<f32>(hn + e)) * (rg * (1 - rg));
      const daz = (d * (load<f32>(hPrev + e) - n)) * (zg * (1 - zg));
      store<f32>(xr + o, load<f32>(xr + o) + dar); store<f32>(hr + o, load<f32>(hr + o) + dar);
      store<f32>(xz + o, load<f32>(xz + o) + daz); store<f32>(hz + o, load<f32>(hz + o) + daz);
      store<f32>(xn + o, load<f32>(xn + o) + dan);
      store<f32>(hN + o, load<f32>(hN + o) + dan * rg);
      store<f32>(dhPrev + e, load<f32>(dhPrev + e) + d * zg);
    }
  }
}

// ---- Elman RNN --------------------------------------------------------------------------------

/** h = act(pre) over n values; act 0: tanh, 1: relu (x < 0 ? 0 : x). */
export function rnn_cell_f32(h: usize, pre: usize, n: i32, act: i32): void {
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 2, x = v128.load(pre + o);
      v128.store(h + o, act == 1 ? f32x4.pmax(x, f32x4.splat(0)) : vtanh(x));
    }
  }
  for (; j < n; j++) {
    const o = <usize>j << 2, x = load<f32>(pre + o);
    store<f32>(h + o, act == 1 ? (x < 0 ? <f32>0 : x) : stanh(x));
  }
}

/** dpre += dh·act'(h): tanh 1 − h², relu (h > 0). */
export function rnn_cell_backward_f32(dpre: usize, h: usize, dh: usize, n: i32, act: i32): void {
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 2, y = v128.load(h + o), d = v128.load(dh + o);
      const g = act == 1 ? v128.and(d, f32x4.gt(y, f32x4.splat(0))) : f32x4.mul(d, f32x4.sub(one(), f32x4.mul(y, y)));
      v128.store(dpre + o, f32x4.add(v128.load(dpre + o), g));
    }
  }
  for (; j < n; j++) {
    const o = <usize>j << 2, y = load<f32>(h + o), d = load<f32>(dh + o);
    store<f32>(dpre + o, load<f32>(dpre + o) + (act == 1 ? (y > 0 ? d : <f32>0) : d * (1 - y * y)));
  }
}
