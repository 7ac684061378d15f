// Log expected improvement, the GP sampler's acquisition (Optuna's logEI; Ament et al. 2023,
// "Unexpected Improvements to Expected Improvement"): for f ~ N(μ, σ²) and the best value so far
// f0 (maximising), EI = σ·h(z) with z = (μ − f0)/σ and h(z) = z·Φ(z) + φ(z). Computed in log space
// so that it stays finite and informative far below f0: log h(z) = −z²/2 − log√(2π) + log(1 + z·r)
// with r = Φ(z)/φ(z) = √(π/2)·erfcx(−z/√2) for z < 0, and an asymptotic series below z = −25
// where 1 + z·r cancels; derivatives in closed form (d log h/dz = Φ(z)/h(z)).
import { erfcx, normalCdf } from './erfcx.js';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const SQRT_HALF_PI = Math.sqrt(Math.PI / 2);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** log h(z), h(z) = E[max(0, z + N(0, 1))]; `grad[0]` gets d log h/dz when given. @example standardLogEI(0) // log φ(0) */
export function standardLogEI(z: number, grad?: Float64Array): number {
  if (z >= 0) {
    const cdf = normalCdf(z), h = z * cdf + INV_SQRT_2PI * Math.exp(-0.5 * z * z);
    if (grad) grad[0] = cdf / h;
    return Math.log(h);
  }
  if (z > -25) {
    const r = SQRT_HALF_PI * erfcx(-z / Math.SQRT2), q = 1 + z * r; // q = h/φ, relative error ~ z²·eps
    if (grad) grad[0] = r / q;
    return -0.5 * z * z - LOG_SQRT_2PI + Math.log(q);
  }
  // t = −z > 25: h/φ = t⁻²·Σₖ (−1)ᵏ(2k+1)!!/t²ᵏ and Φ/φ = t⁻¹·Σₖ (−1)ᵏ(2k−1)!!/t²ᵏ (Mills' ratio).
  const t = -z, u = 1 / (t * t);
  let s = 1, s1 = 1, a = 1, a1 = 1;
  for (let k = 1; k <= 12; k++) { a *= -(2 * k + 1) * u; a1 *= -(2 * k - 1) * u; s += a; s1 += a1; }
  if (grad) grad[0] = t * s1 / s;
  return -0.5 * z * z - LOG_SQRT_2PI - 2 * Math.log(t) + Math.log(s);
}

/**
 * log EI of N(mean, variance) over f0 (maximisation). With `grad`, grad[0] = ∂/∂mean and
 * grad[1] = ∂/∂variance.
 * @example logEI(0, 1, 0) // log φ(0) ≈ −0.919
 */
export function logEI(mean: number, variance: number, f0: number, grad?: Float64Array): number {
  const sigma = Math.sqrt(variance), z = (mean - f0) / sigma;
  const v = Math.log(sigma) + standardLogEI(z, grad);
  if (grad) {
    const dz = grad[0]!;
    grad[0] = dz / sigma;
    grad[1] = (1 - z * dz) / (2 * variance);
  }
  return v;
}
