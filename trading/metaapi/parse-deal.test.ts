import { describe, expect, it } from "vitest";
import { metaapiFixtures } from "./fixtures/metaapi-fixtures.ts";
import { parseDeal } from "./parse-deal.ts";

describe("parseDeal", () => {
  const [deposit, open, stopOut, fee] = metaapiFixtures.deals().map(parseDeal);

  it("maps a deposit as a balance operation without side or entry", () => {
    expect(deposit).toMatchObject({ id: "33230000", kind: "balance", reason: "other" });
    expect(deposit!.side).toBeUndefined();
    expect(deposit!.profit.toString()).toBe("10000");
    expect(deposit!.clientOrderId).toBeUndefined();
  });

  it("maps an opening fill with price, volume, ids and client id", () => {
    expect(open).toMatchObject({ kind: "trade", side: "BUY", entry: "in", symbol: "GBPUSD", positionId: "46214692", orderId: "46214692", clientOrderId: "RL0A1B2C3D4E5F6", reason: "expert" });
    expect(open!.price?.toString()).toBe("1.26101");
    expect(open!.volume?.toString()).toBe("0.07");
    expect(open!.time).toBe(Date.parse("2020-04-15T02:45:06.521Z"));
  });

  it("tells a stop-loss exit from our own close", () => {
    expect(stopOut).toMatchObject({ side: "SELL", entry: "out", reason: "stop_loss" });
    expect(stopOut!.profit.toString()).toBe("-427.07");
    expect(stopOut!.swap.toString()).toBe("-0.31");
  });

  it("reads commissions as fees", () => {
    expect(fee).toMatchObject({ kind: "fee" });
    expect(fee!.profit.toString()).toBe("-1.5");
  });
});
