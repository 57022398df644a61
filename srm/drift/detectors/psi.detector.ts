import { quantileOfSorted } from "../../experiments/stats/index.ts";
import { DRIFT_DEFAULTS, type ColumnValues, type DriftDetector } from "../drift-detector.ts";
import { countIntoBins, isCategorical, labelCounts, sharesWithFloor, sortedNumbers } from "./detector-input.ts";

/** Σ (c − r)·ln(c / r) over matching bins of two share vectors. */
export function populationStabilityIndex(reference: Float64Array, current: Float64Array): number {
  let psi = 0;
  for (let i = 0; i < reference.length; i++) psi += (current[i]! - reference[i]!) * Math.log(current[i]! / reference[i]!);
  return psi;
}

function numericBins(reference: ColumnValues, current: ColumnValues, bins: number): { reference: Float64Array; current: Float64Array } {
  const a = sortedNumbers(reference, "reference");
  const b = sortedNumbers(current, "current");
  // Inner edges at the reference's deciles; repeated edges (ties, constant columns) collapse into one.
  const edges = [...new Set(Array.from({ length: bins - 1 }, (_, k) => quantileOfSorted(a, (k + 1) / bins)))];
  return { reference: countIntoBins(a, edges), current: countIntoBins(b, edges) };
}

/**
 * Population Stability Index. Numeric columns use `bins` quantile bins of the reference (so each holds about
 * 1/bins of it), categorical columns one bin per label; empty bins get a 1e-4 share. Not symmetric: the bins
 * come from the reference. Offered for both kinds; the defaults never pick it on their own.
 */
export function psiDetector(opts: { threshold?: number; bins?: number } = {}): DriftDetector {
  const threshold = opts.threshold ?? DRIFT_DEFAULTS.psiThreshold;
  const bins = opts.bins ?? 10;
  return {
    id: "psi",
    kinds: ["numeric", "categorical"],
    symmetric: false,
    appliesTo: () => true,
    test(reference, current) {
      const counts = isCategorical(reference) || isCategorical(current) ? labelCounts(reference, current) : numericBins(reference, current, bins);
      const psi = populationStabilityIndex(sharesWithFloor(counts.reference), sharesWithFloor(counts.current));
      return { statistic: psi, threshold, drifted: psi >= threshold };
    },
  };
}
