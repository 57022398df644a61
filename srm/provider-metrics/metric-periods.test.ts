import { describe, expect, it } from "vitest";
import { DAY_MS, periodOf, periodsToRefresh } from "./metric-periods.ts";

const WED = Date.UTC(2024, 2, 13, 15, 30); // Wednesday 13 March 2024

describe("metric periods", () => {
  it("puts an instant in its UTC day, ISO week, month, 30-day window and lifetime", () => {
    expect(periodOf("DAILY", WED)).toEqual({ type: "DAILY", start: Date.UTC(2024, 2, 13), end: Date.UTC(2024, 2, 14) });
    expect(periodOf("WEEKLY", WED)).toEqual({ type: "WEEKLY", start: Date.UTC(2024, 2, 11), end: Date.UTC(2024, 2, 18) });
    expect(periodOf("WEEKLY", Date.UTC(2024, 2, 17, 23, 59))).toMatchObject({ start: Date.UTC(2024, 2, 11) }); // Sunday belongs to Monday's week
    expect(periodOf("MONTHLY", WED)).toEqual({ type: "MONTHLY", start: Date.UTC(2024, 2, 1), end: Date.UTC(2024, 3, 1) });
    expect(periodOf("MONTHLY", Date.UTC(2024, 11, 31, 23))).toMatchObject({ start: Date.UTC(2024, 11, 1), end: Date.UTC(2025, 0, 1) });
    expect(periodOf("ROLLING_30D", WED)).toEqual({ type: "ROLLING_30D", start: Date.UTC(2024, 1, 13), end: Date.UTC(2024, 2, 14) });
    expect(periodOf("LIFETIME", WED)).toEqual({ type: "LIFETIME", start: 0, end: WED });
  });

  it("refreshes the current periods and every period an activity falls in, 30 rolling days after each", () => {
    const asOf = WED;
    const only = periodsToRefresh([], 0, asOf);
    expect(only.map((p) => p.type).sort()).toEqual(["DAILY", "LIFETIME", "MONTHLY", "ROLLING_30D", "WEEKLY"]);

    const tenDaysAgo = asOf - 10 * DAY_MS;
    const periods = periodsToRefresh([tenDaysAgo, tenDaysAgo + 1000, asOf + DAY_MS], 0, asOf);
    const rolling = periods.filter((p) => p.type === "ROLLING_30D");
    expect(rolling).toHaveLength(11); // the activity's day through today
    expect(periods.filter((p) => p.type === "DAILY")).toHaveLength(2);
    expect(periods.filter((p) => p.type === "WEEKLY")).toHaveLength(2);
    // activity before `from` adds nothing beyond the current periods
    expect(periodsToRefresh([tenDaysAgo], asOf - DAY_MS, asOf)).toHaveLength(5);
    // sorted by end
    const ends = periods.map((p) => p.end);
    expect([...ends].sort((a, b) => a - b)).toEqual(ends);
  });
});
