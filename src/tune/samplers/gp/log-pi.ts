// Log probability of improvement, the constrained GP acquisition's feasibility term (Optuna's
// LogPI): for f ~ N(μ, σ²) and a threshold f0, log P(f ≥ f0) = log Φ(z) with z = (μ − f0)/σ.
// log Φ is computed without underflow deep in the lower tail through erfcx (Φ(z) =
// ½·erfcx(−z/√2)·exp(−z²/2) for z < 0) and without cancellation in the upper one (log1p of −Φ(−z));
// derivatives in closed form (d log Φ/dz = φ(z)/Φ(z), the inverse Mills ratio).
import { erfcx } from './erfcx.js';

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** log Φ(z); `grad[0]` gets d log Φ/dz when given. @example logNormalCdf(0) // log ½ */
export function logNormalCdf(z: number, grad?: Float64Array): number {
  if (z < 0) {
    const e = erfcx(-z / Math.SQRT2);
    if (grad) grad[0] = SQRT_2_OVER_PI / e;
    return Math.log(0.5 * e) - 0.5 * z * z;
  }
  const pdf = INV_SQRT_2PI * Math.exp(-0.5 * z * z), tail = 0.5 * erfcx(z / Math.SQRT2) * Math.exp(-0.5 * z * z); // Φ(−z)
  if (grad) grad[0] = pdf / (1 - tail);
  return Math.log1p(-tail);
}

/**
 * log P(f ≥ f0) for f ~ N(mean, variance). With `grad`, grad[0] = ∂/∂mean and grad[1] = ∂/∂variance.
 * @example logPI(0, 1, 0) // log ½ ≈ −0.693
 */
export function logPI(mean: number, variance: number, f0: number, grad?: Float64Array): number {
  const sigma = Math.sqrt(variance), z = (mean - f0) / sigma;
  const v = logNormalCdf(z, grad);
  if (grad) {
    const r = grad[0]!;
    grad[0] = r / sigma;
    grad[1] = -r * z / (2 * variance);
  }
  return v;
}
