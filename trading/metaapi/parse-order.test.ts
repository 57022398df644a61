import { describe, expect, it } from "vitest";
import { metaapiFixtures } from "./fixtures/metaapi-fixtures.ts";
import { parseOrder } from "./parse-order.ts";

describe("parseOrder", () => {
  it("maps a working buy limit with take profit and client id", () => {
    const o = parseOrder(metaapiFixtures.orders()[0]!)!;
    expect(o).toMatchObject({ id: "46871284", symbol: "AUDNZD", side: "BUY", type: "LIMIT", state: "placed", clientOrderId: "RL0A1B2C3D4E5F7" });
    expect(o.price?.toString()).toBe("1.03");
    expect(o.takeProfit?.toString()).toBe("1.06");
    expect(o.stopLoss).toBeUndefined();
    expect(o.positionId).toBeUndefined();
    expect(o.remainingVolume.toString()).toBe("0.01");
  });

  it("keeps the limit price of a sell stop-limit", () => {
    const o = parseOrder(metaapiFixtures.orders()[1]!)!;
    expect(o).toMatchObject({ side: "SELL", type: "STOP_LIMIT", comment: "breakout" });
    expect(o.price?.toString()).toBe("1.0785");
    expect(o.stopLimitPrice?.toString()).toBe("1.079");
  });

  it("maps history: a filled market order with its position, a canceled limit, and skips close-by", () => {
    const [filled, canceled, closeBy] = metaapiFixtures.historyOrders().map(parseOrder);
    expect(filled).toMatchObject({ type: "MARKET", side: "BUY", state: "filled", positionId: "46214692", doneAt: Date.parse("2020-04-15T02:45:06.521Z") });
    expect(filled!.remainingVolume.isZero()).toBe(true);
    expect(canceled).toMatchObject({ type: "LIMIT", side: "SELL", state: "canceled" });
    expect(closeBy).toBeUndefined();
  });
});
