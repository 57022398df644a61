import { chiSquareSurvival } from "../../experiments/stats/index.ts";
import { DRIFT_DEFAULTS, type DriftDetector } from "../drift-detector.ts";
import { labelCounts } from "./detector-input.ts";

/**
 * Chi-square test of homogeneity on the 2 × k table of label counts (scipy's `chi2_contingency` without Yates'
 * correction). A homogeneity test rather than goodness of fit against the reference shares, so that a label the
 * reference never saw counts as drift instead of dividing by zero, and so that it is symmetric.
 */
export function chiSquareDetector(opts: { alpha?: number; largeSample?: number } = {}): DriftDetector {
  const alpha = opts.alpha ?? DRIFT_DEFAULTS.alpha;
  const largeSample = opts.largeSample ?? DRIFT_DEFAULTS.largeSample;
  return {
    id: "chi_square",
    kinds: ["categorical"],
    symmetric: true,
    appliesTo: (kind, nRef) => kind === "categorical" && nRef <= largeSample,
    test(reference, current) {
      const { reference: r, current: c } = labelCounts(reference, current);
      const nr = reference.length;
      const nc = current.length;
      const n = nr + nc;
      let statistic = 0;
      for (let k = 0; k < r.length; k++) {
        const column = r[k]! + c[k]!;
        const er = (nr * column) / n;
        const ec = (nc * column) / n;
        statistic += (r[k]! - er) ** 2 / er + (c[k]! - ec) ** 2 / ec;
      }
      const df = r.length - 1;
      const pValue = df === 0 ? 1 : chiSquareSurvival(statistic, df);
      return { statistic, pValue, threshold: alpha, drifted: pValue < alpha };
    },
  };
}
