import { describe, expect, it } from "vitest";
import { dec } from "../../core/index.ts";
import { anIntent, EURUSD } from "../../test/kit/builders.ts";
import { validateIntent } from "./validate-intent.ts";

const quote = { bid: 1.09998, ask: 1.10001 };

describe("validateIntent", () => {
  it("names the field of an inconsistent intent", () => {
    expect(() => validateIntent(anIntent({ volume: dec(0) }), EURUSD, quote)).toThrow(expect.objectContaining({ code: "CORE_ERR_INVALID", details: { field: "volume" } }));
    expect(() => validateIntent(anIntent({ side: "BUY", stopLoss: dec("1.2") }), EURUSD, quote)).toThrow(expect.objectContaining({ details: { field: "stopLoss" } }));
  });

  it("lets only a modification remove levels, and never one it also sets", () => {
    expect(() => validateIntent(anIntent({ kind: "MODIFY", positionId: "p", stopLoss: undefined, removeLevels: ["stopLoss"] }), EURUSD, quote)).not.toThrow();
    expect(() => validateIntent(anIntent({ kind: "OPEN", removeLevels: ["stopLoss"] }), EURUSD, quote)).toThrow(expect.objectContaining({ details: { field: "removeLevels" } }));
    expect(() => validateIntent(anIntent({ kind: "MODIFY", positionId: "p", stopLoss: dec("1.09"), removeLevels: ["stopLoss"] }), EURUSD, quote)).toThrow(/both set and removed/);
  });
});
