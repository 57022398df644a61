import { notFound } from "../../core/index.ts";
import type { Prisma, PrismaClient } from "../../prisma/index.ts";
import type { ClosedTrade } from "../score/index.ts";
import type { ProviderHistory } from "./period-metrics.ts";

const TRADE_SELECT = {
  id: true,
  ticket: true,
  openTime: true,
  closeTime: true,
  profit: true,
  commission: true,
  swap: true,
  pips: true,
  volume: true,
  symbol: true,
  side: true,
  openPrice: true,
  closePrice: true,
  stopLoss: true,
  takeProfit: true,
  closeReason: true,
  position: { select: { brokerPositionId: true } },
} satisfies Prisma.ClosedTradeSelect;

/** A closed-trade row with the columns the metrics read. */
export type ClosedTradeRow = Prisma.ClosedTradeGetPayload<{ select: typeof TRADE_SELECT }>;

/** A stored closed trade as the score and the metrics see it: plain numbers, exits Riskloop forced counted as manual. */
export function closedTradeFromRow(r: Omit<ClosedTradeRow, "position">): ClosedTrade {
  return {
    id: r.ticket,
    openTime: r.openTime.getTime(),
    closeTime: r.closeTime.getTime(),
    profit: r.profit.toNumber(),
    costs: r.commission.plus(r.swap).toNumber(),
    ...(r.pips !== null ? { pips: r.pips } : {}),
    volume: r.volume.toNumber(),
    symbol: r.symbol,
    side: r.side,
    openPrice: r.openPrice.toNumber(),
    closePrice: r.closePrice.toNumber(),
    ...(r.stopLoss ? { stopLoss: r.stopLoss.toNumber() } : {}),
    ...(r.takeProfit ? { takeProfit: r.takeProfit.toNumber() } : {}),
    closeReason: r.closeReason === "COPY" || r.closeReason === "EMERGENCY" ? "MANUAL" : r.closeReason,
  };
}

/**
 * Loads what a provider's metrics are computed from: its closed trades, its opening intents (signals, keyed by
 * the master position they copy, which is the key its closed trades carry too), and the slippage of its
 * executions (its own account's fills and the fills of intents copied from it).
 *
 * The starting balance is known only for account providers: the master account's balance minus the net of the
 * provider's trades, when positive. That assumes no deposits or withdrawals since the first trade, because the
 * database keeps no cash-flow history; imported statements (which have cash flows) therefore report drawdown
 * in money only.
 */
export async function loadProviderHistory(prisma: PrismaClient, providerId: string): Promise<ProviderHistory> {
  const provider = await prisma.signalProvider.findUnique({
    where: { id: providerId },
    select: { source: true, masterAccountId: true, masterAccount: { select: { balance: true } } },
  });
  if (!provider) throw notFound("provider", providerId);
  const [rows, intents, fills] = await Promise.all([
    // Close time, then open time: the order the score folds trades in everywhere else (equal close times are common).
    prisma.closedTrade.findMany({ where: { providerId }, select: TRADE_SELECT, orderBy: [{ closeTime: "asc" }, { openTime: "asc" }, { ticket: "asc" }] }),
    prisma.tradeIntent.findMany({ where: { providerId, kind: "OPEN" }, select: { id: true, receivedAt: true, masterPositionId: true, masterDealId: true } }),
    prisma.executionLog.findMany({
      where: {
        status: "FILLED",
        slippagePips: { not: null },
        OR: [{ intent: { providerId } }, ...(provider.masterAccountId ? [{ accountId: provider.masterAccountId }] : [])],
      },
      select: { slippagePips: true, filledAt: true, requestedAt: true },
    }),
  ]);
  const trades = rows.map(closedTradeFromRow);
  const net = trades.reduce((sum, t) => sum + t.profit + (t.costs ?? 0), 0);
  const balance = provider.source === "ACCOUNT" && provider.masterAccount ? provider.masterAccount.balance.toNumber() - net : null;
  return {
    trades,
    tradeKeys: rows.map((r) => r.position?.brokerPositionId ?? r.ticket),
    signals: intents.map((i) => ({ at: i.receivedAt.getTime(), key: i.masterPositionId ?? i.masterDealId ?? i.id })),
    slippage: fills.map((f) => ({ at: (f.filledAt ?? f.requestedAt).getTime(), pips: f.slippagePips! })),
    startingBalance: balance !== null && balance > 0 ? balance : null,
  };
}
