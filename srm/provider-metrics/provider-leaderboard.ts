import { notFound, type Actor } from "../../core/index.ts";
import type { Prisma, PrismaClient } from "../../prisma/index.ts";
import { DEFAULT_SCORE_PARAMS, scoreOf, type ScoreParams, type ScoreState } from "../score/index.ts";
import type { MetricPeriodType } from "./metric-periods.ts";

/** A stored metrics row as the API shows it. */
export interface MetricsView {
  periodType: MetricPeriodType;
  periodStart: string;
  periodEnd: string;
  totalSignals: number;
  winRate: number | null;
  avgSlippage: number | null;
  maxDrawdown: number | null;
  rewardToRisk: number | null;
  slComplianceRate: number | null;
  performanceScore: number | null;
  scoreUncertainty: number | null;
  computedAt: string;
}

/** One line of the provider leaderboard. */
export interface LeaderboardEntry {
  id: string;
  name: string;
  source: string;
  isDemo: boolean;
  /** The caller owns this provider. */
  own: boolean;
  /** The score now (idle decay applied), as SRM's decisions see it; null before the first trade. */
  score: number | null;
  uncertainty: number | null;
  interval: [number, number] | null;
  mature: boolean;
  maturity: { trades: number; minTrades: number; weeks: number; minWeeks: number } | null;
  tradeCount: number;
  lastTradeAt: string | null;
  lifetime: MetricsView | null;
  last30Days: MetricsView | null;
}

/** How many providers a leaderboard ranks at most before cutting to the page. */
const RANKED = 1000;

/**
 * Which providers an actor sees on the leaderboard: the house list (providers owned by an admin, such as
 * statements imported by the platform, or by nobody) and accounts their owners published (source ACCOUNT,
 * `POST /providers`); statements a user imported stay private to that user. A user also sees the providers they
 * own; an admin sees all.
 */
export function visibleProviders(actor: Actor): Prisma.SignalProviderWhereInput {
  return actor.role === "ADMIN" ? {} : { OR: [{ ownerId: actor.id }, { ownerId: null }, { owner: { role: "ADMIN" } }, { source: "ACCOUNT" }] };
}

type MetricRow = Prisma.SignalProviderMetricGetPayload<object>;

function metricsView(r: MetricRow): MetricsView {
  return {
    periodType: r.periodType,
    periodStart: r.periodStart.toISOString(),
    periodEnd: r.periodEnd.toISOString(),
    totalSignals: r.totalSignals,
    winRate: r.winRate,
    avgSlippage: r.avgSlippage,
    maxDrawdown: r.maxDrawdown,
    rewardToRisk: r.rewardToRisk,
    slComplianceRate: r.slComplianceRate,
    performanceScore: r.performanceScore,
    scoreUncertainty: r.scoreUncertainty,
    computedAt: r.computedAt.toISOString(),
  };
}

/**
 * The leaderboard: visible providers by their score now (highest first; lower uncertainty first on ties), with
 * maturity and the key metrics of their lifetime row and latest 30-day window.
 */
export async function providerLeaderboard(
  prisma: PrismaClient,
  actor: Actor,
  now: number,
  opts: { limit: number; includeDemo: boolean; params?: ScoreParams },
): Promise<LeaderboardEntry[]> {
  const where: Prisma.SignalProviderWhereInput = { AND: [visibleProviders(actor), opts.includeDemo ? {} : { isDemo: false }] };
  const providers = await prisma.signalProvider.findMany({ where, orderBy: [{ score: { sort: "desc", nulls: "last" } }, { id: "asc" }], take: RANKED });
  const ids = providers.map((p) => p.id);
  const [lifetime, rolling] = await Promise.all([
    prisma.signalProviderMetric.findMany({ where: { providerId: { in: ids }, periodType: "LIFETIME" } }),
    prisma.signalProviderMetric.findMany({ where: { providerId: { in: ids }, periodType: "ROLLING_30D" }, orderBy: { periodStart: "desc" }, distinct: ["providerId"] }),
  ]);
  const byProvider = (rows: MetricRow[]) => new Map(rows.map((r) => [r.providerId, metricsView(r)]));
  const life = byProvider(lifetime);
  const last30 = byProvider(rolling);
  const entries = providers.map((p): LeaderboardEntry => {
    const s = p.scoreState ? scoreOf(p.scoreState as unknown as ScoreState, now, opts.params ?? DEFAULT_SCORE_PARAMS) : null;
    return {
      id: p.id,
      name: p.name,
      source: p.source,
      isDemo: p.isDemo,
      own: p.ownerId === actor.id,
      score: s?.score ?? null,
      uncertainty: s?.uncertainty ?? null,
      interval: s?.interval ?? null,
      mature: s?.mature ?? false,
      maturity: s?.maturity ?? null,
      tradeCount: p.tradeCount,
      lastTradeAt: p.lastTradeAt?.toISOString() ?? null,
      lifetime: life.get(p.id) ?? null,
      last30Days: last30.get(p.id) ?? null,
    };
  });
  entries.sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || (a.uncertainty ?? Infinity) - (b.uncertainty ?? Infinity) || a.name.localeCompare(b.name));
  return entries.slice(0, opts.limit);
}

/** A provider's stored metrics, newest period first; only its owner and admins may read them (others get not found). */
export async function providerMetricRows(
  prisma: PrismaClient,
  actor: Actor,
  providerId: string,
  opts: { periodType?: MetricPeriodType; limit: number },
): Promise<MetricsView[]> {
  const provider = await prisma.signalProvider.findFirst({ where: { id: providerId, ...(actor.role === "ADMIN" ? {} : { ownerId: actor.id }) }, select: { id: true } });
  if (!provider) throw notFound("provider", providerId);
  const rows = await prisma.signalProviderMetric.findMany({
    where: { providerId, periodType: opts.periodType },
    orderBy: [{ periodStart: "desc" }, { periodType: "asc" }],
    take: opts.limit,
  });
  return rows.map(metricsView);
}
