// iris(): Fisher's 150 iris flowers, 4 measurements in cm, 3 classes of 50 (UCI / scikit-learn's
// load_iris). Contract: a fresh copy on every call, rows in the original order.
import { IRIS_DATA } from './iris-data.js';

export const IRIS_CREDIT = 'UCI "Iris", R. A. Fisher; CC BY 4.0';

export interface Iris {
  /** Row-major measurements, 150 × 4. */
  x: Float32Array;
  /** The class index 0–2 (see targetNames). */
  y: Int32Array;
  shape: [number, number];
  featureNames: string[];
  targetNames: string[];
  credit: string;
}

/**
 * Fisher's iris data set.
 * @example
 * import { iris } from 'simdgrad/datasets';
 * const { x, y, shape, targetNames } = iris();   // shape [150, 4]; targetNames[y[0]] === 'setosa'
 */
export function iris(): Iris {
  const rows = IRIS_DATA.split('\n');
  const x = new Float32Array(rows.length * 4), y = new Int32Array(rows.length);
  rows.forEach((line, i) => {
    const v = line.split(',');
    for (let j = 0; j < 4; j++) x[i * 4 + j] = Number(v[j]);
    y[i] = Number(v[4]);
  });
  return {
    x, y, shape: [rows.length, 4],
    featureNames: ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'],
    targetNames: ['setosa', 'versicolor', 'virginica'],
    credit: IRIS_CREDIT,
  };
}
