// Convolutional layers against PyTorch 1.13 (scripts/fixtures/torch_conv.py → tests/fixtures/
// torch-conv.json, torch-lenet.safetensors): every option of Conv1d/Conv2d, MaxPool1d/2d,
// AvgPool2d, AdaptiveAvgPool2d, BatchNorm2d (train, eval, momentum, running statistics) and
// Dropout2d, a LeNet-5 and two ResNet basic blocks — forward, input and parameter gradients and
// running statistics within 1e-4 of PyTorch's float64 values, on the simd and js backends. And a
// CNN trained by PyTorch on the digits, loaded from safetensors, predicts the same classes.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { digits } from '../../src/datasets/index.js';
import { BACKENDS, expectClose } from '../helpers/backends.js';
import { runLayerCase, type LayerCase, type T } from '../helpers/torch-layer-case.js';

const fixture = (f: string) => readFileSync(new URL(`../fixtures/${f}`, import.meta.url));
const CASES = (JSON.parse(fixture('torch-conv.json').toString('utf8')) as { cases: (LayerCase & { file?: string })[] }).cases;
const TOL = { rtol: 1e-4, atol: 1e-5 };

/** torchvision's ResNet BasicBlock with its attribute names (test-only module). */
class BasicBlock extends sg.nn.Module {
  conv1: sg.nn.Conv2d; bn1: sg.nn.BatchNorm2d; conv2: sg.nn.Conv2d; bn2: sg.nn.BatchNorm2d;
  downsample: sg.nn.Sequential | null = null;
  constructor(inplanes: number, planes: number, { stride = 1 } = {}) {
    super();
    this.conv1 = new sg.nn.Conv2d(inplanes, planes, 3, { stride, padding: 1, bias: false });
    this.bn1 = new sg.nn.BatchNorm2d(planes);
    this.conv2 = new sg.nn.Conv2d(planes, planes, 3, { padding: 1, bias: false });
    this.bn2 = new sg.nn.BatchNorm2d(planes);
    if (stride !== 1 || inplanes !== planes) {
      this.downsample = new sg.nn.Sequential(new sg.nn.Conv2d(inplanes, planes, 1, { stride, bias: false }), new sg.nn.BatchNorm2d(planes));
    }
  }
  override forward(x: sg.Tensor): sg.Tensor {
    const out = this.bn2.forward(this.conv2.forward(this.bn1.forward(this.conv1.forward(x)).relu()));
    return out.add(this.downsample ? this.downsample.forward(x) : x).relu();
  }
}

/** A case whose tensors live in a safetensors file (the LeNet-5): fills in their values. */
function withTensors(c: LayerCase & { file?: string }): LayerCase {
  if (!c.file) return c;
  const all = sg.io.load(fixture(c.file));
  const get = (k: string, shape: number[]): T => { expect(all[k]!.shape).toEqual(shape); return { shape, data: Array.from(all[k]!.toArray()) }; };
  const map = (o: Record<string, { shape: number[] }>, prefix: string) =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, get(`${prefix}.${k}`, v.shape)]));
  const full: LayerCase = {
    ...c, state: map(c.state, 'state'), grads: map(c.grads, 'grad'), w: get('w', c.w.shape),
    inputs: c.inputs.map((v, i) => get(`input.${i}`, v.shape)), outputs: c.outputs.map((v, i) => get(`output.${i}`, v.shape)),
  };
  for (const v of Object.values(all)) v.dispose();
  return full;
}

describe.each(BACKENDS.filter((b) => b === 'js' || b === 'simd'))('PyTorch convolutional layers on %s', (name) => {
  beforeAll(async () => { await sg.init({ backend: name }); });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_, c) => runLayerCase(withTensors(c), TOL, { BasicBlock }));

  it('a CNN trained by PyTorch on the digits, loaded from safetensors, predicts the same classes', () => {
    const ref = JSON.parse(fixture('torch-digits-cnn.json').toString('utf8')) as { predictions: number[]; logits: number[][] };
    const model = new sg.nn.Sequential(new sg.nn.Conv2d(1, 8, 3, { padding: 1 }), new sg.nn.BatchNorm2d(8), new sg.nn.ReLU(),
      new sg.nn.MaxPool2d(2), new sg.nn.Conv2d(8, 16, 3, { padding: 1 }), new sg.nn.ReLU(), new sg.nn.MaxPool2d(2),
      new sg.nn.Flatten(), new sg.nn.Linear(64, 10));
    try {
      sg.io.loadInto(model, fixture('torch-digits-cnn.safetensors'));
      model.eval();
      const d = digits();
      sg.scope(() => sg.noGrad(() => {
        const logits = model.forward(sg.tensor(d.x, [1797, 1, 8, 8]).div(16));
        expectClose(logits.slice([0, 0], [32, 10]).toArray(), ref.logits.flat(), TOL, 'logits');
        expect(Array.from(logits.argmax(1))).toEqual(ref.predictions);
      }));
    } finally {
      model.dispose();
    }
  });
});
