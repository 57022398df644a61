import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dec } from "../../core/index.ts";
import { aRiskSnapshot } from "../../test/conformance/risk-rule.ts";
import { DEFAULT_RISK_SETTINGS } from "./risk.config.ts";
import { riskRulesFor } from "./risk-limits.ts";
import type { LimitAction, RiskVerdict, VerdictAction } from "./risk-rule.ts";
import { ACTIVE_STATUS, STATE_RANK, resetRiskState, stepRiskState, type RiskStatus } from "./risk-state-machine.ts";

const T = Date.UTC(2024, 2, 12, 14, 30);
const HOUR = 3_600_000;

function verdict(action: VerdictAction, reason: RiskVerdict["reason"] = "day-equity-change", clearsAt: number | null = T + HOUR): RiskVerdict {
  return {
    rule: reason,
    reason,
    measure: "equity-change",
    value: dec(1),
    limit: dec(1),
    unit: "money",
    utilisation: action === "NONE" ? 0 : action === "ALERT" ? 0.9 : 1,
    action,
    since: T - HOUR,
    clearsAt: action === "REDUCE" ? clearsAt : null,
    text: `${reason}: ${action}`,
  };
}

describe("stepRiskState", () => {
  it("stays ACTIVE on alerts and NONE", () => {
    const step = stepRiskState(ACTIVE_STATUS, [verdict("NONE"), verdict("ALERT")], T);
    expect([step.status, step.transition, step.closePositions]).toEqual([ACTIVE_STATUS, null, false]);
  });

  it("moves to the state of the strongest verdict and names its reason", () => {
    const reduce = stepRiskState(ACTIVE_STATUS, [verdict("REDUCE", "daily-loss-limit")], T);
    expect(reduce.status).toEqual({ state: "REDUCING", reason: "daily-loss-limit", since: T, reducingUntil: T + HOUR });
    expect(reduce.transition).toMatchObject({ from: "ACTIVE", to: "REDUCING", kind: "escalated", reason: "daily-loss-limit" });

    const both = stepRiskState(ACTIVE_STATUS, [verdict("REDUCE", "daily-loss-limit"), verdict("CLOSE_POSITIONS", "emergency-stop")], T);
    expect([both.status.state, both.status.reason, both.status.reducingUntil, both.closePositions]).toEqual(["HALTED", "emergency-stop", null, true]);
    expect(both.transition?.verdict?.reason).toBe("emergency-stop");

    const halt = stepRiskState(reduce.status, [verdict("HALT", "week-equity-change")], T + 1);
    expect(halt.transition).toMatchObject({ from: "REDUCING", to: "HALTED", reason: "week-equity-change" });
    expect(halt.closePositions).toBe(false);
  });

  it("keeps HALTED through anything but a manual reset", () => {
    const halted: RiskStatus = { state: "HALTED", reason: "emergency-stop", since: T, reducingUntil: null };
    for (const vs of [[], [verdict("NONE")], [verdict("REDUCE")], [verdict("CLOSE_POSITIONS")]]) {
      const step = stepRiskState(halted, vs, T + 400 * 24 * HOUR);
      expect([step.status, step.transition]).toEqual([halted, null]);
    }
    // The trading side is told to close again while the close-positions rule is still breached.
    expect(stepRiskState(halted, [verdict("CLOSE_POSITIONS")], T + 1).closePositions).toBe(true);
    const reset = resetRiskState(halted, T + 2);
    expect(reset.status).toEqual({ state: "ACTIVE", reason: "manual-reset", since: T + 2, reducingUntil: null });
    expect(reset.transition).toMatchObject({ from: "HALTED", to: "ACTIVE", kind: "reset" });
  });

  it("lifts REDUCING once the hold has run out and no rule asks for it", () => {
    const reducing: RiskStatus = { state: "REDUCING", reason: "daily-loss-limit", since: T, reducingUntil: T + HOUR };
    expect(stepRiskState(reducing, [], T + HOUR - 1).status).toBe(reducing);
    const lifted = stepRiskState(reducing, [verdict("ALERT")], T + HOUR);
    expect(lifted.status).toEqual({ state: "ACTIVE", reason: "daily-loss-limit", since: T + HOUR, reducingUntil: null });
    expect(lifted.transition).toMatchObject({ from: "REDUCING", to: "ACTIVE", kind: "expired", verdict: null });
  });

  it("keeps REDUCING while a rule still asks for it, until the latest hold, and forever for a hold without end", () => {
    const reducing: RiskStatus = { state: "REDUCING", reason: "daily-loss-limit", since: T, reducingUntil: T + HOUR };
    const extended = stepRiskState(reducing, [verdict("REDUCE", "stop-loss-streak", T + 5 * HOUR)], T + 2 * HOUR);
    expect([extended.status.state, extended.status.reducingUntil, extended.status.reason, extended.transition]).toEqual([
      "REDUCING",
      T + 5 * HOUR,
      "daily-loss-limit",
      null,
    ]);
    const manual = stepRiskState(reducing, [verdict("REDUCE", "lifetime-equity-change", null)], T + 2 * HOUR);
    expect(manual.status.reducingUntil).toBeNull();
    expect(stepRiskState(manual.status, [], T + 1000 * HOUR).status.state).toBe("REDUCING");
  });

  it("never leaves HALTED and only leaves REDUCING at or after its hold ends (property)", () => {
    const actions: VerdictAction[] = ["NONE", "ALERT", "REDUCE", "HALT", "CLOSE_POSITIONS"];
    const stepArb = fc.record({
      dt: fc.integer({ min: 0, max: 10 * HOUR }),
      actions: fc.array(fc.constantFrom(...actions), { maxLength: 3 }),
      hold: fc.option(fc.integer({ min: 0, max: 20 * HOUR }), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 30 }), (steps) => {
        let status: RiskStatus = ACTIVE_STATUS;
        let now = T;
        for (const s of steps) {
          now += s.dt;
          const vs = s.actions.map((a) => verdict(a, "day-equity-change", s.hold === null ? null : now + s.hold));
          const next = stepRiskState(status, vs, now);
          if (status.state === "HALTED" && next.status.state !== "HALTED") return false;
          if (STATE_RANK[next.status.state] < STATE_RANK[status.state]) {
            if (status.reducingUntil === null || now < status.reducingUntil || vs.some((v) => v.action === "REDUCE")) return false;
          }
          const strongest = Math.max(0, ...vs.map((v) => ({ REDUCE: 1, HALT: 2, CLOSE_POSITIONS: 2 })[v.action as LimitAction] ?? 0));
          if (STATE_RANK[next.status.state] < strongest) return false;
          status = next.status;
        }
        return true;
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});

describe("the default rules and the state machine together", () => {
  const rules = riskRulesFor([], DEFAULT_RISK_SETTINGS);
  const stateAt = (equity: number) => stepRiskState(ACTIVE_STATUS, rules.map((r) => r.evaluate(aRiskSnapshot({ equity, highWaterMark: 10_000 }))), T).status.state;

  it("reduces at a 2% day loss and halts at a 20% drawdown", () => {
    expect([stateAt(9_850), stateAt(9_800), stateAt(8_100), stateAt(8_000), stateAt(7_900)]).toEqual(["ACTIVE", "REDUCING", "REDUCING", "HALTED", "HALTED"]);
  });

  it("never answers a worse drawdown with a milder state (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }), (a, b) => {
        const [better, worse] = [Math.max(a, b), Math.min(a, b)];
        return STATE_RANK[stateAt(worse)] >= STATE_RANK[stateAt(better)];
      }),
      { seed: 11, numRuns: 300 },
    );
  });
});
