import { invalid } from "../../core/index.ts";
import type { DayTable } from "./day-table.ts";
import { buildDayTable, weekdayOf } from "./day-table.ts";
import type { SessionName } from "./session-hours.ts";
import { SESSION_NAMES } from "./session-hours.ts";

/** Two sessions open at once, named in FX-day order; the only pairs the session hours produce. */
export type SessionOverlap = "SYDNEY_TOKYO" | "TOKYO_LONDON" | "LONDON_NEWYORK" | "SYDNEY_NEWYORK";

/** One label per instant for features, by liquidity: the London–New York overlap first, CLOSED at the weekend. */
export type PrimarySession = "OVERLAP_LONDON_NY" | "LONDON" | "NEW_YORK" | "TOKYO" | "SYDNEY" | "OFF_HOURS" | "CLOSED";

/** The trading-session context of one instant. */
export interface SessionState {
  utcMs: number;
  /** Inside the FX week (Sunday 17:00 to Friday 17:00 New York time). */
  marketOpen: boolean;
  /** Bit i set when SESSION_NAMES[i] is open (Sydney 1, Tokyo 2, London 4, New York 8). */
  mask: number;
  sydney: boolean;
  tokyo: boolean;
  london: boolean;
  newYork: boolean;
  /** Open sessions in FX-day order (shared, frozen arrays). */
  open: readonly SessionName[];
  overlap: SessionOverlap | null;
  /** OFF_HOURS (market open, no session) cannot happen with the default hours; CLOSED means the weekend. */
  primary: PrimarySession;
  /** UTC day of the week, 0 = Sunday. */
  dayOfWeek: number;
  /** Minutes since a session last opened (0 at the opening instant); a session opens at the later of its local open and the FX week's open. */
  minutesSinceOpen: number;
  lastOpened: SessionName;
  /** Minutes until the next session opens. */
  minutesToNextOpen: number;
  nextOpening: SessionName;
}

const OVERLAP_CODE: Record<SessionName, string> = { SYDNEY: "SYDNEY", TOKYO: "TOKYO", LONDON: "LONDON", NEW_YORK: "NEWYORK" };
const OPEN_LISTS = Array.from({ length: 16 }, (_, mask) => Object.freeze(SESSION_NAMES.filter((_, i) => (mask >> i) & 1)));
const OVERLAPS = OPEN_LISTS.map((open) => (open.length >= 2 ? (open.map((s) => OVERLAP_CODE[s]).join("_") as SessionOverlap) : null));
const PRIMARY = OPEN_LISTS.map((open): PrimarySession => {
  const has = (s: SessionName): boolean => open.includes(s);
  if (has("LONDON") && has("NEW_YORK")) return "OVERLAP_LONDON_NY";
  for (const s of ["LONDON", "NEW_YORK", "TOKYO", "SYDNEY"] as const) if (has(s)) return s;
  return "OFF_HOURS";
});

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
// Direct-mapped cache of day tables: 8192 days (22 years) before two days share a slot.
const CACHE_MASK = 8191;
const cache: (DayTable | undefined)[] = new Array(CACHE_MASK + 1);

/**
 * Which FX sessions are open at `utcMs` (epoch milliseconds), from each city's local business hours with real
 * DST (see SESSION_HOURS). Each UTC day is worked out once and cached, so repeated calls cost a lookup.
 */
export function sessionAt(utcMs: number): SessionState {
  if (!Number.isFinite(utcMs)) throw invalid("utcMs", `must be a finite epoch time, got ${utcMs}`);
  const day = Math.floor(utcMs / DAY_MS);
  const slot = day & CACHE_MASK;
  let table = cache[slot];
  if (table === undefined || table.day !== day) {
    table = buildDayTable(day);
    cache[slot] = table;
  }
  const segments = table.segments;
  let k = 0;
  while (utcMs >= segments[k]!.end) k++;
  const s = segments[k]!;
  const mask = s.mask;
  return {
    utcMs,
    marketOpen: s.marketOpen,
    mask,
    sydney: (mask & 1) !== 0,
    tokyo: (mask & 2) !== 0,
    london: (mask & 4) !== 0,
    newYork: (mask & 8) !== 0,
    open: OPEN_LISTS[mask]!,
    overlap: OVERLAPS[mask]!,
    primary: s.marketOpen ? PRIMARY[mask]! : "CLOSED",
    dayOfWeek: weekdayOf(day),
    minutesSinceOpen: (utcMs - s.lastOpenMs) / MINUTE_MS,
    lastOpened: s.lastOpened,
    minutesToNextOpen: (s.nextOpenMs - utcMs) / MINUTE_MS,
    nextOpening: s.nextOpening,
  };
}
