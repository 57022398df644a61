import { DRIFT_DEFAULTS, type ColumnValues, type DriftDetector } from "../drift-detector.ts";
import { isCategorical, labelCounts, sharesWithFloor, sortedNumbers } from "./detector-input.ts";

/** √(½ KL(p‖m) + ½ KL(q‖m)) with m = (p + q)/2, natural logarithm (scipy's `jensenshannon`), in [0, √ln 2]. */
export function jensenShannonDistance(p: Float64Array, q: Float64Array): number {
  let divergence = 0;
  for (let i = 0; i < p.length; i++) {
    const m = (p[i]! + q[i]!) / 2;
    if (p[i]! > 0) divergence += 0.5 * p[i]! * Math.log(p[i]! / m);
    if (q[i]! > 0) divergence += 0.5 * q[i]! * Math.log(q[i]! / m);
  }
  return Math.sqrt(Math.max(0, divergence));
}

/** Equal-width histograms over the pooled range with Sturges' bin count (numpy's `bins="sturges"`). */
function pooledHistograms(reference: ColumnValues, current: ColumnValues): { reference: Float64Array; current: Float64Array } {
  const a = sortedNumbers(reference, "reference");
  const b = sortedNumbers(current, "current");
  const lo = Math.min(a[0]!, b[0]!);
  const hi = Math.max(a[a.length - 1]!, b[b.length - 1]!);
  const bins = hi > lo ? Math.ceil(Math.log2(a.length + b.length)) + 1 : 1;
  const histogram = (s: Float64Array) => {
    const counts = new Float64Array(bins);
    for (const v of s) counts[hi > lo ? Math.min(bins - 1, Math.floor(((v - lo) / (hi - lo)) * bins)) : 0]! += 1;
    return counts;
  };
  return { reference: histogram(a), current: histogram(b) };
}

/**
 * Jensen–Shannon distance between binned samples: labels for categorical columns, Sturges bins over the pooled
 * range for numeric ones; empty bins get a 1e-4 share. Symmetric. Default for categorical columns above
 * `largeSample` reference rows.
 */
export function jensenShannonDetector(opts: { threshold?: number; largeSample?: number } = {}): DriftDetector {
  const threshold = opts.threshold ?? DRIFT_DEFAULTS.distanceThreshold;
  const largeSample = opts.largeSample ?? DRIFT_DEFAULTS.largeSample;
  return {
    id: "jensen_shannon",
    kinds: ["numeric", "categorical"],
    symmetric: true,
    appliesTo: (_kind, nRef) => nRef > largeSample,
    test(reference, current) {
      const counts = isCategorical(reference) || isCategorical(current) ? labelCounts(reference, current) : pooledHistograms(reference, current);
      const statistic = jensenShannonDistance(sharesWithFloor(counts.reference), sharesWithFloor(counts.current));
      return { statistic, threshold, drifted: statistic >= threshold };
    },
  };
}
