// Metrics fit() and evaluate() compute, by name: 'accuracy' (argmax of the predictions vs class
// indices) and the regression metrics 'mse', 'mae', 'rmse', 'r2' (predictions vs a target tensor of
// the same shape), as scikit-learn defines them with multioutput='uniform_average': each metric is
// computed per output column and the columns' values are averaged (rmse is the mean of the
// columns' root mean squared errors, sklearn's root_mean_squared_error; r2 is r2_score with
// force_finite: a constant column scores 1 when predicted exactly, else 0; fewer than 2 rows give
// NaN). Contract: MetricAccumulator sums over batches in f64 (r2's total sum of squares by Chan's
// pairwise merge of per-batch means, so a large mean does not cancel the variance); a metric that
// does not apply to the targets (accuracy on a target tensor, mse on class indices) is an
// OptionError naming it.
import { Tensor } from '../tensor.js';
import { OptionError, ShapeError, fmtShape } from '../errors.js';

export type MetricName = 'accuracy' | 'mse' | 'mae' | 'rmse' | 'r2';
export const METRICS: readonly MetricName[] = ['accuracy', 'mse', 'mae', 'rmse', 'r2'];
/** The metrics of a regression (a target tensor): what evaluate() reports for them by default. */
export const REGRESSION_METRICS: readonly MetricName[] = ['mse', 'mae', 'rmse', 'r2'];

/** Number of rows whose argmax equals the class target. */
export function correct(pred: Tensor, y: Int32Array): number {
  const a = pred.argmax(-1);
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === y[i]) n++;
  return n;
}

/** Checks a metrics option against the kind of targets; returns it. */
export function checkMetrics(who: string, metrics: unknown, classTargets: boolean): MetricName[] {
  if (!Array.isArray(metrics)) throw new OptionError(`${who}: metrics must be an array of names (${METRICS.join(', ')})`);
  for (const m of metrics) {
    if (!METRICS.includes(m as MetricName)) throw new OptionError(`${who}: unknown metric ${JSON.stringify(m)} (known: ${METRICS.join(', ')})`);
    if (m === 'accuracy' && !classTargets) {
      throw new OptionError(`${who}: metric 'accuracy' needs class indices as y, got a target tensor (regression metrics: ${REGRESSION_METRICS.join(', ')})`);
    }
    if (m !== 'accuracy' && classTargets) {
      throw new OptionError(`${who}: metric '${m}' compares outputs with target values; y holds class indices (use 'accuracy', or loss: 'mse' with real-valued targets)`);
    }
  }
  return metrics as MetricName[];
}

/** Running sums of the metrics over batches. */
export class MetricAccumulator {
  private rows = 0;
  private hits = 0;
  private cols = -1;
  // per output column: squared and absolute errors, and the targets' running mean and M2
  private se: Float64Array = new Float64Array(0);
  private ae: Float64Array = new Float64Array(0);
  private mean: Float64Array = new Float64Array(0);
  private m2: Float64Array = new Float64Array(0);

  constructor(readonly names: readonly MetricName[]) {}

  /** Adds one batch's predictions and targets. */
  add(pred: Tensor, y: Int32Array | Tensor): void {
    if (this.names.length === 0) return;
    if (!(y instanceof Tensor)) {
      this.hits += correct(pred, y);
      this.rows += y.length;
      return;
    }
    if (pred.shape.join() !== y.shape.join()) {
      throw new ShapeError(`metrics: predictions ${fmtShape(pred.shape)} and targets ${fmtShape(y.shape)} differ in shape`);
    }
    const n = pred.shape[0] ?? 1, p = pred.toArray(), t = y.toArray(), c = n ? p.length / n : 0;
    if (this.cols < 0) {
      this.cols = c;
      for (const k of ['se', 'ae', 'mean', 'm2'] as const) this[k] = new Float64Array(c);
    }
    for (let j = 0; j < c; j++) {
      let se = 0, ae = 0, sum = 0;
      for (let i = 0; i < n; i++) {
        const d = p[i * c + j]! - t[i * c + j]!;
        se += d * d; ae += Math.abs(d); sum += t[i * c + j]!;
      }
      const bMean = sum / n;
      let bM2 = 0;
      for (let i = 0; i < n; i++) bM2 += (t[i * c + j]! - bMean) ** 2;
      const na = this.rows, nb = n, delta = bMean - this.mean[j]!;
      this.m2[j]! += bM2 + (delta * delta * na * nb) / (na + nb);
      this.mean[j]! += (delta * nb) / (na + nb);
      this.se[j]! += se; this.ae[j]! += ae;
    }
    this.rows += n;
  }

  /** The metrics over every batch added. */
  values(): Partial<Record<MetricName, number>> {
    const out: Partial<Record<MetricName, number>> = {}, n = this.rows, c = Math.max(this.cols, 0);
    const avg = (f: (j: number) => number) => {
      let s = 0;
      for (let j = 0; j < c; j++) s += f(j);
      return c ? s / c : NaN;
    };
    for (const m of this.names) {
      if (m === 'accuracy') out.accuracy = this.hits / Math.max(n, 1);
      else if (m === 'mse') out.mse = avg((j) => this.se[j]! / n);
      else if (m === 'mae') out.mae = avg((j) => this.ae[j]! / n);
      else if (m === 'rmse') out.rmse = avg((j) => Math.sqrt(this.se[j]! / n));
      else if (m === 'r2') {
        out.r2 = n < 2 ? NaN : avg((j) => {
          const res = this.se[j]!, tot = this.m2[j]!;
          return tot === 0 ? (res === 0 ? 1 : 0) : 1 - res / tot;
        });
      }
    }
    return out;
  }
}
