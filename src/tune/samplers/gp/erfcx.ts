// The scaled complementary error function erfcx(x) = exp(x²)·erfc(x) in f64, accurate to ~1e-14
// relative everywhere it is finite (pinned against mpmath in tests/tune/gp-pieces.test.ts): a
// positive-term series for erf below 1.5, a continued fraction above. The GP's acquisition needs it
// for the normal CDF deep in its lower tail, where erfc itself underflows or loses its digits.

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const INV_SQRT_PI = 1 / Math.sqrt(Math.PI);

/** exp(x²)·erfc(x). @example erfcx(0) // 1 */
export function erfcx(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 * Math.exp(x * x) - erfcx(-x);
  if (x < 1.5) {
    // erf(x) = 2/√π·exp(−x²)·Σ (2x²)ⁿ·x/(2n+1)!!, every term positive (no cancellation).
    const t = 2 * x * x;
    let term = x, sum = x;
    for (let n = 1; n < 200 && term > 1e-17 * sum; n++) { term *= t / (2 * n + 1); sum += term; }
    return Math.exp(x * x) - TWO_OVER_SQRT_PI * sum;
  }
  if (x > 1e8) return INV_SQRT_PI / x; // the next term, 1/(2x²), is below rounding
  // erfc(x)·exp(x²)·√π = 1/(x + ½/(x + 1/(x + (3/2)/(x + …)))), evaluated from the tail up.
  const depth = x < 2 ? 160 : x < 3 ? 90 : x < 5 ? 50 : x < 10 ? 25 : 12;
  let t = x;
  for (let k = depth; k >= 1; k--) t = x + (k / 2) / t;
  return INV_SQRT_PI / t;
}

/** Φ(z), the standard normal CDF, with full relative precision in the lower tail. @example normalCdf(0) // 0.5 */
export function normalCdf(z: number): number {
  const u = -z / Math.SQRT2;
  return z < 0 ? 0.5 * erfcx(u) * Math.exp(-u * u) : 1 - 0.5 * erfcx(-u) * Math.exp(-u * u);
}
