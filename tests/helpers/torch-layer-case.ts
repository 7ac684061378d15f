// Runs one PyTorch layer fixture (scripts/fixtures/torch_fixtures.py's case format): builds the
// module from its spec, loads PyTorch's state dict, runs every input forward in the case's mode,
// backpropagates sum(output·w), and compares outputs, input and parameter gradients and the
// state afterwards (running statistics) with PyTorch's float64 values.
import { expect } from 'vitest';
import * as sg from '../../src/index.js';
import { expectClose, type Tolerance } from './backends.js';

export interface T { shape: number[]; data: number[] }
export interface Spec { type: string; args?: unknown[]; opts?: Record<string, unknown>; children?: Spec[] }
export interface LayerCase {
  name: string; spec: Spec; mode: 'train' | 'eval'; state: Record<string, T>; inputs: T[]; w: T;
  outputs: T[]; grads: Record<string, T>; stateAfter?: Record<string, T>;
}

type Ctor = new (...a: never[]) => sg.nn.Module;

/** The module a spec describes; `extra` adds constructors beyond sg.nn's. */
export function buildModule(s: Spec, extra: Record<string, Ctor> = {}): sg.nn.Module {
  if (s.type === 'Sequential') return new sg.nn.Sequential(...s.children!.map((c) => buildModule(c, extra)) as sg.nn.TensorModule[]);
  const C = extra[s.type] ?? (sg.nn as unknown as Record<string, Ctor>)[s.type];
  expect(C, s.type).toBeDefined();
  const args = [...(s.args ?? [])];
  if (s.opts && Object.keys(s.opts).length) args.push(s.opts);
  return new (C as unknown as new (...a: unknown[]) => sg.nn.Module)(...args);
}

const t = (v: T, requiresGrad = false): sg.Tensor => sg.tensor(v.data, v.shape, { requiresGrad });

/** Runs case c (see the header) and asserts every value within tol. */
export function runLayerCase(c: LayerCase, tol: Tolerance, extra: Record<string, Ctor> = {}): void {
  const m = buildModule(c.spec, extra);
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
        expectClose(y.toArray(), c.outputs[i]!.data, tol, `${c.name} output ${i}`);
      });
      y!.backward(t(c.w));
      const params = Object.fromEntries(m.namedParameters());
      for (const [k, g] of Object.entries(c.grads)) {
        const got = k === 'input' ? x!.grad : params[k]!.grad;
        expect(got, `grad of ${k}`).not.toBe(null);
        expectClose(got!.toArray(), g.data, tol, `${c.name} grad ${k}`);
      }
      expect(Object.keys(c.grads).filter((k) => k !== 'input').sort()).toEqual(Object.keys(params).sort());
      if (c.stateAfter) {
        const sd = m.stateDict();
        for (const [k, v] of Object.entries(c.stateAfter)) expectClose(sd[k]!.toArray(), v.data, tol, `${c.name} ${k}`);
      }
    });
  } finally {
    m.dispose();
  }
}
