import { describe, expect, it } from "vitest";
import { RiskloopError } from "../../core/index.ts";
import type { SessionName } from "./index.ts";
import { SESSION_HOURS, SESSION_NAMES, sessionAt } from "./index.ts";

const at = (iso: string) => sessionAt(Date.parse(iso));
const openAt = (iso: string) => at(iso).open.join(",");

describe("sessionAt through the DST transitions of 2024", () => {
  it("winter (GMT, EST, AEDT): London 08–17 UTC, New York 13–22 UTC, a 4-hour overlap", () => {
    expect(openAt("2024-01-10T07:59:00Z")).toBe("TOKYO");
    expect(openAt("2024-01-10T08:00:00Z")).toBe("TOKYO,LONDON");
    expect(at("2024-01-10T08:30:00Z").overlap).toBe("TOKYO_LONDON");
    expect(at("2024-01-10T12:59:00Z").primary).toBe("LONDON");
    expect(at("2024-01-10T13:00:00Z").primary).toBe("OVERLAP_LONDON_NY");
    expect(at("2024-01-10T16:59:00Z").overlap).toBe("LONDON_NEWYORK");
    expect(at("2024-01-10T17:00:00Z").primary).toBe("NEW_YORK");
    // Sydney (UTC+11) opens at 20:00 UTC while New York (UTC−5) is open until 22:00.
    expect(at("2024-01-10T20:00:00Z").overlap).toBe("SYDNEY_NEWYORK");
    expect(openAt("2024-01-10T22:00:00Z")).toBe("SYDNEY");
    expect(at("2024-01-11T04:59:00Z").overlap).toBe("SYDNEY_TOKYO");
    expect(openAt("2024-01-11T05:00:00Z")).toBe("TOKYO");
  });

  it("New York on EDT, London still on GMT (2024-03-11..29): New York opens at 12:00 UTC, a 5-hour overlap", () => {
    for (const day of ["2024-03-11", "2024-03-20", "2024-03-29"]) {
      expect(at(`${day}T11:59:00Z`).primary, day).toBe("LONDON");
      expect(at(`${day}T12:00:00Z`).primary, day).toBe("OVERLAP_LONDON_NY");
      expect(at(`${day}T16:59:00Z`).primary, day).toBe("OVERLAP_LONDON_NY");
      expect(at(`${day}T17:00:00Z`).primary, day).toBe("NEW_YORK");
    }
    // The Friday before the US change New York still opened at 13:00 UTC.
    expect(at("2024-03-08T12:30:00Z").primary).toBe("LONDON");
    // New York now closes at 21:00 UTC; Sydney (still AEDT) opened at 20:00.
    expect(openAt("2024-03-13T20:59:00Z")).toBe("SYDNEY,NEW_YORK");
    expect(openAt("2024-03-13T21:00:00Z")).toBe("SYDNEY");
  });

  it("both on summer time (BST, EDT) from 2024-03-31: London 07–16 UTC, overlap 12–16 UTC", () => {
    expect(openAt("2024-04-03T06:59:00Z")).toBe("TOKYO");
    expect(at("2024-04-03T07:00:00Z").overlap).toBe("TOKYO_LONDON");
    expect(at("2024-04-03T12:00:00Z").primary).toBe("OVERLAP_LONDON_NY");
    expect(at("2024-04-03T15:59:00Z").primary).toBe("OVERLAP_LONDON_NY");
    expect(at("2024-04-03T16:00:00Z").primary).toBe("NEW_YORK");
  });

  it("Sydney leaves daylight time on 2024-04-07: its session moves an hour later in UTC", () => {
    expect(openAt("2024-04-02T05:30:00Z")).toBe("TOKYO");
    expect(openAt("2024-04-09T05:30:00Z")).toBe("SYDNEY,TOKYO");
    expect(openAt("2024-04-02T20:30:00Z")).toBe("SYDNEY,NEW_YORK");
    expect(openAt("2024-04-09T20:30:00Z")).toBe("NEW_YORK");
    expect(openAt("2024-04-09T21:00:00Z")).toBe("SYDNEY");
  });

  it("Sydney enters daylight time on 2024-10-06 while New York is still on EDT", () => {
    expect(openAt("2024-10-01T20:30:00Z")).toBe("NEW_YORK");
    expect(openAt("2024-10-08T20:30:00Z")).toBe("SYDNEY,NEW_YORK");
  });

  it("London back on GMT from 2024-10-27, New York on EDT until 2024-11-03: a 5-hour overlap again", () => {
    expect(at("2024-10-25T07:30:00Z").london).toBe(true);
    expect(at("2024-10-30T07:30:00Z").london).toBe(false);
    expect(at("2024-10-30T12:00:00Z").primary).toBe("OVERLAP_LONDON_NY");
    expect(at("2024-10-30T16:59:00Z").primary).toBe("OVERLAP_LONDON_NY");
    expect(at("2024-11-06T12:30:00Z").primary).toBe("LONDON");
    expect(at("2024-11-06T13:00:00Z").primary).toBe("OVERLAP_LONDON_NY");
    expect(at("2024-11-06T21:30:00Z").newYork).toBe(true);
  });
});

