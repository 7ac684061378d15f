// The --space format as `simdgrad tune --help` prints it (docs/CLI.md has the same, with examples).
// Contract: names every hyperparameter of mlp-space.ts with its values, default and condition.
import { ACTIVATIONS, MAX_LAYERS, OPTIMIZERS, POOLINGS, SCHEDULES } from './mlp-space.js';

export const SPACE_HELP = `
Search space (--space FILE): a JSON object mapping hyperparameters to a distribution or a fixed value:
  {"type": "float", "low": 1e-4, "high": 0.3, "log": true}     float range (log scale; or "step": 0.1)
  {"type": "int", "low": 1, "high": 3}                          integer range ("log" or "step" allowed)
  {"type": "categorical", "choices": ["adam", "adamw"]}         one of the choices
  "gelu", 64, true                                              fixed: not tuned
Hyperparameters (default value when the space leaves one out):
  layers        hidden layers, 1-${MAX_LAYERS} (1)
  width         units of every hidden layer: drawn per layer as width_0, width_1, … (width_i only
                exists when layers > i); "perLayer": false draws one width for all (128)
  width_<i>     the width of layer i alone (overrides width for that layer)
  --model cnn (image data) instead of layers and widths:
  blocks        conv blocks, each conv → batch norm → activation → 2×2 pooling, 1-6 (2)
  channels      the first block's channels, doubled per block (16)
  kernelSize    odd, 1-9 (3)                                    pooling  ${POOLINGS.join(', ')} (max)
  activation    ${ACTIVATIONS.join(', ')} (relu)
  dropout       after each hidden layer, [0, 1) (0)
  optimizer     ${OPTIMIZERS.join(', ')} (adam)
  lr            learning rate > 0 (1e-3);  weightDecay ≥ 0 (0);  batchSize ≥ 1 (32)
  momentum      [0, 1): sgd+momentum (0.9), rmsprop (0)        nesterov  true/false: sgd+momentum (false)
  beta1, beta2  [0, 1): adam, adamw (0.9, 0.999)                eps  > 0: adam, adamw, rmsprop (1e-8)
  alpha         [0, 1): rmsprop (0.99)                          centered  true/false: rmsprop (false)
  schedule      per-epoch learning rate: ${SCHEDULES.join(', ')} (constant)
  gamma         (0, 1]: step (0.1), exponential (0.9)           stepSize  epochs ≥ 1: step (a third of the run)
An optimizer's or schedule's option is drawn only in trials that chose it.
Default space: layers 1-3, width 16-512 (log), every activation and optimizer, lr 1e-4-0.3 (log),
weightDecay 1e-6-1e-2 (log), dropout 0-0.5, batchSize 16/32/64/128. --sampler grid without --space
searches a 384-point grid of it; with --space, every float or log range needs a "step" (or "choices").
Default CNN space: blocks 1-3, channels 4-64 (log), kernelSize 3/5, max or avg pooling, dropout 0-0.5,
adam/adamw/sgd+momentum, lr 1e-4-3e-2 (log), weightDecay 1e-6-1e-2 (log), batchSize 32/64/128.
`;
