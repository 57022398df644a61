import { expect, it } from "vitest";
import { describeEachDatabase } from "../../../test/kit/db.ts";
import { recordRawQueries } from "../../../test/kit/raw-queries.ts";
import { TEST_INSTRUMENTS } from "../../paper/testing/paper-instruments.ts";
import { SignalStore } from "../detection/signal-store.ts";
import type { MasterSignal } from "../master-signal.ts";
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
      expect(byId([...(await book.of(s.masterId)).links])).toEqual(expected);
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
    const queries = recordRawQueries(prisma);
    const { statements } = queries;
    try {
      await book.of(s.masterId);
      expect(statements).toHaveLength(1);
      await prisma.copyLink.update({ where: { id: s.linkIds[0]! }, data: { rules: { maxLot: "3" } } });
      const after = (await book.of(s.masterId)).links;
      expect(statements).toHaveLength(3);
      expect(statements[2]).toMatch(/WHERE id = ANY/);
      expect(after.find((l) => l.id === s.linkIds[0])!.rules).toEqual({ maxLot: "3" });
      expect(after.filter((l) => l.id !== s.linkIds[0]).map((l) => l.rules)).toEqual([{}, {}]);
    } finally {
      queries.restore();
    }
  });

  it("keeps a master's links while their version stands: every change they show bumps it, money does not", async () => {
    const { prisma } = getDb();
    const s = await seedCopyAccounts(getDb(), broker, { slaves: 3 });
    const other = await seedCopyAccounts(getDb(), broker, { slaves: 1 });
    const book = new LinkBook(prisma);
    const store = new SignalStore(prisma);
    let n = 0;
    /** What the fan-out does: records a signal, then asks for the links at the version that statement read. */
    const signal = async () => {
      const at = Date.now();
      const m: MasterSignal = { masterAccountId: s.masterId, eventId: `open.${++n}`, kind: "OPEN", symbol: "EURUSD", side: "BUY", volume: "1", time: at, receivedAt: at, master: null };
      const stored = await store.record(m, at);
      return { stored, links: (await book.of(s.masterId, stored.linksVersion)).links };
    };
    const queries = recordRawQueries(prisma);
    /** Asserts whether the links were read again, and that they are what `linkSnapshots` reads now (money aside). */
    const check = async (reread: boolean) => {
      const before = queries.count("string_agg");
      const { stored, links } = await signal();
      expect(queries.count("string_agg") - before, `links read again: ${reread}`).toBe(reread ? 1 : 0);
      const expected = byId(await linkSnapshots(prisma, { masterAccountId: s.masterId }));
      const withoutMoney = (l: (typeof expected)[number]) => ({ ...l, master: null, slave: { ...l.slave, balance: null, equity: null, freeMargin: null, equityHighWaterMark: null } });
      expect(byId([...links]).map(withoutMoney)).toEqual(expected.map(withoutMoney));
      return stored;
    };
    try {
      const first = await check(true);
      expect(first.master).toEqual({ balance: "100000", equity: "100000" });
      expect(await check(false)).toMatchObject({ linksVersion: first.linksVersion });

      // Money of the slaves and the master, a slave's high-water mark, and another master's links are not versioned.
      await prisma.brokerAccount.update({ where: { id: s.slaveIds[0]! }, data: { balance: "9000", equity: "8900.5", freeMargin: "8000", equityHighWaterMark: "10500" } });
      await prisma.brokerAccount.update({ where: { id: s.masterId }, data: { balance: "99000", equity: "98000" } });
      await prisma.copyLink.update({ where: { id: other.linkIds[0]! }, data: { status: "CLOSE_ONLY" } });
      // The signal's own statement reads the master's money as it is now.
      expect(await check(false)).toMatchObject({ linksVersion: first.linksVersion, master: { balance: "99000", equity: "98000" } });

      const changes: Array<[string, () => Promise<unknown>]> = [
        ["a link's rules", () => prisma.copyLink.update({ where: { id: s.linkIds[0]! }, data: { rules: { maxLot: "2" } } })],
        ["a link's status", () => prisma.copyLink.update({ where: { id: s.linkIds[1]! }, data: { status: "CLOSE_ONLY" } })],
        ["a link paused", () => prisma.copyLink.update({ where: { id: s.linkIds[1]! }, data: { status: "PAUSED" } })],
        ["a link deleted", () => prisma.copyLink.delete({ where: { id: s.linkIds[2]! } })],
        ["a link created", () => prisma.copyLink.create({ data: { masterAccountId: s.masterId, slaveAccountId: other.slaveIds[0]!, rules: {} } })],
        ["a slave's risk state", () => prisma.brokerAccount.update({ where: { id: s.slaveIds[0]! }, data: { riskState: "HALTED" } })],
        ["a slave's day-start balance", () => prisma.brokerAccount.update({ where: { id: s.slaveIds[0]! }, data: { dayStartBalance: "9100" } })],
        ["a slave's hedging mode", () => prisma.brokerAccount.update({ where: { id: s.slaveIds[0]! }, data: { hedging: false } })],
        ["the master's provider settings", () => prisma.brokerAccount.update({ where: { id: s.masterId }, data: { syncSettings: withProviderSettings(null, { maxLot: "1.5" }) } })],
      ];
      let version = first.linksVersion;
      for (const [what, change] of changes) {
        await change();
        const stored = await check(true);
        expect(BigInt(stored.linksVersion), what).toBeGreaterThan(BigInt(version));
        version = stored.linksVersion;
        expect((await check(false)).linksVersion, what).toBe(version);
      }
    } finally {
      queries.restore();
    }
  });

  it("shares one read between concurrent callers, and answers an older version with the later links it keeps", async () => {
    const { prisma } = getDb();
    const s = await seedCopyAccounts(getDb(), broker, { slaves: 2 });
    const book = new LinkBook(prisma);
    const version = async () => (await prisma.copyLinkVersion.findUniqueOrThrow({ where: { masterAccountId: s.masterId } })).version.toString();
    const queries = recordRawQueries(prisma);
    const reads = () => queries.count("string_agg");
    try {
      const old = await version();
      const [a, b, c] = await Promise.all([book.of(s.masterId, old), book.of(s.masterId, old), book.of(s.masterId, old)]);
      expect(reads()).toBe(1);
      expect(b).toBe(a);
      expect(c).toBe(a);

      await prisma.copyLink.update({ where: { id: s.linkIds[0]! }, data: { status: "CLOSE_ONLY" } });
      const newer = await book.of(s.masterId, await version());
      expect(reads()).toBe(2);
      expect(newer.byId.get(s.linkIds[0]!)?.status).toBe("CLOSE_ONLY");
      // A batch of a fan-out that read the older version gets the later links, without a read.
      expect(await book.of(s.masterId, old)).toBe(newer);
      // Without a version, the links are always read.
      await book.of(s.masterId);
      expect(reads()).toBe(3);
    } finally {
      queries.restore();
    }
  });

  it("has nothing for a master without links or an unknown master", async () => {
    const { prisma } = getDb();
    const s = await seedCopyAccounts(getDb(), broker, { slaves: 0 });
    const book = new LinkBook(prisma);
    expect((await book.of(s.masterId)).links).toEqual([]);
    expect((await book.of("0190b3a4-0000-7000-8000-000000000000")).links).toEqual([]);
  });
});
