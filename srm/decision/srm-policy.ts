import { field, loadConfig, type SectionValue } from "../../core/index.ts";

/** The SRM policy settings; A/B experiments override any subset of these per arm. */
export const srmPolicyConfig = {
  rejectScoreBelow: field.number("SRM_REJECT_SCORE_BELOW", "Reject signals from providers scoring below this (0–100).", { default: 35, min: 0, max: 100 }),
  maxSlippageP90Pips: field.number("SRM_MAX_SLIPPAGE_P90_PIPS", "Reject when predicted p90 slippage exceeds this many pips.", { default: 5, min: 0 }),
  maxPriceDeviationPips: field.number("SRM_MAX_PRICE_DEVIATION_PIPS", "Reject when the price moved more than this from the signal.", { default: 5, min: 0 }),
  signalTtlSeconds: field.number("SRM_SIGNAL_TTL_SECONDS", "Default time to live of an opening signal.", { default: 60, min: 1 }),
  slBufferMinPips: field.number("SRM_SL_BUFFER_MIN_PIPS", "Smallest stop-loss buffer.", { default: 1, min: 0 }),
  slBufferMaxPips: field.number("SRM_SL_BUFFER_MAX_PIPS", "Largest stop-loss buffer.", { default: 3, min: 0 }),
  slBufferAtrFraction: field.number("SRM_SL_BUFFER_ATR_FRACTION", "Share of the M1 ATR added to the p90 slippage in the buffer.", { default: 0.1, min: 0 }),
  fallbackSlippageP90Pips: field.number("SRM_FALLBACK_SLIPPAGE_P90_PIPS", "p90 slippage assumed when no slippage model is available.", { default: 1, min: 0 }),
  dailyLossLimitPercent: field.number("SRM_DAILY_LOSS_LIMIT_PERCENT", "New trades stop once the day's loss reaches this share of the day-start balance.", {
    default: 2,
    min: 0,
    max: 100,
  }),
};

export type SrmPolicy = SectionValue<typeof srmPolicyConfig>;

/** The policy with every default, for tests and tools that run without an environment. */
export const DEFAULT_SRM_POLICY: SrmPolicy = loadConfig({ p: srmPolicyConfig }, {}, []).value.p;

/** Keys an experiment arm may override, and how each must look. */
export function policyOverrideProblem(overrides: Record<string, unknown>): string | undefined {
  for (const [k, v] of Object.entries(overrides)) {
    if (!(k in srmPolicyConfig)) return `unknown policy setting ${k}`;
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) return `${k} must be a non-negative number`;
  }
  return undefined;
}
