import { describe, expect, it } from "vitest";
import { dec, type Tick } from "../../core/index.ts";
import { PaperVenue } from "./paper-venue.ts";
import type { PaperOrderResult } from "./paper-types.ts";
import { ArrayMarketDataReader } from "./testing/array-market-data-reader.ts";
import { connectedVenue, quotes, type VenueSettings } from "./testing/paper-fixture.ts";
import { TEST_INSTRUMENTS } from "./testing/paper-instruments.ts";

// Hand-made quotes, so every figure can be worked out on paper. A netting account (MT5 netting) holds one
// position per symbol; the same requests on a hedging account open a position each.
const T0 = Date.UTC(2024, 0, 2, 10);
const S = 1_000;
const range = { from: Date.UTC(2024, 0, 2), to: Date.UTC(2024, 0, 6), latency: { kind: "fixed", ms: 0 } } as const;
// A market order fills on the next quote after it arrives, so each price is quoted over several seconds.
const at = (t: number, bid: number, ask: number, n: number) => Array.from({ length: n }, (_, i) => [t + i * S, bid, ask] as const);
const EURUSD: Tick[] = quotes([...at(T0, 1.1, 1.1001, 3), ...at(T0 + 10 * S, 1.102, 1.1021, 3), ...at(T0 + 20 * S, 1.104, 1.1041, 10)]);

const order = (id: string, side: "BUY" | "SELL", volume: string) => ({ clientOrderId: id, symbol: "EURUSD", side, type: "MARKET", volume: dec(volume) }) as const;
function filled(r: PaperOrderResult): string {
  if (r.status === "rejected") throw new Error(`${r.errorCode}: ${r.message}`);
  return r.positionId!;
}
const venue = (settings: Partial<VenueSettings> = {}) => connectedVenue({ ticks: { EURUSD } }, { ...range, symbols: ["EURUSD"], ...settings });

