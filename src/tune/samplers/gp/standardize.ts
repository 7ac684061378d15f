// standardize: the GP sampler's values scaled to mean 0 and standard deviation 1, as Optuna's
// _standardize_values: infinities are clipped to the finite range first (all values 0 when none is
// finite), the deviation is floored at 1e-10 so that equal values stay finite. The mean and the
// deviation are returned too, so that a threshold (a constraint's 0) can be put on the same scale.

/** Standardised values, with the mean and (floored) standard deviation used. @example standardize([1, 3]).values // [-1, 1] */
export function standardize(values: readonly number[]): { values: Float64Array; mean: number; sd: number } {
  const finite = values.filter(Number.isFinite);
  const lo = finite.length ? Math.min(...finite) : 0, hi = finite.length ? Math.max(...finite) : 0;
  const v = Float64Array.from(values, (x) => Math.min(hi, Math.max(lo, x)));
  let mean = 0;
  for (const x of v) mean += x / v.length;
  let sd = 0;
  for (const x of v) sd += (x - mean) ** 2 / v.length;
  sd = Math.max(1e-10, Math.sqrt(sd));
  return { values: v.map((x) => (x - mean) / sd), mean, sd };
}
