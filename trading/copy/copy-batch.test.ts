import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyScene, type CopyScene } from "../../test/kit/copy-worker.ts";
import { recordRawQueries } from "../../test/kit/raw-queries.ts";
import type { MasterSignal } from "./master-signal.ts";
import type { CopyBatchTask } from "./replication/copy-job.ts";
import { SNAPSHOT_MAX_AGE_MS } from "./replication/link-snapshot.ts";
import { syntheticTicks } from "./testing/paper-broker.ts";

const FROM = Date.UTC(2024, 0, 2, 10, 0, 0);

// Copy jobs carry link ids and the version of the links their fan-out read; the batch takes the links from its
// own process' book at that version, and a late batch reads them as they are now.
describe("a copy batch decides on the links at its fan-out's version while fresh, and on the links as they are now when late", () => {
  let scene: CopyScene;

  beforeAll(async () => {
    scene = await copyScene({ from: FROM, ticks: syntheticTicks(FROM, 120), slaves: 2 });
  });
  afterAll(async () => {
    await scene?.close();
  });

  it("reads the links once for the first batch, not for the next at the same version, and again for a late one", async () => {
    const { db, s, w, master } = scene;
    const version = async () => (await db.prisma.copyLinkVersion.findUniqueOrThrow({ where: { masterAccountId: s.masterId } })).version.toString();
    const batch = (eventId: string, linksVersion: string, detectedAt = Date.now()): CopyBatchTask => {
      const signal: MasterSignal = { masterAccountId: s.masterId, eventId, kind: "OPEN", symbol: "EURUSD", side: "BUY", volume: "1", time: master.now, receivedAt: master.now, master: { balance: "100000", equity: "100000" } };
      return { type: "copies", signal, targets: s.linkIds.map((linkId, i) => ({ linkId, slaveAccountId: s.slaveIds[i]! })), linksVersion, detectedAt };
    };
    const queries = recordRawQueries(db.prisma);
    const reads = () => queries.count("string_agg");
    const logged = async (eventId: string) =>
      (await db.prisma.copyEvent.findMany({ where: { masterDealId: eventId }, orderBy: { linkId: "asc" } })).map((e) => [e.linkId, e.status, e.reasons]);
    try {
      const v = await version();
      await w.copy.engine.handle(batch("batch.1", v), { number: 1, last: false });
      expect(reads()).toBe(1);
      await w.copy.engine.handle(batch("batch.2", v), { number: 1, last: false });
      expect(reads()).toBe(1);
      for (const id of ["batch.1", "batch.2"]) expect((await logged(id)).map(([, status]) => status)).toEqual(["COPIED", "COPIED"]);

      // The first link is paused after a fan-out that read the links at v, and its batch runs late.
      await db.prisma.copyLink.update({ where: { id: s.linkIds[0]! }, data: { status: "PAUSED" } });
      await w.copy.engine.handle(batch("batch.3", v, Date.now() - SNAPSHOT_MAX_AGE_MS - 1), { number: 1, last: false });
      expect(reads()).toBe(2);
      const late = await logged("batch.3");
      expect(late.find(([id]) => id === s.linkIds[0])).toEqual([s.linkIds[0], "SKIPPED", [expect.objectContaining({ code: "COPY_LINK_PAUSED" })]]);
      expect(late.find(([id]) => id === s.linkIds[1])?.[1]).toBe("COPIED");
    } finally {
      queries.restore();
    }
  });
});
