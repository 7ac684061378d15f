// Golden values from PyTorch (scripts/fixtures/torch_recurrent.py → tests/fixtures/torch-recurrent.json):
// RNN (tanh, relu), LSTM and GRU — several layers, bidirectional, batchFirst, unbatched, no bias,
// a 64-step LSTM — are loaded with PyTorch's state dict (its parameter names), run forward and
// backward here on every backend, and must match the float64 reference: outputs, final states and
// the gradients w.r.t. the input, the initial states and every parameter, with relative error
// ≤ 1e-4 (|got − want| ≤ 1e-4·(|want| + max|want|), i.e. relative to the tensor's scale).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { BACKENDS } from '../helpers/backends.js';

interface T { shape: number[]; data: number[] }
interface Case {
  name: string; type: 'RNN' | 'LSTM' | 'GRU'; args: [number, number]; opts: Record<string, unknown>;
  state: Record<string, T>; input: T; h0?: T; c0?: T; wOut: T; wH: T; wC?: T;
  output: T; hN: T; cN?: T; grads: Record<string, T>;
}
const CASES = (JSON.parse(readFileSync(new URL('../fixtures/torch-recurrent.json', import.meta.url), 'utf8')) as { cases: Case[] }).cases;
const t = (v: T, requiresGrad = false): sg.Tensor => sg.tensor(v.data, v.shape, { requiresGrad });

/** Largest |got − want| / (|want| + max|want|) — the relative error on the tensor's scale. */
function relError(got: ArrayLike<number>, want: readonly number[]): number {
  const scale = want.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / (Math.abs(want[i]!) + scale || 1));
  return worst;
}
function expectMatch(got: sg.Tensor | null, want: T, label: string): void {
  expect(got, label).not.toBe(null);
  expect(got!.shape, label).toEqual(want.shape);
  const e = relError(got!.toArray(), want.data);
  if (process.env.SHOW_ERR) console.log(label, e.toExponential(2));
  expect(e, `${label}: relative error ${e.toExponential(2)}`).toBeLessThanOrEqual(1e-4);
}

describe.each(BACKENDS)('recurrent layers vs PyTorch on %s', (name) => {
  beforeAll(async () => { await sg.init({ backend: name }); });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const Ctor = { RNN: sg.nn.RNN, LSTM: sg.nn.LSTM, GRU: sg.nn.GRU }[c.type];
    const m = new Ctor(c.args[0], c.args[1], c.opts);
    try {
      expect(m.namedParameters().map(([k]) => k)).toEqual(Object.keys(c.state));
      m.loadStateDict(c.state);
      sg.scope(() => {
        const x = t(c.input, true), h0 = c.h0 ? t(c.h0, true) : null, c0 = c.c0 ? t(c.c0, true) : null;
        let out: sg.Tensor, hN: sg.Tensor, cN: sg.Tensor | null = null;
        if (m instanceof sg.nn.LSTM) [out, [hN, cN]] = m.forward(x, h0 && c0 ? [h0, c0] : null);
        else [out, hN] = (m as sg.nn.GRU).forward(x, h0);
        expectMatch(out, c.output, 'output');
        expectMatch(hN, c.hN, 'h_n');
        if (c.cN) expectMatch(cN, c.cN, 'c_n');
        let loss = out.mul(t(c.wOut)).sum().add(hN.mul(t(c.wH)).sum());
        if (cN && c.wC) loss = loss.add(cN.mul(t(c.wC)).sum());
        loss.backward();
        const params = Object.fromEntries(m.namedParameters());
        for (const [k, g] of Object.entries(c.grads)) {
          const got = k === 'input' ? x.grad : k === 'h0' ? h0!.grad : k === 'c0' ? c0!.grad : params[k]!.grad;
          expectMatch(got, g, `grad ${k}`);
        }
      });
    } finally {
      m.dispose();
    }
  });
});
