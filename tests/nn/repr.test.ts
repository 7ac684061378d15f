// Printed tensors and modules against PyTorch's own output (scripts/fixtures/torch_repr.py →
// tests/fixtures/torch-repr.json): Python's float formats digit for digit, String(tensor) for
// every formatting mode (integer, fixed, scientific, ties, non-finite, empty, summarised), and
// String(module) for every built-in layer and some containers. The documented departures are
// applied to PyTorch's text explicitly here, one by one (see fromTorch / stripShape).
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { fixed, pyFloat, scientific } from '../../src/float-format.js';
import { BACKENDS } from '../helpers/backends.js';

interface Spec { type: string; args?: unknown[]; opts?: Record<string, unknown>; children?: Spec[] }
interface Fixture {
  tensors: Array<{ name: string; shape: number[]; data: Array<number | string>; repr: string; requiresGrad?: boolean }>;
  modules: Array<{ name: string; spec: Spec; repr: string }>;
  floats: Array<[number, string, string, string, string]>;
}
const FX = JSON.parse(readFileSync(new URL('../fixtures/torch-repr.json', import.meta.url), 'utf8')) as Fixture;

type Ctor = new (...a: unknown[]) => sg.nn.Module;
function build(s: Spec): sg.nn.Module {
  if (s.type === 'Sequential') return new sg.nn.Sequential(...s.children!.map(build) as sg.nn.TensorModule[]);
  const C = (sg.nn as unknown as Record<string, Ctor>)[s.type]!;
  const args = (s.args ?? []).map((a) => (a && typeof a === 'object' && 'type' in a ? build(a as Spec) : a));
  const opts = Object.fromEntries(Object.entries(s.opts ?? {}).map(([k, v]) => [k, v && typeof v === 'object' && 'type' in v ? build(v as Spec) : v]));
  return new C(...args, ...(s.opts ? [opts] : []));
}

/** PyTorch's module text in this library's spelling — each departure a line of its own. */
function fromTorch(s: string): string {
  return s
    .replace(/\bTrue\b/g, 'true').replace(/\bFalse\b/g, 'false').replace(/\bNone\b/g, 'null') // JS literals
    .replace(/([(=])\((\d+),\)/g, '$1[$2]').replace(/([(=])\((\d+(?:, \d+)+)\)/g, '$1[$2]') // tuples print as arrays
    .replace(/, inplace=false/g, '') // no in-place layers here
    .replace(/approximate='none'/g, '') // GELU has the exact form only
    .replace(/NonDynamicallyQuantizableLinear/g, 'Linear'); // MultiheadAttention's out_proj is a Linear
}

/** Our tensor text without the shape suffix (and PyTorch's size= suffix of empty tensors). */
const stripShape = (s: string): string => s.replace(/,(?: |\n {7})shape=\[[\d, ]*\]/, '');

describe('Python float formatting', () => {
  it.each(FX.floats.map((f) => [f[4], f] as const))('%s', (_, [x, f4, e4, f0, r]) => {
    expect(fixed(x, 4)).toBe(f4);
    expect(scientific(x, 4)).toBe(e4);
    expect(fixed(x, 0)).toBe(f0);
    expect(pyFloat(x)).toBe(r);
  });
});

describe.each(BACKENDS.filter((b) => b === 'js' || b === 'simd'))('printing on %s', (backend) => {
  beforeAll(async () => { await sg.init({ backend }); });

  it.each(FX.tensors.map((c) => [c.name, c] as const))('String(tensor) as PyTorch: %s', (_, c) => {
    const t = sg.tensor(c.data.map((v) => (typeof v === 'number' ? v : ({ inf: Infinity, '-inf': -Infinity } as Record<string, number>)[v] ?? NaN)), c.shape, { requiresGrad: !!c.requiresGrad });
    try {
      const s = String(t);
      expect(inspect(t)).toBe(s);
      const torch = c.repr.replace(/, size=\([\d, ]*\)/, '').replace('requires_grad=True', 'requiresGrad=true');
      expect(stripShape(s)).toBe(torch);
      if (c.shape.length) expect(s).toMatch(new RegExp(`shape=\\[${c.shape.join(', ')}\\]`));
      else expect(s).not.toContain('shape=');
    } finally { t.dispose(); }
  });

  it.each(FX.modules.map((c) => [c.name, c] as const))('String(module) as PyTorch: %s', (_, c) => {
    const m = build(c.spec);
    try {
      expect(String(m)).toBe(fromTorch(c.repr));
      expect(inspect(m)).toBe(String(m));
    } finally { m.dispose(); }
  });

  it('prints a view through its strides, autograd state, Parameters and disposed tensors', () => {
    const a = sg.tensor([[1, 2, 3], [4, 5, 6]]);
    const at = a.T;
    expect(String(at)).toBe('tensor([[1., 4.],\n        [2., 5.],\n        [3., 6.]], shape=[3, 2])');
    const sliced = a.slice([0, 1], [2, 3]);
    expect(String(sliced)).toBe('tensor([[2., 3.],\n        [5., 6.]], shape=[2, 2])');
    const w = sg.tensor([0.5, -1], [2], { requiresGrad: true });
    const y = w.mul(2);
    expect(String(w)).toBe('tensor([ 0.5000, -1.0000], shape=[2], requiresGrad=true)');
    expect(String(y)).toBe('tensor([ 1., -2.], shape=[2], gradFn=<affine>)');
    const lin = new sg.nn.Linear(1, 1);
    sg.noGrad(() => { sg.nn.init.constant(lin.weight, 0.25); });
    expect(String(lin.weight)).toBe('Parameter containing:\ntensor([[0.2500]], shape=[1, 1], requiresGrad=true)');
    for (const t of [at, sliced, y, w, a]) t.dispose();
    lin.dispose();
    expect(String(a)).toBe('tensor(<disposed>, shape=[2, 3])');
    // A long suffix moves to its own line, indented under the values, as PyTorch's suffixes do.
    const v = sg.arange(0, 14);
    expect(String(v)).toBe('tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.],\n       shape=[14])');
    v.dispose();
  });

  it('configs rebuild layers, and differ from PyTorch only where documented', () => {
    const rnn = new sg.nn.RNN(3, 5, { nonlinearity: 'relu' }); // PyTorch's RNN repr omits its nonlinearity
    const emb = new sg.nn.Embedding(10, 4, { paddingIdx: -1 }); // a negative index prints as its row
    const enc = new sg.nn.TransformerEncoder((i) => new sg.nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 8 * (i + 1) }), 2);
    const lin = new sg.nn.Linear(4, 2);
    try {
      expect(String(rnn)).toBe("RNN(3, 5, nonlinearity='relu')");
      expect(String(emb)).toBe('Embedding(10, 4, padding_idx=9)');
      expect(lin.config()).toEqual({ args: { inFeatures: 4, outFeatures: 2 }, options: { bias: true } });
      expect(enc.config()).toBeNull(); // layers built differently cannot be described by one
    } finally { for (const m of [rnn, emb, enc, lin]) m.dispose(); }
  });
});
