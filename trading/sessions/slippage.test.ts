import { describe, expect, it } from "vitest";
import { dec } from "../../core/index.ts";
import { columnsFromContext, columnsFromFeatures, slippagePips } from "./slippage.ts";

describe("slippagePips", () => {
  it("is positive when the fill is worse than requested, for buys and sells alike", () => {
    expect(slippagePips("BUY", dec("1.10000"), dec("1.10012"), 0.0001)).toBeCloseTo(1.2, 10);
    expect(slippagePips("SELL", dec("1.10000"), dec("1.09988"), 0.0001)).toBeCloseTo(1.2, 10);
  });

  it("is negative for price improvement and zero for an exact fill", () => {
    expect(slippagePips("BUY", dec("1.10000"), dec("1.09995"), 0.0001)).toBeCloseTo(-0.5, 10);
    expect(slippagePips("SELL", dec("150.000"), dec("150.030"), 0.01)).toBeCloseTo(-3, 10);
    expect(slippagePips("SELL", dec("1.2"), dec("1.2"), 0.0001)).toBe(0);
  });
});

describe("execution log context columns", () => {
  it("repeat the decision's features in price units, so training sees what serving saw", () => {
    const cols = columnsFromFeatures(
      { symbol: "EURUSD", side: "BUY", fillKind: "MARKET", session: "LONDON", dayOfWeek: 4, minuteOfDay: 510, atrPips: 2.5, volatilityIndex: 0.7, spreadPips: 1.1, slDistancePips: 20, signalAgeMs: 0, volumeLots: 0.1, providerScore: null, providerTradeCount: 0, accountDrawdown: 0 },
      0.0001,
    );
    expect(cols).toMatchObject({ tradingSession: "LONDON", dayOfWeek: 4, volatilityIndex: 0.7, spread: "0.00011" });
    expect(cols.marketAtr).toBeCloseTo(0.00025, 12);
  });

  it("fall back to the FX session clock and the UTC weekday when no context exists", () => {
    const thursdayLondon = Date.UTC(2014, 4, 1, 8, 30);
    expect(columnsFromContext(null, thursdayLondon)).toEqual({ marketAtr: null, tradingSession: "LONDON", dayOfWeek: 4, volatilityIndex: null, spread: null });
    expect(columnsFromContext({ atr: 0.0003, volatilityIndex: 0.5, spread: 0.0001, session: "OVERLAP_LONDON_NY" }, thursdayLondon)).toEqual({
      marketAtr: 0.0003,
      tradingSession: "OVERLAP_LONDON_NY",
      dayOfWeek: 4,
      volatilityIndex: 0.5,
      spread: "0.0001",
    });
  });
});
