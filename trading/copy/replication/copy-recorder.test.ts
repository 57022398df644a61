import { expect, it } from "vitest";
import { LocalEventBus, newTimeOrderedId, type ServiceEvent } from "../../../core/index.ts";
import { describeEachDatabase } from "../../../test/kit/db.ts";
import { CopyRecorder, NO_TIMING, type CopyOutcome } from "./copy-recorder.ts";

describeEachDatabase("CopyRecorder", (getDb) => {
  async function link(): Promise<{ linkId: string; slaveAccountId: string; userId: string }> {
    const { prisma } = getDb();
    const user = await prisma.user.create({ data: { email: `recorder-${newTimeOrderedId()}@example.com`, passwordHash: "x" } });
    const account = (name: string) => prisma.brokerAccount.create({ data: { userId: user.id, name, platform: "PAPER", currency: "USD" } });
    const [master, slave] = [await account("master"), await account("slave")];
    const l = await prisma.copyLink.create({ data: { masterAccountId: master.id, slaveAccountId: slave.id } });
    return { linkId: l.id, slaveAccountId: slave.id, userId: user.id };
  }

  const outcome = (l: Awaited<ReturnType<typeof link>>, eventId: string, status: CopyOutcome["status"], queueMs: number): CopyOutcome => ({
    ...l,
    eventId,
    intentId: null,
    status,
    reasons: status === "FAILED" ? [{ code: "COPY_BROKER_FAILED", text: "the slave's broker timed out" }] : [],
    timing: { ...NO_TIMING, queueMs },
    slippagePips: status === "FAILED" ? null : 0.4,
    detail: { symbol: "EURUSD" },
  });

  function recorder(): { recorder: CopyRecorder; events: ServiceEvent[] } {
    const bus = new LocalEventBus();
    const events: ServiceEvent[] = [];
    bus.subscribe((e) => events.push(e));
    return { recorder: new CopyRecorder(getDb().prisma, bus, () => 1), events };
  }

  it("logs one row per link and event: a failure is overwritten by a later attempt, a final outcome never", async () => {
    const l = await link();
    const { recorder: r, events } = recorder();
    const failed = await r.record(outcome(l, "evt-1", "FAILED", 3));
    expect(failed).toMatchObject({ linkId: l.linkId, masterDealId: "evt-1", status: "FAILED", queueMs: 3, slippagePips: null });
    expect(failed.createdAt).toBeInstanceOf(Date);
    const copied = await r.record(outcome(l, "evt-1", "COPIED", 5));
    expect(copied).toMatchObject({ id: failed.id, status: "COPIED", queueMs: 5, slippagePips: 0.4, reasons: [] });
    const again = await r.record(outcome(l, "evt-1", "SKIPPED", 9));
    expect(again).toMatchObject({ id: failed.id, status: "COPIED", queueMs: 5 });
    expect(await getDb().prisma.copyEvent.count({ where: { linkId: l.linkId } })).toBe(1);
    // Published when written, with the feed's detail; not when left alone.
    expect(events.map((e) => e.type)).toEqual(["copy.failed", "copy.copied"]);
    expect(events[1]).toMatchObject({ userId: l.userId, accountId: l.slaveAccountId, data: { id: failed.id, status: "COPIED", symbol: "EURUSD" } });
  });

  it("writes a fan-out's copies in one statement, and the same link and event twice in order", async () => {
    const [a, b] = [await link(), await link()];
    const { recorder: r } = recorder();
    const rows = await Promise.all([r.record(outcome(a, "evt-2", "FAILED", 1)), r.record(outcome(b, "evt-2", "ADJUSTED", 2)), r.record(outcome(a, "evt-2", "COPIED", 4))]);
    expect(rows.map((x) => x.status)).toEqual(["FAILED", "ADJUSTED", "COPIED"]);
    expect(rows[2]!.id).toBe(rows[0]!.id);
    const stored = await getDb().prisma.copyEvent.findMany({ where: { masterDealId: "evt-2", linkId: { in: [a.linkId, b.linkId] } }, orderBy: { status: "asc" } });
    expect(stored.map((e) => [e.linkId, e.status, e.queueMs])).toEqual([
      [a.linkId, "COPIED", 4],
      [b.linkId, "ADJUSTED", 2],
    ]);
  });
});
