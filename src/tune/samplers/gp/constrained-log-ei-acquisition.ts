// ConstrainedLogEIAcquisition: the GP sampler's acquisition in a constrained study (Optuna's
// acqf.ConstrainedLogEI, after Gardner et al. 2014): log EI of the objective over the best
// *feasible* value, plus Σᵢ log P(cᵢ(x) ≤ 0) under one GP per constraint — each GP models the
// standardised −cᵢ, so feasibility is "above the standardised 0" (logPI against that threshold).
// Without a feasible trial there is no objective term (`objective` null): the acquisition is the
// log probability of feasibility alone. The constraint variances get the same stabilising noise as
// log EI's; valueGrad chains through each posterior as LogEIAcquisition does.
import type { GPRegressor } from './gp-regressor.js';
import type { LogEIAcquisition } from './log-ei-acquisition.js';
import { logPI } from './log-pi.js';
import type { Acquisition } from './optimize-acquisition.js';

/** One constraint's GP (fit to the standardised −c) and the standardised value of c = 0 on its scale. */
export interface ConstraintModel {
  gp: GPRegressor;
  threshold: number;
}

export class ConstrainedLogEIAcquisition implements Acquisition {
  readonly dim: number;
  private readonly mv = new Float64Array(2);
  private readonly dl = new Float64Array(2);
  private readonly gMean: Float64Array;
  private readonly gVar: Float64Array;
  private readonly gObj: Float64Array;

  /** `objective`: log EI over the best feasible value, or null when no trial is feasible yet. */
  constructor(readonly objective: LogEIAcquisition | null, readonly constraints: readonly ConstraintModel[], readonly stabilizingNoise = 1e-12) {
    if (constraints.length === 0) throw new RangeError('ConstrainedLogEIAcquisition: needs at least one constraint model');
    this.dim = constraints[0]!.gp.d;
    for (const c of constraints) if (c.gp.d !== this.dim) throw new RangeError(`ConstrainedLogEIAcquisition: constraint GPs of dimensions ${c.gp.d} and ${this.dim}`);
    if (objective && objective.dim !== this.dim) throw new RangeError(`ConstrainedLogEIAcquisition: objective of dimension ${objective.dim}, constraints of ${this.dim}`);
    this.gMean = new Float64Array(this.dim);
    this.gVar = new Float64Array(this.dim);
    this.gObj = new Float64Array(this.dim);
  }

  /** The acquisition at x. */
  value(x: Float64Array): number {
    let v = this.objective ? this.objective.value(x) : 0;
    for (const c of this.constraints) {
      const [mean, variance] = c.gp.posterior(x, this.mv);
      v += logPI(mean!, variance! + this.stabilizingNoise, c.threshold);
    }
    return v;
  }

  /** The acquisition at each of the m rows of Xc (row-major m × d) into out. */
  values(Xc: Float64Array, m: number, out: Float64Array): void {
    if (this.objective) this.objective.values(Xc, m, out);
    else out.fill(0, 0, m);
    const mean = new Float64Array(m), variance = new Float64Array(m);
    for (const c of this.constraints) {
      c.gp.posteriorBatch(Xc, m, mean, variance);
      for (let i = 0; i < m; i++) out[i]! += logPI(mean[i]!, variance[i]! + this.stabilizingNoise, c.threshold);
    }
  }

  /** The acquisition at x; its gradient with respect to x goes into g. */
  valueGrad(x: Float64Array, g: Float64Array): number {
    let v = 0;
    if (this.objective) v = this.objective.valueGrad(x, this.gObj);
    else this.gObj.fill(0);
    g.set(this.gObj);
    for (const c of this.constraints) {
      const [mean, variance] = c.gp.posteriorGrad(x, this.gMean, this.gVar, this.mv);
      v += logPI(mean!, variance! + this.stabilizingNoise, c.threshold, this.dl);
      const a = this.dl[0]!, b = this.dl[1]!;
      for (let j = 0; j < g.length; j++) g[j]! += a * this.gMean[j]! + b * this.gVar[j]!;
    }
    return v;
  }
}
