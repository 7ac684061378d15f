// LogEIAcquisition: log expected improvement of a fitted GP over the best value so far, as a
// function of a normalised point (Optuna's acqf.LogEI): logEI(mean(x), variance(x) + 1e-12, f0),
// the small constant keeping it finite at the training points; valueGrad adds its gradient with
// respect to x through the posterior's (chain rule: ∂logEI/∂mean·∇mean + ∂logEI/∂var·∇var).
import type { GPRegressor } from './gp-regressor.js';
import { logEI } from './log-ei.js';

export class LogEIAcquisition {
  private readonly mv = new Float64Array(2);
  private readonly dl = new Float64Array(2);
  private readonly gMean: Float64Array;
  private readonly gVar: Float64Array;

  /** `f0`: the best (largest) standardised value observed; `stabilizingNoise` is added to the variance. */
  constructor(readonly gp: GPRegressor, readonly f0: number, readonly stabilizingNoise = 1e-12) {
    this.gMean = new Float64Array(gp.d);
    this.gVar = new Float64Array(gp.d);
  }

  get dim(): number { return this.gp.d; }

  /** log EI at x. */
  value(x: Float64Array): number {
    const [mean, v] = this.gp.posterior(x, this.mv);
    return logEI(mean!, v! + this.stabilizingNoise, this.f0);
  }

  /** log EI at each of the m rows of Xc (row-major m × d) into out. */
  values(Xc: Float64Array, m: number, out: Float64Array): void {
    const mean = new Float64Array(m), variance = new Float64Array(m);
    this.gp.posteriorBatch(Xc, m, mean, variance);
    for (let i = 0; i < m; i++) out[i] = logEI(mean[i]!, variance[i]! + this.stabilizingNoise, this.f0);
  }

  /** log EI at x; its gradient with respect to x goes into g. */
  valueGrad(x: Float64Array, g: Float64Array): number {
    const [mean, v] = this.gp.posteriorGrad(x, this.gMean, this.gVar, this.mv);
    const val = logEI(mean!, v! + this.stabilizingNoise, this.f0, this.dl);
    const a = this.dl[0]!, b = this.dl[1]!;
    for (let j = 0; j < g.length; j++) g[j] = a * this.gMean[j]! + b * this.gVar[j]!;
    return val;
  }
}
