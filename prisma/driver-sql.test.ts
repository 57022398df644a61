import { expect, it } from "vitest";
import { newTimeOrderedId } from "../core/index.ts";
import { describeEachDatabase } from "../test/kit/db.ts";
import { insertRows, rawSqlOf } from "./index.ts";

describeEachDatabase("rawSqlOf", (getDb) => {
  it("runs the statements of the hot path on the driver with the results Prisma's raw path gives", async () => {
    const { prisma } = getDb();
    const sql = rawSqlOf(prisma);
    expect(sql).not.toBe(prisma);
    const keys = [`raw:${newTimeOrderedId()}`, `raw:${newTimeOrderedId()}`];
    const claim = `INSERT INTO "intent_claims" ("dedup_key") SELECT unnest($1::text[]) ON CONFLICT DO NOTHING RETURNING "dedup_key"`;
    expect(await sql.$queryRawUnsafe<{ dedup_key: string }[]>(claim, keys)).toEqual(keys.map((k) => ({ dedup_key: k })));
    // The same keys again: nothing new, through either path.
    expect(await sql.$queryRawUnsafe(claim, keys)).toEqual([]);
    expect(await prisma.$queryRawUnsafe(claim, keys)).toEqual([]);
    expect(await sql.$executeRawUnsafe(`DELETE FROM "intent_claims" WHERE "dedup_key" = ANY($1::text[])`, keys)).toBe(2);

    const user = await prisma.user.create({ data: { email: `raw-${newTimeOrderedId()}@example.com`, passwordHash: "x" } });
    const rows = [{ id: newTimeOrderedId(), userId: user.id, name: "raw", platform: "PAPER", currency: "USD", balance: "1234.5" }];
    expect(await insertRows(sql, "broker_accounts", rows, { returning: "id::text AS id" })).toEqual([{ id: rows[0]!.id }]);
    const [{ text }] = await sql.$queryRawUnsafe<[{ text: string }]>(`SELECT json_agg(json_build_object('balance', trim_scale(balance)::text))::text AS text FROM broker_accounts WHERE id = $1::uuid`, rows[0]!.id);
    expect(JSON.parse(text)).toEqual([{ balance: "1234.5" }]);
  });

  it("leaves a transaction client as it is, so its statements stay inside the transaction", async () => {
    const { prisma } = getDb();
    const key = `raw:${newTimeOrderedId()}`;
    await prisma.$transaction(async (tx) => {
      expect(rawSqlOf(tx)).toBe(tx);
      await rawSqlOf(tx).$executeRawUnsafe(`INSERT INTO "intent_claims" ("dedup_key") VALUES ($1)`, key);
    });
    expect(await prisma.intentClaim.count({ where: { dedupKey: key } })).toBe(1);
  });
});
