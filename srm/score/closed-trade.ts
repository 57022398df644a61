import { invalid, type Side } from "../../core/index.ts";

/** Why a position closed; statements that never label exits give `UNKNOWN`. */
export type CloseReason = "SL" | "TP" | "MANUAL" | "STOP_OUT" | "UNKNOWN";

/**
 * A provider's closed trade as the score sees it. Plain numbers: the score is a statistic over many trades,
 * not a ledger, and this keeps `applyTrade` allocation-free. Times are epoch ms.
 */
export interface ClosedTrade {
  id?: string;
  openTime: number;
  closeTime: number;
  /** Trading P/L in account currency, before swap and commission (MT4's "profit" column). */
  profit: number;
  /** Swap, commission and taxes together, signed (negative = paid); the net result is `profit + costs`. */
  costs?: number;
  /** Result in pips where the source reports it; informational, the score works from prices and money. */
  pips?: number;
  volume: number;
  symbol: string;
  side: Side;
  openPrice: number;
  closePrice: number;
  /** The stop loss in force at close; absent or 0 means none. */
  stopLoss?: number;
  takeProfit?: number;
  closeReason: CloseReason;
}

/** The trade's net result in account currency (profit plus swap, commission and taxes). */
export function netResult(trade: ClosedTrade): number {
  return trade.profit + (trade.costs ?? 0);
}

/**
 * Money the trade stood to lose at its stop loss: the SL distance times the money per price unit implied by
 * the trade itself (|profit / price move|). Undefined without a protective SL (none, or one already locking
 * in profit) or when the trade closed at its open price, since then the money per price unit is unknown.
 */
export function stopRisk(trade: ClosedTrade): number | undefined {
  const sl = trade.stopLoss;
  if (sl === undefined || sl <= 0) return undefined;
  const dir = trade.side === "BUY" ? 1 : -1;
  const slDistance = (trade.openPrice - sl) * dir;
  const move = (trade.closePrice - trade.openPrice) * dir;
  if (!(slDistance > 0) || move === 0 || trade.profit === 0) return undefined;
  return slDistance * Math.abs(trade.profit / move);
}

/**
 * SL compliance of one trade: true when a stop loss was set and the trade's adverse move (open to close, in
 * price units, positive = against the trade) did not exceed the move the SL allowed by more than
 * `tolerance` × the SL distance |open − SL|. The tolerance absorbs ordinary slippage at the SL; a trade
 * without an SL never complies, and for a trailing SL already in profit the allowed move is negative, so
 * closing at a loss breaks it.
 */
export function respectedStopLoss(trade: ClosedTrade, tolerance: number): boolean {
  const sl = trade.stopLoss;
  if (sl === undefined || sl <= 0) return false;
  const dir = trade.side === "BUY" ? 1 : -1;
  const adverse = (trade.openPrice - trade.closePrice) * dir;
  const allowed = (trade.openPrice - sl) * dir;
  return adverse <= allowed + tolerance * Math.abs(trade.openPrice - sl);
}

/** Throws an `invalid` error naming the first field that is not a finite, sensible value. */
export function assertClosedTrade(trade: ClosedTrade): void {
  for (const key of ["openTime", "closeTime", "profit", "volume", "openPrice", "closePrice"] as const) {
    if (!Number.isFinite(trade[key])) throw invalid(`trade.${key}`, "must be a finite number", { value: trade[key] });
  }
  if (trade.costs !== undefined && !Number.isFinite(trade.costs)) throw invalid("trade.costs", "must be a finite number");
  if (trade.stopLoss !== undefined && !Number.isFinite(trade.stopLoss)) throw invalid("trade.stopLoss", "must be a finite number");
  if (trade.volume < 0) throw invalid("trade.volume", "must not be negative", { value: trade.volume });
}
