import { afterAll, beforeAll, expect, it } from "vitest";
import type { Prisma } from "../../prisma/index.ts";
import { refreshProviderMetrics } from "../../srm/provider-metrics/index.ts";
import { scoreHistory, scoreOf, type ClosedTrade } from "../../srm/score/index.ts";
import { testApi, type TestApi } from "../../test/kit/api.ts";
import { describeEachDatabase } from "../../test/kit/db.ts";

type User = Awaited<ReturnType<TestApi["user"]>>;

const DAY = 86_400_000;
const START = Date.UTC(2024, 0, 1);

/** `n` trades of ±10 on EURUSD, one a day from START; `wins` of them winners. */
function history(n: number, wins: number): ClosedTrade[] {
  return Array.from({ length: n }, (_, i) => ({
    id: String(i),
    openTime: START + i * DAY,
    closeTime: START + i * DAY + 3_600_000,
    profit: i < wins ? 10 : -10,
    volume: 1,
    symbol: "EURUSD",
    side: "BUY" as const,
    openPrice: 1.1,
    closePrice: i < wins ? 1.1001 : 1.0999,
    closeReason: "UNKNOWN" as const,
  }));
}

describeEachDatabase("providers API", (getDb) => {
  let api: TestApi;
  let admin: User;
  let alice: User;
  let bob: User;
  const ids: Record<string, string> = {};
  const inject = (url: string, who: User) => api.app.inject({ method: "GET", url, headers: who.auth });
  const post = (url: string, who: User, payload: Record<string, unknown>) => api.app.inject({ method: "POST", url, headers: who.auth, payload });

  beforeAll(async () => {
    api = await testApi(getDb());
    admin = await api.user(undefined, "ADMIN");
    alice = await api.user();
    bob = await api.user();
    const prisma = api.container.db.prisma;
    const provider = async (name: string, ownerId: string | null, trades: ClosedTrade[], isDemo = false) => {
      const state = scoreHistory(trades);
      const row = await prisma.signalProvider.create({
        data: { name, ownerId, source: "STATEMENT_IMPORT", isDemo, scoreState: state as unknown as Prisma.InputJsonValue, tradeCount: state.trades, lastTradeAt: new Date(START + trades.length * DAY) },
      });
      await prisma.closedTrade.createMany({
        data: trades.map((t) => ({ providerId: row.id, ticket: t.id!, symbol: t.symbol, side: t.side, volume: "1", openTime: new Date(t.openTime), closeTime: new Date(t.closeTime), openPrice: "1.1", closePrice: String(t.closePrice), profit: String(t.profit), origin: "STATEMENT" as const })),
      });
      await refreshProviderMetrics(prisma, row.id, { asOf: START + 60 * DAY });
      ids[name] = row.id;
    };
    await provider("house strong", admin.id, history(60, 45));
    await provider("house weak", admin.id, history(60, 15));
    await provider("unowned", null, history(10, 6));
    await provider("house demo", admin.id, history(40, 30), true);
    await provider("alice own", alice.id, history(20, 12));
    await provider("bob own", bob.id, history(20, 12));
  });
  afterAll(async () => {
    await api?.close();
  });

  it("shows house providers to everyone and own providers to their owners, best score first", async () => {
    const res = await inject("/providers", alice);
    expect(res.statusCode).toBe(200);
    const board = res.json() as { name: string; own: boolean; score: number; uncertainty: number; mature: boolean; lifetime: { winRate: number } | null }[];
    expect(board.map((e) => e.name).sort()).toEqual(["alice own", "house demo", "house strong", "house weak", "unowned"]);
    const scores = board.map((e) => e.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(board.findIndex((e) => e.name === "house strong")).toBeLessThan(board.findIndex((e) => e.name === "house weak"));
    expect(board.find((e) => e.name === "alice own")).toMatchObject({ own: true, mature: false });
    expect(board.find((e) => e.name === "house strong")).toMatchObject({ own: false, lifetime: { winRate: 0.75 } });
    expect(board.every((e) => e.uncertainty > 0)).toBe(true);

    const withoutDemo = (await inject("/providers?includeDemo=false&limit=2", alice)).json() as { name: string }[];
    expect(withoutDemo).toHaveLength(2);
    expect(withoutDemo.map((e) => e.name)).not.toContain("house demo");
    expect(((await inject("/providers?limit=200", admin)).json() as unknown[]).length).toBeGreaterThanOrEqual(6);
  });

  it("shows a provider's metrics to its owner and admins only", async () => {
    const own = await inject(`/providers/${ids["alice own"]}/metrics?periodType=LIFETIME`, alice);
    expect(own.statusCode).toBe(200);
    expect(own.json()).toEqual([expect.objectContaining({ periodType: "LIFETIME", totalSignals: 20, winRate: 0.6 })]);
    expect((await inject(`/providers/${ids["alice own"]}/metrics`, bob)).statusCode).toBe(404);
    expect((await inject(`/providers/${ids["house strong"]}/metrics`, alice)).statusCode).toBe(404);
    const monthly = (await inject(`/providers/${ids["house strong"]}/metrics?periodType=MONTHLY`, admin)).json() as { periodStart: string; totalSignals: number }[];
    expect(monthly.map((m) => [m.periodStart.slice(0, 7), m.totalSignals])).toEqual([
      ["2024-03", 0],
      ["2024-02", 29],
      ["2024-01", 31],
    ]);
    expect((await inject(`/providers/${ids["house strong"]}/metrics?periodType=HOURLY`, admin)).statusCode).toBe(400);
  });

  it("publishes an account: scored from its closed trades, on everyone's leaderboard, followable; refused with the field otherwise", async () => {
    const prisma = api.container.db.prisma;
    const created = await post("/accounts", bob, { name: "Bob live", platform: "PAPER", initialBalance: "10000" });
    expect(created.statusCode, created.body).toBe(201);
    const account = created.json().id as string;
    const trades = history(12, 9);
    await prisma.closedTrade.createMany({
      data: trades.map((t) => ({ accountId: account, ticket: `b-${t.id}`, symbol: t.symbol, side: t.side, volume: "1", openTime: new Date(t.openTime), closeTime: new Date(t.closeTime), openPrice: "1.1", closePrice: String(t.closePrice), profit: String(t.profit), origin: "PAPER" as const })),
    });

    const res = await post("/providers", bob, { masterAccountId: account, name: "Bob's signals" });
    expect(res.statusCode, res.body).toBe(201);
    const published = res.json();
    const expected = scoreHistory(trades);
    expect(published).toMatchObject({ name: "Bob's signals", masterAccountId: account, source: "ACCOUNT", isDemo: true, tradeCount: 12 });
    expect(published.score).toBeCloseTo(scoreOf(expected, expected.lastCloseTime!).score, 9);
    expect(await prisma.closedTrade.count({ where: { accountId: account, providerId: published.id } })).toBe(12);

    // Everyone sees it, not only its owner; a follower may link to it.
    const board = (await inject("/providers", alice)).json() as { id: string; own: boolean }[];
    expect(board.find((e) => e.id === published.id)).toMatchObject({ own: false });
    const follower = await post("/accounts", alice, { name: "Alice follows", platform: "PAPER" });
    const link = await post("/copy/links", alice, { masterAccountId: account, slaveAccountId: follower.json().id });
    expect(link.statusCode, link.body).toBe(201);
    expect(link.json().providerId).toBe(published.id);

    const again = await post("/providers", bob, { masterAccountId: account, name: "Twice" });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.details).toMatchObject({ field: "masterAccountId", reason: "PROVIDER_EXISTS" });
    expect((await post("/providers", alice, { masterAccountId: account, name: "Not mine" })).statusCode).toBe(404);
    const bad = await post("/providers", bob, { masterAccountId: account, name: "" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.field).toBe("body.name");
    expect(await prisma.signalProvider.count({ where: { masterAccountId: account } })).toBe(1);
    expect(await prisma.auditLog.count({ where: { action: "provider.publish", entityId: published.id } })).toBe(1);
  });
});
