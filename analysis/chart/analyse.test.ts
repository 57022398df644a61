import { describe, expect, it } from "vitest";
import { TIMEFRAME_MS, type Candle } from "../../core/index.ts";
import { hasSharedData, sharedDataPath } from "../../test/kit/shared-data.ts";
import { readLeanBars } from "../context/real-market-data.ts";
import { EURUSD_H1_OANDA } from "../indicators/test-series.ts";
import { analyse } from "./analyse.ts";
import type { AnalysisResult } from "./analysis-result.ts";
import { ANALYSIS_KINDS, sectionOf } from "./analysis-result.ts";
import { burstSeries, rangeSeries, trendSeries } from "./constructed-series.ts";

function expectWellFormed(r: AnalysisResult): void {
  for (const kind of ANALYSIS_KINDS) {
    const section = sectionOf(r, kind);
    expect(section.confidence, kind).toBeGreaterThanOrEqual(0);
    expect(section.confidence, kind).toBeLessThanOrEqual(1);
    expect(section.recommendations.length, kind).toBeGreaterThan(0);
    for (const sentence of section.recommendations) expect(sentence, kind).toMatch(/^[A-Z0-9].*[.:]$/);
  }
  // Stored as JSON: nothing may be lost on the way (no NaN, no undefined).
  expect(JSON.parse(JSON.stringify(r))).toEqual(r);
}

describe("analyse", () => {
  it("reads a clean uptrend as bullish and trending, and says so", () => {
    const candles = trendSeries(300, 0.0005);
    const r = analyse("EURUSD", "H1", candles);
    expectWellFormed(r);
    expect(r.trend.result.long.direction).toBe("up");
    expect(r.trend.result.short.direction).toBe("up");
    expect(r.regime.result.regime).toBe("trending");
    expect(r.summary.result.bias).toBe("bullish");
    expect(r.summary.confidence).toBeGreaterThan(0.5);
    expect(r.trend.recommendations.join(" ")).toMatch(/Both horizons point up: favour buys/);
    expect(r.dataFrom).toBe(candles[0]!.time);
    expect(r.dataTo).toBe(candles.at(-1)!.time + TIMEFRAME_MS.H1);
    expect(r.lastClose).toBe(candles.at(-1)!.close);
  });

  it("reads a range as neutral with both edges named at a tenth of a pip", () => {
    const r = analyse("EURUSD", "H1", rangeSeries(300, 1.1, 1.11, 40));
    expectWellFormed(r);
    expect(r.summary.result.bias).toBe("neutral");
    expect(r.levels.recommendations.join(" ")).toMatch(/Nearest resistance 1\.110\d\d .*Nearest support 1\.099\d\d/);
  });

  it("flags a volatility burst and advises smaller size on the next higher timeframe", () => {
    const r = analyse("EURUSD", "M15", burstSeries(300, 6, 5));
    expect(r.regime.result.regime).toBe("volatile");
    expect(r.summary.recommendations.join(" ")).toMatch(/Reduce size and widen stops; M30 bars/);
  });

  it("refuses too few or unordered bars", () => {
    const candles = trendSeries(40, 0.0005);
    expect(() => analyse("EURUSD", "H1", candles.slice(0, 29))).toThrow(/at least 30 bars/);
    const swapped: Candle[] = [...candles];
    [swapped[5], swapped[6]] = [swapped[6]!, swapped[5]!];
    expect(() => analyse("EURUSD", "H1", swapped)).toThrow(/ascending/);
  });

  it.skipIf(!hasSharedData(...EURUSD_H1_OANDA))("is well formed and deterministic on real EURUSD H1 bars", () => {
    const bars = readLeanBars(sharedDataPath(...EURUSD_H1_OANDA), Date.UTC(2018, 9, 1), Date.UTC(2018, 11, 1));
    const r = analyse("EURUSD", "H1", bars.slice(-300));
    expectWellFormed(r);
    expect(analyse("EURUSD", "H1", bars.slice(-300))).toEqual(r);
    expect(r.levels.result.support.length + r.levels.result.resistance.length).toBeGreaterThan(0);
  });
});
