import { describe, expect, it } from "vitest";
import { ZoneOffsets } from "./zone-offsets.ts";

const ms = (iso: string) => Date.parse(iso);
const dayOf = (isoDate: string) => Math.floor(ms(`${isoDate}T00:00:00Z`) / 86_400_000);

describe("ZoneOffsets", () => {
  it("finds each 2024 DST change to the minute", () => {
    const cases: [string, string, number, number][] = [
      ["Europe/London", "2024-03-31T01:00:00Z", 0, 60],
      ["Europe/London", "2024-10-27T01:00:00Z", 60, 0],
      ["America/New_York", "2024-03-10T07:00:00Z", -300, -240],
      ["America/New_York", "2024-11-03T06:00:00Z", -240, -300],
      ["Australia/Sydney", "2024-04-06T16:00:00Z", 660, 600],
      ["Australia/Sydney", "2024-10-05T16:00:00Z", 600, 660],
    ];
    for (const [zone, change, before, after] of cases) {
      const offsets = new ZoneOffsets(zone);
      expect([offsets.offsetMinutes(ms(change) - 60_000), offsets.offsetMinutes(ms(change))], `${zone} ${change}`).toEqual([before, after]);
    }
    expect(new ZoneOffsets("Asia/Tokyo").offsetMinutes(ms("2024-07-01T00:00:00Z"))).toBe(540);
  });

  it("converts local business hours to UTC on either side of a change", () => {
    const london = new ZoneOffsets("Europe/London");
    expect(london.localToUtc(dayOf("2024-03-29"), 8 * 60)).toBe(ms("2024-03-29T08:00:00Z"));
    expect(london.localToUtc(dayOf("2024-04-02"), 8 * 60)).toBe(ms("2024-04-02T07:00:00Z"));
    const sydney = new ZoneOffsets("Australia/Sydney");
    expect(sydney.localToUtc(dayOf("2024-04-08"), 7 * 60)).toBe(ms("2024-04-07T21:00:00Z"));
    expect(sydney.localToUtc(dayOf("2024-04-05"), 7 * 60)).toBe(ms("2024-04-04T20:00:00Z"));
  });
});
