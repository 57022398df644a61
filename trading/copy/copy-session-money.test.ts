import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dec } from "../../core/index.ts";
import { copyScene, type CopyScene } from "../../test/kit/copy-worker.ts";
import { eventually } from "../../test/kit/eventually.ts";
import { syntheticTicks } from "./testing/paper-broker.ts";

const FROM = Date.UTC(2024, 0, 2, 10, 0, 0);

// The fan-out keeps a master's links in memory while their version stands, and money is not versioned: a copy
// must size on the slave's money as its venue last reported it, not as the links were read.
describe("a copy sizes on the slave's money from its live session while the master's links are kept", () => {
  let scene: CopyScene;

  beforeAll(async () => {
    scene = await copyScene({ from: FROM, ticks: syntheticTicks(FROM, 120), slaves: 1 });
  });
  afterAll(async () => {
    await scene?.close();
  });

  it("copies the second trade on the balance the slave's own losing trade left, without the links being read again", async () => {
    const { master, db, s } = scene;
    const slave = scene.slaves[0]!;
    const version = async () => (await db.prisma.copyLinkVersion.findUniqueOrThrow({ where: { masterAccountId: s.masterId } })).version;
    const lots = async () => (await slave.fetchPositions()).map((p) => p.volume.toString()).sort();
    const open = async (id: string) => {
      const r = await master.submitOrder({ clientOrderId: id, symbol: "EURUSD", side: "BUY", type: "MARKET", volume: dec("1.00") });
      if (r.status !== "filled") throw new Error(`master order ${r.status}`);
      await scene.settle();
    };
    // Balance ratio 10 000 / 100 000: 1 lot is copied as 0.1.
    await open("M-1");
    expect(await lots()).toEqual(["0.1"]);
    // The copy's fill moved the slave's risk baselines (a version bump); a stop loss set on the master's position
    // fans out once more, so the links are kept at the version as it is now.
    const before = await version();
    const [position] = await master.fetchPositions();
    expect((await master.modifyPosition(position!.id, { stopLoss: dec("1.05") })).status).toBe("done");
    await scene.settle();
    expect(await version()).toBe(before);

    // The slave's owner trades at the broker and loses the spread: its balance drops below 10 000.
    const own = await slave.submitOrder({ clientOrderId: "OWN-1", symbol: "EURUSD", side: "BUY", type: "MARKET", volume: dec("1.00") });
    if (own.status !== "filled") throw new Error(`own order ${own.status}`);
    expect((await slave.closePosition(own.positionId!, undefined, "OWN-1-CLOSE")).status).toBe("filled");
    const balance = (await slave.fetchAccountInfo()).balance;
    expect(balance.lt(10_000)).toBe(true);
    await eventually(async () => expect((await db.prisma.brokerAccount.findUniqueOrThrow({ where: { id: s.slaveIds[0]! } })).balance.toString()).toBe(balance.toString()));
    await scene.settle();
    // Nothing the links show changed: the fan-out uses the links it read for M-1, with the old balance in them.
    expect(await version()).toBe(before);

    // 1 × (just under 10 000) / 100 000, floored to the 0.01 step.
    await open("M-2");
    expect(await lots()).toEqual(["0.09", "0.1"]);
  });
});
