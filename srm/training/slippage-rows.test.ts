import { expect, it } from "vitest";
import { conventionalPipSize } from "../../core/index.ts";
import { describeEachDatabase } from "../../test/kit/db.ts";
import { seedExecutions } from "../../test/kit/executions.ts";
import { loadSlippageRows } from "./slippage-rows.ts";

const T = Date.UTC(2024, 5, 3);

describeEachDatabase("slippage training rows", (getDb) => {
  it("leaves out the fills of demo providers, which never slip", async () => {
    const db = getDb();
    const { accountIds } = await seedExecutions(db, { n: 90, seed: 11, from: T, accounts: 3 });
    await db.prisma.signalProvider.create({ data: { name: "demo provider", source: "STATEMENT_IMPORT", isDemo: true, masterAccountId: accountIds[0]! } });
    await db.prisma.signalProvider.create({ data: { name: "live provider", source: "STATEMENT_IMPORT", isDemo: false, masterAccountId: accountIds[1]! } });
    const rows = await loadSlippageRows(db.prisma, { from: new Date(T), to: new Date(T + 86_400_000) }, conventionalPipSize);
    expect(rows).toHaveLength(60);
    expect(rows.some((r) => r.accountId === accountIds[0])).toBe(false);
    expect(new Set(rows.map((r) => r.accountId))).toEqual(new Set([accountIds[1], accountIds[2]]));
    expect(rows.every((r, i) => i === 0 || rows[i - 1]!.at <= r.at)).toBe(true);
  });
});
