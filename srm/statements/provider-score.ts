import type { Prisma } from "../../prisma/index.ts";
import { applyTrade, createScoreState, scoreHistory, scoreOf, type ClosedTrade, type ScoreState } from "../score/index.ts";
import type { StatementTrade } from "./statement.ts";
import { canonicalSymbol } from "./statement-symbol.ts";

/** A statement row as the score engine sees it (commission, taxes and swap together as costs). */
export function scoreTradeOf(t: StatementTrade): ClosedTrade {
  return {
    id: t.ticket,
    openTime: t.openTime,
    closeTime: t.closeTime,
    profit: t.profit.toNumber(),
    costs: t.commission.plus(t.taxes).plus(t.swap).toNumber(),
    volume: t.size.toNumber(),
    symbol: canonicalSymbol(t.symbol),
    side: t.type === "buy" ? "BUY" : "SELL",
    openPrice: t.openPrice.toNumber(),
    closePrice: t.closePrice.toNumber(),
    ...(t.sl.gt(0) ? { stopLoss: t.sl.toNumber() } : {}),
    ...(t.tp.gt(0) ? { takeProfit: t.tp.toNumber() } : {}),
    closeReason: t.closeReason,
  };
}

/** The closed-trade columns the score needs, as read back from the database. */
export const SCORE_TRADE_SELECT = {
  ticket: true,
  openTime: true,
  closeTime: true,
  profit: true,
  commission: true,
  swap: true,
  volume: true,
  symbol: true,
  side: true,
  openPrice: true,
  closePrice: true,
  stopLoss: true,
  takeProfit: true,
  closeReason: true,
} satisfies Prisma.ClosedTradeSelect;

type StoredTrade = Prisma.ClosedTradeGetPayload<{ select: typeof SCORE_TRADE_SELECT }>;

function scoreTradeFromRow(r: StoredTrade): ClosedTrade {
  const reason = r.closeReason;
  return {
    id: r.ticket,
    openTime: r.openTime.getTime(),
    closeTime: r.closeTime.getTime(),
    profit: r.profit.toNumber(),
    costs: r.commission.plus(r.swap).toNumber(),
    volume: r.volume.toNumber(),
    symbol: r.symbol,
    side: r.side,
    openPrice: r.openPrice.toNumber(),
    closePrice: r.closePrice.toNumber(),
    ...(r.stopLoss ? { stopLoss: r.stopLoss.toNumber() } : {}),
    ...(r.takeProfit ? { takeProfit: r.takeProfit.toNumber() } : {}),
    closeReason: reason === "COPY" || reason === "EMERGENCY" ? "MANUAL" : reason,
  };
}

/** A score state built from stored closed trades (a provider's whole record, in close-time order). */
export function scoreOfStored(trades: readonly StoredTrade[]): ScoreState {
  return scoreHistory(trades.map(scoreTradeFromRow));
}

/** How the provider's score state was brought up to date. */
export type ScoreUpdate = "unchanged" | "incremental" | "rebuilt";

/**
 * Folds new closed trades into a provider's score state in close-time order, O(1) per trade. When a new
 * trade closed before the last one already folded (an older or overlapping statement), folding would apply
 * history out of order, so the state is rebuilt from all of the provider's stored trades instead.
 */
export async function updateProviderScore(
  previous: ScoreState | null,
  added: readonly StatementTrade[],
  storedTrades: () => Promise<StoredTrade[]>,
): Promise<{ state: ScoreState; update: ScoreUpdate }> {
  if (added.length === 0 && previous) return { state: previous, update: "unchanged" };
  const ordered = added.map(scoreTradeOf).sort((a, b) => a.closeTime - b.closeTime || a.openTime - b.openTime);
  const last = previous?.lastCloseTime ?? null;
  if (last === null || ordered[0] === undefined || ordered[0].closeTime >= last) {
    return { state: ordered.reduce((s, t) => applyTrade(s, t), previous ?? createScoreState()), update: "incremental" };
  }
  const all = (await storedTrades()).map(scoreTradeFromRow).sort((a, b) => a.closeTime - b.closeTime || a.openTime - b.openTime);
  return { state: scoreHistory(all), update: "rebuilt" };
}

/** The provider columns that follow from a score state, scored as of its last closed trade. */
export function providerScoreColumns(state: ScoreState): {
  scoreState: Prisma.InputJsonValue;
  score: number | null;
  scoreUncertainty: number | null;
  tradeCount: number;
  firstTradeAt: Date | null;
  lastTradeAt: Date | null;
} {
  const at = state.lastCloseTime;
  const s = at === null ? null : scoreOf(state, at);
  return {
    scoreState: state as unknown as Prisma.InputJsonValue,
    score: s?.score ?? null,
    scoreUncertainty: s?.uncertainty ?? null,
    tradeCount: state.trades,
    firstTradeAt: state.firstOpenTime === null ? null : new Date(state.firstOpenTime),
    lastTradeAt: at === null ? null : new Date(at),
  };
}
