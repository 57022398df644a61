import { nextTradingDayStart, nextTradingWeekStart, tradingDayStart, tradingWeekStart } from "./new-york-time.ts";

/**
 * The periods a limit can measure over, with CopyFactory's names. Calendar windows follow the FX market's clock
 * for days and weeks and UTC for longer ones; the plain `week` and `month` are CopyFactory's fixed-length
 * periods counted from the account's tracking start (its first update or last manual reset):
 *
 * | window          | a period starts                                   | ends                 |
 * |-----------------|---------------------------------------------------|----------------------|
 * | `day`           | 17:00 New York (the trading day; EST/EDT aware)   | next 17:00 New York  |
 * | `week-to-date`  | Sunday 17:00 New York (the trading week)          | next Sunday 17:00    |
 * | `week`          | tracking start + k·7 days                         | 7 days later         |
 * | `month-to-date` | the 1st, 00:00 UTC                                | next 1st, 00:00 UTC  |
 * | `month`         | tracking start + k calendar months (UTC)          | one month later      |
 * | `quarter`       | 1 Jan / 1 Apr / 1 Jul / 1 Oct, 00:00 UTC          | next quarter         |
 * | `year`          | 1 January, 00:00 UTC                              | next 1 January       |
 * | `lifetime`      | tracking start                                    | never                |
 */
export const RISK_WINDOWS = ["day", "week", "week-to-date", "month", "month-to-date", "quarter", "year", "lifetime"] as const;
export type RiskWindow = (typeof RISK_WINDOWS)[number];

/** One period of a window: `end` is null for `lifetime`. */
export interface WindowPeriod {
  start: number;
  end: number | null;
}

const WEEK_MS = 7 * 86_400_000;

/** The period of `window` that contains instant `at`, for an account tracked since `trackingStart`. */
export function windowPeriod(window: RiskWindow, at: number, trackingStart: number): WindowPeriod {
  switch (window) {
    case "day":
      return { start: tradingDayStart(at), end: nextTradingDayStart(at) };
    case "week-to-date":
      return { start: tradingWeekStart(at), end: nextTradingWeekStart(at) };
    case "week": {
      const k = Math.max(0, Math.floor((at - trackingStart) / WEEK_MS));
      return { start: trackingStart + k * WEEK_MS, end: trackingStart + (k + 1) * WEEK_MS };
    }
    case "month": {
      const k = monthsBetween(trackingStart, at);
      return { start: addMonthsUtc(trackingStart, k), end: addMonthsUtc(trackingStart, k + 1) };
    }
    case "month-to-date": {
      const d = new Date(at);
      return { start: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), end: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) };
    }
    case "quarter": {
      const d = new Date(at);
      const first = Math.floor(d.getUTCMonth() / 3) * 3;
      return { start: Date.UTC(d.getUTCFullYear(), first, 1), end: Date.UTC(d.getUTCFullYear(), first + 3, 1) };
    }
    case "year": {
      const y = new Date(at).getUTCFullYear();
      return { start: Date.UTC(y, 0, 1), end: Date.UTC(y + 1, 0, 1) };
    }
    case "lifetime":
      return { start: trackingStart, end: null };
  }
}

/** `t` moved by `months` calendar months in UTC, clamped to the target month's last day (31 Jan + 1 → 29 Feb). */
function addMonthsUtc(t: number, months: number): number {
  const d = new Date(t);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(d.getUTCDate(), lastDay), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
}

/** Whole months k ≥ 0 such that addMonthsUtc(start, k) ≤ at. */
function monthsBetween(start: number, at: number): number {
  if (at <= start) return 0;
  const s = new Date(start);
  const a = new Date(at);
  let k = (a.getUTCFullYear() - s.getUTCFullYear()) * 12 + (a.getUTCMonth() - s.getUTCMonth());
  while (k > 0 && addMonthsUtc(start, k) > at) k--;
  return k;
}
