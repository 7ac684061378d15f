// The CLI's CNN from a configuration (mlp-space.ts, --model cnn): `blocks` conv blocks — Conv2d
// (k×k, padding k/2 so the size stays, channels · 2^i in block i) → BatchNorm2d → activation →
// 2×2 pooling (max or average) — then Flatten → Dropout (when dropout > 0) → Linear to the
// classes. Contract: the same configuration and seed build the same initial weights; the
// parameter count is the model's numParameters() (computed without building it); an image too
// small for the blocks' pooling is a CliError naming the size and the blocks.
import * as sg from '../index.js';
import { CliError } from './cli-error.js';
import { activation } from './mlp-model.js';
import type { MlpConfig } from './mlp-space.js';

type Layer = ConstructorParameters<typeof sg.nn.Sequential>[number];
/** An image's channels, height and width. */
export type ImageShape = readonly [number, number, number];

/** The most blocks an image allows: each halves height and width (floor), which must stay ≥ 1. */
export function maxBlocks(image: ImageShape): number {
  return Math.floor(Math.log2(Math.min(image[1], image[2])));
}

/** Throws CliError when `blocks` poolings do not fit the image. */
export function checkBlocks(image: ImageShape, blocks: number, where: string): void {
  if (blocks > maxBlocks(image)) {
    throw new CliError(`${where}: ${blocks} conv blocks halve a ${image[1]}×${image[2]} image ${blocks} times; at most ${maxBlocks(image)} fit`);
  }
}

/** Channels of block i. */
const width = (c: MlpConfig, i: number) => c.channels! * 2 ** i;

/**
 * The CNN for images of `image` shape with `outputs` classes, seeded.
 * @example buildCnn([1, 8, 8], 10, mlpConfig({ blocks: 2, channels: 16 }, 'flags', 'cnn'), 0)
 */
export function buildCnn(image: ImageShape, outputs: number, c: MlpConfig, seed: number): sg.nn.Sequential {
  const { nn } = sg, layers: Layer[] = [];
  checkBlocks(image, c.blocks!, 'the CNN');
  let [ch, h, w] = image;
  for (let i = 0; i < c.blocks!; i++) {
    const out = width(c, i);
    layers.push(new nn.Conv2d(ch, out, c.kernelSize!, { padding: c.kernelSize! >> 1, seed: seed + 10 * i + 1 }), new nn.BatchNorm2d(out),
      activation(c.activation), c.pooling === 'avg' ? new nn.AvgPool2d(2) : new nn.MaxPool2d(2));
    ch = out; h = Math.floor(h / 2); w = Math.floor(w / 2);
  }
  layers.push(new nn.Flatten());
  if (c.dropout > 0) layers.push(new nn.Dropout(c.dropout, { seed: seed + 10 * c.blocks! + 2 }));
  layers.push(new nn.Linear(ch * h * w, outputs, { seed: seed + 10 * c.blocks! + 1 }));
  return new nn.Sequential(...layers);
}

/** The number of learned values of buildCnn's model (conv weights and biases, batch-norm scales and shifts, the linear layer). */
export function cnnParamCount(image: ImageShape, outputs: number, c: MlpConfig): number {
  let [ch, h, w] = image, n = 0;
  for (let i = 0; i < c.blocks!; i++) {
    const out = width(c, i);
    n += out * ch * c.kernelSize! ** 2 + out + 2 * out;
    ch = out; h = Math.floor(h / 2); w = Math.floor(w / 2);
  }
  return n + ch * h * w * outputs + outputs;
}

/** "CNN 1×8×8 → 16-32 conv 3×3 max-pool, relu" for the log. */
export function describeCnn(image: ImageShape, c: MlpConfig): string {
  return `CNN ${image.join('×')} → ${Array.from({ length: c.blocks! }, (_, i) => width(c, i)).join('-')} channels, ` +
    `conv ${c.kernelSize}×${c.kernelSize}, ${c.pooling}-pool, ${c.activation}`;
}
