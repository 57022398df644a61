import type { SampleRatioCheck } from "./stats/index.ts";

/** What to do with an experiment now. */
export interface Recommendation {
  action: "ship" | "keep_running" | "stop";
  reasons: string[];
}

/** The part of a metric comparison the rule reads. */
export interface MetricVerdict {
  metric: string;
  /** Observations in the smaller arm. */
  minArmSize: number;
  /** Significant and in the treatment's favour, against it, or neither. */
  verdict: "better" | "worse" | "inconclusive";
}

/**
 * The decision rule, in order:
 * 1. `stop` on a sample-ratio mismatch (p < 0.001 with ≥ 8 units per arm): the split is broken, so no metric can
 *    be trusted.
 * 2. `keep_running` while either arm has fewer than `minSamplePerArm` observations of the primary metric: no
 *    verdict before the minimum sample, whatever the numbers say.
 * 3. `stop` when the treatment is significantly worse on the primary metric or on any guardrail.
 * 4. `ship` when it is significantly better on the primary metric (and, by 3, worse on no guardrail).
 * 5. `keep_running` otherwise.
 * "Significantly" means Welch's p < α and a bootstrap interval that excludes zero on the same side.
 */
export function recommend(srm: SampleRatioCheck, primary: MetricVerdict, guardrails: readonly MetricVerdict[], minSamplePerArm: number): Recommendation {
  if (srm.mismatch) {
    return {
      action: "stop",
      reasons: [`sample-ratio mismatch: ${srm.observed.control}/${srm.observed.treatment} accounts against an expected ${srm.expected.control.toFixed(1)}/${srm.expected.treatment.toFixed(1)} (p = ${srm.pValue.toExponential(2)})`],
    };
  }
  if (primary.minArmSize < minSamplePerArm) {
    return { action: "keep_running", reasons: [`${primary.metric}: ${primary.minArmSize} observations in the smaller arm, ${minSamplePerArm} needed before a verdict`] };
  }
  const worse = [primary, ...guardrails].filter((m) => m.verdict === "worse").map((m) => `${m.metric} is significantly worse in treatment`);
  if (worse.length > 0) return { action: "stop", reasons: worse };
  if (primary.verdict === "better") return { action: "ship", reasons: [`${primary.metric} is significantly better in treatment and no guardrail is worse`] };
  return { action: "keep_running", reasons: [`${primary.metric} shows no significant difference yet`] };
}
