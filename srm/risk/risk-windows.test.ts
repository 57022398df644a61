import { describe, expect, it } from "vitest";
import { nextTradingDayStart, nextTradingWeekStart, tradingDayStart, tradingWeekStart } from "./new-york-time.ts";
import { RISK_WINDOWS, windowPeriod } from "./risk-windows.ts";

const utc = (y: number, mo: number, d: number, h = 0, mi = 0) => Date.UTC(y, mo - 1, d, h, mi);
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

describe("the trading day (17:00 New York)", () => {
  it("starts at 22:00 UTC in winter (EST) and 21:00 UTC in summer (EDT)", () => {
    expect(iso(tradingDayStart(utc(2024, 1, 16, 12)))).toBe("2024-01-15T22:00:00.000Z");
    expect(iso(tradingDayStart(utc(2024, 7, 16, 12)))).toBe("2024-07-15T21:00:00.000Z");
  });

  it("belongs to the new day from exactly 17:00 New York, to the old one a millisecond before", () => {
    const boundary = utc(2024, 3, 12, 21);
    expect(tradingDayStart(boundary)).toBe(boundary);
    expect(iso(tradingDayStart(boundary - 1))).toBe("2024-03-11T21:00:00.000Z");
    expect(nextTradingDayStart(boundary - 1)).toBe(boundary);
  });

  it("is 23 hours long when clocks spring forward and 25 when they fall back", () => {
    // DST began on Sunday 10 March 2024 at 02:00 and ended on Sunday 3 November 2024 at 02:00 (New York).
    const spring = utc(2024, 3, 10, 12);
    expect(iso(tradingDayStart(spring))).toBe("2024-03-09T22:00:00.000Z");
    expect(iso(nextTradingDayStart(spring))).toBe("2024-03-10T21:00:00.000Z");
    const fall = utc(2024, 11, 3, 12);
    expect(iso(tradingDayStart(fall))).toBe("2024-11-02T21:00:00.000Z");
    expect(iso(nextTradingDayStart(fall))).toBe("2024-11-03T22:00:00.000Z");
    expect(nextTradingDayStart(fall) - tradingDayStart(fall)).toBe(25 * 3_600_000);
  });
});

describe("the trading week (Sunday 17:00 New York)", () => {
  it("starts on the latest Sunday at 17:00 New York, across a DST change", () => {
    // Wednesday 13 March 2024: the week began on Sunday 10 March at 17:00 EDT (21:00 UTC).
    expect(iso(tradingWeekStart(utc(2024, 3, 13, 9)))).toBe("2024-03-10T21:00:00.000Z");
    // Sunday 10 March at 16:59 EDT still belongs to the week that began on 3 March at 17:00 EST (22:00 UTC).
    expect(iso(tradingWeekStart(utc(2024, 3, 10, 20, 59)))).toBe("2024-03-03T22:00:00.000Z");
    expect(iso(nextTradingWeekStart(utc(2024, 3, 10, 20, 59)))).toBe("2024-03-10T21:00:00.000Z");
    // The weekend (Saturday) is the tail of the week that began the Sunday before.
    expect(iso(tradingWeekStart(utc(2024, 3, 9, 12)))).toBe("2024-03-03T22:00:00.000Z");
    expect(tradingWeekStart(utc(2024, 3, 10, 21))).toBe(utc(2024, 3, 10, 21));
  });
});

describe("windowPeriod", () => {
  const tracking = utc(2024, 1, 31, 10);

  it("maps day and week-to-date to the New York trading day and week", () => {
    const at = utc(2024, 3, 13, 9);
    expect(windowPeriod("day", at, tracking)).toEqual({ start: utc(2024, 3, 12, 21), end: utc(2024, 3, 13, 21) });
    expect(windowPeriod("week-to-date", at, tracking)).toEqual({ start: utc(2024, 3, 10, 21), end: utc(2024, 3, 17, 21) });
  });

  it("maps month-to-date, quarter and year to UTC calendar periods", () => {
    expect(windowPeriod("month-to-date", utc(2024, 2, 29, 23, 59), tracking)).toEqual({ start: utc(2024, 2, 1), end: utc(2024, 3, 1) });
    expect(windowPeriod("month-to-date", utc(2024, 3, 1), tracking).start).toBe(utc(2024, 3, 1));
    expect(windowPeriod("quarter", utc(2024, 5, 15), tracking)).toEqual({ start: utc(2024, 4, 1), end: utc(2024, 7, 1) });
    expect(windowPeriod("quarter", utc(2024, 12, 31, 23), tracking)).toEqual({ start: utc(2024, 10, 1), end: utc(2025, 1, 1) });
    expect(windowPeriod("year", utc(2024, 6, 1), tracking)).toEqual({ start: utc(2024, 1, 1), end: utc(2025, 1, 1) });
  });

  it("counts week and month in fixed periods from the tracking start (CopyFactory), clamping month ends", () => {
    const week = 7 * 86_400_000;
    expect(windowPeriod("week", tracking + week - 1, tracking)).toEqual({ start: tracking, end: tracking + week });
    expect(windowPeriod("week", tracking + week, tracking)).toEqual({ start: tracking + week, end: tracking + 2 * week });
    // 31 January + 1 month is 29 February 2024; + 2 months is 31 March (counted from the start, no drift).
    expect(windowPeriod("month", utc(2024, 2, 29, 9, 59), tracking)).toEqual({ start: tracking, end: utc(2024, 2, 29, 10) });
    expect(windowPeriod("month", utc(2024, 2, 29, 10), tracking)).toEqual({ start: utc(2024, 2, 29, 10), end: utc(2024, 3, 31, 10) });
    expect(windowPeriod("month", utc(2024, 4, 1), tracking).start).toBe(utc(2024, 3, 31, 10));
  });

  it("never ends the lifetime window, and every other period contains the instant asked about", () => {
    expect(windowPeriod("lifetime", utc(2030, 1, 1), tracking)).toEqual({ start: tracking, end: null });
    for (let t = tracking; t < tracking + 400 * 86_400_000; t += 86_400_000 + 1_234_567) {
      for (const w of RISK_WINDOWS) {
        const p = windowPeriod(w, t, tracking);
        expect(p.start).toBeLessThanOrEqual(t);
        if (p.end !== null) expect(p.end).toBeGreaterThan(t);
      }
    }
  });
});
