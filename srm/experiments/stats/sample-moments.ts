/** Arithmetic mean; NaN for an empty sample. */
export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}

/** Sample variance (n − 1 in the denominator); NaN below two values. */
export function sampleVariance(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return Number.NaN;
  const m = mean(values);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - m) ** 2;
  return ss / (n - 1);
}

/** Type-7 (linear interpolation) quantile of ascending values, numpy's and R's default. */
export function quantileOfSorted(sorted: ArrayLike<number>, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Median of a sample (average of the middle pair for even sizes); NaN when empty. */
export function median(values: ArrayLike<number>): number {
  return values.length === 0 ? Number.NaN : quantileOfSorted(Float64Array.from(values).sort(), 0.5);
}
