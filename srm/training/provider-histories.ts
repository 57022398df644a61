import type { PrismaClient } from "../../prisma/index.ts";
import type { ClosedTrade, StatementTrades } from "../score/index.ts";

const REASONS = new Set(["SL", "TP", "MANUAL", "STOP_OUT"]);

/** Each provider's closed trades in time order, as the score engine reads them (providers with at least `minTrades`). */
export async function providerHistories(prisma: PrismaClient, minTrades: number): Promise<StatementTrades[]> {
  const providers = await prisma.signalProvider.findMany({ where: { tradeCount: { gte: minTrades } }, select: { id: true, name: true }, orderBy: { name: "asc" } });
  const out: StatementTrades[] = [];
  for (const p of providers) {
    const rows = await prisma.closedTrade.findMany({ where: { providerId: p.id }, orderBy: [{ closeTime: "asc" }, { ticket: "asc" }] });
    out.push({
      name: p.name,
      trades: rows.map(
        (t): ClosedTrade => ({
          id: t.ticket,
          openTime: t.openTime.getTime(),
          closeTime: t.closeTime.getTime(),
          profit: t.profit.toNumber(),
          costs: t.commission.toNumber() + t.swap.toNumber(),
          volume: t.volume.toNumber(),
          symbol: t.symbol,
          side: t.side,
          openPrice: t.openPrice.toNumber(),
          closePrice: t.closePrice.toNumber(),
          stopLoss: t.stopLoss?.toNumber(),
          takeProfit: t.takeProfit?.toNumber(),
          closeReason: REASONS.has(t.closeReason) ? (t.closeReason as ClosedTrade["closeReason"]) : "UNKNOWN",
        }),
      ),
    });
  }
  return out;
}
