import { dec, invalid, type DecimalInput } from "../../../core/index.ts";
import { DEFAULT_ALERT_AT, RISK_MEASURES, type AccountRiskSnapshot, type LimitAction, type RiskMeasure, type RiskReason, type RiskRule } from "../risk-rule.ts";
import { checkAlertAt, gradeFinding, positiveDecimal as positive, type Measurement } from "../risk-verdict.ts";
import { RISK_WINDOWS, type RiskWindow } from "../risk-windows.ts";

/** A limit in account currency (`absolute`), as a fraction of the window's starting value (`relative`), or both (the tighter decides). */
export interface PeriodLimit {
  absolute?: DecimalInput;
  relative?: DecimalInput;
}

export interface PeriodLimitOptions {
  window: RiskWindow;
  measure: RiskMeasure;
  limit: PeriodLimit;
  /** What reaching the limit does: REDUCE (no new positions until the window rolls) or HALT (until a manual reset). @defaultValue "HALT" */
  action?: "REDUCE" | "HALT";
  /** Also close every open position when the limit is reached; this halts the account. @defaultValue false */
  closePositions?: boolean;
  /** @defaultValue `${window}-${measure}` */
  id?: string;
  /** @defaultValue 0.8 */
  alertAt?: number;
}

/** Loss over a window by a measure, in money and as a fraction of the window's starting balance or equity. */
export function windowLoss(snapshot: AccountRiskSnapshot, window: RiskWindow, measure: RiskMeasure) {
  const base = snapshot.windows[window];
  const [loss, of] =
    measure === "balance-change"
      ? [base.balance.sub(snapshot.balance), base.balance]
      : measure === "balance-minus-equity"
        ? [base.balance.sub(snapshot.equity), base.balance]
        : [base.equity.sub(snapshot.equity), base.equity];
  // A window that began at or below zero has nothing left to lose: any further loss counts as 100%.
  const fraction = of.gt(0) ? loss.div(of) : dec(loss.gt(0) ? 1 : 0);
  return { loss, fraction, since: base.start, end: base.end };
}

const MEASURE_TEXT: Record<RiskMeasure, (w: RiskWindow) => string> = {
  "balance-change": (w) => `balance lost since the ${w} window began`,
  "balance-minus-equity": (w) => `${w}-start balance minus equity`,
  "equity-change": (w) => `equity lost since the ${w} window began`,
};

/** Internal: a window-loss rule with a given reason (the daily loss limit reuses it). */
export function windowLossRule(
  spec: { id: string; reason: RiskReason; description: string; window: RiskWindow; measure: RiskMeasure; limit: PeriodLimit; limitAction: LimitAction; alertAt: number },
): RiskRule {
  const absolute = spec.limit.absolute === undefined ? undefined : positive(spec.limit.absolute, "limit.absolute");
  const relative = spec.limit.relative === undefined ? undefined : positive(spec.limit.relative, "limit.relative");
  if (!absolute && !relative) throw invalid("limit", "give an absolute or a relative limit (or both)");
  if (relative?.gt(1)) throw invalid("limit.relative", `must be a fraction of at most 1, got ${relative.toString()}`);
  checkAlertAt(spec.alertAt);
  const rule: RiskRule = {
    id: spec.id,
    reason: spec.reason,
    description: spec.description,
    alertAt: spec.alertAt,
    limitAction: spec.limitAction,
    evaluate(snapshot) {
      const { loss, fraction, since, end } = windowLoss(snapshot, spec.window, spec.measure);
      const measurements: Measurement[] = [];
      if (absolute) measurements.push({ value: loss, limit: absolute, unit: "money" });
      if (relative) measurements.push({ value: fraction, limit: relative, unit: "fraction" });
      return gradeFinding(rule, { measure: spec.measure, measurements, describe: MEASURE_TEXT[spec.measure](spec.window), since, clearsAt: end });
    },
  };
  return rule;
}

/**
 * A CopyFactory-style stop-out: the loss over `window` by `measure` against an absolute and/or relative limit.
 * REDUCE lifts when the window rolls (never, for `lifetime`); HALT and closing positions need a manual reset.
 */
export function periodLimitRule(opts: PeriodLimitOptions): RiskRule {
  if (!RISK_WINDOWS.includes(opts.window)) throw invalid("window", `must be one of ${RISK_WINDOWS.join(", ")}`);
  if (!RISK_MEASURES.includes(opts.measure)) throw invalid("measure", `must be one of ${RISK_MEASURES.join(", ")}`);
  const reason: RiskReason = `${opts.window}-${opts.measure}`;
  const limitAction: LimitAction = opts.closePositions ? "CLOSE_POSITIONS" : (opts.action ?? "HALT");
  return windowLossRule({
    id: opts.id ?? reason,
    reason,
    description: `Stop-out when the ${opts.window} ${opts.measure} loss reaches its limit (${limitAction}).`,
    window: opts.window,
    measure: opts.measure,
    limit: opts.limit,
    limitAction,
    alertAt: opts.alertAt ?? DEFAULT_ALERT_AT,
  });
}

