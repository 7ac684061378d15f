// Golden values from PyTorch (scripts/fixtures/torch_fixtures.py → tests/fixtures/torch-*.json):
// every layer and loss is loaded with PyTorch's parameters (loadStateDict), run forward and
// backward here on the simd and js backends, and must match the float64 reference within
// rel. 1e-5 / abs 1e-6 — outputs, input gradients, parameter gradients and running statistics.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { BACKENDS, expectClose } from '../helpers/backends.js';

interface T { shape: number[]; data: number[] }
interface Spec { type: string; args?: unknown[]; opts?: Record<string, unknown>; children?: Spec[] }
interface LayerCase {
  name: string; spec: Spec; mode: 'train' | 'eval'; state: Record<string, T>; inputs: T[]; w: T;
  outputs: T[]; grads: Record<string, T>; stateAfter?: Record<string, T>;
}
interface LossCase { name: string; fn: string; opts: Record<string, unknown>; input: T; target: T; w: T; output: T; grad: T }

const load = <C>(f: string): C[] =>
  (JSON.parse(readFileSync(new URL(`../fixtures/${f}`, import.meta.url), 'utf8')) as { cases: C[] }).cases;
const LAYERS = load<LayerCase>('torch-layers.json');
const LOSSES = load<LossCase>('torch-losses.json');

type Ctor = new (...a: never[]) => sg.nn.Module;
function build(s: Spec): sg.nn.Module {
  if (s.type === 'Sequential') return new sg.nn.Sequential(...s.children!.map(build) as sg.nn.TensorModule[]);
  const C = (sg.nn as unknown as Record<string, Ctor>)[s.type]!;
  expect(C, s.type).toBeDefined();
  const args = [...(s.args ?? [])];
  if (s.opts && Object.keys(s.opts).length) args.push(s.opts);
  return new (C as unknown as new (...a: unknown[]) => sg.nn.Module)(...args);
}

const TOL = { rtol: 1e-5, atol: 1e-6 };
const t = (v: T, requiresGrad = false): sg.Tensor => sg.tensor(v.data, v.shape, { requiresGrad });

describe.each(BACKENDS.filter((b) => b === 'js' || b === 'simd'))('PyTorch golden values on %s', (name) => {
  beforeAll(async () => { await sg.init({ backend: name }); });

  it.each(LAYERS.map((c) => [c.name, c] as const))('layer %s', (_, c) => {
    const m = build(c.spec);
    try {
      m.loadStateDict(c.state);
      m.train(c.mode === 'train');
      sg.scope(() => {
        const intInput = c.spec.type === 'Embedding';
        let x: sg.Tensor | null = null, y: sg.Tensor | null = null;
        c.inputs.forEach((inp, i) => {
          x = t(inp, !intInput && i === c.inputs.length - 1);
          y = (m.forward as (x: sg.Tensor) => sg.Tensor)(x);
          expect(y.shape).toEqual(c.outputs[i]!.shape);
          expectClose(y.toArray(), c.outputs[i]!.data, TOL, `${c.name} output ${i}`);
        });
        y!.backward(t(c.w));
        const params = Object.fromEntries(m.namedParameters());
        for (const [k, g] of Object.entries(c.grads)) {
          const got = k === 'input' ? x!.grad : params[k]!.grad;
          expect(got, `grad of ${k}`).not.toBe(null);
          expectClose(got!.toArray(), g.data, TOL, `${c.name} grad ${k}`);
        }
        expect(Object.keys(c.grads).filter((k) => k !== 'input').sort()).toEqual(Object.keys(params).sort());
        if (c.stateAfter) {
          const sd = m.stateDict();
          for (const [k, v] of Object.entries(c.stateAfter)) expectClose(sd[k]!.toArray(), v.data, TOL, `${c.name} ${k}`);
        }
      });
    } finally {
      m.dispose();
    }
  });

  it.each(LOSSES.map((c) => [c.name, c] as const))('loss %s', (_, c) => sg.scope(() => {
    const f = (sg.nn.functional as unknown as Record<string, (x: sg.Tensor, y: unknown, o: unknown) => sg.Tensor>)[c.fn]!;
    const x = t(c.input, true);
    const target = Number.isInteger(c.target.data[0]) && ['crossEntropy', 'nllLoss'].includes(c.fn)
      ? Int32Array.from(c.target.data) : t(c.target);
    const y = f(x, target, c.opts);
    expect(y.shape).toEqual(c.output.shape);
    expectClose(y.toArray(), c.output.data, TOL, `${c.name} output`);
    y.backward(t(c.w));
    expectClose(x.grad!.toArray(), c.grad.data, TOL, `${c.name} grad`);
  }));
});
