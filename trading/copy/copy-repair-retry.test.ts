import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dec } from "../../core/index.ts";
import { copyScene, type CopyScene } from "../../test/kit/copy-worker.ts";
import { eventually } from "../../test/kit/eventually.ts";
import type { PaperVenue } from "../paper/index.ts";
import { eventIds } from "./master-signal.ts";
import { syntheticTicks } from "./testing/paper-broker.ts";

const FROM = Date.UTC(2024, 0, 2, 10, 0, 0);

// While a slave's broker is away, the exits and changes of master positions it holds copies of fail; when it is
// back, repair carries them out, so the slave does not stay at its old size (over-exposed) or on old levels.
describe("repair carries out what failed at an absent slave's broker on copies of master positions still open", () => {
  let scene: CopyScene;
  let master: PaperVenue;
  let slave: PaperVenue;
  const logOf = (eventId: string) => scene.db.prisma.copyEvent.findFirstOrThrow({ where: { linkId: scene.s.linkIds[0]!, masterDealId: eventId } });
  const copyOf = async (masterPositionId: string) => {
    const row = await scene.db.prisma.position.findFirstOrThrow({ where: { accountId: scene.s.slaveIds[0]!, masterPositionId, status: "OPEN" } });
    return (await slave.fetchPositions()).find((p) => p.id === row.brokerPositionId)!;
  };
  const open = async (id: string) => {
    const r = await master.submitOrder({ clientOrderId: id, symbol: "EURUSD", side: "BUY", type: "MARKET", volume: dec("1.00") });
    if (r.status !== "filled") throw new Error(`master order ${r.status}`);
    await scene.settle();
    return r.positionId!;
  };

  beforeAll(async () => {
    scene = await copyScene({ from: FROM, ticks: syntheticTicks(FROM, 120), slaves: 1 });
    ({ master } = scene);
    slave = scene.slaves[0]!;
  });
  afterAll(async () => {
    await scene?.close();
  });

  it("closes the missed share and sets the latest stop loss once the slave is back, and not again on the next repair", async () => {
    const a = await open("M-A");
    expect((await copyOf(a)).volume.toString()).toBe("0.1");
    const entry = (await master.fetchPositions()).find((p) => p.id === a)!.openPrice;

    slave.dropConnection();
    expect((await master.closePosition(a, dec("0.5"), "M-A-HALF")).status).toBe("filled");
    await scene.settle();
    for (const sl of ["0.0050", "0.0040"]) {
      expect((await master.modifyPosition(a, { stopLoss: entry.minus(sl) })).status).toBe("done");
      await scene.settle();
    }
    const half = eventIds.partial(a, "0.5");
    expect((await logOf(half)).status).toBe("FAILED");

    await slave.restoreConnection();
    await eventually(async () => expect((await logOf(half)).status).toBe("REPAIRED"), 30_000, 20);
    await scene.settle();
    const copy = await copyOf(a);
    expect(copy.volume.toString()).toBe("0.05");
    expect(copy.stopLoss?.toString()).toBe(entry.minus("0.0040").toString());
    // Only the latest stop-loss change was redone; the older one stays as it failed.
    const changes = await scene.db.prisma.copyEvent.findMany({ where: { linkId: scene.s.linkIds[0]!, masterDealId: { startsWith: `modify.${a}.` } }, orderBy: { createdAt: "asc" }, select: { status: true } });
    expect(changes.map((e) => e.status)).toEqual(["FAILED", "REPAIRED"]);

    // Nothing is left to redo: a second repair leaves the copy as it is.
    await scene.w.copy.engine.repair("request");
    await scene.settle();
    expect((await copyOf(a)).volume.toString()).toBe("0.05");
  });

  it("cancels the copy of a master order cancelled while the slave was away", async () => {
    const ask = master.lastQuote("EURUSD")!.ask;
    const placed = await master.submitOrder({ clientOrderId: "M-P", symbol: "EURUSD", side: "BUY", type: "LIMIT", volume: dec("1.00"), price: dec((ask - 0.01).toFixed(5)) });
    if (placed.status !== "placed") throw new Error(`master order ${placed.status}`);
    await scene.settle();
    expect(await slave.fetchOrders()).toHaveLength(1);

    slave.dropConnection();
    expect((await master.cancelOrder(placed.orderId!)).status).toBe("done");
    await scene.settle();
    const cancel = eventIds.orderCancel(placed.orderId!);
    expect((await logOf(cancel)).status).toBe("FAILED");

    await slave.restoreConnection();
    await eventually(async () => expect((await logOf(cancel)).status).toBe("REPAIRED"), 30_000, 20);
    await scene.settle();
    expect(await slave.fetchOrders()).toEqual([]);
  });

  it("moves the copy of a working master order to its latest price, changed twice while the slave was away", async () => {
    const ask = master.lastQuote("EURUSD")!.ask;
    const placed = await master.submitOrder({ clientOrderId: "M-Q", symbol: "EURUSD", side: "BUY", type: "LIMIT", volume: dec("1.00"), price: dec((ask - 0.01).toFixed(5)) });
    if (placed.status !== "placed") throw new Error(`master order ${placed.status}`);
    await scene.settle();

    slave.dropConnection();
    for (const below of [0.012, 0.011]) {
      expect((await master.modifyOrder(placed.orderId!, { price: dec((ask - below).toFixed(5)) })).status).toBe("done");
      await scene.settle();
    }
    const failed = await scene.db.prisma.copyEvent.count({ where: { linkId: scene.s.linkIds[0]!, masterDealId: { startsWith: `ordermod.${placed.orderId}.` }, status: "FAILED" } });
    expect(failed).toBe(2);

    await slave.restoreConnection();
    await eventually(async () => expect((await slave.fetchOrders())[0]?.price?.toFixed(5)).toBe((ask - 0.011).toFixed(5)), 30_000, 20);
    await scene.settle();
    // Only the latest change was redone; the older one stays as it failed.
    const statuses = await scene.db.prisma.copyEvent.findMany({ where: { linkId: scene.s.linkIds[0]!, masterDealId: { startsWith: `ordermod.${placed.orderId}.` } }, orderBy: { createdAt: "asc" }, select: { status: true } });
    expect(statuses.map((e) => e.status)).toEqual(["FAILED", "REPAIRED"]);
    expect((await master.cancelOrder(placed.orderId!)).status).toBe("done");
    await scene.settle();
    expect(await slave.fetchOrders()).toEqual([]);
  });

  it("does not reduce a copy that repair opened on the master's reduced volume", async () => {
    slave.dropConnection();
    const b = await open("M-B");
    expect((await master.closePosition(b, dec("0.5"), "M-B-HALF")).status).toBe("filled");
    await scene.settle();
    // The slave had no copy to close: the partial close was skipped there, not failed.
    expect((await logOf(eventIds.partial(b, "0.5"))).status).toBe("SKIPPED");

    await slave.restoreConnection();
    await eventually(async () => expect((await logOf(eventIds.open(b))).status).toBe("REPAIRED"), 30_000, 20);
    await scene.settle();
    expect((await copyOf(b)).volume.toString()).toBe("0.05");
    await scene.w.copy.engine.repair("request");
    await scene.settle();
    expect((await copyOf(b)).volume.toString()).toBe("0.05");
  });
});
