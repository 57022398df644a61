import { describe, expect, it } from "vitest";
import { adx, atr } from "../indicators/index.ts";
import { DEFAULT_CHART_PARAMS } from "./chart.config.ts";
import { toSeries } from "./chart-series.ts";
import { rangeSeries, trendSeries } from "./constructed-series.ts";
import { detectTrend } from "./trend.ts";

function trendOf(candles: ReturnType<typeof trendSeries>, bars: number) {
  const s = toSeries(candles);
  const n = s.close.length;
  const a = atr(s.high, s.low, s.close, 14)[n - 1]!;
  const d = adx(s.high, s.low, s.close, 14).adx[n - 1]!;
  return detectTrend(s, bars, a, d, DEFAULT_CHART_PARAMS);
}

describe("detectTrend", () => {
  it("labels a clean uptrend up with a strong, confident reading on both horizons", () => {
    const candles = trendSeries(200, 0.0005);
    for (const bars of [20, 100]) {
      const t = trendOf(candles, bars);
      expect(t.direction).toBe("up");
      expect(t.strength).toBe("strong");
      expect(t.r2).toBeGreaterThan(0.95);
      expect(t.slope).toBeCloseTo(0.0005, 4);
      expect(t.moveAtr).toBeGreaterThan(DEFAULT_CHART_PARAMS.trendMinMoveAtr);
      expect(t.confidence).toBeGreaterThan(0.7);
    }
  });

  it("labels the mirrored series down", () => {
    const t = trendOf(trendSeries(200, -0.0005), 100);
    expect(t.direction).toBe("down");
    expect(t.moveAtr).toBeLessThan(-DEFAULT_CHART_PARAMS.trendMinMoveAtr);
  });

  it("labels a range sideways over whole cycles, while a half-cycle inside it is a short trend", () => {
    const candles = rangeSeries(200, 1.1, 1.11, 40);
    const long = trendOf(candles, 120);
    expect(long.direction).toBe("sideways");
    expect(long.r2).toBeLessThan(0.1);
    expect(long.confidence).toBeGreaterThan(0.5);
    // The last 10 bars climb from the trough to the middle of the range.
    expect(trendOf(candles, 10).direction).toBe("up");
  });

  it("calls a drift too small in ATR terms sideways even when it is perfectly straight", () => {
    const t = trendOf(trendSeries(200, 0.000001), 100);
    expect(t.direction).toBe("sideways");
    expect(Math.abs(t.moveAtr)).toBeLessThan(DEFAULT_CHART_PARAMS.trendMinMoveAtr);
  });
});
