import { describe, expect, it } from "vitest";
import { metaapiFixtures } from "./fixtures/metaapi-fixtures.ts";
import { parsePosition } from "./parse-position.ts";

describe("parsePosition", () => {
  it("maps a recorded buy position with client id, SL and no TP (0 means none)", () => {
    const p = parsePosition(metaapiFixtures.positions()[0]!);
    expect(p).toMatchObject({ id: "46214692", symbol: "GBPUSD", side: "BUY", clientOrderId: "RL0A1B2C3D4E5F6", comment: "copy" });
    expect(p.volume.toString()).toBe("0.07");
    expect(p.openPrice.toString()).toBe("1.26101");
    expect(p.stopLoss?.toString()).toBe("1.2");
    expect(p.takeProfit).toBeUndefined();
    expect(p.openTime).toBe(Date.parse("2020-04-15T02:45:06.521Z"));
    expect(p.commission.toString()).toBe("-0.25");
    expect(p.profit.toString()).toBe("-85.26");
  });

  it("drops binary noise from money and keeps the unrealised profit", () => {
    const p = parsePosition(metaapiFixtures.positions()[1]!);
    expect(p.side).toBe("SELL");
    expect(p.swap.toString()).toBe("-1.23");
    expect(p.profit.toString()).toBe("53.1");
    expect(p.takeProfit?.toString()).toBe("2330.5");
    expect(p.clientOrderId).toBeUndefined();
    expect(p.updateTime).toBe(Date.parse("2024-05-14T12:30:00.000Z"));
  });

  it("refuses a position type the port does not know", () => {
    const raw = { ...metaapiFixtures.positions()[0]!, type: "POSITION_TYPE_WHATEVER" };
    expect(() => parsePosition(raw)).toThrow(/unexpected position type/);
  });
});
