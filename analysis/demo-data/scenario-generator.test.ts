import { describe, expect, it } from "vitest";
import { resampleTicks } from "../market-data/index.ts";
import { DEMO_CALIBRATION, DEMO_START_PRICES } from "./calibration-figures.ts";
import { measureBars, rms, spreadQuantiles, tickSpreads, ticksPerMinute, weekendGaps } from "./market-statistics.ts";
import { generateScenario, marketOpen, startOfLastOpenMinutes } from "./scenario-generator.ts";

const utc = (s: string) => Date.parse(`${s}Z`);
const END = utc("2026-07-10T00:00:00");
const DAY = 86_400_000;

describe.each([
  ["EURUSD", 5, false],
  ["XAUUSD", 3, true],
] as const)("generated %s reproduces its calibrated statistics", (symbol, digits, dailyBreak) => {
  const cal = DEMO_CALIBRATION[symbol];
  const { m1 } = generateScenario({ calibration: cal, startPrice: DEMO_START_PRICES[symbol], digits, fromMs: END - 730 * DAY, toMs: END, dailyBreak, seed: 11 });
  const stats = measureBars(m1);

  it("volatility by UTC hour and by weekday", () => {
    const ratios = stats.sigmaByHour.map((s, h) => s / cal.sigmaByHour[h]!).sort((a, b) => a - b);
    expect(Math.abs(ratios[12]! - 1)).toBeLessThan(0.06);
    // Hours next to the weekly open also carry the Sunday factor, so the extremes get more room.
    expect(ratios[0]).toBeGreaterThan(0.85);
    expect(ratios[23]).toBeLessThan(1.3);
    for (let d = 1; d <= 5; d++) expect(stats.weekdayFactor[d]! / cal.weekdayFactor[d]!).toBeGreaterThan(0.88);
    for (let d = 1; d <= 5; d++) expect(stats.weekdayFactor[d]! / cal.weekdayFactor[d]!).toBeLessThan(1.12);
  });

  it("fat tails: excess kurtosis of the calibrated order and many more 4-sigma moves than a normal", () => {
    expect(stats.excessKurtosis).toBeGreaterThan(0.5 * cal.excessKurtosis);
    expect(stats.excessKurtosis).toBeLessThan(2 * cal.excessKurtosis);
    // A normal has 0.0063 % beyond 4 sigma; the t fitted to the kurtosis gives about 0.4 %, the data 0.6 %.
    expect(stats.beyond4Sigma).toBeGreaterThan(0.5 * cal.beyond4Sigma);
    expect(stats.beyond4Sigma).toBeLessThan(1.5 * cal.beyond4Sigma);
  });

  it("bar ranges, spreads and weekend gaps", () => {
    expect(stats.wickMean / cal.wickMean).toBeCloseTo(1, 1);
    const spread = spreadQuantiles(m1.spread);
    expect(spread.median / cal.spreadMedian).toBeGreaterThan(0.95);
    expect(spread.median / cal.spreadMedian).toBeLessThan(1.05);
    expect(spread.p95 / cal.spreadP95).toBeGreaterThan(0.95);
    expect(spread.p95 / cal.spreadP95).toBeLessThan(1.05);
    const gaps = weekendGaps(m1);
    expect(gaps.length).toBeGreaterThanOrEqual(103);
    expect(rms(gaps) / cal.weekendGapRms).toBeGreaterThan(0.7);
    expect(rms(gaps) / cal.weekendGapRms).toBeLessThan(1.3);
  });

  it("has no bar while the market is closed", () => {
    expect(m1.time.every((t) => marketOpen(t, dailyBreak))).toBe(true);
    expect(m1.time.some((t) => new Date(t).getUTCDay() === 6)).toBe(false);
  });
});

describe("generated ticks", () => {
  const cal = DEMO_CALIBRATION.EURUSD;
  const opts = { calibration: cal, startPrice: 1.1, digits: 5, fromMs: utc("2026-07-06T00:00:00"), toMs: utc("2026-07-08T00:00:00"), ticksFromMs: utc("2026-07-07T00:00:00"), seed: 5 };
  const { m1, ticks } = generateScenario(opts);

  it("have the calibrated spreads and tick rate, in time order with seq for repeated timestamps", () => {
    const spread = spreadQuantiles(tickSpreads(ticks));
    expect(spread.median).toBeCloseTo(cal.spreadMedian, 6);
    expect(spread.p95).toBeCloseTo(cal.spreadP95, 6);
    expect(ticksPerMinute(ticks) / cal.ticksPerMinute!).toBeGreaterThan(0.85);
    expect(ticksPerMinute(ticks) / cal.ticksPerMinute!).toBeLessThan(1.15);
    let bad = 0;
    let repeats = 0;
    for (let i = 1; i < ticks.time.length; i++) {
      if (ticks.time[i]! < ticks.time[i - 1]!) bad++;
      if (ticks.seq[i] !== (ticks.time[i] === ticks.time[i - 1] ? ticks.seq[i - 1]! + 1 : 0)) bad++;
      if (ticks.seq[i]! > 0) repeats++;
    }
    expect(bad).toBe(0);
    expect(repeats).toBeGreaterThan(0);
  });

  it("make the M1 bars of their window, which continue the bars before it", () => {
    const fromTicks = resampleTicks(ticks);
    const tail = m1.time.findIndex((t) => t >= opts.ticksFromMs);
    expect(Array.from(m1.time.subarray(tail))).toEqual(Array.from(fromTicks.time));
    expect(Array.from(m1.close.subarray(tail))).toEqual(Array.from(fromTicks.close));
    expect(Math.abs(m1.open[tail]! / m1.close[tail - 1]! - 1)).toBeLessThan(0.001);
  });

  it("are the same for the same seed and differ for another", () => {
    expect(Array.from(generateScenario(opts).ticks.bid)).toEqual(Array.from(ticks.bid));
    expect(Array.from(generateScenario({ ...opts, seed: 6 }).ticks.bid)).not.toEqual(Array.from(ticks.bid));
  });
});

describe("marketOpen", () => {
  it("follows the FX week in New York time and gold's daily break", () => {
    expect(marketOpen(utc("2026-07-10T20:59:00"))).toBe(true); // Friday 16:59 New York (EDT)
    expect(marketOpen(utc("2026-07-10T21:00:00"))).toBe(false);
    expect(marketOpen(utc("2026-07-12T20:59:00"))).toBe(false); // Sunday 16:59 New York
    expect(marketOpen(utc("2026-07-12T21:00:00"))).toBe(true);
    expect(marketOpen(utc("2026-01-11T21:30:00"))).toBe(false); // Sunday 16:30 EST
    expect(marketOpen(utc("2026-07-08T21:30:00"), true)).toBe(false);
    expect(marketOpen(utc("2026-07-08T21:30:00"))).toBe(true);
  });

  it("finds where the last open hours before a weekend began", () => {
    // Sunday noon UTC: the last 60 open minutes are Friday 20:00–21:00 UTC (16:00–17:00 New York).
    expect(startOfLastOpenMinutes(utc("2026-07-12T12:00:00"), 60)).toBe(utc("2026-07-10T20:00:00"));
  });
});
