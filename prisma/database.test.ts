import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { dec } from "../core/index.ts";
import { describeEachDatabase } from "../test/kit/db.ts";
import { emptyPgliteDump, openDatabase, type Database } from "./index.ts";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function rawCount(db: Database, table: string): Promise<number> {
  const sql = `SELECT count(*)::int AS n FROM "${table}"`;
  const rows =
    db.driver.kind === "pglite" ? (await db.driver.pglite.query<{ n: number }>(sql)).rows : (await db.driver.pool.query<{ n: number }>(sql)).rows;
  return rows[0]!.n;
}

function modelVersion(kind: string, version: string) {
  return { kind, version, artifactPath: `models/${kind}/${version}`, dataHash: "d", configHash: "c", featureSchema: {}, rowCount: 100 };
}

describeEachDatabase("database round trip", (getDb) => {
  it("stores a user and a broker account with exact money, defaults and queryable JSON", async () => {
    const { prisma } = getDb();
    const user = await prisma.user.create({
      data: {
        email: "trader@example.com",
        passwordHash: "x",
        accounts: {
          create: {
            name: "Main",
            platform: "PAPER",
            balance: dec("12345.6789"),
            equity: "12000.0001",
            syncSettings: { positions: { intervalS: 30 }, symbols: ["EURUSD", "XAUUSD"] },
          },
        },
      },
      include: { accounts: true },
    });
    expect(user).toMatchObject({ role: "USER", plan: "FREE", active: true });
    expect(user.id).toMatch(UUID_V7);
    const account = user.accounts[0]!;
    expect(account).toMatchObject({ status: "CREATED", riskState: "ACTIVE", role: "STANDALONE", leverage: 100, currency: "USD" });
    expect(account.balance.toFixed()).toBe("12345.6789");
    expect(account.equity.minus(account.balance).toFixed()).toBe("-345.6788");
    expect(account.updatedAt).toBeInstanceOf(Date);

    const byJson = await prisma.brokerAccount.findMany({ where: { syncSettings: { path: ["positions", "intervalS"], equals: 30 } } });
    expect(byJson.map((a) => a.id)).toEqual([account.id]);
    const none = await prisma.brokerAccount.findMany({ where: { syncSettings: { path: ["positions", "intervalS"], equals: 31 } } });
    expect(none).toEqual([]);
  });

  it("keeps candle prices to 10 decimals and rejects a second bar with the same (symbol, timeframe, time)", async () => {
    const db = getDb();
    const time = new Date(Date.UTC(2024, 0, 2, 9, 30));
    const bar = { symbol: "EURUSD", timeframe: "M1" as const, time, open: "1.0850012345", high: "1.0851", low: "1.0849", close: "1.0850500001", volume: "123.5" };
    await db.prisma.candle.create({ data: bar });
    const stored = await db.prisma.candle.findUniqueOrThrow({ where: { symbol_timeframe_time: { symbol: "EURUSD", timeframe: "M1", time } } });
    expect(stored.open.toFixed()).toBe("1.0850012345");
    expect(stored.close.toFixed()).toBe("1.0850500001");
    expect(stored.time.toISOString()).toBe("2024-01-02T09:30:00.000Z");
    expect(stored.synthetic).toBe(false);

    await expect(db.prisma.candle.create({ data: { ...bar, open: "1.2" } })).rejects.toMatchObject({ code: "P2002" });
    // Another timeframe at the same instant is a different bar.
    await db.prisma.candle.create({ data: { ...bar, timeframe: "M5" } });
    // The driver underneath sees the same rows (bulk loaders go through it).
    expect(await rawCount(db, "candles")).toBe(2);
  });

  it("allows one champion per model kind, only pointing at a version of that kind", async () => {
    const { prisma } = getDb();
    await prisma.srmModelVersion.createMany({
      data: [modelVersion("slippage", "1"), modelVersion("slippage", "2"), modelVersion("lot", "1")],
    });
    await prisma.srmModelAlias.create({ data: { kind: "slippage", alias: "champion", version: "1" } });
    await expect(prisma.srmModelAlias.create({ data: { kind: "slippage", alias: "champion", version: "2" } })).rejects.toMatchObject({
      code: "P2002",
    });
    // Another kind has its own champion; a challenger sits beside the champion.
    await prisma.srmModelAlias.create({ data: { kind: "lot", alias: "champion", version: "1" } });
    await prisma.srmModelAlias.create({ data: { kind: "slippage", alias: "challenger", version: "2" } });
    // "lot" has no version "2": an alias cannot borrow another kind's model.
    await expect(prisma.srmModelAlias.create({ data: { kind: "lot", alias: "challenger", version: "2" } })).rejects.toMatchObject({
      code: "P2003",
    });

    // Promotion moves the pointer; the aliased model cannot be deleted from under it.
    await prisma.srmModelAlias.update({ where: { kind_alias: { kind: "slippage", alias: "champion" } }, data: { version: "2" } });
    const champion = await prisma.srmModelAlias.findUniqueOrThrow({
      where: { kind_alias: { kind: "slippage", alias: "champion" } },
      include: { modelVersion: true },
    });
    expect(champion.modelVersion.version).toBe("2");
    await expect(prisma.srmModelVersion.delete({ where: { kind_version: { kind: "slippage", version: "2" } } })).rejects.toMatchObject({
      code: "P2003",
    });
  });

  it("rolls back every write of a transaction that fails halfway", async () => {
    const { prisma } = getDb();
    const before = await prisma.brokerAccount.count();
    await expect(
      prisma.$transaction(async (tx) => {
        const u = await tx.user.create({ data: { email: "halfway@example.com", passwordHash: "x" } });
        await tx.brokerAccount.create({ data: { userId: u.id, name: "A", platform: "MT5" } });
        await tx.user.create({ data: { email: "halfway@example.com", passwordHash: "y" } });
      }),
    ).rejects.toMatchObject({ code: "P2002" });
    expect(await prisma.user.count({ where: { email: "halfway@example.com" } })).toBe(0);
    expect(await prisma.brokerAccount.count()).toBe(before);

    await expect(
      prisma.$transaction([
        prisma.user.create({ data: { email: "batch@example.com", passwordHash: "x" } }),
        prisma.user.create({ data: { email: "batch@example.com", passwordHash: "y" } }),
      ]),
    ).rejects.toMatchObject({ code: "P2002" });
    expect(await prisma.user.count({ where: { email: "batch@example.com" } })).toBe(0);
  });
});

