// Standard normal CDF Φ and density φ in f64 for the reference GELU (JavaScript has no Math.erf).
// erfc(z), z ≥ 0: the everywhere-convergent positive series erf(z) = 2/√π·e^{−z²}·Σ 2ⁿz^{2n+1}/(2n+1)!!
// for z < 2 (1 − erf loses < 1e-13 relative there), the continued fraction
// erfc(z) = e^{−z²}/√π · 1/(z + ½/(z + 1/(z + 3/2/(z + …)))) beyond. Relative error < 1e-12.

function erfcPos(z: number): number {
  if (z < 2) {
    let term = z, sum = z;
    for (let n = 1; n < 200 && term > 1e-17 * sum; n++) {
      term *= (2 * z * z) / (2 * n + 1);
      sum += term;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * Math.exp(-z * z) * sum;
  }
  let f = z; // evaluate the continued fraction bottom-up with 80 levels
  for (let k = 80; k >= 1; k--) f = z + k / 2 / f;
  return Math.exp(-z * z) / Math.sqrt(Math.PI) / f;
}

/** Φ(x) = P(N(0,1) ≤ x), relative accuracy on both tails. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return x;
  const c = 0.5 * erfcPos(Math.abs(x) / Math.SQRT2);
  return x < 0 ? c : 1 - c;
}

/** φ(x) = e^{−x²/2}/√(2π). */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}
