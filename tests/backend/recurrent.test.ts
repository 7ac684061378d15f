// Fused recurrent cells (LSTM, GRU, RNN tanh/relu; forward and backward) on every backend — the JS
// reference included — against naive f64 twins written here from the formulas in
// src/backend/backend.ts, at every hidden size in SIZES (SIMD bodies and scalar tails) and a few
// row counts; backward kernels must accumulate. Tolerances: forward 2e-6 (σ and tanh within 4e-7
// relative each in the wasm builds, assembly/vmath.ts, composed through two or three f32 products
// of unit-scale values); backward 1e-5 (products of up to five such factors, then the add onto a
// random accumulator in [−1, 1]).
import { SIZES, randomArray } from '../helpers/backends.js';
import { kernelSuite, type KernelCase } from './harness.js';

const FWD = { rtol: 2e-6, atol: 2e-6 }, BWD = { rtol: 1e-5, atol: 1e-5 };
const ROWS = [1, 3];
const sig = (x: number) => 1 / (1 + Math.exp(-x));
/** Every (row, unit) of a [rows, hidden] step; gate g of a [rows, G·hidden] block sits at at(g). */
function each(R: number, H: number, G: number, fn: (k: number, at: (g: number) => number) => void): void {
  for (let r = 0; r < R; r++) for (let j = 0; j < H; j++) fn(r * H + j, (g) => r * G * H + g * H + j);
}

function lstmCases(): KernelCase[] {
  return SIZES.flatMap((H) => ROWS.flatMap((R): KernelCase[] => {
    const n = R * H, s = H * 7 + R;
    const pre = randomArray(4 * n, s, -4, 4), cPrev = randomArray(n, s + 1, -2, 2);
    const h = new Float32Array(n), c = new Float32Array(n), act = new Float32Array(4 * n);
    each(R, H, 4, (k, at) => {
      const [i, f, g, o] = [sig(pre[at(0)]!), sig(pre[at(1)]!), Math.tanh(pre[at(2)]!), sig(pre[at(3)]!)];
      [act[at(0)], act[at(1)], act[at(2)], act[at(3)]] = [i, f, g, o];
      c[k] = f * cPrev[k]! + i * g;
      h[k] = o * Math.tanh(f * cPrev[k]! + i * g);
    });
    const dg0 = randomArray(4 * n, s + 2), dc0 = randomArray(n, s + 3), dh = randomArray(n, s + 4), dc = randomArray(n, s + 5);
    const dg = new Float64Array(dg0), dcPrev = new Float64Array(dc0);
    each(R, H, 4, (k, at) => {
      const [i, f, g, o] = [act[at(0)]!, act[at(1)]!, act[at(2)]!, act[at(3)]!], tc = Math.tanh(c[k]!);
      const dct = dc[k]! + dh[k]! * o * (1 - tc * tc);
      dg[at(0)]! += dct * g * i * (1 - i); dg[at(1)]! += dct * cPrev[k]! * f * (1 - f);
      dg[at(2)]! += dct * i * (1 - g * g); dg[at(3)]! += dh[k]! * tc * o * (1 - o);
      dcPrev[k]! += dct * f;
    });
    return [
      { label: `lstm fwd H=${H} R=${R}`, bufs: [new Float32Array(n), new Float32Array(n), pre, cPrev],
        call: (K, p) => K.lstm_cell_f32(p[0]!, p[1]!, p[2]!, p[3]!, R, H), want: [h, c, act], tol: FWD },
      { label: `lstm bwd H=${H} R=${R}`, bufs: [dg0, dc0, act, cPrev, c, dh, dc],
        call: (K, p) => K.lstm_cell_backward_f32(p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, p[5]!, p[6]!, R, H), want: [dg, dcPrev], tol: BWD },
    ];
  }));
}

