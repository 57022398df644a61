import { describe, expect, it } from "vitest";
import { RiskloopError, TIMEFRAME_MS, type Candle } from "../../core/index.ts";
import { atr } from "../indicators/index.ts";
import { DEFAULT_CONTEXT_PARAMS, type ContextParams } from "./context.config.ts";
import { ContextState, QUOTE_MAX_AGE_MS } from "./context-state.ts";

const T0 = Date.UTC(2024, 0, 10, 0, 0); // a Wednesday
const M1 = TIMEFRAME_MS.M1;
const M5 = TIMEFRAME_MS.M5;

/** A bar of a given range around 1.1, so every true range equals `range`. */
function bar(time: number, range: number): Candle {
  return { time, open: 1.1, high: 1.1 + range / 2, low: 1.1 - range / 2, close: 1.1, volume: 0 };
}

function state(overrides: Partial<ContextParams> = {}): ContextState {
  return new ContextState("EURUSD", { ...DEFAULT_CONTEXT_PARAMS, ...overrides }, 0.0001);
}

describe("ContextState", () => {
  it("reports ATR in price units and pips once the period is filled, and warming up before", () => {
    const s = state();
    for (let i = 0; i < 14; i++) s.onBar("M1", bar(T0 + i * M1, 0.001));
    let c = s.read(T0 + 14 * M1);
    expect(c.atr.M1.value).toBeNull();
    expect(c.dataQuality.warmingUp).toContain("ATR_M1");
    s.onBar("M1", bar(T0 + 14 * M1, 0.001));
    c = s.read(T0 + 15 * M1);
    expect(c.atr.M1.value).toBeCloseTo(0.001, 15);
    expect(c.atr.M1.pips).toBeCloseTo(10, 10);
    expect(c.atr.M1.lastBarTime).toBe(T0 + 14 * M1);
    expect(c.dataQuality.warmingUp).not.toContain("ATR_M1");
    expect(c.dataQuality.missingTimeframes).toEqual(["M5", "H1"]);
  });

  it("answers an instant read again from the last read until a bar or quote changes it", () => {
    const s = state();
    s.onTick({ time: T0, bid: 1.1, ask: 1.1002 });
    const first = s.read(T0 + 1000);
    expect(s.read(T0 + 1000)).toBe(first);
    expect(s.read(T0 + 2000).at).toBe(T0 + 2000);
    s.onTick({ time: T0 + 1500, bid: 1.1, ask: 1.1004 });
    expect(s.read(T0 + 2000).spread!.currentPips).toBeCloseTo(4, 9);
    s.onBar("M1", bar(T0, 0.001));
    const afterBar = s.read(T0 + M1 + 2000);
    expect(afterBar.atr.M1.lastBarTime).toBe(T0);
    expect(s.onBar("M1", bar(T0, 0.001))).toBe(false);
    expect(s.read(T0 + M1 + 2000)).toBe(afterBar);
  });

  it("ignores repeated and older bars and bars of timeframes it does not track", () => {
    const s = state();
    expect(s.onBar("M1", bar(T0, 0.001))).toBe(true);
    expect(s.onBar("M1", bar(T0, 0.005))).toBe(false);
    expect(s.onBar("M1", bar(T0 - M1, 0.005))).toBe(false);
    expect(s.onBar("M15", bar(T0, 0.005))).toBe(false);
    expect(s.read(T0 + M1).atr.M1.lastBarTime).toBe(T0);
    s.onBar("M1", bar(T0 + M1, 0.001));
    // Two bars of range 0.001 (the 0.005 duplicates were dropped): true range 0.001 on the second.
    expect(s.time).toBe(T0 + 2 * M1);
  });

  it("refuses an instant before data it already holds (that would be look-ahead), within the tolerance only", () => {
    const s = state();
    s.onBar("M5", bar(T0, 0.001));
    expect(s.time).toBe(T0 + M5);
    expect(() => s.read(T0 + M5 - 1)).toThrow(RiskloopError);
    expect(() => s.read(T0 + M5 - 1)).toThrow(/precedes data/);
    expect(s.read(T0 + M5 - 1, 1000).at).toBe(T0 + M5 - 1);
  });

  it("flags a timeframe stale once its last bar ended more than the threshold's bar lengths ago", () => {
    const s = state({ barStaleBars: 3 });
    s.onBar("M5", bar(T0, 0.001));
    expect(s.read(T0 + M5 + 3 * M5).dataQuality.staleTimeframes).toEqual([]);
    expect(s.read(T0 + M5 + 3 * M5 + 1).dataQuality.staleTimeframes).toEqual(["M5"]);
  });

  it("ranks the current ATR within the trailing window of the volatility timeframe, as a brute-force count does", () => {
    const s = state({ volatilityMinSamples: 10 });
    // Calm bars, a burst, then calm again.
    const ranges = [...Array<number>(100).fill(0.0005), ...Array<number>(5).fill(0.003), ...Array<number>(3).fill(0.0005)];
    const bars = ranges.map((r, i) => bar(T0 + i * M5, r));
    const series = (key: "high" | "low" | "close") => Float64Array.from(bars, (b) => b[key]);
    const reference = atr(series("high"), series("low"), series("close"), 14);
    const percentiles: (number | null)[] = [];
    bars.forEach((b, i) => {
      s.onBar("M5", b);
      percentiles.push(s.read(b.time + M5).volatility.percentile);
      const known = Array.from(reference.subarray(0, i + 1)).filter((v) => !Number.isNaN(v));
      const expected = known.length >= 10 ? (100 * known.filter((v) => v <= reference[i]!).length) / known.length : null;
      expect(percentiles[i], `bar ${i}`).toBe(expected);
    });
    // The burst ranks at the top; three calm bars later the decaying ATR still ranks above all calm values.
    expect(percentiles[104]).toBe(100);
    expect(percentiles[107]!).toBeGreaterThan((100 * 86) / 94);
  });

  it("holds only the configured days in the volatility window and reports null until enough samples", () => {
    const s = state({ volatilityWindowDays: 1, volatilityMinSamples: 288 });
    let t = T0;
    for (let i = 0; i < 14 + 287; i++, t += M5) s.onBar("M5", bar(t, 0.001));
    expect(s.read(t).volatility.percentile).toBeNull();
    expect(s.read(t).dataQuality.warmingUp).toContain("VOLATILITY");
    for (let i = 0; i < 500; i++, t += M5) s.onBar("M5", bar(t, 0.001));
    const c = s.read(t);
    // One day of M5 closes is 288 bars: closes in (last − 1 day, last].
    expect(c.volatility.samples).toBe(288);
    expect(c.volatility.percentile).toBe(100);
  });

  it("gives the last quote, the median spread of the window ending at it, and its age", () => {
    const s = state({ spreadWindowMinutes: 1, quoteStaleMs: 10_000 });
    const spreads = [0.0001, 0.0003, 0.0002, 0.0002, 0.0005];
    spreads.forEach((sp, i) => s.onTick({ time: T0 + i * 20_000, bid: 1.1, ask: 1.1 + sp }));
    // Quotes at 0, 20, 40, 60, 80 s; the 60-s window ending at 80 s holds 40, 60 and 80 s.
    const c = s.read(T0 + 80_000 + 2_500);
    expect(c.spread?.samples).toBe(3);
    expect(c.spread?.typical).toBeCloseTo(0.0002, 15);
    expect(c.spread?.current).toBeCloseTo(0.0005, 15);
    expect(c.spread?.currentPips).toBeCloseTo(5, 9);
    expect(c.spread?.ageMs).toBe(2_500);
    expect(c.dataQuality.staleQuote).toBe(false);
    expect(s.read(T0 + 80_000 + 10_001).dataQuality.staleQuote).toBe(true);
  });

  it("flags crossed quotes, ignores out-of-order quotes, and drops quotes older than a week", () => {
    const s = state();
    expect(s.read(T0).dataQuality.noQuotes).toBe(true);
    s.onTick({ time: T0, bid: 1.1002, ask: 1.1001 });
    expect(s.onTick({ time: T0 - 1, bid: 1, ask: 2 })).toBe(false);
    const c = s.read(T0);
    expect(c.spread?.current).toBeLessThan(0);
    expect(c.dataQuality.crossedQuote).toBe(true);
    expect(c.dataQuality.ok).toBe(false);
    expect(s.read(T0 + QUOTE_MAX_AGE_MS).spread).not.toBeNull();
    expect(s.read(T0 + QUOTE_MAX_AGE_MS + 1).spread).toBeNull();
  });

  it("is ok only when every timeframe is warm and fresh and the quote is fresh", () => {
    const s = state({ volatilityMinSamples: 1 });
    const end = T0 + 2 * 86_400_000;
    for (const tf of ["M1", "M5", "H1"] as const) {
      const ms = TIMEFRAME_MS[tf];
      for (let i = 20; i > 0; i--) s.onBar(tf, bar(end - i * ms, 0.001));
    }
    s.onTick({ time: end - 1000, bid: 1.1, ask: 1.10012 });
    const c = s.read(end);
    expect(c.dataQuality).toEqual({
      ok: true,
      staleQuote: false,
      noQuotes: false,
      crossedQuote: false,
      missingTimeframes: [],
      staleTimeframes: [],
      warmingUp: [],
    });
    expect(c.session.dayOfWeek).toBe(5);
  });
});
