/** Stable reason codes a decision can carry; the text beside each is built at decision time. */
export const DECISION_REASON_CODES = [
  "SRM_INVALID_INTENT",
  "SRM_ACCOUNT_HALTED",
  "SRM_ACCOUNT_REDUCING",
  "SRM_DAILY_LOSS_LIMIT",
  "SRM_SIGNAL_STALE",
  "SRM_PRICE_MOVED",
  "SRM_PROVIDER_SCORE_LOW",
  "SRM_SLIPPAGE_TOO_HIGH",
  "SRM_SL_BUFFERED",
  "SRM_NO_STOP_LOSS",
  "SRM_MODEL_FALLBACK",
  "SRM_CONTEXT_MISSING",
  "SRM_EXIT_ALLOWED",
  "SRM_FAILED_CLOSED",
] as const;

export type DecisionReasonCode = (typeof DECISION_REASON_CODES)[number] | `LOT_${string}`;

/** One reason: a stable code and a sentence a user can read ("lot reduced from 0.50 to 0.30: …"). */
export interface DecisionReason {
  code: DecisionReasonCode;
  text: string;
}
