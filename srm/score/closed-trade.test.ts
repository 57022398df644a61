import { describe, expect, it } from "vitest";
import { buildTrade } from "./closed-trade.builder.ts";
import { respectedStopLoss, stopRisk } from "./closed-trade.ts";

describe("stopRisk", () => {
  it("is the SL distance priced at the trade's own money per price unit", () => {
    // 50-pip stop, closed 100 pips up for 1000: 10 per pip, so 500 at risk.
    expect(stopRisk(buildTrade({ r: 2 }))).toBeCloseTo(500, 6);
    const sell = buildTrade({ side: "SELL", openPrice: 150, stopLoss: 150.4, closePrice: 149.5, profit: 333.33 });
    expect(stopRisk(sell)).toBeCloseTo(0.4 * (333.33 / 0.5), 6);
  });

  it("is undefined without a protective SL or without a price move", () => {
    expect(stopRisk(buildTrade({ stopLoss: undefined }))).toBeUndefined();
    expect(stopRisk(buildTrade({ stopLoss: 0 }))).toBeUndefined();
    expect(stopRisk(buildTrade({ stopLoss: 1.101 }))).toBeUndefined();
    expect(stopRisk(buildTrade({ closePrice: 1.1, profit: 0 }))).toBeUndefined();
  });
});

describe("respectedStopLoss", () => {
  const tol = 0.25;
  it("holds when the trade closed at or inside its SL, or slipped less than the tolerance", () => {
    expect(respectedStopLoss(buildTrade({ r: -1 }), tol)).toBe(true);
    expect(respectedStopLoss(buildTrade({ r: 3 }), tol)).toBe(true);
    expect(respectedStopLoss(buildTrade({ r: -1.2 }), tol)).toBe(true);
    expect(respectedStopLoss(buildTrade({ side: "SELL", openPrice: 1.1, stopLoss: 1.105, closePrice: 1.106 }), tol)).toBe(true);
  });

  it("breaks when the loss went past the SL by more than the tolerance, or there was no SL", () => {
    expect(respectedStopLoss(buildTrade({ r: -1.3 }), tol)).toBe(false);
    expect(respectedStopLoss(buildTrade({ side: "SELL", openPrice: 1.1, stopLoss: 1.105, closePrice: 1.107 }), tol)).toBe(false);
    expect(respectedStopLoss(buildTrade({ r: 1, stopLoss: undefined }), tol)).toBe(false);
  });

  it("treats a trailing SL in profit as a promise not to close at a loss", () => {
    const trailed = { openPrice: 1.1, stopLoss: 1.102 };
    expect(respectedStopLoss(buildTrade({ ...trailed, closePrice: 1.1019 }), tol)).toBe(true);
    expect(respectedStopLoss(buildTrade({ ...trailed, closePrice: 1.099 }), tol)).toBe(false);
  });
});
