/**
 * Wall-clock arithmetic in New York, where the FX trading day turns over at 17:00 (EST or EDT). Built on
 * the runtime's time-zone database, so daylight-saving changes need no table of our own.
 */

const DAY_MS = 86_400_000;
const NY_HOUR = 17;

const formatter = new Intl.DateTimeFormat("en-US", {
  timeZone: "America/New_York",
  hourCycle: "h23",
  year: "numeric",
  month: "numeric",
  day: "numeric",
  hour: "numeric",
  minute: "numeric",
  second: "numeric",
});

interface LocalTime {
  /** The local calendar date as a UTC midnight timestamp (only its Y-M-D is meaningful). */
  date: number;
  hour: number;
}

/** Offsets by UTC hour: New York changes offset only on the hour, and Intl formatting costs tens of microseconds. */
const offsets = new Map<number, number>();

/** New York's offset from UTC at instant `t`, in ms (−4 h in summer, −5 h in winter). */
function offsetAt(t: number): number {
  const hour = Math.floor(t / 3_600_000);
  let offset = offsets.get(hour);
  if (offset === undefined) {
    const at = hour * 3_600_000;
    const p: Record<string, number> = {};
    for (const part of formatter.formatToParts(new Date(at))) if (part.type !== "literal") p[part.type] = Number(part.value);
    offset = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - at;
    if (offsets.size >= 50_000) offsets.clear();
    offsets.set(hour, offset);
  }
  return offset;
}

function localTime(t: number): LocalTime {
  const local = new Date(t + offsetAt(t));
  return { date: Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()), hour: local.getUTCHours() };
}

/** The instant at which New York's clocks show `hour`:00 on the local date `date` (a UTC-midnight timestamp). */
function atLocalHour(date: number, hour: number): number {
  const asUtc = date + hour * 3_600_000;
  // 17:00 is never inside a DST gap or overlap (changes happen at 02:00), so two refinements settle it.
  const first = asUtc - offsetAt(asUtc);
  return asUtc - offsetAt(first);
}

/** Start of the trading day containing `t`: the latest 17:00 New York at or before `t`. */
export function tradingDayStart(t: number): number {
  const local = localTime(t);
  return atLocalHour(local.hour >= NY_HOUR ? local.date : local.date - DAY_MS, NY_HOUR);
}

/** Start of the next trading day after the one containing `t`. */
export function nextTradingDayStart(t: number): number {
  const local = localTime(t);
  return atLocalHour((local.hour >= NY_HOUR ? local.date : local.date - DAY_MS) + DAY_MS, NY_HOUR);
}

/** Start of the trading week containing `t`: the latest Sunday 17:00 New York at or before `t`. */
export function tradingWeekStart(t: number): number {
  return atLocalHour(weekStartDate(t), NY_HOUR);
}

/** Start of the trading week after the one containing `t`. */
export function nextTradingWeekStart(t: number): number {
  return atLocalHour(weekStartDate(t) + 7 * DAY_MS, NY_HOUR);
}

function weekStartDate(t: number): number {
  const local = localTime(t);
  const weekday = new Date(local.date).getUTCDay();
  const daysBack = weekday === 0 ? (local.hour >= NY_HOUR ? 0 : 7) : weekday;
  return local.date - daysBack * DAY_MS;
}