describe("paper netting account", () => {
  it("nets fills on one symbol: an addition averages the open price, an opposite fill reduces, closes or reverses the position", async () => {
    const v = await venue({ hedging: false, commissionPerLot: "7" });
    expect(v.capabilities.hedging).toBe(false);
    expect((await v.fetchAccountInfo()).hedging).toBe(false);
    const updates: string[] = [];
    v.events.on("positionUpdated", (e) => updates.push(`${e.position.id}:${e.position.volume.toString()}`));
    await v.advanceTo(T0);
    const a = filled(await v.submitOrder(order("B1", "BUY", "1")));

    // 1 lot at 1.1001 and 1 more at 1.1021: 2 lots at 1.1011, one position, commission on both fills.
    await v.advanceTo(T0 + 10 * S);
    expect(filled(await v.submitOrder(order("B2", "BUY", "1")))).toBe(a);
    const [held] = await v.fetchPositions();
    expect([held!.id, held!.side, held!.volume.toString(), held!.openPrice.toString(), held!.commission.toString(), held!.clientOrderId]).toEqual([a, "BUY", "2", "1.1011", "-14", "B1"]);

    // Selling 0.5 at 1.104 reduces it: (1.104 − 1.1011) × 0.5 × 100 000 = 145 realised.
    await v.advanceTo(T0 + 20 * S);
    expect(filled(await v.submitOrder(order("S1", "SELL", "0.5")))).toBe(a);
    expect((await v.fetchPositions()).map((p) => [p.id, p.volume.toString()])).toEqual([[a, "1.5"]]);
    // Selling the rest closes it: 0.0029 × 1.5 × 100 000 = 435.
    expect(filled(await v.submitOrder(order("S2", "SELL", "1.5")))).toBe(a);
    expect(await v.fetchPositions()).toEqual([]);
    expect(updates).toEqual([`${a}:2`, `${a}:1.5`]);

    // A buy, then a larger sell: the long position closes (−10 at the spread) and 0.5 opens short, in a new position.
    const b = filled(await v.submitOrder(order("B3", "BUY", "1")));
    const c = filled(await v.submitOrder(order("S3", "SELL", "1.5")));
    expect(c).not.toBe(b);
    expect((await v.fetchPositions()).map((p) => [p.id, p.side, p.volume.toString(), p.openPrice.toString(), p.clientOrderId])).toEqual([[c, "SELL", "0.5", "1.104", "S3"]]);

    const deals = (await v.fetchDeals(range.from, range.to)).filter((d) => d.kind === "trade");
    expect(deals.map((d) => [d.positionId, d.entry, d.side, d.volume!.toString(), d.profit.toString(), d.clientOrderId])).toEqual([
      [a, "in", "BUY", "1", "0", "B1"],
      [a, "in", "BUY", "1", "0", "B2"],
      [a, "out", "SELL", "0.5", "145", "S1"],
      [a, "out", "SELL", "1.5", "435", "S2"],
      [b, "in", "BUY", "1", "0", "B3"],
      [b, "out", "SELL", "1", "-10", "S3"],
      [c, "in", "SELL", "0.5", "0", "S3"],
    ]);
    // 10 000 + 145 + 435 − 10 realised, less 7 per lot on 6.5 lots traded.
    expect((await v.fetchAccountInfo()).balance.toString()).toBe("10524.5");
  });

  it("lets an opposite fill that only reduces the position through without margin; a hedging account needs margin for it", async () => {
    const hedging = await venue({ initialBalance: "1200" });
    const netting = await venue({ initialBalance: "1200", hedging: false });
    for (const v of [hedging, netting]) {
      await v.advanceTo(T0);
      filled(await v.submitOrder(order("B1", "BUY", "1")));
    }
    // Margin of 1 lot: 100 000 × 1.10005 × 1% = 1100.05; equity 1190 (−10 at the spread) leaves 89.95 free.
    const hedged = await hedging.submitOrder(order("S1", "SELL", "0.5"));
    expect(hedged.status === "rejected" && hedged.errorCode).toBe("TRD_ERR_NO_MONEY");
    expect(filled(await netting.submitOrder(order("S1", "SELL", "0.5")))).toBe((await netting.fetchPositions())[0]!.id);
    expect((await netting.fetchPositions()).map((p) => p.volume.toString())).toEqual(["0.5"]);
    // Reversing past the position needs margin for the part that opens the other way.
    const reversed = await netting.submitOrder(order("S2", "SELL", "2"));
    expect(reversed.status === "rejected" && reversed.errorCode).toBe("TRD_ERR_NO_MONEY");
  });

  it("fills a triggered pending order into the symbol's position, and keeps netting across a snapshot", async () => {
    const v = await venue({ hedging: false });
    await v.advanceTo(T0);
    const a = filled(await v.submitOrder(order("B1", "BUY", "1")));
    const limit = await v.submitOrder({ clientOrderId: "L1", symbol: "EURUSD", side: "SELL", type: "LIMIT", volume: dec("0.4"), price: dec("1.103") });
    expect(limit.status).toBe("placed");
    const restored = PaperVenue.fromJSON(JSON.parse(JSON.stringify(v.toJSON())), { reader: new ArrayMarketDataReader({ ticks: { EURUSD } }), instruments: TEST_INSTRUMENTS });
    await restored.connect();
    await restored.advanceTo(T0 + 20 * S);
    expect((await restored.fetchPositions()).map((p) => [p.id, p.volume.toString()])).toEqual([[a, "0.6"]]);
    expect((await restored.fetchOrderByClientId("L1"))).toMatchObject({ state: "filled", positionId: a });
  });

  it("refuses a hedging setting that is not true or false, naming it", async () => {
    await expect(venue({ hedging: "no" as unknown as boolean })).rejects.toMatchObject({ code: "CORE_ERR_INVALID", details: { field: "hedging" } });
  });
});
