export { srmConfig } from "./srm.config.ts";
export { srmPolicyConfig, DEFAULT_SRM_POLICY, policyOverrideProblem, type SrmPolicy } from "./decision/srm-policy.ts";
export {
  decide,
  type AccountSnapshot,
  type Decision,
  type DecisionInput,
  type DecisionModels,
  type ProviderSnapshot,
  type RiskState,
  type SlippageModel,
} from "./decision/decide.ts";
export { DECISION_REASON_CODES, type DecisionReason, type DecisionReasonCode } from "./decision/decision-reasons.ts";
export { validateIntent } from "./decision/validate-intent.ts";
export { isApproved, type ApprovedDecision } from "./decision/approved-decision.ts";
export { staticPolicy, type PolicyResolver, type ResolvedPolicy } from "./decision/policy-resolver.ts";
export { SrmService, DECISION_EVENT, type ContextSource, type DecisionRecord, type MarketFacts } from "./srm-service.ts";
export * from "./features/index.ts";
export { ModelRegistry, MODEL_PROMOTED_EVENT, type ModelKind, type ModelVersionRow, type RegisterInput } from "./registry/model-registry.ts";
export { ChampionCache } from "./registry/champion-cache.ts";
export { loadSlippageModel } from "./registry/slippage-model-loader.ts";
export { promotionGate, type GateDecision } from "./registry/promotion-gate.ts";
export { trainSlippage, type TrainSlippageOptions, type TrainSlippageReport } from "./training/slippage-trainer.ts";
export { trainScore, fitScorePriors, betaPriorFromRates, type TrainScoreReport } from "./training/score-trainer.ts";
export { providerHistories } from "./training/provider-histories.ts";
export { loadSlippageRows, type SlippageRow } from "./training/slippage-rows.ts";
export { splitByAccountTime, toDataset } from "./training/slippage-dataset.ts";
export * from "./score/index.ts";
export * from "./lot/index.ts";
export * from "./risk/index.ts";
export * from "./statements/index.ts";
export * from "./evaluation/index.ts";
export * from "./drift/index.ts";
export * from "./experiments/index.ts";
export * from "./provider-metrics/index.ts";
export * from "./replay/index.ts";
