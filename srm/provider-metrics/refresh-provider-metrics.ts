import { systemClock, type Clock } from "../../core/index.ts";
import type { PrismaClient } from "../../prisma/index.ts";
import { DEFAULT_SCORE_PARAMS, type ScoreParams } from "../score/index.ts";
import { periodKey, periodsToRefresh, type MetricPeriod, type MetricPeriodType } from "./metric-periods.ts";
import { computePeriodMetrics, type PeriodMetrics } from "./period-metrics.ts";
import { loadProviderHistory } from "./provider-history.ts";

/** Options of `refreshProviderMetrics`. */
export interface RefreshOptions {
  /** The computation instant: current periods end here. */
  asOf: number;
  /** Only periods with activity at or after this instant (plus the current ones and stored rows ending after it) are rewritten; omit for all history. */
  from?: number;
  params?: ScoreParams;
}

/** What one refresh wrote. */
export interface RefreshResult {
  providerId: string;
  rows: number;
}

/** The row a period's metrics are stored as. */
function rowOf(m: PeriodMetrics, asOf: number) {
  return {
    periodEnd: new Date(m.period.end),
    totalSignals: m.totalSignals,
    winRate: m.winRate,
    avgSlippage: m.avgSlippage,
    maxDrawdown: m.maxDrawdown,
    rewardToRisk: m.rewardToRisk,
    slComplianceRate: m.slComplianceRate,
    performanceScore: m.performanceScore,
    scoreUncertainty: m.scoreUncertainty,
    computedAt: new Date(asOf),
  };
}

/**
 * Recomputes a provider's metrics and upserts them by (provider, period type, period start), so running it twice
 * writes the same rows. The history is loaded once; the lifetime row needs all of it because drawdown depends on
 * the whole path. Rows already stored that end after `from` are rewritten too: a late trade moves the score at
 * the end of every later period.
 */
export async function refreshProviderMetrics(prisma: PrismaClient, providerId: string, opts: RefreshOptions): Promise<RefreshResult> {
  const history = await loadProviderHistory(prisma, providerId);
  const from = opts.from ?? Number.NEGATIVE_INFINITY;
  const activity = [...history.trades.map((t) => t.closeTime), ...history.signals.map((s) => s.at), ...history.slippage.map((s) => s.at)];
  const periods = periodsToRefresh(activity, from, opts.asOf);
  if (opts.from !== undefined) {
    const keys = new Set(periods.map(periodKey));
    const stored = await prisma.signalProviderMetric.findMany({
      where: { providerId, periodEnd: { gt: new Date(opts.from) }, periodType: { not: "LIFETIME" } },
      select: { periodType: true, periodStart: true, periodEnd: true },
    });
    for (const r of stored) {
      const p: MetricPeriod = { type: r.periodType as MetricPeriodType, start: r.periodStart.getTime(), end: r.periodEnd.getTime() };
      if (!keys.has(periodKey(p))) periods.push(p);
    }
  }
  const metrics = computePeriodMetrics(history, periods, opts.asOf, opts.params ?? DEFAULT_SCORE_PARAMS);
  await prisma.$transaction(
    async (tx) => {
      for (const m of metrics) {
        const data = rowOf(m, opts.asOf);
        await tx.signalProviderMetric.upsert({
          where: { providerId_periodType_periodStart: { providerId, periodType: m.period.type, periodStart: new Date(m.period.start) } },
          create: { providerId, periodType: m.period.type, periodStart: new Date(m.period.start), ...data },
          update: data,
        });
      }
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
  return { providerId, rows: metrics.length };
}

const chains = new Map<string, Promise<unknown>>();

/**
 * Brings a provider's metrics up to date after one of its trades closed: the day, week, month, rolling windows
 * and lifetime that contain `closeTime`, and every stored period after it. Calls for one provider run one after
 * another in this process, so a slower earlier refresh cannot overwrite a later one.
 */
export function updateProviderMetricsOnClose(
  prisma: PrismaClient,
  providerId: string,
  closeTime: Date | number,
  opts: { clock?: Clock; params?: ScoreParams } = {},
): Promise<RefreshResult> {
  const at = typeof closeTime === "number" ? closeTime : closeTime.getTime();
  const run = async () => refreshProviderMetrics(prisma, providerId, { asOf: Math.max((opts.clock ?? systemClock).now(), at), from: at, params: opts.params });
  const next = (chains.get(providerId) ?? Promise.resolve()).then(run, run);
  const tail = next.catch(() => undefined);
  chains.set(providerId, tail);
  void tail.then(() => {
    if (chains.get(providerId) === tail) chains.delete(providerId);
  });
  return next;
}

/** Options of `refreshAllProviderMetrics`. */
export interface RefreshAllOptions {
  asOf: number;
  params?: ScoreParams;
  onProgress?(fraction: number, note: string): void;
  signal?: AbortSignal;
}

/**
 * The scheduled sweep: for each provider, the periods touched by trades, intents or fills stored since its rows
 * were last computed (all of history the first time), plus the current periods, whose score moves with time.
 */
export async function refreshAllProviderMetrics(prisma: PrismaClient, opts: RefreshAllOptions): Promise<{ providers: number; rows: number }> {
  const providers = await prisma.signalProvider.findMany({ select: { id: true, masterAccountId: true }, orderBy: { id: "asc" } });
  const last = new Map(
    (await prisma.signalProviderMetric.groupBy({ by: ["providerId"], _max: { computedAt: true } })).map((g) => [g.providerId, g._max.computedAt]),
  );
  let rows = 0;
  for (const [i, p] of providers.entries()) {
    opts.signal?.throwIfAborted();
    const since = last.get(p.id) ?? null;
    const from = since === null ? undefined : await earliestChange(prisma, p.id, p.masterAccountId, since, opts.asOf);
    rows += (await refreshProviderMetrics(prisma, p.id, { asOf: opts.asOf, from, params: opts.params })).rows;
    opts.onProgress?.((i + 1) / providers.length, `${i + 1} of ${providers.length} providers`);
  }
  return { providers: providers.length, rows };
}

/** The earliest event time among rows stored after `since` (trades by close, intents by receipt, fills by fill), or `asOf` when none. */
async function earliestChange(prisma: PrismaClient, providerId: string, masterAccountId: string | null, since: Date, asOf: number): Promise<number> {
  const after = { gt: since };
  const [trades, intents, fills] = await Promise.all([
    prisma.closedTrade.aggregate({ where: { providerId, createdAt: after }, _min: { closeTime: true } }),
    prisma.tradeIntent.aggregate({ where: { providerId, createdAt: after }, _min: { receivedAt: true } }),
    prisma.executionLog.aggregate({
      where: { createdAt: after, status: "FILLED", OR: [{ intent: { providerId } }, ...(masterAccountId ? [{ accountId: masterAccountId }] : [])] },
      _min: { filledAt: true },
    }),
  ]);
  const times = [trades._min.closeTime, intents._min.receivedAt, fills._min.filledAt].filter((d): d is Date => d !== null).map((d) => d.getTime());
  return Math.min(asOf, ...times);
}