describe("sessionAt around the weekend", () => {
  it("closes on Friday 17:00 New York time and reopens on Sunday 17:00 (EST: 22:00 UTC)", () => {
    expect(at("2024-01-12T21:59:00Z").primary).toBe("NEW_YORK");
    const friday = at("2024-01-12T22:00:00Z");
    expect([friday.primary, friday.marketOpen, friday.open.length, friday.overlap]).toEqual(["CLOSED", false, 0, null]);
    expect(at("2024-01-13T12:00:00Z").primary).toBe("CLOSED");
    expect(at("2024-01-14T21:59:00Z").primary).toBe("CLOSED");
    const sunday = at("2024-01-14T22:00:00Z");
    // Sydney is already in its business hours (09:00 AEDT Monday): it opens with the market.
    expect([sunday.primary, sunday.marketOpen, sunday.dayOfWeek, sunday.minutesSinceOpen, sunday.lastOpened]).toEqual(["SYDNEY", true, 0, 0, "SYDNEY"]);
  });

  it("follows New York's DST: the week of the US change opens at 21:00 UTC", () => {
    expect(at("2024-03-08T21:59:00Z").marketOpen).toBe(true);
    expect(at("2024-03-08T22:00:00Z").marketOpen).toBe(false);
    expect(at("2024-03-10T20:59:00Z").marketOpen).toBe(false);
    expect(at("2024-03-10T21:00:00Z").primary).toBe("SYDNEY");
    expect(at("2024-07-12T20:59:00Z").marketOpen).toBe(true);
    expect(at("2024-07-12T21:00:00Z").marketOpen).toBe(false);
  });

  it("counts minutes since the last session open and until the next one", () => {
    const midweek = at("2024-01-10T10:00:00Z");
    expect([midweek.minutesSinceOpen, midweek.lastOpened, midweek.minutesToNextOpen, midweek.nextOpening]).toEqual([120, "LONDON", 180, "NEW_YORK"]);
    const saturday = at("2024-01-13T12:00:00Z");
    // Friday's New York open (13:00 UTC) to Sunday's reopening (22:00 UTC).
    expect([saturday.minutesSinceOpen, saturday.lastOpened, saturday.minutesToNextOpen, saturday.nextOpening]).toEqual([23 * 60, "NEW_YORK", 34 * 60, "SYDNEY"]);
    expect(at("2024-01-10T13:00:00.000Z").minutesSinceOpen).toBe(0);
    expect(at("2024-01-10T12:59:59.400Z").minutesToNextOpen).toBeCloseTo(0.01, 10);
    expect(at("2024-01-10T00:00:00Z").dayOfWeek).toBe(3);
  });

  it("refuses a non-finite time", () => {
    expect(() => sessionAt(Number.NaN)).toThrow(RiskloopError);
  });
});