function gruCases(): KernelCase[] {
  return SIZES.flatMap((H) => ROWS.flatMap((R): KernelCase[] => {
    const n = R * H, s = H * 5 + R;
    const gx = randomArray(3 * n, s, -4, 4), hw = randomArray(3 * n, s + 1, -3, 3), hPrev = randomArray(n, s + 2);
    const h = new Float32Array(n), hn = new Float32Array(n), act = new Float32Array(3 * n);
    each(R, H, 3, (k, at) => {
      const r = sig(gx[at(0)]! + hw[at(0)]!), z = sig(gx[at(1)]! + hw[at(1)]!), nn = Math.tanh(gx[at(2)]! + r * hw[at(2)]!);
      [act[at(0)], act[at(1)], act[at(2)]] = [r, z, nn];
      hn[k] = hw[at(2)]!;
      h[k] = (1 - z) * nn + z * hPrev[k]!;
    });
    const dgx0 = randomArray(3 * n, s + 3), dgh0 = randomArray(3 * n, s + 4), dhp0 = randomArray(n, s + 5), dh = randomArray(n, s + 6);
    const dgx = new Float64Array(dgx0), dgh = new Float64Array(dgh0), dhPrev = new Float64Array(dhp0);
    each(R, H, 3, (k, at) => {
      const [r, z, nn] = [act[at(0)]!, act[at(1)]!, act[at(2)]!];
      const dan = dh[k]! * (1 - z) * (1 - nn * nn), dar = dan * hn[k]! * r * (1 - r), daz = dh[k]! * (hPrev[k]! - nn) * z * (1 - z);
      dgx[at(0)]! += dar; dgx[at(1)]! += daz; dgx[at(2)]! += dan;
      dgh[at(0)]! += dar; dgh[at(1)]! += daz; dgh[at(2)]! += dan * r;
      dhPrev[k]! += dh[k]! * z;
    });
    return [
      { label: `gru fwd H=${H} R=${R}`, bufs: [new Float32Array(n), new Float32Array(n), gx, hw, hPrev],
        call: (K, p) => K.gru_cell_f32(p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, R, H), want: [h, hn, act], tol: FWD },
      { label: `gru bwd H=${H} R=${R}`, bufs: [dgx0, dgh0, dhp0, act, hn, hPrev, dh],
        call: (K, p) => K.gru_cell_backward_f32(p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, p[5]!, p[6]!, R, H), want: [dgx, dgh, dhPrev], tol: BWD },
    ];
  }));
}

function rnnCases(act: 0 | 1): KernelCase[] {
  return SIZES.flatMap((n): KernelCase[] => {
    const pre = randomArray(n, n + 11, -5, 5);
    if (n > 4) { pre[1] = 0; pre[2] = NaN; }
    const h = pre.map((v) => (act ? (v < 0 ? 0 : v) : Math.tanh(v)));
    const h2 = h.map((v) => (Number.isNaN(v) ? 0.5 : v)), dpre = randomArray(n, n + 12), dh = randomArray(n, n + 13);
    const want = Array.from(dpre, (d, i) => d + dh[i]! * (act ? (h2[i]! > 0 ? 1 : 0) : 1 - h2[i]! * h2[i]!));
    return [
      { label: `rnn fwd n=${n}`, bufs: [new Float32Array(n), pre], call: (K, p) => K.rnn_cell_f32(p[0]!, p[1]!, n, act),
        want: [h], tol: act ? 'bits' : { rtol: 4e-7, atol: 0 } },
      { label: `rnn bwd n=${n}`, bufs: [dpre, h2, dh], call: (K, p) => K.rnn_cell_backward_f32(p[0]!, p[1]!, p[2]!, n, act),
        want: [want], tol: { rtol: 1e-6, atol: 1e-6 } },
    ];
  });
}

kernelSuite('recurrent cell kernels', {
  'lstm_cell_f32 and backward': lstmCases,
  'gru_cell_f32 and backward': gruCases,
  'rnn_cell_f32 and backward (tanh)': () => rnnCases(0),
  'rnn_cell_f32 and backward (relu)': () => rnnCases(1),
});
