import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dec } from "../../core/index.ts";
import type { Database } from "../../prisma/index.ts";
import { freshDatabase } from "../../test/kit/db.ts";
import type { PaperVenue } from "../paper/index.ts";
import { TEST_INSTRUMENTS } from "../paper/testing/paper-instruments.ts";
import { eventIds } from "./master-signal.ts";
import { copyClientOrderId } from "./replication/slave-targets.ts";
import { copiesSettled, copyWorker, type CopyWorker } from "../../test/kit/copy-worker.ts";
import { PaperBroker, seedCopyAccounts, syntheticTicks, type SeededCopyAccounts } from "./testing/paper-broker.ts";

const FROM = Date.UTC(2024, 0, 2, 10, 0, 0);
const TICKS = syntheticTicks(FROM, 120);

/** A buy-stop price the recorded asks reach soon after `venue`'s now, and a replay that runs until they do. */
function stopAhead(venue: PaperVenue): { price: number; reach: (v: PaperVenue) => Promise<boolean> } {
  const ask = venue.lastQuote("EURUSD")!.ask;
  const later = TICKS.find((t) => t.time > venue.now && t.ask >= ask + 0.00003);
  if (!later) throw new Error("the synthetic prices never rise far enough after this point");
  const price = Number((ask + 0.00002).toFixed(5));
  return { price, reach: (v) => v.runUntil(() => v.lastQuote("EURUSD")!.ask >= price) };
}

