// Fused recurrent cells (LSTM, GRU, RNN tanh/relu; forward and backward) on every backend against
// the JS reference, at every hidden size in SIZES (SIMD bodies and scalar tails) and a few row
// counts; backward kernels must accumulate.
import { describe, it, expect } from 'vitest';
import { BACKENDS, SIZES, backend, expectClose, randomArray } from '../helpers/backends.js';
import type { Backend } from '../../src/backend/create.js';
import { runKernel, type Buf } from './harness.js';

const TOL = { rtol: 2e-6, atol: 2e-6 };
const ROWS = [1, 3];

/** Runs the same call on `be` and on the JS reference and compares every buffer. */
async function same(be: string, label: string, bufs: Buf[], call: (b: Backend, p: number[]) => void, tol = TOL): Promise<Buf[]> {
  const ref = await backend('js'), b = await backend(be as 'js');
  const want = runKernel(ref, bufs, (p) => call(ref, p));
  const got = runKernel(b, bufs, (p) => call(b, p));
  want.forEach((w, i) => expectClose(got[i]!, w, tol, `${be} ${label} buffer ${i}`));
  return want;
}

describe.each(BACKENDS)('recurrent cell kernels on %s', (be) => {
  it('lstm_cell_f32 and lstm_cell_backward_f32', async () => {
    for (const H of SIZES) for (const R of ROWS) {
      const n = R * H, s = H * 7 + R;
      const gates = randomArray(4 * n, s, -4, 4), cPrev = randomArray(n, s + 1, -2, 2);
      const [h, c, act] = await same(be, `lstm fwd H=${H} R=${R}`, [new Float32Array(n), new Float32Array(n), gates, cPrev],
        (b, p) => b.kernels.lstm_cell_f32(p[0]!, p[1]!, p[2]!, p[3]!, R, H));
      if (n > 0) {
        const i = 1 / (1 + Math.exp(-gates[0]!)), f = 1 / (1 + Math.exp(-gates[H]!)), g = Math.tanh(gates[2 * H]!);
        const o = 1 / (1 + Math.exp(-gates[3 * H]!)), cc = f * cPrev[0]! + i * g;
        expect(c![0]).toBeCloseTo(cc, 5);
        expect(h![0]).toBeCloseTo(o * Math.tanh(cc), 5);
      }
      const dg0 = randomArray(4 * n, s + 2), dc0 = randomArray(n, s + 3);
      await same(be, `lstm bwd H=${H} R=${R}`,
        [dg0, dc0, act as Float32Array, cPrev, c as Float32Array, randomArray(n, s + 4), randomArray(n, s + 5)],
        (b, p) => b.kernels.lstm_cell_backward_f32(p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, p[5]!, p[6]!, R, H), { rtol: 1e-5, atol: 1e-5 });
    }
  });

  it('gru_cell_f32 and gru_cell_backward_f32', async () => {
    for (const H of SIZES) for (const R of ROWS) {
      const n = R * H, s = H * 5 + R;
      const gates = randomArray(3 * n, s, -4, 4), hw = randomArray(3 * n, s + 1, -3, 3), hPrev = randomArray(n, s + 2);
      const [h, hn, act] = await same(be, `gru fwd H=${H} R=${R}`, [new Float32Array(n), new Float32Array(n), gates, hw, hPrev],
        (b, p) => b.kernels.gru_cell_f32(p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, R, H));
      if (n > 0) {
        const r = 1 / (1 + Math.exp(-(gates[0]! + hw[0]!))), z = 1 / (1 + Math.exp(-(gates[H]! + hw[H]!)));
        const nn = Math.tanh(gates[2 * H]! + r * hw[2 * H]!);
        expect(h![0]).toBeCloseTo((1 - z) * nn + z * hPrev[0]!, 5);
        expect(hn![0]).toBe(hw[2 * H]);
      }
      await same(be, `gru bwd H=${H} R=${R}`,
        [randomArray(3 * n, s + 3), randomArray(3 * n, s + 4), randomArray(n, s + 5), act as Float32Array,
          hn as Float32Array, hPrev, randomArray(n, s + 6)],
        (b, p) => b.kernels.gru_cell_backward_f32(p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, p[5]!, p[6]!, R, H), { rtol: 1e-5, atol: 1e-5 });
    }
  });

  for (const act of [0, 1]) {
    it(`rnn_cell_f32 and rnn_cell_backward_f32 (${act ? 'relu' : 'tanh'})`, async () => {
      for (const n of SIZES) {
        const pre = randomArray(n, n + 11, -5, 5);
        if (n > 4) { pre[1] = 0; pre[2] = NaN; }
        const [h] = await same(be, `rnn fwd n=${n}`, [new Float32Array(n), pre], (b, p) => b.kernels.rnn_cell_f32(p[0]!, p[1]!, n, act));
        if (n > 0) expect(h![0]).toBeCloseTo(act ? Math.max(pre[0]!, 0) : Math.tanh(pre[0]!), 6);
        const h2 = (h as Float32Array).map((v) => (Number.isNaN(v) ? 0.5 : v));
        await same(be, `rnn bwd n=${n}`, [randomArray(n, n + 12), h2, randomArray(n, n + 13)],
          (b, p) => b.kernels.rnn_cell_backward_f32(p[0]!, p[1]!, p[2]!, n, act), { rtol: 1e-6, atol: 1e-6 });
      }
    });
  }
});
