import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { dec } from "../../core/index.ts";
import { copyScene, type CopyScene } from "../../test/kit/copy-worker.ts";
import { eventually } from "../../test/kit/eventually.ts";
import type { PaperVenue } from "../paper/index.ts";
import { eventIds } from "./master-signal.ts";
import { SlaveTargets } from "./replication/slave-targets.ts";
import { syntheticTicks } from "./testing/paper-broker.ts";

const FROM = Date.UTC(2024, 0, 2, 10, 0, 0);

// A hedging master holds two EURUSD positions; the netting slave's broker nets both copies into one position.
// Each master position's close must close only its own share of it.
describe("a netting slave following a hedging master: each master position's close takes only its share of the netted position", () => {
  let scene: CopyScene;
  let master: PaperVenue;
  let slave: PaperVenue;
  const settle = () => scene.settle();
  const held = async () => (await slave.fetchPositions()).map((p) => [p.side, p.volume.toString()]);
  const logOf = (eventId: string) => scene.db.prisma.copyEvent.findFirstOrThrow({ where: { linkId: scene.s.linkIds[0]!, masterDealId: eventId } });
  /** A master market order, once its copies settled; its master position. */
  const open = async (id: string, volume: string, side: "BUY" | "SELL" = "BUY") => {
    const r = await master.submitOrder({ clientOrderId: id, symbol: "EURUSD", side, type: "MARKET", volume: dec(volume) });
    if (r.status === "rejected") throw new Error(r.message);
    await settle();
    return r.positionId!;
  };

  beforeAll(async () => {
    scene = await copyScene({ from: FROM, ticks: syntheticTicks(FROM, 120), slaves: 1, netting: [0] });
    ({ master } = scene);
    slave = scene.slaves[0]!;
  });
  afterAll(async () => {
    await scene?.close();
  });

  it("nets two copies into one position, then closes half of one share, that share, and the other", async () => {
    expect(slave.capabilities.hedging).toBe(false);
    // Balance ratio 10 000 / 100 000: 1 lot is copied as 0.1, 0.6 lot as 0.06.
    const a = await open("M-A", "1.00");
    const b = await open("M-B", "0.60");
    expect(await held()).toEqual([["BUY", "0.16"]]);

    // Half of A: half of A's 0.1 (not half of the netted 0.16).
    expect((await master.closePosition(a, dec("0.5"), "M-A-HALF")).status).toBe("filled");
    await settle();
    expect((await logOf(eventIds.partial(a, "0.5"))).status).toBe("COPIED");
    expect(await held()).toEqual([["BUY", "0.11"]]);

    // The rest of A: A's remaining 0.05; B's 0.06 stays open.
    expect((await master.closePosition(a, undefined, "M-A-REST")).status).toBe("filled");
    await settle();
    expect((await logOf(eventIds.close(a))).status).toBe("COPIED");
    expect(await held()).toEqual([["BUY", "0.06"]]);

    // B closes: nothing is left at the slave.
    expect((await master.closePosition(b, undefined, "M-B-CLOSE")).status).toBe("filled");
    await settle();
    expect((await logOf(eventIds.close(b))).status).toBe("COPIED");
    expect(await held()).toEqual([]);
    expect(await scene.db.prisma.position.count({ where: { accountId: scene.s.slaveIds[0]!, status: "OPEN" } })).toBe(0);
  });

  it("repairs a close missed while the slave was away: only that master position's share goes, logged REPAIRED", async () => {
    const a = await open("M-C", "1.00");
    const b = await open("M-D", "0.60");
    expect(await held()).toEqual([["BUY", "0.16"]]);

    slave.dropConnection();
    expect((await master.closePosition(a, undefined, "M-C-CLOSE")).status).toBe("filled");
    await settle();
    expect((await logOf(eventIds.close(a))).status).toBe("FAILED");
    await slave.restoreConnection();
    await eventually(async () => expect((await logOf(eventIds.close(a))).status).toBe("REPAIRED"), 30_000, 20);
    await settle();
    expect(await held()).toEqual([["BUY", "0.06"]]);

    // A repair now finds nothing to do: B is live, and A's share is gone.
    await scene.w.copy.engine.repair("request");
    await settle();
    expect(await held()).toEqual([["BUY", "0.06"]]);
    expect((await master.closePosition(b, undefined, "M-D-CLOSE")).status).toBe("filled");
    await settle();
    expect(await held()).toEqual([]);
  });

  it("offsets an opposite master position, and never ends up holding more than the master's net exposure (a known limit)", async () => {
    const a = await open("M-E", "1.00");
    const b = await open("M-F", "0.50", "SELL");
    // The master holds 1 long and 0.5 short; the slave nets 0.1 long and 0.05 short.
    expect(await held()).toEqual([["BUY", "0.05"]]);
    // A closes: the master is 0.5 short; the slave closes its position rather than sell past it, holding nothing.
    expect((await master.closePosition(a, undefined, "M-E-CLOSE")).status).toBe("filled");
    await settle();
    expect(await held()).toEqual([]);
    expect((await master.closePosition(b, undefined, "M-F-CLOSE")).status).toBe("filled");
    await settle();
    expect(await held()).toEqual([]);
    expect((await logOf(eventIds.close(b))).reasons).toEqual([expect.objectContaining({ code: "COPY_NOTHING_TO_CLOSE" })]);
  });
});

// An MT5 venue leaves the mode to the account: the copy engine then goes by the mode the broker last reported
// (stored on the account at every reconciliation), and counts shares only where it is not known to hedge.
describe("slaves whose venue leaves hedging to the account: the stored mode decides whether shares are counted", () => {
  let scene: CopyScene;

  beforeAll(async () => {
    scene = await copyScene({ from: FROM, ticks: syntheticTicks(FROM, 120), slaves: 2, netting: [1] });
    for (const slave of scene.slaves) Object.defineProperty(slave, "capabilities", { value: { ...slave.capabilities, hedging: "account" } });
  });
  afterAll(async () => {
    await scene?.close();
  });

  it("counts shares on the netting slave only; the hedging one is spared the query", async () => {
    const [hedging, netting] = scene.s.slaveIds as [string, string];
    const open = await scene.master.submitOrder({ clientOrderId: "M-H", symbol: "EURUSD", side: "BUY", type: "MARKET", volume: dec("1.00") });
    if (open.status !== "filled") throw new Error(`master order ${open.status}`);
    await scene.settle();
    const modes = await scene.db.prisma.brokerAccount.findMany({ where: { id: { in: [hedging, netting] } }, select: { id: true, hedging: true } });
    expect(Object.fromEntries(modes.map((m) => [m.id, m.hedging]))).toEqual({ [hedging]: true, [netting]: false });

    const shares = vi.spyOn(SlaveTargets.prototype, "sharesOf");
    try {
      expect((await scene.master.closePosition(open.positionId!, undefined, "M-H-CLOSE")).status).toBe("filled");
      await scene.settle();
      expect(shares.mock.calls.map(([p]) => (p as { accountId?: string }).accountId)).toEqual([netting]);
    } finally {
      shares.mockRestore();
    }
    for (const slave of scene.slaves) expect(await slave.fetchPositions()).toEqual([]);
  });
});
