// Golden values from PyTorch (scripts/fixtures/torch_attention.py → tests/fixtures/torch-attention.json):
// MultiheadAttention (self / cross, both layouts, unbatched, boolean and float masks, key padding,
// per-head and averaged weights, no bias) and TransformerEncoderLayer (post- and pre-norm,
// ReLU / GELU, causal and padding masks) and a TransformerEncoder stack with a final norm load PyTorch's state dict, run forward and backward on the
// simd and js backends, and match the float64 reference within rel. 1e-4 — outputs, attention
// weights, input gradients and every parameter's gradient. Plus the tutorial's positional buffer.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { BACKENDS, expectClose } from '../helpers/backends.js';

type Num = number | '-inf' | 'inf';
interface T { shape: number[]; data: Num[] }
type MaskJson = boolean[] | boolean[][] | boolean[][][] | T;
interface Case {
  name: string; spec: { type: 'MultiheadAttention' | 'TransformerEncoderLayer' | 'TransformerEncoder'; args: number[]; numLayers?: number; opts: Record<string, unknown> };
  self: boolean; inputs: T[]; forward: Record<string, boolean | MaskJson>; state: Record<string, T>; w: T; w2?: T;
  outputs: T[]; grads: Record<string, T>;
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/torch-attention.json', import.meta.url), 'utf8')) as {
  cases: Case[]; positional: { dModel: number; maxLen: number; pe: T };
};
const num = (v: Num): number => (v === '-inf' ? -Infinity : v === 'inf' ? Infinity : v);
const vals = (t: T): number[] => t.data.map(num);
const ten = (t: T, requiresGrad = false): sg.Tensor => sg.tensor(vals(t), t.shape, { requiresGrad });
const state = (s: Record<string, T>) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, { shape: v.shape, data: vals(v) }]));

/** Masks: nested booleans as they are, float masks become tensors. */
function mask(m: MaskJson): sg.nn.AttentionMaskLike {
  return Array.isArray(m) ? m : ten(m);
}

const TOL = { rtol: 1e-4, atol: 1e-5 };

describe.each(BACKENDS.filter((b) => b === 'js' || b === 'simd'))('PyTorch attention golden values on %s', (name) => {
  beforeAll(async () => { await sg.init({ backend: name }); });

  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const [d, h] = c.spec.args as [number, number];
    const m = c.spec.type === 'MultiheadAttention' ? new sg.nn.MultiheadAttention(d, h, c.spec.opts)
      : c.spec.type === 'TransformerEncoder'
        ? new sg.nn.TransformerEncoder(new sg.nn.TransformerEncoderLayer(d, h, c.spec.opts), c.spec.numLayers!, { norm: new sg.nn.LayerNorm(d) })
        : new sg.nn.TransformerEncoderLayer(d, h, c.spec.opts);
    try {
      m.loadStateDict(state(c.state));
      m.eval();
      sg.scope(() => {
        const inputs = c.inputs.map((t) => ten(t, true));
        const opts: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(c.forward)) opts[k] = typeof v === 'boolean' ? v : mask(v);
        let loss: sg.Tensor;
        if (m instanceof sg.nn.MultiheadAttention) {
          const [q, k, v] = c.self ? [inputs[0]!, inputs[0]!, inputs[0]!] : inputs as [sg.Tensor, sg.Tensor, sg.Tensor];
          const [out, weights] = m.forward(q, k, v, opts);
          expect(out.shape).toEqual(c.outputs[0]!.shape);
          expectClose(out.toArray(), vals(c.outputs[0]!), TOL, `${c.name} output`);
          loss = out.mul(ten(c.w)).sum();
          if (c.outputs[1]) {
            expect(weights!.shape).toEqual(c.outputs[1].shape);
            expectClose(weights!.toArray(), vals(c.outputs[1]), TOL, `${c.name} weights`);
            loss = loss.add(weights!.mul(ten(c.w2!)).sum());
          } else expect(weights).toBe(null);
        } else {
          const out = (m as sg.nn.TransformerEncoderLayer).forward(inputs[0]!, opts);
          expectClose(out.toArray(), vals(c.outputs[0]!), TOL, `${c.name} output`);
          loss = out.mul(ten(c.w)).sum();
        }
        loss.backward();
        const params = Object.fromEntries(m.namedParameters());
        const names = c.self ? ['input'] : ['query', 'key', 'value'];
        expect(Object.keys(c.grads).filter((k) => !names.includes(k)).sort()).toEqual(Object.keys(params).sort());
        for (const [k, g] of Object.entries(c.grads)) {
          const i = names.indexOf(k);
          const got = i >= 0 ? inputs[i]!.grad : params[k]!.grad;
          expect(got, `grad of ${k}`).not.toBe(null);
          expectClose(got!.toArray(), vals(g), TOL, `${c.name} grad ${k}`);
        }
      });
    } finally {
      m.dispose();
    }
  });

  it('PositionalEncoding buffer equals the PyTorch tutorial\'s', () => {
    const { dModel, maxLen, pe } = fixture.positional;
    const p = new sg.nn.PositionalEncoding(dModel, { maxLen, dropout: 0 });
    try {
      expect(p.pe.shape).toEqual(pe.shape);
      expectClose(p.pe.toArray(), vals(pe), { rtol: 1e-6, atol: 1e-6 }, 'pe');
      expect(Object.keys(p.stateDict())).toEqual(['pe']);
    } finally { p.dispose(); }
  });
});
