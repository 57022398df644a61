import { describe, expect, it } from "vitest";
import { dec, type SymbolSpec } from "../../core/index.ts";
import { computeLot, type LotInput } from "./compute-lot.ts";
import { EURUSD } from "../../test/kit/builders.ts";

const USDJPY: SymbolSpec = { ...EURUSD, symbol: "USDJPY", digits: 3, pipSize: 0.01, marginRate: 0.04, quoteCurrency: "JPY", baseCurrency: "USD" };
const XAUUSD: SymbolSpec = { ...EURUSD, symbol: "XAUUSD", digits: 2, pipSize: 0.01, contractSize: 100, maxVolume: dec("50"), quoteCurrency: "USD", baseCurrency: "XAU" };

/** EURUSD buy at 1.08500 with a 25-pip buffered stop on a 10,000 USD account risking 1%. */
const eurusd = (over: Partial<LotInput> = {}): LotInput => ({
  sizing: { mode: "risk_percent", riskPercent: 1 },
  equity: "10000",
  freeMargin: "10000",
  symbol: EURUSD,
  side: "BUY",
  entryPrice: "1.08500",
  stopLoss: "1.08250",
  quoteToAccountRate: "1",
  ...over,
});

const view = (r: ReturnType<typeof computeLot>) => ({
  lot: r.lot.toString(),
  base: r.baseLot.toString(),
  steps: r.adjustments.map((a) => `${a.code} ${a.before.toString()} -> ${a.after.toString()}`),
});

