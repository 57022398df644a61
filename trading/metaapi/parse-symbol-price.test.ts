import { describe, expect, it } from "vitest";
import { metaapiFixtures } from "./fixtures/metaapi-fixtures.ts";
import { parseSymbolPrice } from "./parse-symbol-price.ts";
import { parseTradeResponse } from "./parse-trade-response.ts";

describe("parseSymbolPrice", () => {
  it("keeps the venue's quote time and our receive time apart", () => {
    const q = parseSymbolPrice(metaapiFixtures.symbolPrices()[0]!, 1_700_000_000_000);
    expect(q).toMatchObject({ symbol: "AUDNZD", time: Date.parse("2020-04-07T03:45:23.345Z"), receivedAt: 1_700_000_000_000 });
    expect([q.bid.toString(), q.ask.toString()]).toEqual(["1.05297", "1.05309"]);
  });
});

describe("parseTradeResponse", () => {
  it("reads ids and tells a fill from a placed pending order", () => {
    const [done, placed] = metaapiFixtures.tradeResponses().map(parseTradeResponse);
    expect(done).toEqual({ orderId: "47138322", positionId: "46648037", brokerCode: "TRADE_RETCODE_DONE", message: "Request completed", placed: false, partial: false });
    expect(placed).toMatchObject({ orderId: "47138400", placed: true });
    expect(placed!.positionId).toBeUndefined();
  });
});
