import { describe, expect, it } from "vitest";
import type { Candle } from "../../core/index.ts";
import { adx, atr, bollingerBands } from "../indicators/index.ts";
import { DEFAULT_CHART_PARAMS } from "./chart.config.ts";
import { toSeries } from "./chart-series.ts";
import { burstSeries, rangeSeries, trendSeries } from "./constructed-series.ts";
import { classifyRegime } from "./market-regime.ts";

function regimeOf(candles: Candle[]) {
  const s = toSeries(candles);
  const n = s.close.length;
  const bands = bollingerBands(s.close);
  const a = adx(s.high, s.low, s.close, 14).adx[n - 1]!;
  return classifyRegime(
    "H1",
    { atr: atr(s.high, s.low, s.close, 14), bandWidth: bands.upper.map((u, i) => (u - bands.lower[i]!) / bands.middle[i]!), adx: Number.isNaN(a) ? null : a },
    DEFAULT_CHART_PARAMS,
  );
}

describe("classifyRegime", () => {
  it("calls a volatility burst volatile, suggests the next higher timeframe, and did not before the burst", () => {
    const candles = burstSeries(300, 6, 5);
    const r = regimeOf(candles);
    expect(r.regime).toBe("volatile");
    expect(r.atrPercentile).toBe(100);
    expect(r.suggestedTimeframe).toBe("H4");
    expect(r.confidence).toBe(1);
    expect(regimeOf(candles.slice(0, 294)).regime).not.toBe("volatile");
  });

  it("calls a clean trend trending (ADX high, ATR ordinary) and keeps the timeframe", () => {
    const r = regimeOf(trendSeries(300, 0.0005));
    expect(r.regime).toBe("trending");
    expect(r.adx!).toBeGreaterThan(DEFAULT_CHART_PARAMS.adxTrending);
    expect(r.suggestedTimeframe).toBe("H1");
    expect(r.confidence).toBeGreaterThan(0.5);
  });

  it("calls a calm, directionless series ranging and suggests the next lower timeframe", () => {
    // A slow swing between two levels with a tiny step per bar keeps ADX low.
    const r = regimeOf(rangeSeries(300, 1.1, 1.101, 12, 5));
    expect(r.regime).toBe("ranging");
    expect(r.adx!).toBeLessThan(DEFAULT_CHART_PARAMS.adxTrending);
    expect(r.suggestedTimeframe).toBe("M30");
  });
});
