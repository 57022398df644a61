import { describe, expect, it } from "vitest";
import { RiskloopError } from "../../core/index.ts";
import { DEFAULT_RISK_SETTINGS } from "./risk.config.ts";
import { parseRiskLimits, riskRulesFor } from "./risk-limits.ts";

function invalidField(raw: unknown): string {
  try {
    parseRiskLimits(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(RiskloopError);
    expect((err as RiskloopError).code).toBe("CORE_ERR_INVALID");
    expect((err as Error).message.startsWith(String((err as RiskloopError).details?.field))).toBe(true);
    return String((err as RiskloopError).details?.field);
  }
  return "accepted";
}

describe("per-account risk limits", () => {
  it("runs the service defaults when an account configures nothing", () => {
    const rules = riskRulesFor(parseRiskLimits([]), DEFAULT_RISK_SETTINGS);
    expect(rules.map((r) => [r.id, r.limitAction, r.alertAt])).toEqual([
      ["daily-loss-limit", "REDUCE", 0.8],
      ["emergency-stop", "CLOSE_POSITIONS", 0.8],
      ["stop-loss-streak", "REDUCE", 0.8],
    ]);
  });

  it("overrides built-ins and adds CopyFactory-style period limits", () => {
    const entries = parseRiskLimits([
      { kind: "daily-loss", relative: 0.03 },
      { kind: "emergency-stop", relative: 0.1 },
      { kind: "stop-loss-streak", enabled: false },
      { kind: "period", window: "week", measure: "equity-change", limit: { absolute: "750.50", relative: 0.05 }, action: "REDUCE" },
      { kind: "period", window: "lifetime", measure: "balance-minus-equity", limit: { relative: 0.3 }, closePositions: true },
      { kind: "period", id: "week-tight", window: "week", measure: "equity-change", limit: { absolute: 300 } },
    ]);
    const rules = riskRulesFor(entries, { ...DEFAULT_RISK_SETTINGS, alertAt: 0.9 });
    expect(rules.map((r) => [r.id, r.reason, r.limitAction])).toEqual([
      ["daily-loss-limit", "daily-loss-limit", "REDUCE"],
      ["emergency-stop", "emergency-stop", "CLOSE_POSITIONS"],
      ["week-equity-change", "week-equity-change", "REDUCE"],
      ["lifetime-balance-minus-equity", "lifetime-balance-minus-equity", "CLOSE_POSITIONS"],
      ["week-tight", "week-equity-change", "HALT"],
    ]);
    expect(rules.every((r) => r.alertAt === 0.9)).toBe(true);
  });

  it("turns built-ins off service-wide with 0, but never lets an account switch off the emergency stop", () => {
    const off = riskRulesFor([], { ...DEFAULT_RISK_SETTINGS, dailyLossPercent: 0, stopLossStreak: 0, emergencyDrawdownPercent: 0 });
    expect(off).toEqual([]);
    expect(invalidField([{ kind: "emergency-stop", relative: 0 }])).toBe("riskLimits[0].relative");
    expect(invalidField([{ kind: "emergency-stop", enabled: false }])).toBe("riskLimits[0].enabled");
  });

  it("names the field of each bad limit", () => {
    expect(invalidField({})).toBe("riskLimits");
    expect(invalidField([42])).toBe("riskLimits[0]");
    expect(invalidField([{ kind: "weekly-loss" }])).toBe("riskLimits[0].kind");
    expect(invalidField([{ kind: "daily-loss", percent: 3 }])).toBe("riskLimits[0].percent");
    expect(invalidField([{ kind: "daily-loss", relative: "0.03" }])).toBe("riskLimits[0].relative");
    expect(invalidField([{ kind: "daily-loss", relative: 1.2 }])).toBe("riskLimits[0].relative");
    expect(invalidField([{ kind: "daily-loss", relative: 0 }])).toBe("riskLimits[0].relative");
    expect(invalidField([{ kind: "daily-loss" }, { kind: "period", window: "day", measure: "equity-change" }])).toBe("riskLimits[1].limit");
    expect(invalidField([{ kind: "period", window: "day", measure: "equity-change", limit: {} }])).toBe("riskLimits[0].limit");
    expect(invalidField([{ kind: "period", window: "day", measure: "equity-change", limit: { max: 5 } }])).toBe("riskLimits[0].limit.max");
    expect(invalidField([{ kind: "period", window: "day", measure: "equity-change", limit: { relative: 2 } }])).toBe("riskLimits[0].limit.relative");
    expect(invalidField([{ kind: "period", window: "day", measure: "equity-change", limit: { absolute: -100 } }])).toBe("riskLimits[0].limit.absolute");
    expect(invalidField([{ kind: "period", window: "day", measure: "equity-change", limit: { absolute: "lots" } }])).toBe("riskLimits[0].limit.absolute");
    expect(invalidField([{ kind: "period", window: "fortnight", measure: "equity-change", limit: { absolute: 1 } }])).toBe("riskLimits[0].window");
    expect(invalidField([{ kind: "period", window: "day", measure: "margin", limit: { absolute: 1 } }])).toBe("riskLimits[0].measure");
    expect(invalidField([{ kind: "period", window: "day", measure: "equity-change", limit: { absolute: 1 }, action: "CLOSE" }])).toBe("riskLimits[0].action");
    expect(invalidField([{ kind: "period", window: "day", measure: "equity-change", limit: { absolute: 1 }, closePositions: "yes" }])).toBe(
      "riskLimits[0].closePositions",
    );
    expect(invalidField([{ kind: "period", id: "Bad Id", window: "day", measure: "equity-change", limit: { absolute: 1 } }])).toBe("riskLimits[0].id");
    expect(invalidField([{ kind: "stop-loss-streak", count: 1.5 }])).toBe("riskLimits[0].count");
    expect(invalidField([{ kind: "stop-loss-streak", cooldownMinutes: -1 }])).toBe("riskLimits[0].cooldownMinutes");
  });

  it("refuses two limits that would share an id", () => {
    const limit = { kind: "period", window: "day", measure: "equity-change", limit: { absolute: 100 } };
    expect(invalidField([limit, { ...limit, limit: { relative: 0.01 } }])).toBe("riskLimits[1]");
    expect(invalidField([{ kind: "daily-loss" }, { kind: "daily-loss", relative: 0.01 }])).toBe("riskLimits[1]");
    expect(invalidField([limit, { ...limit, id: "day-equity-relative" }])).toBe("accepted");
  });
});
