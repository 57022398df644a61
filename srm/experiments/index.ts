export { assignVariant, assignmentHash, type Variant } from "./assignment.ts";
export {
  DEFAULT_MIN_SAMPLE_PER_ARM,
  EXPERIMENT_METRICS,
  PINNABLE_MODEL_KINDS,
  populationsOverlap,
  validateExperimentInput,
  type ArmSpec,
  type ExperimentDesign,
  type ExperimentInput,
  type ExperimentMetric,
} from "./experiment-design.ts";
export { experimentOf, type Experiment, type ExperimentStatus } from "./experiment-record.ts";
export { EXPERIMENT_CHANGED_EVENT, ExperimentPolicyResolver, SHIPPED_VARIANT } from "./experiment-policy-resolver.ts";
export { loadArmObservations, maxDrawdownFraction, type ArmObservations } from "./arm-observations.ts";
export { METRIC_DEFINITIONS, evaluateExperiment, type ArmSummary, type EvaluateOptions, type ExperimentEvaluation, type MetricComparison } from "./evaluate-experiment.ts";
export { recommend, type MetricVerdict, type Recommendation } from "./recommendation.ts";
export { ExperimentService, type ExperimentActor, type ResolverHooks } from "./experiment-service.ts";
export * from "./stats/index.ts";
