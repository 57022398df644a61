import type { ServiceEvent } from "../../core/index.ts";
import type { RiskState } from "../decision/decide.ts";
import type { Prisma } from "../../prisma/index.ts";
import type { RiskVerdict } from "./risk-rule.ts";
import type { RiskTransition } from "./risk-state-machine.ts";

/** Published when a rule alerts or a limit is breached without changing the state. */
export const RISK_ALERT_EVENT = "risk.alert";
/** Published when an account's risk state changes (escalation, expiry of a hold, manual reset). */
export const RISK_STATE_CHANGED_EVENT = "risk.state_changed";

/** The rows and bus events one risk update produces; written and published together. */
export interface RiskRecords {
  events: Prisma.RiskEventCreateManyInput[];
  alerts: Prisma.AlertCreateManyInput[];
  published: ServiceEvent[];
  /** The sentence that explains the state change, when there is one. */
  transitionText: string | null;
}

export interface RecordContext {
  accountId: string;
  userId: string;
  at: number;
  from: RiskState;
  to: RiskState;
  closePositions: boolean;
}

const SEVERITY = { ALERT: "WARNING", REDUCE: "WARNING", HALT: "CRITICAL", CLOSE_POSITIONS: "CRITICAL", RESET: "INFO" } as const;

/**
 * Turns the verdicts worth recording and the transition (if any) into `RiskEvent` rows, `Alert` rows for the
 * owner and bus events. The verdict that caused a transition is published as the state change itself.
 */
export function riskRecords(ctx: RecordContext, news: readonly RiskVerdict[], transition: RiskTransition | null, note?: Record<string, unknown>): RiskRecords {
  const out: RiskRecords = { events: [], alerts: [], published: [], transitionText: transition?.verdict?.text ?? null };
  const createdAt = new Date(ctx.at);
  const push = (action: keyof typeof SEVERITY, rule: string, text: string, details: Record<string, unknown>, row: { measure?: string; value?: string; limit?: string }, busType: string) => {
    out.events.push({ accountId: ctx.accountId, rule, fromState: ctx.from, toState: ctx.to, action, details: { text, ...details } as Prisma.InputJsonValue, createdAt, ...row });
    out.alerts.push({ userId: ctx.userId, accountId: ctx.accountId, severity: SEVERITY[action], code: `RISK_${action}`, message: text, details: { rule, ...details } as Prisma.InputJsonValue, createdAt });
    out.published.push({
      type: busType,
      userId: ctx.userId,
      accountId: ctx.accountId,
      at: ctx.at,
      data: { rule, action, text, from: ctx.from, to: ctx.to, closePositions: ctx.closePositions, ...row, ...details },
    });
  };
  for (const v of news) {
    if (v.action === "NONE") continue;
    const causedTransition = transition?.verdict === v;
    push(
      v.action,
      v.reason,
      v.text,
      { ruleId: v.rule, unit: v.unit, utilisation: v.utilisation, since: v.since, clearsAt: v.clearsAt, ...note },
      { measure: v.measure, value: v.value.toString(), limit: v.limit.toString() },
      causedTransition ? RISK_STATE_CHANGED_EVENT : RISK_ALERT_EVENT,
    );
  }
  if (transition && transition.kind !== "escalated") {
    const text =
      transition.kind === "expired"
        ? `${transition.reason}: the hold has run out; the account is ACTIVE again`
        : `manual reset (${String(note?.reason ?? "")}): the account is ACTIVE again and every risk window starts over`;
    out.transitionText = text;
    push("RESET", transition.reason, text, { kind: transition.kind, ...note }, {}, RISK_STATE_CHANGED_EVENT);
  }
  return out;
}
