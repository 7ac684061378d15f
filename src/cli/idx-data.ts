// loadIdxDir: a directory of IDX files (MNIST, Fashion-MNIST: `--data DIR`) as a CLI data set —
// the training images train-images-idx3-ubyte and labels train-labels-idx1-ubyte, each gzipped
// (.gz) or not, read by sg.data.readIdx — as flat rows of pixels scaled to [0, 1] with their
// image shape [1, H, W] (the CNN's input; the MLP takes the rows). The CLI holds out its own
// test split or folds from these rows; the t10k files are not read. Contract: a missing file, a
// file readIdx refuses, images that are not [N, H, W], labels that are not [N] integers of the
// same N, or a single class is a CliError naming the file.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as sg from '../index.js';
import { CliError } from './cli-error.js';
import type { TabularData } from './tabular-data.js';

const IMAGES = 'train-images-idx3-ubyte', LABELS = 'train-labels-idx1-ubyte';

/** The path of `name` in dir, plain or gzipped. */
function find(dir: string, name: string): string {
  for (const f of [name, `${name}.gz`]) if (existsSync(join(dir, f))) return join(dir, f);
  throw new CliError(`--data ${dir}: a directory of IDX files needs ${name} (or ${name}.gz); it is not there`);
}

async function read(path: string): Promise<sg.data.IdxData> {
  try {
    return await sg.data.readIdx(path);
  } catch (e) {
    throw new CliError(`${path}: ${(e as Error).message}`);
  }
}

/**
 * The training images and labels of an IDX directory.
 * @example const d = await loadIdxDir('/usr/share/datasets/fashion-mnist'); // d.image [1, 28, 28], d.shape [60000, 784]
 */
export async function loadIdxDir(dir: string): Promise<TabularData> {
  const imagesPath = find(dir, IMAGES), labelsPath = find(dir, LABELS);
  const [images, labels] = await Promise.all([read(imagesPath), read(labelsPath)]);
  if (images.shape.length !== 3) throw new CliError(`${imagesPath}: expected images [N, H, W], got shape [${images.shape.join(', ')}]`);
  const [n, h, w] = images.shape as [number, number, number];
  if (labels.shape.length !== 1 || labels.shape[0] !== n) {
    throw new CliError(`${labelsPath}: expected ${n} labels (one per image of ${imagesPath}), got shape [${labels.shape.join(', ')}]`);
  }
  if (labels.type === 'float32' || labels.type === 'float64') throw new CliError(`${labelsPath}: labels must be integers, got ${labels.type}`);
  const scale = images.type === 'uint8' ? 1 / 255 : 1;
  const x = Float32Array.from(images.data, (v) => v * scale);
  const classNames = [...new Set(labels.data)].sort((a, b) => a - b);
  if (classNames.length < 2) throw new CliError(`${labelsPath}: a single class (${classNames[0]})`);
  const y = Int32Array.from(labels.data, (v) => classNames.indexOf(v));
  const features = Array.from({ length: h * w }, (_, i) => `pixel_${Math.floor(i / w)}_${i % w}`);
  return {
    name: dir, x, shape: [n, h * w], image: [1, h, w], task: 'classification', y, classes: classNames.length, classNames,
    features, target: 'label', taskReason: `${dir} holds IDX images and their labels`,
  };
}
