import { invalid, type DecimalInput } from "../../../core/index.ts";
import { DEFAULT_ALERT_AT, type RiskRule } from "../risk-rule.ts";
import { positiveDecimal } from "../risk-verdict.ts";
import { windowLossRule } from "./period-limit.rule.ts";

export interface DailyLossOptions {
  /** Largest loss as a fraction of the day-start balance. @defaultValue 0.02 */
  relative?: DecimalInput;
  /** @defaultValue 0.8 */
  alertAt?: number;
}

/**
 * The daily loss limit: day-start balance minus equity (open losses count) reaching a share of the day-start
 * balance puts the account in REDUCING until the next trading day (17:00 New York). It measures what
 * `decide` checks before each new trade, so the state and the pre-trade check agree.
 */
export function dailyLossRule(opts: DailyLossOptions = {}): RiskRule {
  const relative = positiveDecimal(opts.relative ?? "0.02", "relative");
  if (relative.gt(1)) throw invalid("relative", `must be a fraction of at most 1, got ${relative.toString()}`);
  return windowLossRule({
    id: "daily-loss-limit",
    reason: "daily-loss-limit",
    description: "REDUCING for the rest of the trading day once the day's loss (including open positions) reaches its limit.",
    window: "day",
    measure: "balance-minus-equity",
    limit: { relative },
    limitAction: "REDUCE",
    alertAt: opts.alertAt ?? DEFAULT_ALERT_AT,
  });
}
