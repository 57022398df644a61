import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createLogger } from "../../core/index.ts";
import type { Database } from "../../prisma/index.ts";
import { copyWorker, type CopyWorker } from "../../test/kit/copy-worker.ts";
import { freshDatabase } from "../../test/kit/db.ts";
import { eventually } from "../../test/kit/eventually.ts";
import { REDIS_URL, serviceAvailable } from "../../test/kit/services.ts";
import { TEST_INSTRUMENTS } from "../paper/testing/paper-instruments.ts";
import { PaperBroker, seedCopyAccounts, syntheticTicks } from "./testing/paper-broker.ts";

const FROM = Date.UTC(2024, 0, 2, 10, 0, 0);
// jobs/runtime/job-runtime.test.ts reports (or, under RISKLOOP_REQUIRE_SERVICES, fails on) a missing Redis.
const redisUp = await serviceAvailable("redis");

describe.skipIf(!redisUp)("copy lanes shared by BullMQ workers", () => {
  let db: Database | undefined;
  const workers: CopyWorker[] = [];
  const redis = { url: REDIS_URL, prefix: `copylanes-${randomBytes(4).toString("hex")}` };

  afterAll(async () => {
    for (const w of workers) await w.close({ abrupt: true }).catch(() => undefined);
    const { BullmqRuntime } = await import("../../jobs/index.ts");
    await new BullmqRuntime(redis.url, { logger: createLogger({ level: "silent" }), concurrency: 1, prefix: redis.prefix, defaultAttempts: 1, closeGraceMs: 0 }).purge();
    await db?.close();
  });

  it("keeps each slave's broker session in the one worker holding its lane, and moves it when that worker leaves", { timeout: 60_000 }, async () => {
    db = await freshDatabase("pglite");
    const broker = new PaperBroker({ EURUSD: syntheticTicks(FROM, 30) }, TEST_INSTRUMENTS.filter((s) => s.symbol === "EURUSD"), { from: FROM, to: FROM + 30 * 60_000 });
    const { slaveIds } = await seedCopyAccounts(db, broker, { slaves: 16 });
    const w1 = await copyWorker(db, broker, { redis });
    workers.push(w1);
    const w2 = await copyWorker(db, broker, { redis });
    workers.push(w2);
    const openIn = (w: CopyWorker) => slaveIds.filter((id) => w.container.trading.sessions.peek(id));

    // The first worker took every lane and opened every slave; the second took half and the first handed them over.
    await eventually(() => {
      const [a, b] = [openIn(w1), openIn(w2)];
      expect([...a, ...b].sort()).toEqual([...slaveIds].sort());
      expect(a.length).toBeGreaterThan(0);
      expect(b.length).toBeGreaterThan(0);
    }, 20_000);

    await w1.close();
    await eventually(() => expect(openIn(w2).sort()).toEqual([...slaveIds].sort()), 20_000);
  });
});