const formats = new Map<string, Intl.DateTimeFormat>();

/** An independent oracle: local weekday and wall time of each city straight from Intl, per instant. */
function localClock(zone: string, utcMs: number): { weekday: number; minute: number } {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", weekday: "short", hour: "numeric", minute: "numeric" });
    formats.set(zone, format);
  }
  const parts = format.formatToParts(utcMs);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return { weekday: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(get("weekday")), minute: Number(get("hour")) * 60 + Number(get("minute")) };
}

function oracle(utcMs: number): { marketOpen: boolean; open: SessionName[] } {
  const ny = localClock("America/New_York", utcMs);
  const marketOpen = (ny.weekday === 0 && ny.minute >= 17 * 60) || (ny.weekday >= 1 && ny.weekday <= 4) || (ny.weekday === 5 && ny.minute < 17 * 60);
  const open = SESSION_NAMES.filter((name) => {
    const hours = SESSION_HOURS[name];
    const local = localClock(hours.zone, utcMs);
    return marketOpen && local.weekday >= 1 && local.weekday <= 5 && local.minute >= hours.openMinute && local.minute < hours.closeMinute;
  });
  return { marketOpen, open };
}

function expectOracle(t: number): void {
  const got = sessionAt(t);
  const want = oracle(t);
  if (got.marketOpen !== want.marketOpen || got.open.join() !== want.open.join()) {
    throw new Error(`${new Date(t).toISOString()}: got ${got.open.join()} (market ${got.marketOpen}), want ${want.open.join()} (market ${want.marketOpen})`);
  }
}

describe("sessionAt over many years", () => {
  it("agrees with a direct Intl computation every 15 minutes through the 2024 transition weeks", () => {
    for (const [from, to] of [["2024-03-01", "2024-04-12"], ["2024-09-28", "2024-11-09"]] as const) {
      for (let t = Date.parse(`${from}T00:00:00Z`); t < Date.parse(`${to}T00:00:00Z`); t += 900_000) expectOracle(t);
    }
  });

  it("agrees with a direct Intl computation at 5,000 seeded random instants, 1995–2040", () => {
    let seed = 12345;
    const from = Date.parse("1995-01-01T00:00:00Z");
    const span = Date.parse("2040-12-31T00:00:00Z") - from;
    for (let i = 0; i < 5000; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      expectOracle(from + Math.floor((seed / 4294967296) * (span / 60_000)) * 60_000);
    }
  });

  it("never leaves the open market without a session, and only ever shows the four documented overlaps", () => {
    const overlaps = new Set<string>();
    const start = Date.parse("2015-01-01T00:00:00Z");
    let previous = sessionAt(start);
    for (let t = start + 1_800_000; t < Date.parse("2031-01-01T00:00:00Z"); t += 1_800_000) {
      const s = sessionAt(t);
      if (s.marketOpen && s.mask === 0) throw new Error(`no session at ${new Date(t).toISOString()}`);
      if (!s.marketOpen && s.mask !== 0) throw new Error(`session open at the weekend ${new Date(t).toISOString()}`);
      if (s.overlap) overlaps.add(s.overlap);
      if (!(s.minutesSinceOpen >= 0 && s.minutesToNextOpen > 0)) throw new Error(`bad minutes at ${new Date(t).toISOString()}`);
      // Either nothing opened in the last 30 minutes, or the new open is within them.
      const opened = s.minutesSinceOpen < 30;
      if (!opened && s.minutesSinceOpen !== previous.minutesSinceOpen + 30) throw new Error(`minutesSinceOpen jumps at ${new Date(t).toISOString()}`);
      previous = s;
    }
    expect([...overlaps].sort()).toEqual(["LONDON_NEWYORK", "SYDNEY_NEWYORK", "SYDNEY_TOKYO", "TOKYO_LONDON"]);
  });
});
