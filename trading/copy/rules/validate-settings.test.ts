import { describe, expect, it } from "vitest";
import { RiskloopError } from "../../../core/index.ts";
import { parseCopySettings } from "./copy-settings.ts";
import { validateSettings } from "./validate-settings.ts";

const offered = new Set(["EURUSD", "GBPUSD", "XAUUSD", "EURUSD.m"]);
const has = async (s: string) => offered.has(s);

async function refusal(provider: object, subscriber: object) {
  try {
    await validateSettings(parseCopySettings(provider, "settings"), parseCopySettings(subscriber), has, 60);
  } catch (err) {
    if (err instanceof RiskloopError) return { field: err.details?.field, reason: err.details?.reason, message: err.message };
    throw err;
  }
  return undefined;
}

describe("validateSettings refuses contradictions with the field and the reason", () => {
  it("fixed risk with copying stop losses off, at either level", async () => {
    expect(await refusal({}, { lotScaling: { mode: "fixedRisk", riskPercent: 1 }, copyStopLoss: false })).toMatchObject({ field: "rules.copyStopLoss", reason: "COPY_FIXED_RISK_WITHOUT_SL" });
    expect(await refusal({ copyStopLoss: false }, { lotScaling: { mode: "fixedRisk", riskPercent: 1 } })).toMatchObject({ reason: "COPY_FIXED_RISK_WITHOUT_SL" });
  });

  it("a minimum lot above the maximum, sides or includes that cancel out, a symbol both included and excluded", async () => {
    expect(await refusal({ minLot: "1" }, { maxLot: "0.5" })).toMatchObject({ field: "rules.minLot", reason: "COPY_MIN_LOT_ABOVE_MAX" });
    expect(await refusal({ allowedSides: ["BUY"] }, { allowedSides: ["SELL"] })).toMatchObject({ field: "rules.allowedSides", reason: "COPY_NO_SIDE_ALLOWED" });
    expect(await refusal({ includeSymbols: ["EURUSD"] }, { includeSymbols: ["GBPUSD"] })).toMatchObject({ reason: "COPY_NO_SYMBOL_INCLUDED" });
    expect(await refusal({}, { includeSymbols: ["EURUSD"], excludeSymbols: ["EURUSD"] })).toMatchObject({ field: "rules.excludeSymbols", reason: "COPY_SYMBOL_INCLUDED_AND_EXCLUDED" });
  });

  it("a mapping loop and a mapping to a symbol the slave's broker does not have", async () => {
    expect(await refusal({}, { symbolMapping: { XAUUSD: "GOLD", GOLD: "XAUUSD" } })).toMatchObject({ field: "rules.symbolMapping", reason: "COPY_MAPPING_CYCLE" });
    const unknown = await refusal({}, { symbolMapping: { XAUUSD: "GOLD" } });
    expect(unknown).toMatchObject({ field: "rules.symbolMapping", reason: "COPY_SYMBOL_UNKNOWN_AT_SLAVE" });
    expect(unknown?.message).toContain("GOLD");
    expect(await refusal({}, { includeSymbols: ["EURUSD"], symbolNaming: { addSuffix: ".x" } })).toMatchObject({ reason: "COPY_SYMBOL_UNKNOWN_AT_SLAVE" });
  });

  it("accepts consistent settings and returns them combined", async () => {
    expect(await refusal({ symbolMapping: { GOLD: "XAUUSD" } }, { includeSymbols: ["EURUSD"], symbolNaming: { addSuffix: ".m" }, lotScaling: { mode: "fixedRisk", riskPercent: 1 } })).toBeUndefined();
  });
});
