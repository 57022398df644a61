import type { PrismaClient } from "../../prisma/index.ts";
import { closedTradeFromRow } from "../provider-metrics/index.ts";
import type { StatementTrades } from "../score/index.ts";

/** Each provider's closed trades in time order, as the score engine reads them (providers with at least `minTrades`). */
export async function providerHistories(prisma: PrismaClient, minTrades: number): Promise<StatementTrades[]> {
  const providers = await prisma.signalProvider.findMany({ where: { tradeCount: { gte: minTrades } }, select: { id: true, name: true }, orderBy: { name: "asc" } });
  const out: StatementTrades[] = [];
  for (const p of providers) {
    const rows = await prisma.closedTrade.findMany({ where: { providerId: p.id }, orderBy: [{ closeTime: "asc" }, { ticket: "asc" }] });
    out.push({ name: p.name, trades: rows.map(closedTradeFromRow) });
  }
  return out;
}
