import { quantileOfSorted } from "../../experiments/stats/index.ts";
import { DRIFT_DEFAULTS, type DriftDetector } from "../drift-detector.ts";
import { sortedNumbers } from "../detectors/detector-input.ts";

/**
 * The detector to copy when adding one: the standardised difference of medians, |median(cur) − median(ref)|
 * divided by the reference's interquartile range (floored like Wasserstein's scale). To add a detector: copy this
 * folder, validate options in the factory, read samples through `sortedNumbers`/`labelCounts` (they throw the
 * CORE_ERR_INVALID the contract asks for), keep `test` pure, say in `appliesTo` when the defaults should pick it,
 * declare `symmetric` honestly, and keep the one-line conformance test.
 */
export function medianShiftDetector(opts: { threshold?: number } = {}): DriftDetector {
  const threshold = opts.threshold ?? DRIFT_DEFAULTS.distanceThreshold;
  return {
    id: "median_shift",
    kinds: ["numeric"],
    // The scale is the reference's interquartile range, so swapping the samples changes the statistic.
    symmetric: false,
    appliesTo: () => false,
    test(reference, current) {
      const a = sortedNumbers(reference, "reference");
      const b = sortedNumbers(current, "current");
      const scale = Math.max(quantileOfSorted(a, 0.75) - quantileOfSorted(a, 0.25), 1e-3);
      const statistic = Math.abs(quantileOfSorted(b, 0.5) - quantileOfSorted(a, 0.5)) / scale;
      return { statistic, threshold, drifted: statistic >= threshold };
    },
  };
}
