import { beforeAll, expect, it } from "vitest";
import { newId } from "../../core/index.ts";
import { AuditLog, type PrismaClient } from "../../prisma/index.ts";
import { describeEachDatabase } from "../../test/kit/db.ts";
import { hasSharedData, sharedDataPath } from "../../test/kit/shared-data.ts";
import { scoreOf, type ScoreState } from "../score/index.ts";
import { importStatement, readStatementFile } from "../statements/index.ts";
import { refreshAllProviderMetrics, refreshProviderMetrics, updateProviderMetricsOnClose } from "./refresh-provider-metrics.ts";

const D0 = Date.UTC(2024, 2, 12);
const D1 = D0 + 86_400_000;
const H = 3_600_000;
const SUJAY = "sujayjamdade01_DetailedStatement";

/** An account provider whose master account holds 920 after four trades netting −80: it started with 1000. */
async function seedProvider(prisma: PrismaClient) {
  const user = await prisma.user.create({ data: { email: `metrics-${newId()}@example.com`, passwordHash: "x" } });
  const master = await prisma.brokerAccount.create({ data: { userId: user.id, name: "master", platform: "PAPER", role: "MASTER", balance: "920" } });
  const follower = await prisma.brokerAccount.create({ data: { userId: user.id, name: "follower", platform: "PAPER", role: "SLAVE" } });
  const provider = await prisma.signalProvider.create({ data: { ownerId: user.id, masterAccountId: master.id, name: `p-${newId()}`, source: "ACCOUNT" } });
  const position = await prisma.position.create({
    data: { accountId: master.id, brokerPositionId: "P1", symbol: "EURUSD", side: "BUY", volume: "1", openPrice: "1.1", status: "CLOSED", openedAt: new Date(D0 + 10 * H) },
  });
  const base = { accountId: master.id, providerId: provider.id, symbol: "EURUSD", volume: "1", openPrice: "1.1", origin: "PAPER" as const };
  await prisma.closedTrade.createMany({
    data: [
      { ...base, ticket: "1", positionId: position.id, side: "BUY", openTime: new Date(D0 + 10 * H), closeTime: new Date(D0 + 11 * H), closePrice: "1.101", stopLoss: "1.098", profit: "100", commission: "-10", closeReason: "TP" },
      { ...base, ticket: "2", side: "SELL", openTime: new Date(D0 + 12 * H), closeTime: new Date(D0 + 15 * H), closePrice: "1.1005", stopLoss: "1.1005", profit: "-45", commission: "-5", closeReason: "SL" },
      { ...base, ticket: "3", side: "BUY", openTime: new Date(D1 + 8 * H), closeTime: new Date(D1 + 9 * H), closePrice: "1.1", profit: "0" },
      { ...base, ticket: "4", side: "BUY", openTime: new Date(D1 + 10 * H), closeTime: new Date(D1 + 12 * H), closePrice: "1.0988", profit: "-118", swap: "-2" },
    ],
  });
  const intent = (masterPositionId: string, at: number) => ({
    id: newId(),
    source: "COPY" as const,
    dedupKey: `m:${newId()}`,
    accountId: follower.id,
    providerId: provider.id,
    masterPositionId,
    symbol: "EURUSD",
    side: "BUY" as const,
    kind: "OPEN" as const,
    volume: "0.5",
    signalTime: new Date(at),
    receivedAt: new Date(at),
  });
  const copied = intent("P1", D0 + 10 * H);
  await prisma.tradeIntent.createMany({ data: [copied, intent("P9", D1 + 13 * H)] });
  const fill = (accountId: string, at: number, pips: number, intentId?: string) => ({
    accountId,
    intentId: intentId ?? null,
    clientOrderId: `f-${newId()}`,
    symbol: "EURUSD",
    side: "BUY" as const,
    kind: "OPEN" as const,
    volume: "1",
    slippagePips: pips,
    status: "FILLED" as const,
    origin: "PAPER" as const,
    requestedAt: new Date(at),
    filledAt: new Date(at),
  });
  await prisma.executionLog.createMany({ data: [fill(master.id, D0 + 11 * H, 0.5), fill(follower.id, D0 + 15 * H, 1.5, copied.id), fill(follower.id, D0 + 16 * H, 9)] });
  return provider.id;
}