describe("pending orders and levels follow the master: placed, moved, modified, cancelled, triggered, SL/TP removed", () => {
  let db: Database;
  let broker: PaperBroker;
  let w: CopyWorker;
  let s: SeededCopyAccounts;
  let master: PaperVenue;
  let slave: PaperVenue;
  let n = 0;
  const link = () => ({ id: s.linkIds[0]!, masterAccountId: s.masterId, slaveAccountId: s.slaveIds[0]! });
  const settle = () => copiesSettled(w, [s.slaveIds[0]!]);
  const slaveOrder = (masterOrderId: string) => db.prisma.order.findFirst({ where: { accountId: s.slaveIds[0]!, clientOrderId: copyClientOrderId(link(), eventIds.order(masterOrderId), "OPEN") } });
  const place = async (type: "LIMIT" | "STOP", price: number) => {
    const r = await master.submitOrder({ clientOrderId: `MP-${++n}`, symbol: "EURUSD", side: "BUY", type, volume: dec("1.00"), price: dec(price.toFixed(5)) });
    if (r.status !== "placed") throw new Error(`master order ${r.status}`);
    await settle();
    return r.orderId!;
  };

  beforeAll(async () => {
    db = await freshDatabase("pglite");
    broker = new PaperBroker({ EURUSD: TICKS }, TEST_INSTRUMENTS.filter((x) => x.symbol === "EURUSD"), { from: FROM, to: FROM + 120 * 60_000 });
    s = await seedCopyAccounts(db, broker, { slaves: 1 });
    w = await copyWorker(db, broker);
    await w.copy.engine.start();
    await settle();
    master = broker.venues.get(s.masterId)!;
    slave = broker.venues.get(s.slaveIds[0]!)!;
    await broker.advanceAll(FROM + 60_000);
  });
  afterAll(async () => {
    await w?.close({ abrupt: true });
    await db?.close();
  });

  it("copies a placed limit order, its new stop loss, its new price, the stop loss's removal, and its cancellation", async () => {
    const ask = master.lastQuote("EURUSD")!.ask;
    const id = await place("LIMIT", ask - 0.01);
    const copy = await slaveOrder(id);
    expect(copy).toMatchObject({ type: "BUY_LIMIT", state: "PLACED" });
    expect(copy!.volume.toString()).toBe("0.1");
    expect(copy!.openPrice.toFixed(5)).toBe((ask - 0.01).toFixed(5));

    expect((await master.modifyOrder(id, { stopLoss: dec((ask - 0.02).toFixed(5)) })).status).toBe("done");
    await settle();
    expect((await slaveOrder(id))!.stopLoss!.toFixed(5)).toBe((ask - 0.02).toFixed(5));

    expect((await master.modifyOrder(id, { price: dec((ask - 0.012).toFixed(5)) })).status).toBe("done");
    await settle();
    expect((await slaveOrder(id))!.openPrice.toFixed(5)).toBe((ask - 0.012).toFixed(5));
    expect((await slave.fetchOrders())[0]!.price!.toFixed(5)).toBe((ask - 0.012).toFixed(5));

    expect((await master.modifyOrder(id, { stopLoss: null })).status).toBe("done");
    await settle();
    expect((await slaveOrder(id))!.stopLoss).toBeNull();
    expect((await slave.fetchOrders())[0]!.stopLoss).toBeUndefined();

    expect((await master.cancelOrder(id)).status).toBe("done");
    await settle();
    expect((await slaveOrder(id))!.state).toBe("CANCELLED");
    expect(await slave.fetchOrders()).toHaveLength(0);
  });

  it("links the slave's own fill when its copy triggered first", async () => {
    const stop = stopAhead(master);
    const id = await place("STOP", stop.price);
    expect(await stop.reach(slave)).toBe(true);
    await settle();
    expect((await slaveOrder(id))!.state).toBe("FILLED");
    expect(await stop.reach(master)).toBe(true);
    const [p] = await master.fetchPositions();
    expect(p?.id).toBe(id);
    await settle();
    const ev = await db.prisma.copyEvent.findFirstOrThrow({ where: { linkId: link().id, masterDealId: eventIds.open(p!.id) } });
    expect(ev).toMatchObject({ status: "COPIED", reasons: [{ code: "COPY_PENDING_FILLED_AT_SLAVE" }] });
    const copies = await slave.fetchPositions();
    expect(copies).toHaveLength(1);
    expect(await db.prisma.position.findFirst({ where: { accountId: s.slaveIds[0]!, brokerPositionId: copies[0]!.id } })).toMatchObject({ masterPositionId: p!.id, copyLinkId: link().id });
    await master.closePosition(p!.id, undefined, `MC-${++n}`);
    await settle();
    expect(await slave.fetchPositions()).toHaveLength(0);
  });

  it("cancels the slave's still-working copy and copies at market when the master's order triggers first", async () => {
    await broker.advanceAll(Math.max(master.now, slave.now));
    const stop = stopAhead(master);
    const id = await place("STOP", stop.price);
    expect(await stop.reach(master)).toBe(true);
    const [p] = await master.fetchPositions();
    expect(p?.id).toBe(id);
    await settle();
    expect((await slaveOrder(id))!.state).toBe("CANCELLED");
    const copies = await slave.fetchPositions();
    expect(copies).toHaveLength(1);
    expect(copies[0]!.clientOrderId).toBe(copyClientOrderId(link(), eventIds.open(p!.id), "OPEN"));
    expect((await db.prisma.copyEvent.findFirstOrThrow({ where: { linkId: link().id, masterDealId: eventIds.open(p!.id) } })).status).toBe("COPIED");
  });

  it("removes the slave's stop loss when the master removes its own, keeping the take profit", async () => {
    const bid = master.lastQuote("EURUSD")!.bid;
    const r = await master.submitOrder({ clientOrderId: `MO-${++n}`, symbol: "EURUSD", side: "BUY", type: "MARKET", volume: dec("1.00"), stopLoss: dec((bid - 0.01).toFixed(5)), takeProfit: dec((bid + 0.01).toFixed(5)) });
    expect(r.status).toBe("filled");
    await settle();
    const masterPosition = (await master.fetchPositions()).find((p) => p.clientOrderId === `MO-${n}`)!;
    const copy = () => db.prisma.position.findFirstOrThrow({ where: { accountId: s.slaveIds[0]!, masterPositionId: masterPosition.id } });
    expect((await copy()).stopLoss).not.toBeNull();

    expect((await master.modifyPosition(masterPosition.id, { stopLoss: null })).status).toBe("done");
    await settle();
    const after = await copy();
    expect(after.stopLoss).toBeNull();
    expect(after.takeProfit!.toFixed(5)).toBe((bid + 0.01).toFixed(5));
    const atBroker = (await slave.fetchPositions()).find((p) => p.id === after.brokerPositionId)!;
    expect([atBroker.stopLoss, atBroker.takeProfit?.toFixed(5)]).toEqual([undefined, (bid + 0.01).toFixed(5)]);
    const ev = await db.prisma.copyEvent.findFirstOrThrow({ where: { linkId: link().id, masterDealId: { startsWith: `modify.${masterPosition.id}.` } }, orderBy: { createdAt: "desc" } });
    expect(ev.status).toBe("COPIED");
  });
});