describe("openDatabase", () => {
  it("creates, migrates, locks and reopens a file-backed PGlite database with its data", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "riskloop-pglite-"));
    try {
      // A lock left by a process that died does not block.
      await writeFile(path.join(dir, "db.lock"), "999999999");
      // Starting from the empty dump skips initdb (seconds of CPU); the folder, migration and reopen are real.
      const first = await openDatabase({ pgliteDir: path.join(dir, "db"), pgliteDump: await emptyPgliteDump(), migrate: true });
      await first.prisma.instrument.create({
        data: {
          symbol: "EURUSD",
          digits: 5,
          pipSize: "0.0001",
          contractSize: "100000",
          minVolume: "0.01",
          maxVolume: "100",
          volumeStep: "0.01",
          marginRate: "0.0333333",
          quoteCurrency: "USD",
        },
      });
      // One process at a time: a second opener is refused until the first closes.
      await expect(openDatabase({ pgliteDir: path.join(dir, "db") })).rejects.toMatchObject({ code: "DB_ERR_PGLITE_LOCKED" });
      await first.close();
      await first.close();

      const again = await openDatabase({ pgliteDir: path.join(dir, "db"), migrate: true });
      try {
        const eurusd = await again.prisma.instrument.findUniqueOrThrow({ where: { symbol: "EURUSD" } });
        expect(eurusd.volumeStep.toFixed()).toBe("0.01");
        expect(eurusd.marginRate.toFixed()).toBe("0.0333333");
      } finally {
        await again.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("says PostgreSQL is unavailable (transient) when nothing listens at the URL", async () => {
    await expect(openDatabase({ url: "postgresql://postgres@127.0.0.1:1/none" })).rejects.toMatchObject({
      code: "CORE_ERR_UNAVAILABLE",
      kind: "transient",
    });
  });
});
