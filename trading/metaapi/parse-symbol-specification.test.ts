import { describe, expect, it } from "vitest";
import { metaapiFixtures } from "./fixtures/metaapi-fixtures.ts";
import { parseSymbolSpecification } from "./parse-symbol-specification.ts";

const specs = new Map(metaapiFixtures.symbolSpecifications().map((s) => [s.symbol, parseSymbolSpecification(s, { leverage: 100 })]));

describe("parseSymbolSpecification", () => {
  it.each([
    ["EURUSD", 0.0001],
    ["USDJPY", 0.01],
    ["XAUUSD", 0.01],
    ["XAUUSD.m", 0.01],
    ["GBPUSD.r", 0.0001],
    ["US30", 1],
    ["BTCUSD", 0.01],
  ])("%s pip size is %d", (symbol, pip) => {
    expect(specs.get(symbol)!.pipSize).toBe(pip);
  });

  it("carries volumes as exact decimals and currencies", () => {
    const s = specs.get("EURUSD")!;
    expect([s.minVolume.toString(), s.maxVolume.toString(), s.volumeStep.toString()]).toEqual(["0.01", "200", "0.01"]);
    expect(s).toMatchObject({ digits: 5, contractSize: 100_000, quoteCurrency: "USD", baseCurrency: "EUR" });
    expect(specs.get("US30")!.volumeStep.toString()).toBe("0.1");
  });

  it("derives the margin rate from leverage, or from a fixed initial margin in the base currency", () => {
    expect(specs.get("EURUSD")!.marginRate).toBeCloseTo(0.01, 12);
    expect(specs.get("BTCUSD")!.marginRate).toBeCloseTo(0.5, 12);
    const raw = metaapiFixtures.symbolSpecifications().find((s) => s.symbol === "EURUSD")!;
    expect(parseSymbolSpecification(raw, { leverage: 30 }).marginRate).toBeCloseTo(1 / 30, 12);
  });
});
