import { DRIFT_DEFAULTS, type DriftDetector } from "../drift-detector.ts";
import { sortedNumbers } from "./detector-input.ts";

/** W₁ = ∫ |F_a(x) − F_b(x)| dx between two sorted samples (scipy's `wasserstein_distance`). */
export function wasserstein1(a: Float64Array, b: Float64Array): number {
  let i = 0;
  let j = 0;
  let area = 0;
  let x = Math.min(a[0]!, b[0]!);
  while (i < a.length || j < b.length) {
    const next = Math.min(i < a.length ? a[i]! : Infinity, j < b.length ? b[j]! : Infinity);
    area += Math.abs(i / a.length - j / b.length) * (next - x);
    x = next;
    while (i < a.length && a[i]! <= x) i++;
    while (j < b.length && b[j]! <= x) j++;
  }
  return area;
}

/** Smallest scale the distance is divided by, so a constant reference yields a large, finite statistic. */
const MIN_SCALE = 1e-3;

function standardDeviation(sorted: Float64Array): number {
  let m = 0;
  for (const v of sorted) m += v;
  m /= sorted.length;
  let ss = 0;
  for (const v of sorted) ss += (v - m) ** 2;
  return Math.sqrt(ss / sorted.length);
}

/**
 * Wasserstein-1 distance divided by the reference's standard deviation (population, floored at 1e-3 as
 * Evidently does): 0.1 means the current sample sits a tenth of a reference spread away. The standard deviation
 * rather than the IQR because several features are mostly ties (counts, flags) where the IQR is 0. Not
 * symmetric, since the scale is the reference's. Default above `largeSample` reference rows.
 */
export function wassersteinDetector(opts: { threshold?: number; largeSample?: number } = {}): DriftDetector {
  const threshold = opts.threshold ?? DRIFT_DEFAULTS.distanceThreshold;
  const largeSample = opts.largeSample ?? DRIFT_DEFAULTS.largeSample;
  return {
    id: "wasserstein",
    kinds: ["numeric"],
    symmetric: false,
    appliesTo: (kind, nRef) => kind === "numeric" && nRef > largeSample,
    test(reference, current) {
      const a = sortedNumbers(reference, "reference");
      const b = sortedNumbers(current, "current");
      const statistic = wasserstein1(a, b) / Math.max(standardDeviation(a), MIN_SCALE);
      return { statistic, threshold, drifted: statistic >= threshold };
    },
  };
}
