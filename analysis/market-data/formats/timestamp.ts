/**
 * Timestamp text to epoch ms, by hand over char codes (Date.parse is slow and lenient). The result is the
 * wall-clock time read as if it were UTC; a trailing `Z` or `±HH:MM` is applied, so such values are true UTC.
 */

const NAN = Number.NaN;

function digits(s: string, at: number, count: number): number {
  let v = 0;
  for (let i = at; i < at + count; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

function utc(y: number, mo: number, d: number, h: number, mi: number, sec: number, ms: number): number {
  if (y < 1900 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 || ms < 0) return NAN;
  const t = Date.UTC(y, mo - 1, d, h, mi, sec, ms);
  // Date.UTC rolls 31 April into 1 May; a rolled date is a malformed one.
  return new Date(t).getUTCDate() === d ? t : NAN;
}

/** Reads `HH:MM[:SS[.fff…]]` at `at`, then an optional zone suffix; NaN when malformed. */
function timeOfDay(s: string, at: number, dayMs: number): number {
  if (Number.isNaN(dayMs)) return NAN;
  if (at >= s.length) return dayMs;
  const h = digits(s, at, 2);
  if (s.charCodeAt(at + 2) !== 58) return NAN;
  const mi = digits(s, at + 3, 2);
  let i = at + 5;
  let sec = 0;
  let ms = 0;
  if (s.charCodeAt(i) === 58) {
    sec = digits(s, i + 1, 2);
    i += 3;
    if (s.charCodeAt(i) === 46) {
      // Fractions are read to the millisecond; further digits (microseconds) are dropped.
      let scale = 100;
      i++;
      while (i < s.length) {
        const d = s.charCodeAt(i) - 48;
        if (d < 0 || d > 9) break;
        ms += d * scale;
        scale /= 10;
        i++;
      }
      ms = Math.floor(ms);
    }
  }
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return NAN;
  const wall = dayMs + ((h * 60 + mi) * 60 + sec) * 1000 + ms;
  return i === s.length ? wall : applySuffix(s, i, wall);
}

function applySuffix(s: string, i: number, wall: number): number {
  const c = s.charCodeAt(i);
  if (c === 90 && i === s.length - 1) return wall; // Z
  if (c !== 43 && c !== 45) return NAN;
  const h = digits(s, i + 1, 2);
  const colon = s.charCodeAt(i + 3) === 58 ? 1 : 0;
  const m = i + 3 === s.length ? 0 : digits(s, i + 3 + colon, 2);
  if (h < 0 || m < 0 || i + 3 + (i + 3 === s.length ? 0 : colon + 2) !== s.length) return NAN;
  return wall - (c === 45 ? -1 : 1) * (h * 60 + m) * 60_000;
}

/** True when the text ends in an explicit zone (`Z`, `+00:00`, `-0500`). */
export function hasZoneSuffix(s: string): boolean {
  return /(?:Z|[+-]\d{2}:?\d{2})$/.test(s.trim()) && /\d[T ]\d/.test(s);
}

/**
 * Parses `YYYY-MM-DD[ T]HH:MM[:SS[.fff]][zone]` (also `.` or `/` between date parts, or a date alone),
 * `DD.MM.YYYY HH:MM:SS.fff` (Dukascopy) and `YYYYMMDD HHMMSS[mmm]` (HistData). NaN when malformed.
 */
export function parseTimestamp(s: string): number {
  const n = s.length;
  const c4 = s.charCodeAt(4);
  if (n >= 10 && (c4 < 48 || c4 > 57) && s.charCodeAt(7) === c4) {
    const day = utc(digits(s, 0, 4), digits(s, 5, 2), digits(s, 8, 2), 0, 0, 0, 0);
    if (n === 10) return day;
    const sep = s.charCodeAt(10);
    return sep === 32 || sep === 84 ? timeOfDay(s, 11, day) : NAN;
  }
  if (n >= 10 && s.charCodeAt(2) === 46 && s.charCodeAt(5) === 46) {
    const day = utc(digits(s, 6, 4), digits(s, 3, 2), digits(s, 0, 2), 0, 0, 0, 0);
    if (n === 10) return day;
    return s.charCodeAt(10) === 32 ? timeOfDay(s, 11, day) : NAN;
  }
  if ((n === 15 || n === 18) && s.charCodeAt(8) === 32) {
    const ms = n === 18 ? digits(s, 15, 3) : 0;
    return utc(digits(s, 0, 4), digits(s, 4, 2), digits(s, 6, 2), digits(s, 9, 2), digits(s, 11, 2), digits(s, 13, 2), ms);
  }
  return NAN;
}

/** `YYYY.MM.DD` plus `HH:MM[:SS[.fff]]` given as two cells (MetaTrader exports). */
export function parseDateAndTime(date: string, time: string): number {
  return parseTimestamp(time === "" ? date : `${date} ${time}`);
}
