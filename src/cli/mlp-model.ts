// The CLI's MLP from a configuration (mlp-space.ts): the network (Linear → activation → Dropout
// per hidden layer, then a Linear to the outputs), its optimizer with the configured options, and
// the per-epoch learning-rate schedule. Contract: the same configuration and seed build the same
// initial weights; Dropout layers exist only when dropout > 0; the parameter count is the model's
// numParameters() (computed without building it).
import * as sg from '../index.js';
import type { MlpConfig } from './mlp-space.js';

type Layer = ConstructorParameters<typeof sg.nn.Sequential>[number];

/** The activation layer of a configuration. */
export function activation(name: string): Layer {
  const { nn } = sg;
  switch (name) {
    case 'relu': return new nn.ReLU();
    case 'gelu': return new nn.GELU();
    case 'tanh': return new nn.Tanh();
    case 'silu': return new nn.SiLU();
    case 'leakyRelu': return new nn.LeakyReLU();
    default: throw new RangeError(`unknown activation '${name}'`);
  }
}

/**
 * The MLP inputs → widths… → outputs, seeded.
 * @example buildMlp(64, 10, mlpConfig({ layers: 2, width_0: 128, width_1: 64 }), 0)
 */
export function buildMlp(inputs: number, outputs: number, c: MlpConfig, seed: number): sg.nn.Sequential {
  const layers: Layer[] = [];
  let width = inputs;
  c.widths.forEach((w, i) => {
    layers.push(new sg.nn.Linear(width, w, { seed: seed + 10 * i + 1 }), activation(c.activation));
    if (c.dropout > 0) layers.push(new sg.nn.Dropout(c.dropout, { seed: seed + 10 * i + 2 }));
    width = w;
  });
  layers.push(new sg.nn.Linear(width, outputs, { seed: seed + 10 * c.widths.length + 1 }));
  return new sg.nn.Sequential(...layers);
}

/** The number of learned values of buildMlp's model (weights and biases of its Linear layers). */
export function mlpParamCount(inputs: number, outputs: number, c: MlpConfig): number {
  let n = 0, width = inputs;
  for (const w of [...c.widths, outputs]) { n += width * w + w; width = w; }
  return n;
}

/** The configured optimizer over the model's parameters. */
export function buildOptimizer(model: sg.nn.Module, c: MlpConfig): sg.optim.Optimizer {
  const { optim } = sg, params = model.parameters(), base = { lr: c.lr, weightDecay: c.weightDecay };
  switch (c.optimizer) {
    case 'sgd': return new optim.SGD(params, base);
    case 'sgd+momentum': return new optim.SGD(params, { ...base, momentum: c.momentum!, nesterov: c.nesterov! });
    case 'adam': return new optim.Adam(params, { ...base, betas: [c.beta1!, c.beta2!], eps: c.eps! });
    case 'adamw': return new optim.AdamW(params, { ...base, betas: [c.beta1!, c.beta2!], eps: c.eps! });
    case 'rmsprop': return new optim.RMSprop(params, { ...base, alpha: c.alpha!, eps: c.eps!, momentum: c.momentum!, centered: c.centered! });
    default: throw new RangeError(`unknown optimizer '${c.optimizer}'`);
  }
}

/** The per-epoch schedule of a run of `epochs` epochs (none for 'constant'); step's stepSize defaults to a third of the run. */
export function buildSchedule(opt: sg.optim.Optimizer, c: MlpConfig, epochs: number): { step(): void } | undefined {
  const s = sg.optim;
  switch (c.schedule) {
    case 'constant': return undefined;
    case 'cosine': return new s.CosineAnnealingLR(opt, { tMax: epochs });
    case 'step': return new s.StepLR(opt, { stepSize: c.stepSize ?? Math.max(1, Math.round(epochs / 3)), gamma: c.gamma! });
    case 'exponential': return new s.ExponentialLR(opt, { gamma: c.gamma! });
    default: throw new RangeError(`unknown schedule '${c.schedule}'`);
  }
}
