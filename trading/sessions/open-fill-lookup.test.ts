import { describe, expect, it } from "vitest";
import { dec, type Tick } from "../../core/index.ts";
import type { PaperVenue } from "../paper/index.ts";
import { connectedVenue, quotes } from "../paper/testing/paper-fixture.ts";
import type { BrokerSession } from "./broker-session.ts";
import { findOpenFill, historySince, openFillOf } from "./open-fill-lookup.ts";

// Paper venues replay 2024 here, years behind the wall clock: the lookup must not bound their history by wall time.
const T0 = Date.UTC(2024, 0, 2, 10);
const S = 1_000;
const EURUSD: Tick[] = quotes(Array.from({ length: 30 }, (_, i) => [T0 + i * S, 1.1 + (i >= 10 ? 0.002 : 0), 1.1001 + (i >= 10 ? 0.002 : 0)] as const));
const sessionOf = (v: PaperVenue) => ({ port: v, now: () => v.now }) as unknown as BrokerSession;
const venue = (hedging = true) => connectedVenue({ ticks: { EURUSD } }, { from: T0, to: T0 + 60 * S, symbols: ["EURUSD"], latency: { kind: "fixed", ms: 0 }, hedging });
const buy = (id: string, volume: string) => ({ clientOrderId: id, symbol: "EURUSD", side: "BUY", type: "MARKET", volume: dec(volume) }) as const;
const requested = new Date();

describe("looking an opening order up by client order id", () => {
  it("bounds the history search by time only on a venue whose clock is the wall clock", async () => {
    const v = await venue();
    expect(historySince(sessionOf(v), requested)).toEqual({});
    const live = { now: () => Date.now() } as unknown as BrokerSession;
    expect(historySince(live, requested)).toEqual({ since: requested.getTime() - 60_000 });
  });

  it("finds the position an order opened; proves an order never sent absent", async () => {
    const v = await venue();
    await v.advanceTo(T0 + S);
    const r = await v.submitOrder(buy("OPEN-1", "0.1"));
    const found = await findOpenFill(sessionOf(v), "OPEN-1", requested);
    expect(found?.position.id).toBe(r.status === "filled" ? r.positionId : "");
    expect(found?.order).toBeUndefined();
    expect(await findOpenFill(sessionOf(v), "NEVER-SENT", requested)).toBeUndefined();
  });

  it("cannot tell (null), rather than proving absent, when the order filled into a position closed since", async () => {
    const v = await venue();
    await v.advanceTo(T0 + S);
    const r = await v.submitOrder(buy("OPEN-2", "0.1"));
    expect((await v.closePosition(r.status === "filled" ? r.positionId! : "", undefined, "CLOSE-2")).status).toBe("filled");
    expect(await findOpenFill(sessionOf(v), "OPEN-2", requested)).toBeNull();
  });

  it("finds the netted position an order filled into on a netting account, with that order's own fill", async () => {
    const v = await venue(false);
    await v.advanceTo(T0 + S);
    const first = await v.submitOrder(buy("NET-1", "0.1"));
    await v.advanceTo(T0 + 12 * S);
    const second = await v.submitOrder(buy("NET-2", "0.3"));
    const found = (await findOpenFill(sessionOf(v), "NET-2", requested))!;
    expect(found.position.id).toBe(first.status === "filled" ? first.positionId : "");
    expect(found.position.volume.toString()).toBe("0.4");
    const fill = openFillOf(found);
    expect([fill.volume.toString(), fill.price.toString(), fill.time]).toEqual(["0.3", second.status === "filled" ? second.fillPrice!.toString() : "", second.status === "filled" ? second.fillTime : 0]);
  });
});
