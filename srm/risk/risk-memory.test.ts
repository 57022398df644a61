import { describe, expect, it } from "vitest";
import { dec } from "../../core/index.ts";
import { freshRiskMemory, newNotifications, readRiskMemory, rollWindows } from "./risk-memory.ts";
import type { RiskVerdict } from "./risk-rule.ts";

const T = Date.UTC(2024, 2, 12, 14, 30); // Tuesday 10:30 New York
const DAY_END = Date.UTC(2024, 2, 12, 21); // 17:00 New York
const values = (at: number, balance: string, equity: string) => ({ at, balance, equity });

describe("risk memory", () => {
  it("starts every window from the first values seen", () => {
    const m = freshRiskMemory(values(T, "10000", "10000"));
    expect(m.trackingStart).toBe(T);
    expect(m.windows.day).toEqual({ start: Date.UTC(2024, 2, 11, 21), balance: "10000", equity: "10000" });
    expect(m.windows.week.start).toBe(T);
    expect(m.windows.lifetime.start).toBe(T);
  });

  it("rolls a window at its boundary with the last values seen before it", () => {
    const m0 = freshRiskMemory(values(T, "10000", "10000"));
    const { memory: m1, rolled: r1 } = rollWindows(m0, values(DAY_END - 1, "9790", "9790"));
    expect(r1).toEqual([]);
    expect(m1.windows.day.balance).toBe("10000");
    const { memory: m2, rolled: r2 } = rollWindows(m1, values(DAY_END + 5 * 60_000, "9600", "9600"));
    expect(r2).toEqual(["day"]);
    expect(m2.windows.day).toEqual({ start: DAY_END, balance: "9790", equity: "9790" });
    expect(m2.windows["week-to-date"].balance).toBe("10000");
    expect(m2.last).toEqual(values(DAY_END + 5 * 60_000, "9600", "9600"));
  });

  it("survives a round trip through JSON and starts over from unreadable JSON", () => {
    const m = freshRiskMemory(values(T, "10000", "9990.5"));
    expect(readRiskMemory(JSON.parse(JSON.stringify(m)))).toEqual(m);
    expect(readRiskMemory({})).toBeNull();
    expect(readRiskMemory({ ...m, windows: { day: m.windows.day } })).toBeNull();
  });

  it("reports each rule's first alert and first breach per period once", () => {
    const v = (action: RiskVerdict["action"], since: number): RiskVerdict => ({
      rule: "daily-loss-limit",
      reason: "daily-loss-limit",
      measure: "balance-minus-equity",
      value: dec(0),
      limit: dec(1),
      unit: "fraction",
      utilisation: 0,
      action,
      since,
      clearsAt: null,
      text: "",
    });
    let m = freshRiskMemory(values(T, "10000", "10000"));
    const step = (action: RiskVerdict["action"], since = 1) => {
      const { news, notified } = newNotifications(m, [v(action, since)]);
      m = { ...m, notified };
      return news.length;
    };
    expect([step("NONE"), step("ALERT"), step("ALERT"), step("REDUCE"), step("REDUCE"), step("ALERT"), step("ALERT", 2)]).toEqual([0, 1, 0, 1, 0, 0, 1]);
  });
});
