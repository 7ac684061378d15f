// GPRegressor: the posterior of a zero-mean Gaussian process with an ARD Matérn-5/2 kernel and
// Gaussian noise, conditioned on points X (row-major n × d) with values y: mean(x) = k(x)ᵀC⁻¹y and
// variance(x) = scale − k(x)ᵀC⁻¹k(x) (clamped at 0), C = K(X, X) + noise·I factorised by
// choleskyJitter (near-duplicate points never throw), and their gradients with respect to the
// numerical coordinates of x (categorical ones are not differentiated). All f64.
import { choleskyJitter, solveLower, solveLower8, solveUpper } from './cholesky.js';
import { kernelMatrix, matern52, matern52Grad, type ArdKernel } from './matern52.js';

/** An ARD kernel and its noise variance. */
export interface KernelParams extends ArdKernel {
  /** Noise variance added to the diagonal (> 0). */
  noise: number;
}

export class GPRegressor {
  readonly n: number;
  readonly d: number;
  private readonly L: Float64Array;
  private readonly alpha: Float64Array;
  private readonly k: Float64Array;
  private readonly v: Float64Array;
  private readonly r2: Float64Array;
  private readonly batch: { k: Float64Array; v: Float64Array };
  private readonly numIdx: Int32Array;
  private readonly catIdx: Int32Array;
  /** The jitter choleskyJitter had to add to the diagonal (0 normally). */
  readonly jitter: number;

  /** Conditions the GP on the rows of X and the values y. */
  constructor(readonly params: KernelParams, readonly X: Float64Array, readonly y: Float64Array) {
    const n = this.n = y.length, d = this.d = params.isl.length;
    if (X.length !== n * d) throw new RangeError(`GPRegressor: X has ${X.length} values, expected ${n} × ${d}`);
    const C = kernelMatrix(params, X, n);
    for (let i = 0; i < n; i++) C[i * n + i]! += params.noise;
    this.L = new Float64Array(n * n);
    const jitter = choleskyJitter(C, n, this.L);
    if (jitter === null) throw new RangeError('GPRegressor: the kernel matrix has non-finite entries (non-finite inputs or kernel parameters)');
    this.jitter = jitter;
    this.alpha = solveUpper(this.L, n, solveLower(this.L, n, y));
    this.k = new Float64Array(n);
    this.v = new Float64Array(n);
    this.r2 = new Float64Array(n);
    const idx = Array.from({ length: d }, (_, j) => j);
    this.numIdx = Int32Array.from(idx.filter((j) => !params.isCat[j]));
    this.catIdx = Int32Array.from(idx.filter((j) => params.isCat[j]));
    this.batch = { k: new Float64Array(8 * n), v: new Float64Array(8 * n) };
  }

  /** r² between row a of A and training point i (numerical coordinates first, then categorical ones). */
  private sqDist(A: Float64Array, a: number, i: number): number {
    const { d, params } = this, oa = a * d, oi = i * d, X = this.X, isl = params.isl;
    let r2 = 0;
    for (const j of this.numIdx) { const diff = A[oa + j]! - X[oi + j]!; r2 += isl[j]! * diff * diff; }
    for (const j of this.catIdx) if (A[oa + j] !== X[oi + j]) r2 += isl[j]!;
    return r2;
  }

  /** Posterior mean and variance at x (a Float64Array of d values); `out` receives [mean, variance]. */
  posterior(x: Float64Array, out: Float64Array = new Float64Array(2)): Float64Array {
    const { n, k, r2, params } = this;
    let mean = 0;
    for (let i = 0; i < n; i++) {
      r2[i] = this.sqDist(x, 0, i);
      k[i] = params.scale * matern52(r2[i]!);
      mean += k[i]! * this.alpha[i]!;
    }
    solveLower(this.L, n, k, this.v);
    let vv = 0;
    for (let i = 0; i < n; i++) vv += this.v[i]! * this.v[i]!;
    out[0] = mean;
    out[1] = Math.max(0, params.scale - vv);
    return out;
  }

  /**
   * Posterior means and variances at the m rows of Xc (row-major m × d), eight at a time (one pass
   * over the Cholesky factor per eight points).
   */
  posteriorBatch(Xc: Float64Array, m: number, mean: Float64Array, variance: Float64Array): void {
    const { n, d, params } = this, B = this.batch.k, V = this.batch.v;
    let c = 0;
    for (; c + 7 < m; c += 8) {
      for (let b = 0; b < 8; b++) {
        let mu = 0;
        for (let i = 0; i < n; i++) {
          const k = params.scale * matern52(this.sqDist(Xc, c + b, i));
          B[i * 8 + b] = k;
          mu += k * this.alpha[i]!;
        }
        mean[c + b] = mu;
      }
      solveLower8(this.L, n, B, V);
      for (let b = 0; b < 8; b++) {
        let vv = 0;
        for (let i = 0; i < n; i++) vv += V[i * 8 + b]! ** 2;
        variance[c + b] = Math.max(0, params.scale - vv);
      }
    }
    const x = new Float64Array(d), out = new Float64Array(2);
    for (; c < m; c++) {
      x.set(Xc.subarray(c * d, c * d + d));
      this.posterior(x, out);
      mean[c] = out[0]!; variance[c] = out[1]!;
    }
  }

  /**
   * Posterior mean and variance at x, and their gradients with respect to x (written into
   * gMean and gVar; 0 for categorical coordinates). The variance's gradient is 0 where it is clamped.
   */
  posteriorGrad(x: Float64Array, gMean: Float64Array, gVar: Float64Array, out: Float64Array = new Float64Array(2)): Float64Array {
    const { n, d, k, r2, v, params } = this;
    this.posterior(x, out);
    // q = C⁻¹k (in place of v): ∂var/∂x = −2·qᵀ∂k/∂x, ∂mean/∂x = αᵀ∂k/∂x.
    solveUpper(this.L, n, v, v);
    gMean.fill(0); gVar.fill(0);
    const clamped = out[1] === 0;
    for (let i = 0; i < n; i++) {
      const dk = params.scale * matern52Grad(r2[i]!), wm = dk * this.alpha[i]!, wv = clamped ? 0 : -2 * dk * v[i]!;
      const oi = i * d;
      for (let j = 0; j < d; j++) {
        if (params.isCat[j]) continue;
        const dd = 2 * params.isl[j]! * (x[j]! - this.X[oi + j]!); // ∂r²/∂xⱼ
        gMean[j]! += wm * dd;
        gVar[j]! += wv * dd;
      }
    }
    return out;
  }
}
