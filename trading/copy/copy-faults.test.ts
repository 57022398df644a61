import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dec } from "../../core/index.ts";
import type { Database } from "../../prisma/index.ts";
import { freshDatabase } from "../../test/kit/db.ts";
import { eventually } from "../../test/kit/eventually.ts";
import { TEST_INSTRUMENTS } from "../paper/testing/paper-instruments.ts";
import { eventIds } from "./master-signal.ts";
import { copiesSettled, copyWorker, type CopyWorker } from "../../test/kit/copy-worker.ts";
import { PaperBroker, seedCopyAccounts, syntheticTicks, type SeededCopyAccounts } from "./testing/paper-broker.ts";

const FROM = Date.UTC(2024, 0, 2, 10, 0, 0);

describe("copy faults: broker refusals, repair after a slave reconnects, resume after the queue comes back", () => {
  let db: Database;
  let broker: PaperBroker;
  let w: CopyWorker;
  let s: SeededCopyAccounts;
  let t = FROM + 60_000;
  const eventsOf = (eventId: string) => db.prisma.copyEvent.findMany({ where: { masterDealId: eventId }, orderBy: { createdAt: "asc" } });
  const openCopies = (slave: string) => db.prisma.position.findMany({ where: { accountId: slave, status: "OPEN" } });
  const settle = () => copiesSettled(w);
  const masterTrade = async (volume = "1.00") => {
    t += 60_000;
    await broker.advanceAll(t);
    const master = broker.venues.get(s.masterId)!;
    const r = await master.submitOrder({ clientOrderId: `M-${t}`, symbol: "EURUSD", side: "BUY", type: "MARKET", volume: dec(volume) });
    if (r.status !== "filled") throw new Error(`master order ${r.status}`);
    return r.positionId!;
  };

  beforeAll(async () => {
    db = await freshDatabase("pglite");
    broker = new PaperBroker({ EURUSD: syntheticTicks(FROM, 120) }, TEST_INSTRUMENTS.filter((x) => x.symbol === "EURUSD"), { from: FROM, to: FROM + 120 * 60_000 });
    s = await seedCopyAccounts(db, broker, { slaves: 3 });
    w = await copyWorker(db, broker, { config: { attempts: 2 } });
    await w.copy.engine.start();
    await settle();
  });
  afterAll(async () => {
    await w?.close({ abrupt: true });
    await db?.close();
  });

  it("copies a master open that failed while the slave was disconnected once it reconnects, logged REPAIRED", async () => {
    const [a, b, c] = s.slaveIds as [string, string, string];
    broker.venues.get(a)!.dropConnection();
    const p = await masterTrade();
    await settle();
    const [failed] = (await eventsOf(eventIds.open(p))).filter((e) => e.slaveAccountId === a);
    expect(failed?.status).toBe("FAILED");
    expect((failed?.reasons as Array<{ code: string }>).map((r) => r.code)).toContain("TRD_ERR_NOT_CONNECTED");
    expect(await openCopies(a)).toHaveLength(0);
    expect(await openCopies(b)).toHaveLength(1);
    expect(await openCopies(c)).toHaveLength(1);

    // The reconnect reconciles the slave (account.synced RECONNECT), which queues a repair of its links.
    await broker.venues.get(a)!.restoreConnection();
    await eventually(async () => expect((await eventsOf(eventIds.open(p))).find((e) => e.slaveAccountId === a)?.status).toBe("REPAIRED"), 30_000, 20);
    await settle();
    const copies = await openCopies(a);
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatchObject({ masterPositionId: p, copyLinkId: s.linkIds[0] });
    expect(broker.fills.get(a)).toBe(1);
    expect(await db.prisma.copyEvent.count({ where: { masterDealId: eventIds.open(p), slaveAccountId: a } })).toBe(1);
  });

  it("closes a copy whose master position closed while the slave was away, and never reopens a copy the slave closed itself", async () => {
    const [a, b, c] = s.slaveIds as [string, string, string];
    const p = (await broker.venues.get(s.masterId)!.fetchPositions())[0]!.id;
    // Slave C's own emergency stop closes its copy; repair must leave that decision alone.
    await w.container.trading.closeAllPositions(c, "EMERGENCY");
    expect(await openCopies(c)).toHaveLength(0);

    broker.venues.get(b)!.dropConnection();
    t += 60_000;
    await broker.advanceAll(t);
    await broker.venues.get(s.masterId)!.closePosition(p, undefined, `MC-${t}`);
    await settle();
    expect(await openCopies(a)).toHaveLength(0);
    expect(await openCopies(b)).toHaveLength(1);
    expect((await eventsOf(eventIds.close(p))).find((e) => e.slaveAccountId === b)?.status).toBe("FAILED");

    await broker.venues.get(b)!.restoreConnection();
    await eventually(async () => expect((await eventsOf(eventIds.close(p))).find((e) => e.slaveAccountId === b)?.status).toBe("REPAIRED"), 30_000, 20);
    await settle();
    expect(await openCopies(b)).toHaveLength(0);
    const trade = await db.prisma.closedTrade.findFirstOrThrow({ where: { accountId: b } });
    expect(trade.closeReason).toBe("COPY");

    await w.copy.engine.repair("request");
    await settle();
    expect(await db.prisma.position.count({ where: { accountId: c } })).toBe(1);
    expect(await openCopies(c)).toHaveLength(0);
  });

  it("keeps a signal whose copies could not be queued (queue unreachable) and copies it once the queue is back", async () => {
    w.queueDown = true;
    const p = await masterTrade("0.50");
    await w.copy.engine.idle();
    const signal = await db.prisma.tradeIntent.findFirstOrThrow({ where: { dedupKey: { endsWith: `:${eventIds.open(p)}` }, source: "COPY", accountId: s.masterId } });
    expect(signal.status).toBe("RECEIVED");
    expect(await db.prisma.copyEvent.count({ where: { masterDealId: eventIds.open(p) } })).toBe(0);

    w.queueDown = false;
    const report = await w.copy.engine.supervise();
    expect(report).toMatchObject({ resumed: 1, requeued: 3 });
    await settle();
    const copied = await eventsOf(eventIds.open(p));
    expect(copied.map((e) => e.status)).toEqual(["COPIED", "COPIED", "COPIED"]);
    for (const slave of s.slaveIds) expect((await openCopies(slave)).filter((x) => x.masterPositionId === p)).toHaveLength(1);
    expect(await w.copy.engine.fanOut.resume(undefined, { olderThanMs: 0 })).toMatchObject({ completed: 1, requeued: 0 });
    expect((await db.prisma.tradeIntent.findUniqueOrThrow({ where: { id: signal.id } })).status).toBe("EXECUTED");
  });

  it("logs a broker's refusal as FAILED with the broker's reason and sends it once; retries a transient refusal", async () => {
    const [a, b, c] = s.slaveIds as [string, string, string];
    const calls = new Map<string, number>();
    w.onSubmit = (id) => {
      const n = (calls.get(id) ?? 0) + 1;
      calls.set(id, n);
      if (id === a) return "reject";
      if (id === b && n === 1) return "busy";
      return "send";
    };
    const before = broker.fills.get(b) ?? 0;
    const p = await masterTrade("0.20");
    await settle();
    w.onSubmit = () => "send";
    const [ea, eb, ec] = await Promise.all([a, b, c].map(async (slave) => (await eventsOf(eventIds.open(p))).find((e) => e.slaveAccountId === slave)));
    expect(ea?.status).toBe("FAILED");
    expect(ea?.reasons).toContainEqual({ code: "TRD_ERR_NO_MONEY", text: "the slave's broker refused: not enough money" });
    expect(calls.get(a)).toBe(1);
    expect(eb?.status).toBe("COPIED");
    expect(calls.get(b)).toBe(2);
    expect(broker.fills.get(b)).toBe(before + 1);
    expect(ec?.status).toBe("COPIED");
    const stats = await w.copy.stats.of(s.linkIds);
    expect(stats.failedByReason.TRD_ERR_NO_MONEY).toBe(1);
  });

  it("turns a halted slave's active links STOPPED_BY_RISK (exits only) and back to ACTIVE on its reset", async () => {
    const c = s.slaveIds[2]!;
    const publish = (to: string) => w.container.bus.publish({ type: "risk.state_changed", userId: s.userId, accountId: c, at: 0, data: { to, text: "day-balance-minus-equity: loss 5.2% ≥ 5%" } });
    publish("HALTED");
    await eventually(async () => expect(await db.prisma.copyLink.findUniqueOrThrow({ where: { id: s.linkIds[2]! } })).toMatchObject({ status: "STOPPED_BY_RISK", statusReason: "day-balance-minus-equity: loss 5.2% ≥ 5%" }));
    const p = await masterTrade("0.10");
    await settle();
    expect((await eventsOf(eventIds.open(p))).find((e) => e.slaveAccountId === c)).toMatchObject({ status: "SKIPPED", reasons: [{ code: "COPY_LINK_STOPPED_BY_RISK" }] });
    publish("ACTIVE");
    await eventually(async () => expect((await db.prisma.copyLink.findUniqueOrThrow({ where: { id: s.linkIds[2]! } })).status).toBe("ACTIVE"));
  });
});
