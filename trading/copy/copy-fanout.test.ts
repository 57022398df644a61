import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dec } from "../../core/index.ts";
import type { Database } from "../../prisma/index.ts";
import { freshDatabase } from "../../test/kit/db.ts";
import { eventually } from "../../test/kit/eventually.ts";
import { REDIS_URL, serviceAvailable } from "../../test/kit/services.ts";
import { TEST_INSTRUMENTS } from "../paper/testing/paper-instruments.ts";
import { eventIds } from "./master-signal.ts";
import { copyClientOrderId } from "./replication/slave-targets.ts";
import { copyWorker, type CopyWorker } from "../../test/kit/copy-worker.ts";
import { PaperBroker, seedCopyAccounts, syntheticTicks } from "./testing/paper-broker.ts";

const FROM = Date.UTC(2024, 0, 2, 10, 0, 0);
const SLAVES = 200;
const KILL_AFTER = 70;
const redisUp = await serviceAvailable("redis");

/** Waits until the worker's copy lanes are empty (every queued copy ran). */
async function drained(w: CopyWorker, timeoutMs = 60_000): Promise<void> {
  await eventually(async () => {
    const c = (await w.runtime.status("copy-fanout")).counts;
    expect(c.waiting + c.active + c.delayed).toBe(0);
  }, timeoutMs, 25);
}

for (const mode of ["in-process", "bullmq"] as const) {
  describe.skipIf(mode === "bullmq" && !redisUp)(`copy fan-out to ${SLAVES} slaves, worker killed mid-run [${mode}]`, () => {
    let db: Database;
    const broker = new PaperBroker({ EURUSD: syntheticTicks(FROM, 30) }, TEST_INSTRUMENTS.filter((s) => s.symbol === "EURUSD"), { from: FROM, to: FROM + 30 * 60_000 });
    const redis = mode === "bullmq" ? { url: REDIS_URL, prefix: `copytest-${randomBytes(4).toString("hex")}` } : undefined;
    const workers: CopyWorker[] = [];

    beforeAll(async () => {
      db = await freshDatabase("pglite");
    });
    afterAll(async () => {
      for (const w of workers) await w.close({ abrupt: true }).catch(() => undefined);
      if (redis) {
        const { BullmqRuntime } = await import("../../jobs/index.ts");
        const { createLogger } = await import("../../core/index.ts");
        await new BullmqRuntime(redis.url, { logger: createLogger({ level: "silent" }), concurrency: 1, prefix: redis.prefix, defaultAttempts: 1, closeGraceMs: 0 }).purge();
      }
      await db?.close();
    });

    it("leaves every slave with exactly one position for the master trade: no duplicate, no miss", { timeout: 180_000 }, async () => {
      const seeded = await seedCopyAccounts(db, broker, { slaves: SLAVES });
      // In-process the dying worker's orders hang for ever (left PENDING); on BullMQ, whose runtime waits up to 30 s
      // for handlers, they fail as transient when it dies (left REJECTED-retryable): both must be found, not resent.
      const w1 = await copyWorker(db, broker, { ...(redis ? { redis, releaseHungOnClose: true } : {}), closeGraceMs: 0 });
      workers.push(w1);
      await w1.copy.engine.start();
      await drained(w1);
      await broker.advanceAll(FROM + 60_000);

      // Worker 1 dies at its 70th slave order: that order and every later one it sends executes at the broker,
      // but the worker never hears back and writes nothing more (its lanes are aborted a moment later).
      let sent = 0;
      let dead = false;
      w1.onSubmit = (accountId) => {
        if (accountId === seeded.masterId) return "send";
        if (++sent === KILL_AFTER) {
          dead = true;
          setImmediate(() => void w1.close({ abrupt: true }));
        }
        return dead ? "send-then-hang" : "send";
      };
      const master = broker.venues.get(seeded.masterId)!;
      const placed = await master.submitOrder({ clientOrderId: "MASTER-1", symbol: "EURUSD", side: "BUY", type: "MARKET", volume: dec("1.00"), stopLoss: dec("1.09000"), takeProfit: dec("1.11000") });
      expect(placed.status).toBe("filled");
      const masterPositionId = (await master.fetchPositions())[0]!.id;
      await eventually(() => expect(dead).toBe(true), 30_000);
      const filledBeforeRestart = new Set([...broker.fills.keys()].filter((id) => id !== seeded.masterId));
      const loggedBeforeRestart = await db.prisma.copyEvent.count();
      expect(filledBeforeRestart.size).toBeGreaterThanOrEqual(KILL_AFTER);
      expect(loggedBeforeRestart).toBeLessThan(SLAVES);

      const w2 = await copyWorker(db, broker, redis ? { redis } : {});
      workers.push(w2);
      await w2.copy.engine.start();
      await eventually(async () => expect(await db.prisma.copyEvent.count({ where: { status: "COPIED" } })).toBe(SLAVES), 120_000, 50);
      await drained(w2);

      for (const [i, slave] of seeded.slaveIds.entries()) {
        const link = { id: seeded.linkIds[i]!, masterAccountId: seeded.masterId, slaveAccountId: slave };
        expect(broker.fills.get(slave), `orders executed for slave ${i}`).toBe(1);
        const atBroker = await broker.venues.get(slave)!.fetchPositions();
        expect(atBroker.map((p) => p.clientOrderId)).toEqual([copyClientOrderId(link, eventIds.open(masterPositionId), "OPEN")]);
        expect(atBroker[0]!.volume.toString()).toBe("0.1");
      }
      const rows = await db.prisma.position.groupBy({ by: ["accountId"], where: { accountId: { in: seeded.slaveIds }, status: "OPEN", masterPositionId, copyLinkId: { not: null } }, _count: true });
      expect(rows).toHaveLength(SLAVES);
      expect(rows.every((r) => r._count === 1)).toBe(true);
      expect(await db.prisma.executionLog.count({ where: { accountId: { in: seeded.slaveIds }, kind: "OPEN" } })).toBe(SLAVES);
      expect(await db.prisma.copyEvent.groupBy({ by: ["linkId"], _count: true })).toHaveLength(SLAVES);
      // The worker-1 orders it never heard back about were found at the broker by client order id, not sent again.
      const recovered = [...filledBeforeRestart].filter((id) => broker.fills.get(id) === 1);
      expect(recovered.length).toBe(filledBeforeRestart.size);

      // Nothing is missing any more, so the persisted signal is (or, on BullMQ, may already have been) marked done.
      expect((await w2.copy.engine.fanOut.resume(undefined, { olderThanMs: 0 })).requeued).toBe(0);
      expect((await db.prisma.tradeIntent.findFirstOrThrow({ where: { dedupKey: { startsWith: "copy-signal:" } } })).status).toBe("EXECUTED");
    });
  });
}
