/**
 * Offline policy evaluation: a provider's real trade history replayed through SRM policies, side by side (net
 * profit, max drawdown, stop-outs, trades copied and filtered, lots reduced). See README.md for the method.
 */
export { replayHistoryOf, type ReplayHistory, type ReplayHistoryOptions, type ReplayInstrument, type ReplayTrade } from "./replay-history.ts";
export { statementCashflows } from "./statement-cashflows.ts";
export { armOverrides, NONE_POLICY, type ArmOverrides, type ReplayPolicy } from "./replay-policy.ts";
export { copyOutcome, type CopyOutcome } from "./copy-outcome.ts";
export { ReplayAccount, type ProtectionEvent, type ProtectionSettings } from "./replay-account.ts";
export { replayTrades, type ReplayOptions, type ReplayResult, type ReplayTraceEntry } from "./replay-trades.ts";
export { COMPARED, relativeChanges, type ComparedFigure } from "./relative-changes.ts";
export { policyKind, resolveReplayPolicy, type PolicySources } from "./resolve-replay-policy.ts";
