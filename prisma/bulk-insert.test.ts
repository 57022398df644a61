import { expect, it } from "vitest";
import { dec, newTimeOrderedId } from "../core/index.ts";
import { describeEachDatabase } from "../test/kit/db.ts";
import { insertRows, insertSql } from "./index.ts";

describeEachDatabase("insertRows", (getDb) => {
  async function account() {
    const { prisma } = getDb();
    const user = await prisma.user.create({ data: { email: `bulk-${newTimeOrderedId()}@example.com`, passwordHash: "x" } });
    return prisma.brokerAccount.create({ data: { userId: user.id, name: "bulk", platform: "PAPER", currency: "USD" } });
  }

  it("stores every column type as Prisma reads it back: enums, exact decimals, times, JSON, arrays, nulls and defaults", async () => {
    const { prisma } = getDb();
    const a = await account();
    const intentId = newTimeOrderedId();
    const at = new Date(Date.UTC(2024, 2, 12, 14, 30, 1, 234));
    await insertRows(prisma, "trade_intents", [
      { id: intentId, source: "COPY", dedupKey: "bulk:1", accountId: a.id, symbol: "EURUSD", side: "SELL", kind: "OPEN", volume: dec("0.07"), price: "1.0912345678", stopLoss: null, signalTime: at, receivedAt: at, status: "DECIDED", payload: { comment: "x", nested: [1, 2] } },
    ]);
    await insertRows(prisma, "srm_decisions", [
      { id: newTimeOrderedId(), intentId, accountId: a.id, action: "REJECT", features: { spreadPips: 0.4 }, predictions: {}, providerScore: null, baseLot: "0.07", adjustedLot: "0", reasonCodes: ["SRM_HALTED", "SRM_X"], reasons: [{ code: "SRM_HALTED", text: "halted" }], modelVersions: { slippage: "v1" }, degraded: true, latencyUs: 17 },
    ]);
    const row = await prisma.tradeIntent.findUniqueOrThrow({ where: { id: intentId }, include: { decision: true } });
    expect(row).toMatchObject({ source: "COPY", side: "SELL", kind: "OPEN", status: "DECIDED", stopLoss: null, ttlSeconds: null, payload: { comment: "x", nested: [1, 2] } });
    expect(row.volume.toString()).toBe("0.07");
    expect(row.price!.toString()).toBe("1.0912345678");
    expect(row.signalTime.getTime()).toBe(at.getTime());
    expect(row.createdAt.getTime()).toBeGreaterThan(Date.now() - 60_000); // the column's default
    expect(row.decision).toMatchObject({ action: "REJECT", reasonCodes: ["SRM_HALTED", "SRM_X"], modelVersions: { slippage: "v1" }, degraded: true, latencyUs: 17, providerScore: null });
  });

  it("returns what was inserted, leaving conflicting rows alone, in one statement", async () => {
    const { prisma } = getDb();
    const a = await account();
    const row = (key: string) => ({ id: newTimeOrderedId(), source: "MANUAL", dedupKey: key, accountId: a.id, symbol: "EURUSD", side: "BUY", kind: "OPEN", volume: "0.1", signalTime: new Date(), receivedAt: new Date() });
    const first = row("bulk:dup");
    await insertRows(prisma, "trade_intents", [first]);
    const fresh = row("bulk:fresh");
    const inserted = await insertRows<{ id: string }>(prisma, "trade_intents", [row("bulk:dup"), fresh], { onConflict: "(dedup_key) DO NOTHING", returning: "id::text AS id" });
    expect(inserted.map((r) => r.id)).toEqual([fresh.id]);
    expect(await prisma.tradeIntent.count({ where: { accountId: a.id } })).toBe(2);
  });

  it("writes nothing when one row is bad", async () => {
    const { prisma } = getDb();
    const a = await account();
    const ok = { id: newTimeOrderedId(), source: "MANUAL", dedupKey: `bulk:${newTimeOrderedId()}`, accountId: a.id, symbol: "EURUSD", side: "BUY", kind: "OPEN", volume: "0.1", signalTime: new Date(), receivedAt: new Date() };
    await expect(insertRows(prisma, "trade_intents", [ok, { ...ok, id: newTimeOrderedId(), dedupKey: "bulk:bad", side: "SIDEWAYS" }])).rejects.toThrow();
    expect(await prisma.tradeIntent.count({ where: { accountId: a.id } })).toBe(0);
  });
});

it("refuses names that are not plain identifiers", () => {
  expect(() => insertSql("trade_intents", [{ 'x"; DROP TABLE users; --': 1 }], 1)).toThrow(/not a plain identifier/);
  expect(() => insertSql("Trade Intents", [{ id: 1 }], 1)).toThrow(/not a plain identifier/);
});
