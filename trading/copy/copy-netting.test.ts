import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dec } from "../../core/index.ts";
import type { Database } from "../../prisma/index.ts";
import { freshDatabase } from "../../test/kit/db.ts";
import type { BrokerPosition } from "../broker/index.ts";
import type { PaperVenue } from "../paper/index.ts";
import { TEST_INSTRUMENTS } from "../paper/testing/paper-instruments.ts";
import { copyDedupKey, eventIds } from "./master-signal.ts";
import { copiesSettled, copyWorker, type CopyWorker } from "../../test/kit/copy-worker.ts";
import { PaperBroker, seedCopyAccounts, syntheticTicks, type SeededCopyAccounts } from "./testing/paper-broker.ts";

const FROM = Date.UTC(2024, 0, 2, 10, 0, 0);
const TICKS = syntheticTicks(FROM, 120);

// The paper venue hedges; a netting master (MT5) reports an addition as its position growing, with the open
// price averaged. The master's venue emits exactly that event here, shaped as the broker port delivers it.
describe("a netting master adding to its position: the addition is copied, then closes and SL/TP changes reach every copy", () => {
  let db: Database;
  let broker: PaperBroker;
  let w: CopyWorker;
  let s: SeededCopyAccounts;
  let master: PaperVenue;
  const settle = () => copiesSettled(w, s.slaveIds);
  const copies = (slave: number, masterPositionId: string) =>
    db.prisma.position.findMany({ where: { accountId: s.slaveIds[slave]!, copyLinkId: s.linkIds[slave]!, masterPositionId }, orderBy: { openedAt: "asc" } });
  const logOf = (slave: number, eventId: string) => db.prisma.copyEvent.findFirstOrThrow({ where: { linkId: s.linkIds[slave]!, masterDealId: eventId } });
  /** Per-copy outcomes of the last copy of `kind` to slave 0, as the live feed shows them. */
  const feed: { kind: string; copies?: { status: string; slavePositionId: string | null }[] }[] = [];
  const fed = (kind: string) => feed.filter((e) => e.kind === kind).at(-1)?.copies;
  /** The master's position as a netting venue reports it after a change. */
  const grown = (p: BrokerPosition, change: Partial<BrokerPosition>): BrokerPosition => ({ ...p, ...change, updateTime: master.now });

  beforeAll(async () => {
    db = await freshDatabase("pglite");
    broker = new PaperBroker({ EURUSD: TICKS }, TEST_INSTRUMENTS.filter((x) => x.symbol === "EURUSD"), { from: FROM, to: FROM + 120 * 60_000 });
    s = await seedCopyAccounts(db, broker, { slaves: 2 });
    w = await copyWorker(db, broker);
    w.container.bus.subscribe((e) => {
      if (e.type.startsWith("copy.") && e.accountId === s.slaveIds[0]) feed.push(e.data as (typeof feed)[number]);
    });
    await w.copy.engine.start();
    await settle();
    master = broker.venues.get(s.masterId)!;
    await broker.advanceAll(FROM + 60_000);
  });
  afterAll(async () => {
    await w?.close({ abrupt: true });
    await db?.close();
  });

  it("copies the added lots as one more copy, skips a slave without a copy to add to, and follows the master position on every copy", async () => {
    const opened = await master.submitOrder({ clientOrderId: "NET-1", symbol: "EURUSD", side: "BUY", type: "MARKET", volume: dec("1.00") });
    expect(opened.status).toBe("filled");
    await settle();
    const [position] = await master.fetchPositions();
    const p = position!;
    expect((await copies(0, p.id)).map((c) => c.volume.toString())).toEqual(["0.1"]);

    // Slave 1 closes its copy itself: an addition must not reopen it.
    const own = (await copies(1, p.id))[0]!;
    const slave1 = broker.venues.get(s.slaveIds[1]!)!;
    expect((await slave1.closePosition(own.brokerPositionId, undefined, "OWN-CLOSE")).status).toBe("filled");
    await settle();

    // The master adds 0.5 lot at the current ask: 1.5 lots at the volume-weighted open price.
    const addPrice = dec(master.lastQuote("EURUSD")!.ask.toFixed(5));
    const average = p.openPrice.plus(addPrice.mul("0.5")).div("1.5");
    const added = grown(p, { volume: dec("1.50"), openPrice: average });
    master.events.emit("positionUpdated", { position: added, time: master.now, receivedAt: master.now });
    await settle();

    const increase = eventIds.increase(p.id, "1.5", added.updateTime);
    expect((await logOf(0, increase)).status).toBe("COPIED");
    const both = await copies(0, p.id);
    expect(both.map((c) => [c.volume.toString(), c.status])).toEqual([
      ["0.1", "OPEN"],
      ["0.05", "OPEN"],
    ]);
    expect(await logOf(1, increase)).toMatchObject({ status: "SKIPPED", reasons: [{ code: "COPY_NOTHING_TO_INCREASE" }] });
    expect(await copies(1, p.id)).toHaveLength(1);
    // The batch claimed both keys ahead of deciding; the copy that ended before deciding gave its claim back.
    const claimed = await db.prisma.intentClaim.findMany({ where: { dedupKey: { in: [0, 1].map((i) => copyDedupKey(s.masterId, increase, s.slaveIds[i]!)) } }, select: { dedupKey: true } });
    expect(claimed.map((c) => c.dedupKey)).toEqual([copyDedupKey(s.masterId, increase, s.slaveIds[0]!)]);

    // A new stop loss on the master position lands on both copies, each under its own key.
    const stopLoss = addPrice.minus("0.00500");
    master.events.emit("positionUpdated", { position: grown(added, { stopLoss }), time: master.now, receivedAt: master.now });
    await settle();
    const modify = await db.prisma.copyEvent.findFirstOrThrow({ where: { linkId: s.linkIds[0]!, masterDealId: { startsWith: `modify.${p.id}.` } } });
    expect(modify.status).toBe("COPIED");
    expect(fed("MODIFY")?.map((c) => c.status)).toEqual(["COPIED", "COPIED"]);
    expect((await copies(0, p.id)).map((c) => c.stopLoss?.toFixed(5))).toEqual([stopLoss.toFixed(5), stopLoss.toFixed(5)]);

    // The master closes: every copy closes, and nothing stays open at the slave's venue.
    expect((await master.closePosition(p.id, undefined, "NET-CLOSE")).status).toBe("filled");
    await settle();
    const close = await logOf(0, eventIds.close(p.id));
    expect(close.status).toBe("COPIED");
    expect(fed("CLOSE")?.map((c) => c.slavePositionId)).toEqual(both.map((c) => c.id));
    expect((await copies(0, p.id)).map((c) => c.status)).toEqual(["CLOSED", "CLOSED"]);
    expect(await broker.venues.get(s.slaveIds[0]!)!.fetchPositions()).toEqual([]);
    expect(broker.fills.get(s.slaveIds[0]!)).toBe(2);
  });
});
