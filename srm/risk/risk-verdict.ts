import { dec, invalid, type Decimal, type DecimalInput } from "../../core/index.ts";
import { formatRiskValue, type RiskRule, type RiskUnit, type RiskVerdict, type VerdictAction } from "./risk-rule.ts";

/** One measurement against one limit; a rule with several limits (absolute and relative) grades the tightest. */
export interface Measurement {
  value: Decimal;
  limit: Decimal;
  unit: RiskUnit;
}

/** What a rule measured, ready to be graded into a verdict. */
export interface Finding {
  measure: string;
  /** The candidate measurements; the one with the highest utilisation decides. */
  measurements: readonly Measurement[];
  /** A phrase saying what the value is, e.g. "loss since the trading day began (balance at start minus equity)". */
  describe: string;
  since: number;
  clearsAt: number | null;
}

/** The utilisation of one measurement: 0 for gains, value / limit otherwise (limits are always positive). */
export function utilisationOf(m: Measurement): number {
  return m.value.lte(0) ? 0 : m.value.div(m.limit).toNumber();
}

/** Grades a finding: NONE below `alertAt`, ALERT from `alertAt`, the rule's limit action from 1. */
export function gradeFinding(rule: Pick<RiskRule, "id" | "reason" | "alertAt" | "limitAction">, finding: Finding): RiskVerdict {
  let best = finding.measurements[0]!;
  let utilisation = utilisationOf(best);
  for (const m of finding.measurements.slice(1)) {
    const u = utilisationOf(m);
    if (u > utilisation) [best, utilisation] = [m, u];
  }
  const action: VerdictAction = utilisation >= 1 ? rule.limitAction : utilisation >= rule.alertAt ? "ALERT" : "NONE";
  const value = formatRiskValue(best.value, best.unit);
  const limit = formatRiskValue(best.limit, best.unit);
  return {
    rule: rule.id,
    reason: rule.reason,
    measure: finding.measure,
    value: best.value,
    limit: best.limit,
    unit: best.unit,
    utilisation,
    action,
    since: finding.since,
    clearsAt: action === "REDUCE" ? finding.clearsAt : null,
    text: `${rule.id}: ${finding.describe} is ${value} against a limit of ${limit} (${(utilisation * 100).toFixed(0)}% of the limit) → ${consequence(action, finding.clearsAt)}`,
  };
}

function consequence(action: VerdictAction, clearsAt: number | null): string {
  switch (action) {
    case "NONE":
      return "within the limit";
    case "ALERT":
      return "alert: approaching the limit";
    case "REDUCE":
      return `reducing: no new positions ${clearsAt === null ? "until a manual reset" : `until ${new Date(clearsAt).toISOString()}`}`;
    case "HALT":
      return "halted: no new trades until a manual reset";
    case "CLOSE_POSITIONS":
      return "halted and closing every open position until a manual reset";
  }
}

/** A strictly positive, finite decimal, or CORE_ERR_INVALID naming `field`. */
export function positiveDecimal(v: DecimalInput, field: string): Decimal {
  let d: Decimal;
  try {
    d = dec(v);
  } catch {
    throw invalid(field, `must be a number, got ${JSON.stringify(v)}`);
  }
  if (!d.isFinite() || d.lte(0)) throw invalid(field, `must be a positive number, got ${d.toString()}`);
  return d;
}

/** Rejects an alert threshold outside (0, 1): an alert must come before the limit. */
export function checkAlertAt(alertAt: number): void {
  if (!(alertAt > 0 && alertAt < 1)) throw invalid("alertAt", `must lie strictly between 0 and 1, got ${alertAt}`);
}
