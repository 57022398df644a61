import type { PrismaClient } from "../../prisma/index.ts";
import { featuresFromExecution, type ExecutionFeatureRow, type FeatureInput } from "../features/index.ts";

/** One training example: what was known before the fill, what slippage followed, and whose fill it was. */
export interface SlippageRow {
  at: number;
  accountId: string;
  features: FeatureInput;
  slippagePips: number;
}

const FILL_KINDS = { OPEN: "MARKET", CLOSE: "MARKET", MODIFY: "MARKET", SL_FILL: "STOP", TP_FILL: "LIMIT" } as const;

/**
 * Loads filled executions in a window as training rows, oldest first. A live execution carries the exact
 * features its decision used (so training sees what serving saw); an imported fill (no decision) is encoded
 * from the execution log's own context columns through the same builder.
 */
export async function loadSlippageRows(
  prisma: PrismaClient,
  window: { from: Date; to: Date },
  pipSizeOf: (symbol: string) => number,
): Promise<SlippageRow[]> {
  const rows = await prisma.executionLog.findMany({
    where: {
      status: "FILLED",
      slippagePips: { not: null },
      requestedAt: { gte: window.from, lt: window.to },
      // Demo accounts fill at the requested price; their zero slippage would teach the model a world that followers never trade in.
      account: { OR: [{ provider: { is: null } }, { provider: { is: { isDemo: false } } }] },
    },
    orderBy: [{ requestedAt: "asc" }, { id: "asc" }],
    select: {
      accountId: true,
      symbol: true,
      side: true,
      kind: true,
      volume: true,
      requestedAt: true,
      requestedPrice: true,
      slippagePips: true,
      marketAtr: true,
      volatilityIndex: true,
      spread: true,
      tradingSession: true,
      brokerOrderId: true,
      decision: { select: { features: true } },
      intent: { select: { stopLoss: true, price: true, signalTime: true } },
    },
  });
  const stops = await entryStops(prisma, rows.filter((r) => !r.decision && (r.kind === "SL_FILL" || r.kind === "TP_FILL")));
  return rows.map((r) => {
    const fillKind = FILL_KINDS[r.kind];
    let features: FeatureInput;
    // Exits and modifications are decided without features (they always pass): encode those from the log.
    const decided = r.decision?.features as Partial<FeatureInput> | undefined;
    if (decided && typeof decided.symbol === "string") {
      features = { ...(decided as FeatureInput), fillKind };
    } else {
      const row: ExecutionFeatureRow = {
        symbol: r.symbol,
        side: r.side,
        kind: r.kind,
        requestedAt: r.requestedAt.getTime(),
        pipSize: pipSizeOf(r.symbol),
        marketAtr: r.marketAtr,
        volatilityIndex: r.volatilityIndex,
        spread: r.spread?.toNumber() ?? null,
        tradingSession: r.tradingSession,
        requestedPrice: r.requestedPrice?.toNumber() ?? null,
        slDistancePips: slDistance(r, stops, pipSizeOf(r.symbol)),
        signalTime: r.intent?.signalTime.getTime() ?? null,
        volume: r.volume.toNumber(),
        providerScore: null,
        providerTradeCount: 0,
        accountDrawdown: null,
      };
      features = featuresFromExecution(row);
    }
    return { at: r.requestedAt.getTime(), accountId: r.accountId, features, slippagePips: r.slippagePips! };
  });
}

type ExitRow = { accountId: string; brokerOrderId: string | null };

/** Entry price and stop loss of the closed trades behind imported SL/TP fills (matched by ticket). */
async function entryStops(prisma: PrismaClient, exits: ExitRow[]): Promise<Map<string, { open: number; sl: number | null }>> {
  const tickets = [...new Set(exits.map((e) => e.brokerOrderId).filter((t): t is string => t !== null))];
  const out = new Map<string, { open: number; sl: number | null }>();
  for (let i = 0; i < tickets.length; i += 5000) {
    const trades = await prisma.closedTrade.findMany({
      where: { ticket: { in: tickets.slice(i, i + 5000) } },
      select: { accountId: true, ticket: true, openPrice: true, stopLoss: true },
    });
    for (const t of trades) out.set(`${t.accountId}:${t.ticket}`, { open: t.openPrice.toNumber(), sl: t.stopLoss?.toNumber() ?? null });
  }
  return out;
}

function slDistance(
  r: { accountId: string; brokerOrderId: string | null; intent: { stopLoss: { toNumber(): number } | null; price: { toNumber(): number } | null } | null },
  stops: Map<string, { open: number; sl: number | null }>,
  pipSize: number,
): number | null {
  if (r.intent?.stopLoss && r.intent.price) return Math.abs(r.intent.price.toNumber() - r.intent.stopLoss.toNumber()) / pipSize;
  const t = r.brokerOrderId ? stops.get(`${r.accountId}:${r.brokerOrderId}`) : undefined;
  return t && t.sl !== null ? Math.abs(t.open - t.sl) / pipSize : null;
}
