import type { ClosedTrade, ExecutionLog, Order, Position } from "../../prisma/index.ts";

// What the API and the WebSocket show of the trading rows: decimals as strings, times as ISO strings.
const str = (d: { toString(): string } | null) => (d === null ? null : d.toString());
const iso = (d: Date | null) => (d === null ? null : d.toISOString());

/** A position as the API and the live feed show it. */
export function positionView(r: Position) {
  return {
    id: r.id,
    accountId: r.accountId,
    brokerPositionId: r.brokerPositionId,
    symbol: r.symbol,
    side: r.side,
    volume: r.volume.toString(),
    openPrice: r.openPrice.toString(),
    currentPrice: str(r.currentPrice),
    stopLoss: str(r.stopLoss),
    takeProfit: str(r.takeProfit),
    swap: r.swap.toString(),
    commission: r.commission.toString(),
    profit: r.profit.toString(),
    predictedSlippage: r.predictedSlippage,
    performanceScoreAtEntry: r.performanceScoreAtEntry,
    srmAdjustedLot: str(r.srmAdjustedLot),
    clientOrderId: r.clientOrderId,
    copyLinkId: r.copyLinkId,
    status: r.status,
    openedAt: r.openedAt.toISOString(),
    closedAt: iso(r.closedAt),
  };
}

/** A pending order as the API and the live feed show it. */
export function orderView(r: Order) {
  return {
    id: r.id,
    accountId: r.accountId,
    brokerOrderId: r.brokerOrderId,
    clientOrderId: r.clientOrderId,
    symbol: r.symbol,
    type: r.type,
    volume: r.volume.toString(),
    price: r.openPrice.toString(),
    stopLimitPrice: str(r.stopLimitPrice),
    stopLoss: str(r.stopLoss),
    takeProfit: str(r.takeProfit),
    state: r.state,
    expiresAt: iso(r.expiresAt),
    createdAt: r.createdAt.toISOString(),
  };
}

/** A closed trade as the API and the live feed show it. */
export function closedTradeView(r: ClosedTrade) {
  return {
    id: r.id,
    accountId: r.accountId,
    positionId: r.positionId,
    ticket: r.ticket,
    symbol: r.symbol,
    side: r.side,
    volume: r.volume.toString(),
    openTime: r.openTime.toISOString(),
    closeTime: r.closeTime.toISOString(),
    openPrice: r.openPrice.toString(),
    closePrice: r.closePrice.toString(),
    stopLoss: str(r.stopLoss),
    takeProfit: str(r.takeProfit),
    commission: r.commission.toString(),
    swap: r.swap.toString(),
    profit: r.profit.toString(),
    pips: r.pips,
    closeReason: r.closeReason,
  };
}

/** An execution log row as the API and the live feed show it. */
export function executionView(r: ExecutionLog) {
  return {
    id: r.id,
    accountId: r.accountId,
    decisionId: r.decisionId,
    clientOrderId: r.clientOrderId,
    brokerOrderId: r.brokerOrderId,
    positionId: r.positionId,
    symbol: r.symbol,
    side: r.side,
    kind: r.kind,
    volume: r.volume.toString(),
    status: r.status,
    requestedPrice: str(r.requestedPrice),
    filledPrice: str(r.filledPrice),
    slippagePips: r.slippagePips,
    latencyMs: r.latencyMs,
    marketAtr: r.marketAtr,
    tradingSession: r.tradingSession,
    dayOfWeek: r.dayOfWeek,
    volatilityIndex: r.volatilityIndex,
    spread: str(r.spread),
    errorCode: r.errorCode,
    error: r.error,
    requestedAt: r.requestedAt.toISOString(),
    filledAt: iso(r.filledAt),
  };
}
