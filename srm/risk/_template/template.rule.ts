import { dec, invalid, type DecimalInput } from "../../../core/index.ts";
import { DEFAULT_ALERT_AT, type RiskRule } from "../risk-rule.ts";
import { checkAlertAt, gradeFinding, positiveDecimal } from "../risk-verdict.ts";

export interface OpenLossOptions {
  /** Largest open (unrealised) loss as a fraction of balance. @defaultValue 0.15 */
  relative?: DecimalInput;
  /** @defaultValue 0.8 */
  alertAt?: number;
}

/**
 * The rule to copy when adding one: the open-loss guard (CopyFactory's unrealised-drawdown filter) puts the
 * account in REDUCING while (balance − equity) / balance reaches its limit. To add a rule: copy this folder,
 * add the reason to `RiskReason`, validate options with `invalid(field)` in the factory (never while
 * evaluating), measure from the snapshot only, let `gradeFinding` choose the action and write the text, and
 * keep the one-line conformance test with scenarios that worsen step by step through the alert band.
 */
export function openLossRule(opts: OpenLossOptions = {}): RiskRule {
  // 1. Validate options once, naming the field.
  const limit = positiveDecimal(opts.relative ?? "0.15", "relative");
  if (limit.gt(1)) throw invalid("relative", `must be a fraction of at most 1, got ${limit.toString()}`);
  const alertAt = opts.alertAt ?? DEFAULT_ALERT_AT;
  checkAlertAt(alertAt);
  const rule: RiskRule = {
    id: "open-loss",
    reason: "open-loss",
    description: "REDUCING while open positions lose the configured share of balance; lifts when the loss shrinks.",
    alertAt,
    limitAction: "REDUCE",
    evaluate(s) {
      // 2. Measure: a pure function of the snapshot; degenerate accounts give a value, not an exception.
      const openLoss = s.balance.gt(0) ? s.balance.sub(s.equity).div(s.balance) : dec(0);
      // 3. Grade: utilisation, the 80% alert and the limit action come from the shared grader.
      return gradeFinding(rule, {
        measure: "balance-minus-equity",
        measurements: [{ value: openLoss, limit, unit: "fraction" }],
        describe: "open loss as a share of balance",
        since: s.trackingStart,
        // The hold is re-checked on every update: it lifts as soon as the open loss is back under the limit.
        clearsAt: s.now,
      });
    },
  };
  return rule;
}
