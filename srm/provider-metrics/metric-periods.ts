/** The period kinds of `signal_provider_metrics` (the `MetricPeriod` enum). */
export const METRIC_PERIOD_TYPES = ["DAILY", "WEEKLY", "MONTHLY", "ROLLING_30D", "LIFETIME"] as const;
export type MetricPeriodType = (typeof METRIC_PERIOD_TYPES)[number];

/**
 * One period a metrics row describes. Calendar periods are half-open `[start, end)` in UTC; `LIFETIME` starts at
 * the Unix epoch (a fixed start keeps its row unique) and ends at the computation instant, inclusive.
 */
export interface MetricPeriod {
  type: MetricPeriodType;
  start: number;
  end: number;
}

export const DAY_MS = 86_400_000;
const ROLLING_DAYS = 30;

/** Midnight UTC of the day containing `t`. */
export function utcDayStart(t: number): number {
  return Math.floor(t / DAY_MS) * DAY_MS;
}

/**
 * The period of `type` that contains instant `at`: the UTC day; the ISO week (Monday 00:00 UTC); the UTC calendar
 * month; for `ROLLING_30D` the 30 days ending at the close of `at`'s UTC day (one row per day, so a day's row is
 * updated in place as trades close and yesterday's stays as it ended); for `LIFETIME` everything up to `at`.
 */
export function periodOf(type: MetricPeriodType, at: number): MetricPeriod {
  const day = utcDayStart(at);
  switch (type) {
    case "DAILY":
      return { type, start: day, end: day + DAY_MS };
    case "WEEKLY": {
      const monday = day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS;
      return { type, start: monday, end: monday + 7 * DAY_MS };
    }
    case "MONTHLY": {
      const d = new Date(at);
      return { type, start: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), end: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) };
    }
    case "ROLLING_30D":
      return { type, start: day + DAY_MS - ROLLING_DAYS * DAY_MS, end: day + DAY_MS };
    case "LIFETIME":
      return { type, start: 0, end: at };
  }
}

/** The instant a period's score is taken at: its end, or `asOf` while it is still running. */
export function scoreInstant(p: MetricPeriod, asOf: number): number {
  return p.type === "LIFETIME" ? p.end : Math.min(p.end, asOf);
}

/** A stable key per row (the table's unique key without the provider). */
export function periodKey(p: Pick<MetricPeriod, "type" | "start">): string {
  return `${p.type}@${p.start}`;
}

/**
 * Every period a recompute at `asOf` must write: the current period of each type, and each period that contains
 * an activity instant in `[from, asOf]` — for `ROLLING_30D` that is each day from the activity's day to 29 days
 * later (every 30-day window that includes it), up to today. Sorted by end, then type.
 */
export function periodsToRefresh(activity: Iterable<number>, from: number, asOf: number): MetricPeriod[] {
  const byKey = new Map<string, MetricPeriod>();
  const add = (p: MetricPeriod) => byKey.set(periodKey(p), p);
  for (const type of METRIC_PERIOD_TYPES) add(periodOf(type, asOf));
  const today = utcDayStart(asOf);
  const days = new Set<number>();
  for (const t of activity) {
    if (t < from || t > asOf) continue;
    days.add(utcDayStart(t));
  }
  for (const day of days) {
    add(periodOf("DAILY", day));
    add(periodOf("WEEKLY", day));
    add(periodOf("MONTHLY", day));
    for (let k = 0; k < ROLLING_DAYS && day + k * DAY_MS <= today; k++) add(periodOf("ROLLING_30D", day + k * DAY_MS));
  }
  return [...byKey.values()].sort((a, b) => a.end - b.end || METRIC_PERIOD_TYPES.indexOf(a.type) - METRIC_PERIOD_TYPES.indexOf(b.type));
}
