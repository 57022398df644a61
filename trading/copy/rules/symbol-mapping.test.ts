import { describe, expect, it } from "vitest";
import { mapSymbol, mappingCycles } from "./symbol-mapping.ts";

describe("mapSymbol", () => {
  it("follows explicit pairs recursively and takes the final target literally", () => {
    expect(mapSymbol("XAUUSD", { XAUUSD: "GOLD", GOLD: "GOLD.m" })).toEqual({ symbol: "GOLD.m" });
    expect(mapSymbol("XAUUSD", { XAUUSD: "GOLD" }, { addSuffix: ".m" })).toEqual({ symbol: "GOLD" });
  });

  it("applies broker naming to symbols without a pair: strip the master's decoration, add the slave's", () => {
    expect(mapSymbol("EURUSD.pro", {}, { stripSuffix: ".pro", addSuffix: "m" })).toEqual({ symbol: "EURUSDm" });
    expect(mapSymbol("#EURUSD", {}, { stripPrefix: "#", addPrefix: "FX:" })).toEqual({ symbol: "FX:EURUSD" });
    expect(mapSymbol("EURUSD", {})).toEqual({ symbol: "EURUSD" });
  });

  it("looks a pair up by the stripped name too", () => {
    expect(mapSymbol("XAUUSD.pro", { XAUUSD: "GOLD" }, { stripSuffix: ".pro" })).toEqual({ symbol: "GOLD" });
  });

  it("stops at a loop and reports it instead of spinning", () => {
    expect(mapSymbol("A", { A: "B", B: "C", C: "B" })).toEqual({ cycle: ["B", "C", "B"] });
    expect(mapSymbol("A", { A: "A" })).toEqual({ cycle: ["A", "A"] });
  });

  it("lists each loop once", () => {
    expect(mappingCycles({ A: "B", B: "A", C: "D" })).toEqual([["A", "B", "A"]]);
    expect(mappingCycles({ A: "B", B: "C" })).toEqual([]);
  });
});
