import { invalid } from "../../../core/index.ts";

const MINUTE_MS = 60_000;
// Offsets are cached per 15 minutes of UTC: every real DST change happens on a quarter hour.
const BLOCK_MS = 15 * MINUTE_MS;

/** How a file's wall-clock times map to UTC. */
export interface TimeZone {
  /** What the import report prints, e.g. "UTC", "UTC-05:00", "nyclose (America/New_York+7h)". */
  readonly label: string;
  /** UTC epoch ms of a wall-clock time given as if it were UTC. */
  toUtc(wallMs: number): number;
  /** Local time minus UTC in minutes at an instant. */
  offsetMinutes(utcMs: number): number;
}

/**
 * The MetaTrader "New York close" server clock: New York time plus 7 hours (UTC+2 in the New York winter,
 * UTC+3 in its summer), so each trading day starts at 17:00 New York. The default for broker-time files.
 */
export const NY_CLOSE = "nyclose";

function fixed(minutes: number, label: string): TimeZone {
  return { label, toUtc: (wall) => wall - minutes * MINUTE_MS, offsetMinutes: () => minutes };
}

function formatOffset(minutes: number): string {
  const abs = Math.abs(minutes);
  return `UTC${minutes < 0 ? "-" : "+"}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/** An IANA zone answered by Intl once per 15-minute block, then from a cache. */
function iana(zone: string, shiftMinutes: number, label: string): TimeZone {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    });
  } catch {
    throw invalid("tz", `unknown time zone "${zone}" (use an IANA name such as Etc/GMT-2, an offset such as +02:00, UTC, EST or ${NY_CLOSE})`);
  }
  const cache = new Map<number, number>();
  const offsetMinutes = (utcMs: number): number => {
    const block = Math.floor(utcMs / BLOCK_MS);
    let offset = cache.get(block);
    if (offset === undefined) {
      const at = block * BLOCK_MS;
      const p: Record<string, number> = {};
      for (const part of format.formatToParts(at)) p[part.type] = Number(part.value);
      const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!);
      offset = Math.round((wall - at) / MINUTE_MS) + shiftMinutes;
      cache.set(block, offset);
    }
    return offset;
  };
  return {
    label,
    offsetMinutes,
    toUtc(wall) {
      const guess = wall - offsetMinutes(wall) * MINUTE_MS;
      return wall - offsetMinutes(guess) * MINUTE_MS;
    },
  };
}

/**
 * Resolves a `--tz` value: `UTC`, a fixed offset (`+02:00`, `-0500`, `UTC+2`), `EST` (fixed UTC−5, HistData's
 * clock), `nyclose` (New York + 7 h, the common MetaTrader server clock) or any IANA zone (`Etc/GMT-2`,
 * `Europe/Athens`).
 */
export function resolveTimeZone(spec: string): TimeZone {
  const s = spec.trim();
  const upper = s.toUpperCase();
  if (upper === "UTC" || upper === "Z" || upper === "GMT" || upper === "ETC/UTC") return fixed(0, "UTC");
  if (upper === "EST") return fixed(-300, "EST (fixed UTC-05:00)");
  if (s.toLowerCase() === NY_CLOSE) return iana("America/New_York", 7 * 60, `${NY_CLOSE} (America/New_York+7h, UTC+2/+3)`);
  const m = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(s);
  if (m) {
    const minutes = (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
    if (Math.abs(minutes) > 14 * 60) throw invalid("tz", `offset ${s} is beyond ±14:00`);
    return fixed(minutes, formatOffset(minutes));
  }
  return iana(s, 0, s);
}
