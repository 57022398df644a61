import type { RiskState } from "../decision/decide.ts";
import { actionRank, type LimitAction, type RiskVerdict } from "./risk-rule.ts";

/** An account's risk state with what the machine must remember between updates. */
export interface RiskStatus {
  state: RiskState;
  /** The typed reason that put the account in this state (a rule's reason, or "manual-reset"). */
  reason: string | null;
  since: number | null;
  /** When REDUCING lifts by itself; null while ACTIVE or HALTED, and while only a manual reset can lift REDUCING. */
  reducingUntil: number | null;
}

/** How a state changed: a rule escalated it, a REDUCE hold ran out, or a person reset it. */
export interface RiskTransition {
  from: RiskState;
  to: RiskState;
  reason: string;
  at: number;
  kind: "escalated" | "expired" | "reset";
  /** The verdict that escalated the state (the strongest one); null for expiry and reset. */
  verdict: RiskVerdict | null;
}

/** The machine's output for one update. */
export interface RiskStep {
  status: RiskStatus;
  transition: RiskTransition | null;
  /** A close-positions rule is breached: the trading side should close every open position (a no-op when flat). */
  closePositions: boolean;
}

/** The state each limit action asks for. */
export const STATE_FOR_ACTION: Readonly<Record<LimitAction, RiskState>> = { REDUCE: "REDUCING", HALT: "HALTED", CLOSE_POSITIONS: "HALTED" };

/** Severity of a state: ACTIVE < REDUCING < HALTED. */
export const STATE_RANK: Readonly<Record<RiskState, number>> = { ACTIVE: 0, REDUCING: 1, HALTED: 2 };

/** A fresh account's status. */
export const ACTIVE_STATUS: RiskStatus = { state: "ACTIVE", reason: null, since: null, reducingUntil: null };

/**
 * One pure step: the strongest limit verdict moves ACTIVE → REDUCING → HALTED (never back); HALTED stays
 * until `resetRiskState`; REDUCING lifts once every REDUCE hold has run out (at the latest `clearsAt`) and no
 * rule asks for it any more; a REDUCE with no end (a `lifetime` limit) also waits for a manual reset.
 */
export function stepRiskState(current: RiskStatus, verdicts: readonly RiskVerdict[], now: number): RiskStep {
  let strongest: RiskVerdict | undefined;
  let holdUntil: number | null | undefined;
  for (const v of verdicts) {
    if (actionRank(v.action) < actionRank("REDUCE")) continue;
    if (!strongest || actionRank(v.action) > actionRank(strongest.action)) strongest = v;
    if (v.action === "REDUCE") holdUntil = holdUntil === undefined ? v.clearsAt : laterHold(holdUntil, v.clearsAt);
  }
  const closePositions = verdicts.some((v) => v.action === "CLOSE_POSITIONS");
  const target = strongest ? STATE_FOR_ACTION[strongest.action as LimitAction] : "ACTIVE";

  if (current.state === "HALTED") return { status: current, transition: null, closePositions };
  if (strongest && STATE_RANK[target] > STATE_RANK[current.state]) {
    const reducingUntil = target === "REDUCING" ? (holdUntil ?? null) : null;
    const transition: RiskTransition = { from: current.state, to: target, reason: strongest.reason, at: now, kind: "escalated", verdict: strongest };
    return { status: { state: target, reason: strongest.reason, since: now, reducingUntil }, transition, closePositions };
  }
  if (current.state === "REDUCING") {
    if (holdUntil !== undefined) return { status: { ...current, reducingUntil: laterHold(current.reducingUntil, holdUntil) }, transition: null, closePositions };
    if (current.reducingUntil !== null && now >= current.reducingUntil) {
      const transition: RiskTransition = { from: "REDUCING", to: "ACTIVE", reason: current.reason ?? "expired", at: now, kind: "expired", verdict: null };
      return { status: { state: "ACTIVE", reason: current.reason, since: now, reducingUntil: null }, transition, closePositions };
    }
  }
  return { status: current, transition: null, closePositions };
}

/** A manual reset: back to ACTIVE from any state (the caller re-baselines the windows). */
export function resetRiskState(current: RiskStatus, now: number): RiskStep {
  return {
    status: { state: "ACTIVE", reason: "manual-reset", since: now, reducingUntil: null },
    transition: { from: current.state, to: "ACTIVE", reason: "manual-reset", at: now, kind: "reset", verdict: null },
    closePositions: false,
  };
}

/** The later of two hold ends; null (manual reset only) outlasts any time. */
function laterHold(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : Math.max(a, b);
}
