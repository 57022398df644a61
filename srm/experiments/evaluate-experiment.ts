import type { Variant } from "./assignment.ts";
import type { ArmObservations } from "./arm-observations.ts";
import type { ExperimentMetric } from "./experiment-design.ts";
import { recommend, type Recommendation } from "./recommendation.ts";
import {
  bootstrapMeanDifference,
  clustersOf,
  mannWhitneyU,
  mean,
  median,
  sampleRatioMismatch,
  welchTTest,
  type BootstrapInterval,
  type MannWhitneyResult,
  type SampleRatioCheck,
  type WelchResult,
} from "./stats/index.ts";

/** How each metric is measured and which direction is good. */
export const METRIC_DEFINITIONS: Readonly<Record<ExperimentMetric, { unit: "trade" | "account" | "fill"; better: "higher" | "lower" }>> = {
  pnl_per_trade: { unit: "trade", better: "higher" },
  max_drawdown: { unit: "account", better: "lower" },
  stop_out_count: { unit: "account", better: "lower" },
  slippage: { unit: "fill", better: "lower" },
};

export interface ArmSummary {
  n: number;
  mean: number | null;
  median: number | null;
}

/** One metric, treatment against control. */
export interface MetricComparison {
  metric: ExperimentMetric;
  unit: "trade" | "account" | "fill";
  better: "higher" | "lower";
  control: ArmSummary;
  treatment: ArmSummary;
  /** mean(treatment) − mean(control) with its bootstrap interval (accounts resampled for trade and fill metrics). */
  ci: BootstrapInterval | null;
  welch: WelchResult | null;
  mannWhitney: MannWhitneyResult | null;
  significant: boolean;
  verdict: "better" | "worse" | "inconclusive";
}

export interface ExperimentEvaluation {
  window: { from: string; to: string };
  srm: SampleRatioCheck;
  metrics: MetricComparison[];
  recommendation: Recommendation;
}

export interface EvaluateOptions {
  pilotShare: number;
  metrics: readonly ExperimentMetric[];
  minSamplePerArm: number;
  /** @defaultValue 0.05 */
  alpha?: number;
  /** @defaultValue 2000 */
  resamples?: number;
  seed: number;
}

function sample(obs: ArmObservations, metric: ExperimentMetric): { values: number[]; clusters: string[] } {
  switch (metric) {
    case "pnl_per_trade":
      return { values: obs.pnl.values, clusters: obs.pnl.accounts };
    case "slippage":
      return { values: obs.slippage.values, clusters: obs.slippage.accounts };
    case "max_drawdown":
      return { values: obs.maxDrawdown, clusters: obs.maxDrawdown.map((_, i) => String(i)) };
    case "stop_out_count":
      return { values: obs.stopOuts, clusters: obs.stopOuts.map((_, i) => String(i)) };
  }
}

const summary = (v: readonly number[]): ArmSummary => ({ n: v.length, mean: v.length ? mean(v) : null, median: v.length ? median(v) : null });

function compare(metric: ExperimentMetric, arms: Record<Variant, ArmObservations>, alpha: number, resamples: number, seed: number): MetricComparison {
  const def = METRIC_DEFINITIONS[metric];
  const c = sample(arms.CONTROL, metric);
  const t = sample(arms.TREATMENT, metric);
  const ci = bootstrapMeanDifference(clustersOf(c.values, c.clusters), clustersOf(t.values, t.clusters), { resamples, seed, confidence: 1 - alpha });
  const welch = welchTTest(t.values, c.values);
  const significant = !!ci && !!welch && welch.pValue < alpha && (ci.lower > 0 || ci.upper < 0);
  const treatmentHigher = (welch?.meanDifference ?? 0) > 0;
  const verdict = !significant ? "inconclusive" : treatmentHigher === (def.better === "higher") ? "better" : "worse";
  return { metric, ...def, control: summary(c.values), treatment: summary(t.values), ci, welch, mannWhitney: mannWhitneyU(t.values, c.values), significant, verdict };
}

/**
 * Compares the arms on every metric (bootstrap interval, Welch's t, Mann–Whitney U), checks the split for a
 * sample-ratio mismatch, and applies the recommendation rule with the first metric as primary. Pure: the caller
 * loads the observations.
 */
export function evaluateExperiment(arms: Record<Variant, ArmObservations>, window: { from: Date; to: Date }, o: EvaluateOptions): ExperimentEvaluation {
  const alpha = o.alpha ?? 0.05;
  const resamples = o.resamples ?? 2000;
  const srm = sampleRatioMismatch({ control: arms.CONTROL.units, treatment: arms.TREATMENT.units }, o.pilotShare);
  const metrics = o.metrics.map((m, i) => compare(m, arms, alpha, resamples, o.seed + i));
  const verdicts = metrics.map((m) => ({ metric: m.metric, minArmSize: Math.min(m.control.n, m.treatment.n), verdict: m.verdict }));
  return {
    window: { from: window.from.toISOString(), to: window.to.toISOString() },
    srm,
    metrics,
    recommendation: recommend(srm, verdicts[0]!, verdicts.slice(1), o.minSamplePerArm),
  };
}
