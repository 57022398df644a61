import { describe, expect, it } from "vitest";
import { RiskloopError } from "../../../core/index.ts";
import { NY_CLOSE, resolveTimeZone } from "./time-zone.ts";
import { hasZoneSuffix, parseTimestamp } from "./timestamp.ts";

const utc = (s: string) => Date.parse(`${s}Z`);

describe("parseTimestamp", () => {
  it.each([
    ["2024-03-01 13:45", "2024-03-01T13:45:00"],
    ["2024-03-01 13:45:07", "2024-03-01T13:45:07"],
    ["2024-03-01T13:45:07.25", "2024-03-01T13:45:07.250"],
    ["2024.03.01 13:45", "2024-03-01T13:45:00"],
    ["2024-03-01", "2024-03-01T00:00:00"],
    ["01.03.2024 13:45:07.123", "2024-03-01T13:45:07.123"],
    ["20240301 134507", "2024-03-01T13:45:07"],
    ["20240301 134507123", "2024-03-01T13:45:07.123"],
    ["2013-01-01 22:00:00.295000+00:00", "2013-01-01T22:00:00.295"],
  ])("reads %s as wall time %s", (text, expected) => {
    expect(parseTimestamp(text)).toBe(utc(expected));
  });

  it("applies an explicit offset, so such values are UTC", () => {
    expect(parseTimestamp("2024-03-01 13:45:00+02:00")).toBe(utc("2024-03-01T11:45:00"));
    expect(parseTimestamp("2024-03-01T13:45:00Z")).toBe(utc("2024-03-01T13:45:00"));
    expect(hasZoneSuffix("2024-03-01 13:45:00+00:00")).toBe(true);
    expect(hasZoneSuffix("2024-03-01 13:45:00")).toBe(false);
  });

  it.each(["2024-02-30 10:00", "2024-13-01 10:00", "2024-03-01 24:00", "2024-03-01 10:60", "yesterday", "2024-03-01 1:00", "20240301 13450"])(
    "rejects %s",
    (text) => {
      expect(parseTimestamp(text)).toBeNaN();
    },
  );
});

describe("resolveTimeZone", () => {
  it("reads HistData's EST as fixed UTC−5 all year (no DST)", () => {
    const est = resolveTimeZone("EST");
    expect(est.toUtc(utc("2017-01-02T02:00:00"))).toBe(utc("2017-01-02T07:00:00"));
    expect(est.toUtc(utc("2017-06-30T16:58:00"))).toBe(utc("2017-06-30T21:58:00"));
  });

  it("reads fixed offsets and IANA Etc zones the same way", () => {
    for (const spec of ["+02:00", "+0200", "UTC+2", "Etc/GMT-2"]) {
      const z = resolveTimeZone(spec);
      expect(z.toUtc(utc("2024-07-01T00:00:00"))).toBe(utc("2024-06-30T22:00:00"));
      expect(z.toUtc(utc("2024-01-01T00:00:00"))).toBe(utc("2023-12-31T22:00:00"));
    }
    expect(resolveTimeZone("-03:30").toUtc(utc("2021-06-24T16:05:00"))).toBe(utc("2021-06-24T19:35:00"));
  });

  it("maps the New York close broker clock to UTC+2 in the US winter and UTC+3 in its summer", () => {
    const ny = resolveTimeZone(NY_CLOSE);
    expect(ny.toUtc(utc("2024-01-15T00:00:00"))).toBe(utc("2024-01-14T22:00:00"));
    expect(ny.toUtc(utc("2024-07-15T00:00:00"))).toBe(utc("2024-07-14T21:00:00"));
    // The US changes on 10 March 2024, Europe only on 31 March: this is not EET.
    expect(ny.toUtc(utc("2024-03-20T12:00:00"))).toBe(utc("2024-03-20T09:00:00"));
    expect(resolveTimeZone("Europe/Athens").toUtc(utc("2024-03-20T12:00:00"))).toBe(utc("2024-03-20T10:00:00"));
  });

  it("treats UTC as identity and rejects unknown zones with CORE_ERR_INVALID", () => {
    expect(resolveTimeZone("UTC").toUtc(123)).toBe(123);
    expect(() => resolveTimeZone("Mars/Olympus")).toThrow(RiskloopError);
    expect(() => resolveTimeZone("+15:00")).toThrow(/beyond/);
  });
});
