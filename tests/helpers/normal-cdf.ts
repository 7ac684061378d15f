// The standard normal CDF Φ in f64 for tests, written apart from the library's (src/backend/js/erf.ts)
// so a GELU expectation does not share its code: for |x| < 3 the Maclaurin series of erf
// (Σ (−1)ⁿ z^{2n+1} / (n!(2n+1)), terms below e^{4.5} ≈ 90, so ~1e-14 absolute); beyond, Laplace's
// continued fraction for Mills' ratio, Q(x) = φ(x) / (x + 1/(x + 2/(x + 3/(x + …)))), which keeps
// relative accuracy far into the tail. Checked against published values in tests/backend/activation.test.ts.

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** φ(x) = e^{−x²/2} / √(2π). */
export function phi(x: number): number {
  return Math.exp(-0.5 * x * x) / SQRT_2PI;
}

/** Upper tail Q(x) = 1 − Φ(x) for x ≥ 3 (Laplace's continued fraction, evaluated bottom-up; it
 * converges faster as x grows: 800/x² + 16 levels give the same f64 as 2000 levels for x ≥ 3). */
function upperTail(x: number): number {
  let d = x;
  for (let k = Math.ceil(800 / (x * x)) + 16; k >= 1; k--) d = x + k / d;
  return phi(x) / d;
}

/** Φ(x) = P(N(0, 1) ≤ x). */
export function Phi(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x <= -3) return upperTail(-x);
  if (x >= 3) return 1 - upperTail(x);
  const z = x / Math.SQRT2;
  let term = z, erf = z; // term_n = (−1)ⁿ z^{2n+1} / n!
  for (let n = 1; n < 100; n++) {
    term *= (-z * z) / n;
    const t = term / (2 * n + 1);
    erf += t;
    if (Math.abs(t) < 1e-18) break;
  }
  return 0.5 + erf / Math.sqrt(Math.PI);
}