describe("computeLot worked examples", () => {
  it("EURUSD: 1% of 10,000 over 25 pips at 10 USD/pip is 0.40 lot, within every limit", () => {
    const r = computeLot(eurusd());
    expect(view(r)).toEqual({ lot: "0.4", base: "0.4", steps: [] });
    expect(r.risk.toString()).toBe("100");
    expect(r.margin.toString()).toBe("434");
    expect(r.rejected).toBeUndefined();
  });

  it("EURUSD: a provider score of 52 scales 0.40 to 0.32, and 5-pip p90 slippage to 0.29", () => {
    const r = computeLot(eurusd({ providerScore: 52, predictedSlippageP90Pips: 5 }));
    expect(r.lot.toString()).toBe("0.29");
    expect(r.adjustments.map((a) => a.text)).toEqual([
      "lot reduced from 0.40 to 0.32: provider score 52 is below 60",
      "lot reduced from 0.32 to 0.29333: predicted p90 slippage 5.0 pips is 20% of the 25.0-pip SL distance (above 10%)",
      "lot rounded down from 0.29333 to 0.29: the volume step is 0.01",
    ]);
    // 1.1 / 1.2 of 0.32.
    expect(r.adjustments[1]?.after.toNumber()).toBeCloseTo((0.32 * 1.1) / 1.2, 12);
  });

  it("USDJPY in a USD account: pip value converts at 1/125, and 1:25 margin makes max position size bind", () => {
    const r = computeLot({
      sizing: { mode: "risk_percent", riskPercent: 1 },
      equity: "10000",
      freeMargin: "10000",
      symbol: USDJPY,
      side: "BUY",
      entryPrice: "125.000",
      stopLoss: "124.700",
      quoteToAccountRate: "0.008",
    });
    // 30 pips × (100,000 × 0.01 JPY × 0.008) = 30 × 8 USD = 240 USD per lot; 100 / 240 = 0.41666… lot.
    expect(r.baseLot.toString()).toBe("0.4166666666666666666666666666666666");
    // Margin per lot = 100,000 USD notional × 4% = 4,000 USD; 5% of equity = 500 USD → 0.125 lot → 0.12.
    expect(view(r).steps).toEqual(["LOT_MAX_POSITION 0.4166666666666666666666666666666666 -> 0.125", "LOT_VOLUME_STEP 0.125 -> 0.12"]);
    expect(r.adjustments[0]?.text).toBe(
      "lot reduced from 0.41666 to 0.125: margin 1666.67 would exceed the max position size of 5% of equity (500.00)",
    );
    expect(r.risk.toString()).toBe("28.8");
    expect(r.margin.toString()).toBe("480");
  });

  it("XAUUSD: a score of 90 with low slippage raises 1.00 to 1.125, and max risk brings it back to 1.00", () => {
    const r = computeLot({
      sizing: { mode: "risk_percent", riskPercent: 2 },
      equity: "50000",
      freeMargin: "45000",
      symbol: XAUUSD,
      side: "SELL",
      entryPrice: "2000.00",
      stopLoss: "2010.00",
      quoteToAccountRate: "1",
      providerScore: 90,
      predictedSlippageP90Pips: 20,
    });
    expect(view(r)).toEqual({ lot: "1", base: "1", steps: ["LOT_SCORE_INCREASED 1 -> 1.125", "LOT_MAX_RISK 1.125 -> 1"] });
    expect(r.adjustments.map((a) => a.text)).toEqual([
      "lot increased from 1.00 to 1.125: provider score 90 is above 80 and predicted slippage is 2% of the SL distance",
      "lot reduced from 1.125 to 1.00: risk 1125.00 at the SL would exceed 2% of equity (1000.00)",
    ]);
    expect(r.risk.toString()).toBe("1000");
  });

  it("copy trading: a fixed base lot from the copy engine still gets the score multiplier and the step", () => {
    const r = computeLot(eurusd({ sizing: { mode: "fixed", lot: "0.37" }, providerScore: 45 }));
    expect(view(r)).toEqual({ lot: "0.23", base: "0.37", steps: ["LOT_SCORE_REDUCED 0.37 -> 0.23125", "LOT_VOLUME_STEP 0.23125 -> 0.23"] });
  });

  it("caps by leverage, free margin and the symbol's max volume, in that order", () => {
    const r = computeLot(
      eurusd({ sizing: { mode: "fixed", lot: "500" }, equity: "10000000", freeMargin: "300000", limits: { maxPositionMarginPercent: 100, maxLeverage: 5 } }),
    );
    // 5 × 10M / 108,500 per lot = 460.82…; free margin 300,000 / 1,085 = 276.49…; symbol max 100.
    expect(view(r).steps.map((s) => s.split(" ")[0])).toEqual(["LOT_MAX_LEVERAGE", "LOT_FREE_MARGIN", "LOT_SYMBOL_MAX_VOLUME"]);
    expect(r.lot.toString()).toBe("100");
  });

  it("rejects rather than round up to the min volume", () => {
    const r = computeLot(eurusd({ equity: "500", freeMargin: "500", sizing: { mode: "risk_percent", riskPercent: 0.5 } }));
    // 2.5 USD over 25 pips at 10 USD/pip is 0.01 lot; a 50-pip stop makes it 0.005.
    expect(computeLot(eurusd({ equity: "500", freeMargin: "500", sizing: { mode: "risk_percent", riskPercent: 0.5 } })).lot.toString()).toBe("0.01");
    const wide = computeLot(eurusd({ equity: "500", freeMargin: "500", stopLoss: "1.08000", sizing: { mode: "risk_percent", riskPercent: 0.5 } }));
    expect(wide.lot.toString()).toBe("0");
    expect(wide.rejected).toEqual({
      code: "LOT_BELOW_MIN_VOLUME",
      text: "lot 0.00 is below the symbol's min volume 0.01; rejected rather than rounded up into more risk",
    });
    expect(view(wide).steps).toEqual(["LOT_VOLUME_STEP 0.005 -> 0"]);
    expect(r.rejected).toBeUndefined();
  });

  it("rejects a stop loss on the wrong side and an account without equity", () => {
    expect(computeLot(eurusd({ stopLoss: "1.08600" })).rejected?.code).toBe("LOT_INVALID_STOP_LOSS");
    expect(computeLot(eurusd({ side: "SELL" })).rejected?.code).toBe("LOT_INVALID_STOP_LOSS");
    expect(computeLot(eurusd({ stopLoss: "1.08500" })).rejected?.code).toBe("LOT_INVALID_STOP_LOSS");
    expect(computeLot(eurusd({ equity: "-5" })).rejected).toEqual({ code: "LOT_NO_EQUITY", text: "equity -5.00 leaves nothing to size against" });
  });

  it("throws invalid for malformed input", () => {
    expect(() => computeLot(eurusd({ quoteToAccountRate: "0" }))).toThrow(/quoteToAccountRate/);
    expect(() => computeLot(eurusd({ providerScore: 120 }))).toThrow(/providerScore/);
    expect(() => computeLot(eurusd({ sizing: { mode: "risk_percent", riskPercent: 0 } }))).toThrow(/riskPercent/);
    expect(() => computeLot(eurusd({ sizing: { mode: "fixed", lot: "-1" } }))).toThrow(/sizing.lot/);
  });
});
