// digits(): the 1,797 8×8 handwritten digits (UCI / scikit-learn's load_digits), decoded from the
// compact string in digits-data.ts. Contract: a fresh copy on every call; pixel values are the
// integers 0–16 as scikit-learn gives them (divide by 16 for [0, 1]); rows in the original order;
// `shape` is [1797, 64] (flat rows), or [1797, 1, 8, 8] (NCHW images) with { asImages: true } —
// the same values in the same order either way.
import { DIGITS_DATA } from './digits-data.js';

export const DIGITS_CREDIT = 'UCI "Optical Recognition of Handwritten Digits" (test part, as scikit-learn ' +
  'ships it), E. Alpaydin, C. Kaynak; CC BY 4.0';

export interface Digits<S extends readonly number[] = [number, number]> {
  /** Row-major pixels, 1797 × 64, values 0–16. */
  x: Float32Array;
  /** The digit 0–9 of each image. */
  y: Int32Array;
  /** [1797, 64], or [1797, 1, 8, 8] with { asImages: true }. */
  shape: S;
  classes: number;
  /** Height and width of an image. */
  images: [number, number];
  credit: string;
}

/**
 * The 8×8 handwritten digits: 1,797 images, 10 classes (≈ 180 each).
 * @example
 * import { digits } from 'simdgrad/datasets';
 * const { x, y, shape } = digits();          // x: Float32Array 1797×64 (0–16), y: Int32Array
 * const rows = sg.tensor(x, shape).div(16);
 * const d = digits({ asImages: true });      // d.shape: [1797, 1, 8, 8], for nn.Conv2d
 */
export function digits(): Digits;
export function digits(opts: { asImages: true }): Digits<[number, number, number, number]>;
export function digits(opts: { asImages?: boolean }): Digits<[number, number] | [number, number, number, number]>;
export function digits({ asImages = false }: { asImages?: boolean } = {}): Digits<[number, number] | [number, number, number, number]> {
  const n = 1797, d = 64, row = d + 1;      // 64 pixels and the label per image
  const x = new Float32Array(n * d), y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) x[i * d + j] = DIGITS_DATA.charCodeAt(i * row + j) - 48;
    y[i] = DIGITS_DATA.charCodeAt(i * row + d) - 48;
  }
  return { x, y, shape: asImages ? [n, 1, 8, 8] : [n, d], classes: 10, images: [8, 8], credit: DIGITS_CREDIT };
}
