import { describe, expect, it } from "vitest";
import { isFxOrMetal, pipSizeFor } from "./pip-size.ts";

describe("pipSizeFor", () => {
  it.each([
    ["EURUSD", 5, 0.00001, 0.0001],
    ["EURUSD", 4, 0.0001, 0.0001],
    ["USDJPY", 3, 0.001, 0.01],
    ["USDJPY", 2, 0.01, 0.01],
    ["EURUSD.m", 5, 0.00001, 0.0001],
    ["#GBPJPY-pro", 3, 0.001, 0.01],
    ["XAUUSD", 2, 0.01, 0.01],
    ["XAUUSD", 3, 0.001, 0.01],
    ["XAGUSD", 3, 0.001, 0.01],
    ["GOLD", 2, 0.01, 0.01],
  ])("%s with %i digits → %d", (symbol, digits, point, pip) => {
    expect(pipSizeFor(symbol, digits, point)).toBe(pip);
  });

  it("ignores a venue pip size for FX and metals so every broker agrees", () => {
    expect(pipSizeFor("XAUUSD", 2, 0.01, 0.1)).toBe(0.01);
  });

  it("uses the venue's pip size for indices and CFDs, else one point", () => {
    expect(pipSizeFor("US30", 1, 0.1, 1)).toBe(1);
    expect(pipSizeFor("BTCUSD", 2, 0.01)).toBe(0.01);
    expect(pipSizeFor("GER40", 1)).toBe(0.1);
  });

  it("recognises currency pairs and metals behind broker decorations only", () => {
    expect(isFxOrMetal("eurusd.r")).toBe(true);
    expect(isFxOrMetal("XAUEUR")).toBe(true);
    expect(isFxOrMetal("US500")).toBe(false);
    expect(isFxOrMetal("BTCUSD")).toBe(false);
  });
});
