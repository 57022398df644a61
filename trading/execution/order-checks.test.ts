import { describe, expect, it } from "vitest";
import { RiskloopError, dec } from "../../core/index.ts";
import type { MarketFacts } from "../../srm/index.ts";
import { checkOrder, type PlaceOrderRequest } from "./order-checks.ts";
import { EURUSD } from "../../test/kit/builders.ts";

const T = Date.UTC(2014, 4, 1, 9);
const facts = (quoteAge = 1_000): MarketFacts => ({ spec: EURUSD, quote: { bid: 1.388, ask: 1.3881, time: T - quoteAge }, quoteToAccountRate: 1, at: T });
const limits = { marketClosedAfterMs: 600_000, maxPriceDistance: 0.5 };
const buy = (over: Partial<PlaceOrderRequest> = {}): PlaceOrderRequest => ({ symbol: "EURUSD", side: "BUY", type: "MARKET", volume: dec("0.10"), ...over });

function refusal(req: PlaceOrderRequest, f = facts()): { code: string; field: unknown } | undefined {
  try {
    checkOrder(req, f, limits);
    return undefined;
  } catch (err) {
    if (!(err instanceof RiskloopError)) throw err;
    return { code: err.code, field: err.details?.field };
  }
}

describe("checkOrder", () => {
  it("accepts well-formed market and pending orders", () => {
    expect(refusal(buy({ stopLoss: dec("1.38600"), takeProfit: dec("1.39500") }))).toBeUndefined();
    expect(refusal(buy({ side: "SELL", stopLoss: dec("1.39000"), takeProfit: dec("1.38000") }))).toBeUndefined();
    expect(refusal(buy({ type: "LIMIT", price: dec("1.38500"), stopLoss: dec("1.38300"), expiresAt: T + 60_000 }))).toBeUndefined();
    expect(refusal(buy({ type: "STOP", price: dec("1.39000") }))).toBeUndefined();
    expect(refusal(buy({ type: "STOP_LIMIT", price: dec("1.39000"), stopLimitPrice: dec("1.38950") }))).toBeUndefined();
    expect(refusal(buy({ side: "SELL", type: "LIMIT", price: dec("1.39000"), stopLoss: dec("1.39200") }))).toBeUndefined();
  });

  it.each([
    ["volume off the step", buy({ volume: dec("0.015") }), "volume"],
    ["volume below the minimum", buy({ volume: dec("0.001") }), "volume"],
    ["volume above the maximum", buy({ volume: dec("100.01") }), "volume"],
    ["a long's stop loss above the bid", buy({ stopLoss: dec("1.38850") }), "stopLoss"],
    ["a short's take profit above the ask", buy({ side: "SELL", takeProfit: dec("1.39000") }), "takeProfit"],
    ["a stop loss with too many digits", buy({ stopLoss: dec("1.387001") }), "stopLoss"],
    ["an absurd take profit", buy({ takeProfit: dec("5") }), "takeProfit"],
    ["a zero stop loss", buy({ stopLoss: dec("0") }), "stopLoss"],
    ["a price on a market order", buy({ price: dec("1.388") }), "price"],
    ["a pending order without a price", buy({ type: "LIMIT" }), "price"],
    ["a buy limit above the ask", buy({ type: "LIMIT", price: dec("1.38900") }), "price"],
    ["a sell stop above the bid", buy({ side: "SELL", type: "STOP", price: dec("1.38900") }), "price"],
    ["a buy stop-limit whose limit lies above its stop", buy({ type: "STOP_LIMIT", price: dec("1.39000"), stopLimitPrice: dec("1.39100") }), "stopLimitPrice"],
    ["a pending long's stop loss above its entry", buy({ type: "LIMIT", price: dec("1.38500"), stopLoss: dec("1.38600") }), "stopLoss"],
    ["an expiry in the past", buy({ type: "LIMIT", price: dec("1.38500"), expiresAt: T - 1 }), "expiresAt"],
  ])("refuses %s with CORE_ERR_INVALID naming the field", (_name, req, field) => {
    expect(refusal(req)).toEqual({ code: "CORE_ERR_INVALID", field });
  });

  it("refuses any order when the market is closed (no quote, or a stale one)", () => {
    expect(refusal(buy(), facts(600_001))).toEqual({ code: "TRD_ERR_MARKET_NOT_OPEN", field: "symbol" });
    expect(refusal(buy(), { ...facts(), quote: null })).toEqual({ code: "TRD_ERR_MARKET_NOT_OPEN", field: "symbol" });
    expect(refusal(buy(), facts(600_000))).toBeUndefined();
  });
});
