import { describe, expect, it } from "vitest";
import { atr } from "../indicators/index.ts";
import { DEFAULT_CHART_PARAMS } from "./chart.config.ts";
import { toSeries } from "./chart-series.ts";
import { barsFromCloses, rangeSeries, trendSeries } from "./constructed-series.ts";
import { findLevels, findPivots } from "./support-resistance.ts";

function levelsOf(candles: ReturnType<typeof rangeSeries>) {
  const s = toSeries(candles);
  const a = atr(s.high, s.low, s.close, 14)[s.close.length - 1]!;
  return { s, a, levels: findLevels(s, a, DEFAULT_CHART_PARAMS) };
}

describe("support and resistance", () => {
  it("finds the two edges of a range, each touched once per cycle, and the range's middle close between them", () => {
    // Five cycles of 40 bars between 1.1000 and 1.1100 (closes), wicks 0.0002 beyond.
    const { s, a, levels } = levelsOf(rangeSeries(200, 1.1, 1.11, 40));
    const last = s.close[s.close.length - 1]!;
    const resistance = levels.resistance[0]!;
    const support = levels.support[0]!;
    expect(resistance.price).toBeCloseTo(1.1102, 3);
    expect(support.price).toBeCloseTo(1.0998, 3);
    expect(resistance.touches).toBe(5);
    expect(support.touches).toBe(5);
    expect(levels.pivots).toBe(10);
    // Each trough came about 20 bars after its peak; recency halves a touch's weight every 50 bars (n / 4).
    expect(support.strength).toBe(1);
    expect(resistance.strength).toBeCloseTo(0.5 ** (20 / 50), 2);
    expect(resistance.distanceAtr).toBeCloseTo((resistance.price - last) / a, 12);
    expect(support.distanceAtr).toBeLessThan(0);
    expect(levels.resistance).toHaveLength(1);
    expect(levels.support).toHaveLength(1);
    expect(support.price).toBeLessThan(last);
  });

  it("merges pivots within the tolerance and keeps apart pivots beyond it", () => {
    const closes = [1.1, 1.102, 1.104, 1.102, 1.1, 1.102, 1.1042, 1.102, 1.1, 1.102, 1.108, 1.102, 1.1, 1.101, 1.1005];
    const candles = barsFromCloses(closes, () => 0);
    const s = toSeries(candles);
    const highs = findPivots(s, 2).map((p) => p.price).filter((p) => p > 1.103);
    expect(highs).toEqual([1.104, 1.1042, 1.108]);
    const params = { ...DEFAULT_CHART_PARAMS, levelToleranceAtr: 1 };
    // With ATR 0.001, 1.1040 and 1.1042 form one level; 1.1080 is a level of its own.
    const res = findLevels(s, 0.001, params).resistance.map((l) => [Number(l.price.toFixed(5)), l.touches]);
    expect(res).toEqual([
      [1.1041, 2],
      [1.108, 1],
    ]);
  });

  it("never takes a pivot from the last bars, whose right side has not happened", () => {
    const s = toSeries(trendSeries(60, 0.0005));
    const last = s.close.length - 1;
    expect(findPivots(s, 2).every((p) => p.index <= last - 2)).toBe(true);
    // A clean uptrend makes a new high at the end: no resistance above the last close yet.
    expect(findLevels(s, 0.001, DEFAULT_CHART_PARAMS).resistance).toEqual([]);
  });
});
