// Golden values from PyTorch (scripts/fixtures/torch_fixtures.py → tests/fixtures/torch-*.json):
// every layer and loss is loaded with PyTorch's parameters (loadStateDict), run forward and
// backward here on the simd and js backends, and must match the float64 reference within
// rel. 1e-5 / abs 1e-6 — outputs, input gradients, parameter gradients and running statistics.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { BACKENDS, expectClose } from '../helpers/backends.js';
import { runLayerCase, type LayerCase } from '../helpers/torch-layer-case.js';

interface T { shape: number[]; data: number[] }
interface LossCase { name: string; fn: string; opts: Record<string, unknown>; input: T; target: T; w: T; output: T; grad: T }

const load = <C>(f: string): C[] =>
  (JSON.parse(readFileSync(new URL(`../fixtures/${f}`, import.meta.url), 'utf8')) as { cases: C[] }).cases;
const LAYERS = load<LayerCase>('torch-layers.json');
const LOSSES = load<LossCase>('torch-losses.json');

const TOL = { rtol: 1e-5, atol: 1e-6 };
const t = (v: T, requiresGrad = false): sg.Tensor => sg.tensor(v.data, v.shape, { requiresGrad });

describe.each(BACKENDS.filter((b) => b === 'js' || b === 'simd'))('PyTorch golden values on %s', (name) => {
  beforeAll(async () => { await sg.init({ backend: name }); });

  it.each(LAYERS.map((c) => [c.name, c] as const))('layer %s', (_, c) => runLayerCase(c, TOL));

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
