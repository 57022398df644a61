import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildFeatureSchema, encodeFeatures, featuresForOrder, featuresFromExecution, type ExecutionFeatureRow } from "./index.ts";

/**
 * Training/serving parity: the decision builds features from an intent and the live context; training later
 * rebuilds them from what the execution log stored. For every combination of facts, both must encode to the
 * same vector, or the model would learn from something it never sees when serving.
 */
describe("feature parity between serving and training", () => {
  const schema = buildFeatureSchema(["EURUSD", "XAUUSD", "USDJPY"]);
  const facts = fc.record({
    symbol: fc.constantFrom("EURUSD", "XAUUSD", "USDJPY", "GBPUSD"),
    side: fc.constantFrom("BUY" as const, "SELL" as const),
    at: fc.integer({ min: Date.UTC(2015, 0, 1), max: Date.UTC(2027, 0, 1) }),
    pipSize: fc.constantFrom(0.0001, 0.01),
    atr: fc.option(fc.double({ min: 0, max: 0.05, noNaN: true }), { nil: null }),
    volatilityIndex: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
    spread: fc.option(fc.double({ min: 0, max: 0.01, noNaN: true }), { nil: null }),
    session: fc.constantFrom("LONDON", "TOKYO", "OVERLAP_LONDON_NY", "CLOSED", "OFF_HOURS"),
    price: fc.double({ min: 0.5, max: 3000, noNaN: true }),
    slPips: fc.option(fc.double({ min: 1, max: 500, noNaN: true }), { nil: null }),
    signalLagMs: fc.integer({ min: 0, max: 600_000 }),
    volume: fc.double({ min: 0.01, max: 50, noNaN: true }),
  });

  it("encodes the same execution identically through both paths", () => {
    fc.assert(
      fc.property(facts, (f) => {
        const stopLoss = f.slPips === null ? null : f.price - (f.side === "BUY" ? 1 : -1) * f.slPips * f.pipSize;
        const context = { atr: f.atr, volatilityIndex: f.volatilityIndex, spread: f.spread, session: f.session };
        const serving = featuresForOrder({
          symbol: f.symbol,
          side: f.side,
          fillKind: "MARKET",
          at: f.at,
          pipSize: f.pipSize,
          context,
          referencePrice: f.price,
          stopLoss,
          signalTime: f.at - f.signalLagMs,
          volumeLots: f.volume,
          providerScore: null,
          providerTradeCount: 0,
          accountDrawdown: null,
        });
        // What the execution log stores for that order (requestedAt = decision time, context columns as seen).
        const stored: ExecutionFeatureRow = {
          symbol: f.symbol,
          side: f.side,
          kind: "OPEN",
          requestedAt: f.at,
          pipSize: f.pipSize,
          marketAtr: f.atr,
          volatilityIndex: f.volatilityIndex,
          spread: f.spread,
          tradingSession: f.session,
          requestedPrice: f.price,
          slDistancePips: stopLoss === null ? null : Math.abs(f.price - stopLoss) / f.pipSize,
          signalTime: f.at - f.signalLagMs,
          volume: f.volume,
          providerScore: null,
          providerTradeCount: 0,
          accountDrawdown: null,
        };
        const training = featuresFromExecution(stored);
        const a = encodeFeatures(schema, serving, new Float32Array(schema.names.length));
        const b = encodeFeatures(schema, training, new Float32Array(schema.names.length));
        expect(Array.from(b)).toEqual(Array.from(a));
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it("maps unseen symbols and sessions to the 'other' columns rather than failing", () => {
    const x = featuresFromExecution({
      symbol: "NZDCAD",
      side: "BUY",
      kind: "SL_FILL",
      requestedAt: Date.UTC(2024, 0, 3),
      pipSize: 0.0001,
      marketAtr: null,
      volatilityIndex: null,
      spread: null,
      tradingSession: "SOMETHING_NEW",
      requestedPrice: 0.8,
      slDistancePips: 12,
      signalTime: null,
      volume: 1,
      providerScore: null,
      providerTradeCount: 0,
      accountDrawdown: null,
    });
    const v = encodeFeatures(schema, x, new Float32Array(schema.names.length));
    expect(v[schema.names.indexOf("symbol_other")]).toBe(1);
    expect(v[schema.names.indexOf("session_other")]).toBe(1);
    expect(v[schema.names.indexOf("fill_stop")]).toBe(1);
    expect(v[schema.names.indexOf("atr_missing")]).toBe(1);
  });
});