describeEachDatabase("provider metrics in the database", (getDb) => {
  let providerId: string;
  const asOf = D1 + 20 * H;
  const rows = (prisma: PrismaClient) => prisma.signalProviderMetric.findMany({ where: { providerId }, orderBy: [{ periodStart: "asc" }, { periodType: "asc" }] });

  beforeAll(async () => {
    providerId = await seedProvider(getDb().prisma);
  });

  it("writes every period with exact figures, from trades, intents and fills", async () => {
    const prisma = getDb().prisma;
    const result = await refreshProviderMetrics(prisma, providerId, { asOf });
    const stored = await rows(prisma);
    expect(stored).toHaveLength(result.rows);
    const life = stored.find((r) => r.periodType === "LIFETIME")!;
    // 1000 → 1090 → 1040 → 1040 → 920: 170 below the 1090 peak.
    expect(life).toMatchObject({ totalSignals: 5, winRate: 0.5, slComplianceRate: 0.5, periodStart: new Date(0), periodEnd: new Date(asOf) });
    expect(life.maxDrawdown).toBeCloseTo(170 / 1090, 12);
    expect(life.rewardToRisk).toBeCloseTo(45 / 85, 12);
    // Its own account's fill (0.5) and the copy of its signal (1.5); a follower fill of someone else's signal is not its.
    expect(life.avgSlippage).toBeCloseTo(1, 12);
    const day0 = stored.find((r) => r.periodType === "DAILY" && r.periodStart.getTime() === D0)!;
    expect(day0).toMatchObject({ totalSignals: 2, winRate: 0.5, periodEnd: new Date(D1) });
    expect(day0.maxDrawdown).toBeCloseTo(50 / 1090, 12);
    expect(stored.filter((r) => r.periodType === "ROLLING_30D")).toHaveLength(2);
    expect(stored.filter((r) => r.periodType === "WEEKLY")).toHaveLength(1);
  });

  it("is idempotent: a second run rewrites the same rows with the same figures", async () => {
    const prisma = getDb().prisma;
    const before = await rows(prisma);
    await refreshProviderMetrics(prisma, providerId, { asOf });
    const after = await rows(prisma);
    const strip = (r: (typeof before)[number]) => ({ ...r, computedAt: null });
    expect(after.map(strip)).toEqual(before.map(strip));
  });

  it("updates the affected periods when a trade closes, leaving earlier days as they were", async () => {
    const prisma = getDb().prisma;
    const day0Before = (await rows(prisma)).find((r) => r.periodType === "DAILY" && r.periodStart.getTime() === D0)!;
    const master = (await prisma.signalProvider.findUniqueOrThrow({ where: { id: providerId } })).masterAccountId!;
    const D2 = D1 + 86_400_000;
    await prisma.closedTrade.create({
      data: { accountId: master, providerId, ticket: "5", symbol: "EURUSD", side: "BUY", volume: "1", openTime: new Date(D2 + H), closeTime: new Date(D2 + 2 * H), openPrice: "1.1", closePrice: "1.102", profit: "200", origin: "PAPER" },
    });
    await prisma.brokerAccount.update({ where: { id: master }, data: { balance: "1120" } });
    await updateProviderMetricsOnClose(prisma, providerId, new Date(D2 + 2 * H), { clock: { now: () => D2 + 3 * H, monotonic: () => 0 } });
    const after = await rows(prisma);
    expect(after.find((r) => r.periodType === "DAILY" && r.periodStart.getTime() === D2)).toMatchObject({ totalSignals: 1, winRate: 1 });
    expect(after.find((r) => r.periodType === "LIFETIME")).toMatchObject({ totalSignals: 6, winRate: 0.6, periodEnd: new Date(D2 + 3 * H) });
    const day0After = after.find((r) => r.periodType === "DAILY" && r.periodStart.getTime() === D0)!;
    expect({ ...day0After, computedAt: null }).toEqual({ ...day0Before, computedAt: null });
  });

  it("sweeps every provider, and only the current periods of those with nothing new", async () => {
    const prisma = getDb().prisma;
    const now = Date.now();
    const first = await refreshAllProviderMetrics(prisma, { asOf: now });
    expect(first.providers).toBeGreaterThanOrEqual(1);
    const second = await refreshAllProviderMetrics(prisma, { asOf: now + 1000 });
    expect(second.rows).toBe(5 * second.providers);
  });

  it.skipIf(!hasSharedData("trades", "parsed", `${SUJAY}.trades.csv`))("on an imported real statement, matches MT4's win rate and average win and loss", async () => {
    const prisma = getDb().prisma;
    await prisma.user.create({ data: { email: `admin-${newId()}@example.com`, passwordHash: "x", role: "ADMIN" } });
    const summary = await importStatement(prisma, new AuditLog(prisma), readStatementFile(sharedDataPath("trades", "parsed", `${SUJAY}.trades.csv`)));
    const id = summary.provider.id;
    const now = Date.now();
    await refreshProviderMetrics(prisma, id, { asOf: now });
    const life = await prisma.signalProviderMetric.findFirstOrThrow({ where: { providerId: id, periodType: "LIFETIME" } });
    // MT4: Profit Trades 360 (85.31%), Average profit trade 700.98, Average loss trade −1 284.60.
    expect(life.totalSignals).toBe(422);
    expect(Math.abs(100 * life.winRate! - 85.31)).toBeLessThanOrEqual(0.005);
    expect(Math.abs(life.rewardToRisk! - 700.98 / 1284.6)).toBeLessThan(1e-5);
    expect(life.maxDrawdown).toBeNull(); // the database keeps no cash flows, so the starting balance is unknown
    const provider = await prisma.signalProvider.findUniqueOrThrow({ where: { id } });
    expect(life.performanceScore).toBeCloseTo(scoreOf(provider.scoreState as unknown as ScoreState, now).score, 9);
    const months = await prisma.signalProviderMetric.findMany({ where: { providerId: id, periodType: "MONTHLY" }, orderBy: { periodStart: "asc" } });
    // January to May 2026 (its trades), then the current month.
    expect(months.slice(0, 5).map((m) => m.periodStart.toISOString().slice(0, 7))).toEqual(["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"]);
    expect(months.slice(0, 5).reduce((n, m) => n + m.totalSignals, 0)).toBe(422);
  });
});
