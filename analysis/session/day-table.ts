import type { SessionName } from "./session-hours.ts";
import { FX_WEEK, SESSION_HOURS, SESSION_NAMES } from "./session-hours.ts";
import { ZoneOffsets } from "./zone-offsets.ts";

const DAY_MS = 86_400_000;
// Local days scanned around a UTC day: wide enough to hold the last open before a weekend and the next after.
const SCAN_DAYS = 6;

/** A stretch of one UTC day over which the set of open sessions does not change. */
export interface DaySegment {
  /** Exclusive end of the stretch, epoch ms. */
  end: number;
  /** Bit i set when SESSION_NAMES[i] is open. */
  mask: number;
  marketOpen: boolean;
  lastOpenMs: number;
  lastOpened: SessionName;
  nextOpenMs: number;
  nextOpening: SessionName;
}

/** The segments of one UTC day (days since 1970-01-01), in time order. */
export interface DayTable {
  day: number;
  segments: DaySegment[];
}

interface Interval {
  start: number;
  end: number;
  session: number;
}

const zones = new Map<string, ZoneOffsets>();
function offsetsOf(zone: string): ZoneOffsets {
  let offsets = zones.get(zone);
  if (!offsets) {
    offsets = new ZoneOffsets(zone);
    zones.set(zone, offsets);
  }
  return offsets;
}

/** Day of the week of a day number, 0 = Sunday (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

function marketWeeks(day: number): Interval[] {
  const ny = offsetsOf(FX_WEEK.zone);
  const weeks: Interval[] = [];
  for (let local = day - SCAN_DAYS - 7; local <= day + SCAN_DAYS; local++) {
    if (weekdayOf(local) !== 0) continue;
    weeks.push({ start: ny.localToUtc(local, FX_WEEK.openMinute), end: ny.localToUtc(local + 5, FX_WEEK.openMinute), session: -1 });
  }
  return weeks;
}

/** Each session's open stretches near `day`: local business hours on local weekdays, inside the FX week. */
function sessionIntervals(day: number, weeks: Interval[]): Interval[] {
  const out: Interval[] = [];
  SESSION_NAMES.forEach((name, session) => {
    const hours = SESSION_HOURS[name];
    const zone = offsetsOf(hours.zone);
    for (let local = day - SCAN_DAYS; local <= day + SCAN_DAYS; local++) {
      const weekday = weekdayOf(local);
      if (weekday === 0 || weekday === 6) continue;
      const open = zone.localToUtc(local, hours.openMinute);
      const close = zone.localToUtc(local, hours.closeMinute);
      for (const week of weeks) {
        const start = Math.max(open, week.start);
        const end = Math.min(close, week.end);
        if (start < end) out.push({ start, end, session });
      }
    }
  });
  return out.sort((a, b) => a.start - b.start || a.session - b.session);
}

const contains = (i: Interval, t: number): boolean => i.start <= t && t < i.end;

/** Builds the segments of UTC day `day`; run once per day and cached by the caller. */
export function buildDayTable(day: number): DayTable {
  const dayStart = day * DAY_MS;
  const dayEnd = dayStart + DAY_MS;
  const weeks = marketWeeks(day);
  const sessions = sessionIntervals(day, weeks);
  const cuts = new Set<number>();
  for (const i of [...weeks, ...sessions]) {
    if (i.start > dayStart && i.start < dayEnd) cuts.add(i.start);
    if (i.end > dayStart && i.end < dayEnd) cuts.add(i.end);
  }
  const starts = [dayStart, ...[...cuts].sort((a, b) => a - b)];
  const segments = starts.map((start, k): DaySegment => {
    let mask = 0;
    for (const i of sessions) if (contains(i, start)) mask |= 1 << i.session;
    // `sessions` is sorted by start: the last one starting at or before `start` opened most recently,
    // the first one starting after it opens next.
    const last = sessions.filter((i) => i.start <= start).at(-1);
    const next = sessions.find((i) => i.start > start);
    if (!last || !next) throw new Error(`session table for day ${day} lacks an open before or after ${start}`);
    return {
      end: starts[k + 1] ?? dayEnd,
      mask,
      marketOpen: weeks.some((w) => contains(w, start)),
      lastOpenMs: last.start,
      lastOpened: SESSION_NAMES[last.session]!,
      nextOpenMs: next.start,
      nextOpening: SESSION_NAMES[next.session]!,
    };
  });
  return { day, segments };
}
