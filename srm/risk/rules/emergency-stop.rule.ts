import { dec, invalid, type DecimalInput } from "../../../core/index.ts";
import { DEFAULT_ALERT_AT, type RiskRule } from "../risk-rule.ts";
import { checkAlertAt, gradeFinding, positiveDecimal } from "../risk-verdict.ts";

export interface EmergencyStopOptions {
  /** Largest equity drawdown from the high-water mark, as a fraction. @defaultValue 0.2 */
  relative?: DecimalInput;
  /** @defaultValue 0.8 */
  alertAt?: number;
}

/**
 * The emergency stop: equity (open losses included) falling a share below its high-water mark halts the account
 * and closes every open position; only a manual reset brings it back.
 */
export function emergencyStopRule(opts: EmergencyStopOptions = {}): RiskRule {
  const limit = positiveDecimal(opts.relative ?? "0.2", "relative");
  if (limit.gt(1)) throw invalid("relative", `must be a fraction of at most 1, got ${limit.toString()}`);
  const alertAt = opts.alertAt ?? DEFAULT_ALERT_AT;
  checkAlertAt(alertAt);
  const rule: RiskRule = {
    id: "emergency-stop",
    reason: "emergency-stop",
    description: "HALTED and every position closed once equity falls the configured share below its high-water mark.",
    alertAt,
    limitAction: "CLOSE_POSITIONS",
    evaluate(s) {
      const hwm = s.equityHighWaterMark;
      const drawdown = hwm.gt(0) ? hwm.sub(s.equity).div(hwm) : dec(0);
      return gradeFinding(rule, {
        measure: "equity-drawdown",
        measurements: [{ value: drawdown, limit, unit: "fraction" }],
        describe: `equity drawdown from the high-water mark ${hwm.toFixed(2)} (equity ${s.equity.toFixed(2)})`,
        since: s.trackingStart,
        clearsAt: null,
      });
    },
  };
  return rule;
}
