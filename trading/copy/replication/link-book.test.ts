import { expect, it } from "vitest";
import { rawSqlOf } from "../../../prisma/index.ts";
import { describeEachDatabase } from "../../../test/kit/db.ts";
import { TEST_INSTRUMENTS } from "../../paper/testing/paper-instruments.ts";
import { withProviderSettings } from "../rules/provider-settings.ts";
import { PaperBroker, seedCopyAccounts } from "../testing/paper-broker.ts";
import { LinkBook } from "./link-book.ts";
import { linkSnapshots } from "./link-snapshot.ts";

describeEachDatabase("LinkBook", (getDb) => {
  const broker = new PaperBroker({ EURUSD: [] }, TEST_INSTRUMENTS, { from: 0, to: 1 });
  const byId = <T extends { id: string }>(xs: T[]) => [...xs].sort((a, b) => a.id.localeCompare(b.id));

  it("reads what linkSnapshots reads, through every kind of change between two master trades", async () => {
    const { prisma } = getDb();
    const s = await seedCopyAccounts(getDb(), broker, { slaves: 4, rules: { lotScaling: { mode: "multiplier", multiplier: 2 } } });
    const book = new LinkBook(prisma);
    const same = async () => {
      const expected = byId(await linkSnapshots(prisma, { masterAccountId: s.masterId }));
      expect(byId(await book.of(s.masterId))).toEqual(expected);
      return expected;
    };
    expect(await same()).toHaveLength(4);

    await prisma.copyLink.update({ where: { id: s.linkIds[0]! }, data: { rules: { lotScaling: { mode: "fixedLot", lot: "0.05" }, reverse: true } } });
    await prisma.copyLink.update({ where: { id: s.linkIds[1]! }, data: { status: "PAUSED" } });
    await prisma.copyLink.update({ where: { id: s.linkIds[2]! }, data: { status: "CLOSE_ONLY" } });
    await prisma.brokerAccount.update({ where: { id: s.slaveIds[3]! }, data: { balance: "12345.67", riskState: "HALTED", dayStartBalance: null, hedging: false } });
    await prisma.brokerAccount.update({ where: { id: s.slaveIds[2]! }, data: { hedging: true } });
    await prisma.brokerAccount.update({ where: { id: s.masterId }, data: { balance: "99000.5", syncSettings: withProviderSettings(null, { maxLot: "1.5", allowedSides: ["BUY"] }) } });
    const changed = await same();
    expect(changed.map((l) => l.id)).not.toContain(s.linkIds[1]);
    expect(changed.find((l) => l.id === s.linkIds[0])!.rules).toEqual({ lotScaling: { mode: "fixedLot", lot: "0.05" }, reverse: true });
    expect(changed[0]!.providerSettings).toMatchObject({ maxLot: "1.5" });
    const hedgingOf = (i: number) => changed.find((l) => l.slaveAccountId === s.slaveIds[i])!.slave.hedging;
    expect([hedgingOf(0), hedgingOf(2), hedgingOf(3)]).toEqual([null, true, false]);

    await prisma.copyLink.delete({ where: { id: s.linkIds[0]! } });
    await prisma.copyLink.update({ where: { id: s.linkIds[1]! }, data: { status: "ACTIVE", rules: { minLot: "0.02" } } });
    await prisma.brokerAccount.update({ where: { id: s.masterId }, data: { syncSettings: {} } });
    expect(await same()).toHaveLength(3);
  });

  it("reads again the rules whose digest changed, and only those", async () => {
    const { prisma } = getDb();
    const s = await seedCopyAccounts(getDb(), broker, { slaves: 3 });
    const book = new LinkBook(prisma);
    await book.of(s.masterId);
    const statements: string[] = [];
    const sql = rawSqlOf(prisma);
    const query = sql.$queryRawUnsafe.bind(sql);
    sql.$queryRawUnsafe = ((q: string, ...v: unknown[]) => (statements.push(q), query(q, ...v))) as typeof sql.$queryRawUnsafe;
    try {
      await book.of(s.masterId);
      expect(statements).toHaveLength(1);
      await prisma.copyLink.update({ where: { id: s.linkIds[0]! }, data: { rules: { maxLot: "3" } } });
      const after = await book.of(s.masterId);
      expect(statements).toHaveLength(3);
      expect(statements[2]).toMatch(/WHERE id = ANY/);
      expect(after.find((l) => l.id === s.linkIds[0])!.rules).toEqual({ maxLot: "3" });
      expect(after.filter((l) => l.id !== s.linkIds[0]).map((l) => l.rules)).toEqual([{}, {}]);
    } finally {
      sql.$queryRawUnsafe = query;
    }
  });

  it("has nothing for a master without links or an unknown master", async () => {
    const { prisma } = getDb();
    const s = await seedCopyAccounts(getDb(), broker, { slaves: 0 });
    const book = new LinkBook(prisma);
    expect(await book.of(s.masterId)).toEqual([]);
    expect(await book.of("0190b3a4-0000-7000-8000-000000000000")).toEqual([]);
  });
});
