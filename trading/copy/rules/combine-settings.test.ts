import { describe, expect, it } from "vitest";
import { combineSettings } from "./combine-settings.ts";
import { parseCopySettings } from "./copy-settings.ts";

const combine = (provider: object, subscriber: object) => combineSettings(parseCopySettings(provider), parseCopySettings(subscriber), 60);

describe("combineSettings: one test per documented rule", () => {
  it("defaults: balance ratio × 1, both sides, SL/TP/pending copied, no reverse, no close-only, the configured delay", () => {
    const s = combine({}, {});
    expect(s.lotScaling).toEqual({ mode: "balanceRatio", multiplier: 1, lot: undefined, riskPercent: undefined });
    expect(s).toMatchObject({ allowedSides: ["BUY", "SELL"], copyStopLoss: true, copyTakeProfit: true, copyPendingOrders: true, reverse: false, closeOnly: false, maxSignalDelaySeconds: 60 });
    expect(s.includeSymbols).toBeUndefined();
    expect(s.minLot).toBeUndefined();
    expect(s.maxLot).toBeUndefined();
  });

  it("lot scaling: last value wins, as a whole (mode and parameters)", () => {
    expect(combine({ lotScaling: { mode: "multiplier", multiplier: 3 } }, { lotScaling: { mode: "equityRatio" } }).lotScaling).toMatchObject({ mode: "equityRatio", multiplier: 1 });
    expect(combine({ lotScaling: { mode: "fixedLot", lot: "0.5" } }, {}).lotScaling.lot?.toString()).toBe("0.5");
  });

  it("max risk per trade and max leverage: last value wins", () => {
    expect(combine({ maxRiskPerTradePercent: 1, maxLeverage: 10 }, { maxRiskPerTradePercent: 3 })).toMatchObject({ maxRiskPerTradePercent: 3, maxLeverage: 10 });
    expect(combine({ maxLeverage: 10 }, { maxLeverage: 30 }).maxLeverage).toBe(30);
  });

  it("signal delay and price deviation: last value wins (a subscriber may loosen them)", () => {
    expect(combine({ maxSignalDelaySeconds: 5, maxPriceDeviationPips: 2 }, { maxSignalDelaySeconds: 30 })).toMatchObject({ maxSignalDelaySeconds: 30, maxPriceDeviationPips: 2 });
    expect(combine({ maxPriceDeviationPips: 2 }, { maxPriceDeviationPips: 8 }).maxPriceDeviationPips).toBe(8);
  });

  it("max lot: the smaller wins, whichever level sets it", () => {
    expect(combine({ maxLot: "2" }, { maxLot: "5" }).maxLot?.toString()).toBe("2");
    expect(combine({ maxLot: "5" }, { maxLot: "0.3" }).maxLot?.toString()).toBe("0.3");
    expect(combine({}, { maxLot: "1" }).maxLot?.toString()).toBe("1");
  });

  it("min lot: the larger wins", () => {
    expect(combine({ minLot: "0.05" }, { minLot: "0.02" }).minLot?.toString()).toBe("0.05");
    expect(combine({ minLot: "0.01" }, { minLot: "0.1" }).minLot?.toString()).toBe("0.1");
  });

  it("copy SL / TP / pending orders: off if any level turns it off", () => {
    expect(combine({ copyStopLoss: false }, { copyStopLoss: true }).copyStopLoss).toBe(false);
    expect(combine({ copyTakeProfit: true }, { copyTakeProfit: false }).copyTakeProfit).toBe(false);
    expect(combine({ copyPendingOrders: false }, {}).copyPendingOrders).toBe(false);
    expect(combine({ copyStopLoss: true }, {}).copyStopLoss).toBe(true);
  });

  it("close-only: on if any level turns it on", () => {
    expect(combine({ closeOnly: true }, { closeOnly: false }).closeOnly).toBe(true);
    expect(combine({}, { closeOnly: true }).closeOnly).toBe(true);
  });

  it("allowed sides intersect (and can become empty, which validation refuses)", () => {
    expect(combine({ allowedSides: ["BUY", "SELL"] }, { allowedSides: ["SELL"] }).allowedSides).toEqual(["SELL"]);
    expect(combine({ allowedSides: ["BUY"] }, {}).allowedSides).toEqual(["BUY"]);
    expect(combine({ allowedSides: ["BUY"] }, { allowedSides: ["SELL"] }).allowedSides).toEqual([]);
  });

  it("included symbols intersect over the levels that list any; excluded symbols are united", () => {
    expect(combine({ includeSymbols: ["EURUSD", "GBPUSD"] }, { includeSymbols: ["GBPUSD", "USDJPY"] }).includeSymbols).toEqual(["GBPUSD"]);
    expect(combine({}, { includeSymbols: ["XAUUSD"] }).includeSymbols).toEqual(["XAUUSD"]);
    expect(combine({ excludeSymbols: ["XAUUSD"] }, { excludeSymbols: ["USDJPY", "XAUUSD"] }).excludeSymbols).toEqual(["XAUUSD", "USDJPY"]);
  });

  it("reverse is XOR along the chain", () => {
    expect(combine({ reverse: true }, {}).reverse).toBe(true);
    expect(combine({}, { reverse: true }).reverse).toBe(true);
    expect(combine({ reverse: true }, { reverse: true }).reverse).toBe(false);
    expect(combine({ reverse: false }, { reverse: false }).reverse).toBe(false);
  });

  it("symbol mappings merge (the subscriber's pair wins for one master symbol) and naming rules: last value wins", () => {
    const s = combine({ symbolMapping: { XAUUSD: "GOLD", US30: "DJI" }, symbolNaming: { addSuffix: ".p" } }, { symbolMapping: { XAUUSD: "XAU.m" }, symbolNaming: { addSuffix: ".m" } });
    expect(s.symbolMapping).toEqual({ XAUUSD: "XAU.m", US30: "DJI" });
    expect(s.symbolNaming).toEqual({ addSuffix: ".m" });
  });
});

describe("parseCopySettings", () => {
  it("names the offending field", () => {
    const field = (raw: unknown) => {
      try {
        parseCopySettings(raw);
      } catch (err) {
        return (err as { details?: { field?: string } }).details?.field;
      }
      return undefined;
    };
    expect(field({ maxLot: 1 })).toBe("rules.maxLot");
    expect(field({ lotScaling: { mode: "martingale" } })).toBe("rules.lotScaling.mode");
    expect(field({ lotScaling: { mode: "multiplier" } })).toBe("rules.lotScaling.multiplier");
    expect(field({ lotScaling: { mode: "fixedRisk" } })).toBe("rules.lotScaling.riskPercent");
    expect(field({ lotScaling: { mode: "fixedLot", lot: "0.1", multiplier: 2 } })).toBe("rules.lotScaling.multiplier");
    expect(field({ allowedSides: ["LONG"] })).toBe("rules.allowedSides");
    expect(field({ symbolMapping: { EURUSD: 3 } })).toBe("rules.symbolMapping.EURUSD");
    expect(field({ excludeSymbols: ["EUR USD"] })).toBe("rules.excludeSymbols.0");
    expect(field({ martingale: true })).toBe("rules.martingale");
    expect(field({ reverse: "yes" })).toBe("rules.reverse");
    expect(field({ maxSignalDelaySeconds: -1 })).toBe("rules.maxSignalDelaySeconds");
    expect(field({ reverse: true, maxLot: "2.5", lotScaling: { mode: "fixedRisk", riskPercent: 1 } })).toBeUndefined();
  });
});
