import type { ReplayTrade } from "./replay-history.ts";

/** How the follower's copy of a trade ended. */
export interface CopyOutcome {
  /** Net result in account currency (trading result plus commission, taxes and swap). */
  net: number;
  /** True when the exit was re-priced at the buffered stop loss. */
  bufferedExit: boolean;
}

/**
 * The follower's result for a trade copied with `lot` and stop loss `stopLoss` (null when it has none).
 *
 * Without prices between open and close only two things can be re-computed exactly. Size: the trade's result,
 * commission and swap scale by lot / provider lot. The stop: a buffered stop changes the outcome only when the
 * real trade was closed by its stop loss (MT4 wrote `[sl]`). Then the copy exits at the buffered level moved by
 * the fill slippage the real stop got: exit = buffered SL − (SL − fill) for a buy, buffered SL + (fill − SL) for
 * a sell. Its result is the price move from the open to that exit times the money per price unit per lot the
 * trade itself shows (|profit| / |move| / lots; the instrument's median when the trade closed at its open)
 * times the copy's lot. This is conservative: it assumes the move that took out the stop also took out the
 * buffer, so the buffer never saves a trade here. A trade that ended any other way (take profit, manual, an
 * unlabelled exit) cannot be re-simulated without prices and keeps its result, scaled.
 */
export function copyOutcome(t: ReplayTrade, lot: number, stopLoss: number | null, unitValuePerLot: number): CopyOutcome {
  const volume = t.volume.toNumber();
  const scale = lot / volume;
  const original = t.stopLoss?.toNumber();
  if (t.scored.closeReason !== "SL" || original === undefined || stopLoss === null || stopLoss === original) {
    return { net: (t.profit + t.costs) * scale, bufferedExit: false };
  }
  const dir = t.side === "BUY" ? 1 : -1;
  const open = t.openPrice.toNumber();
  const slippage = (original - t.closePrice) * dir;
  const exit = stopLoss - slippage * dir;
  const move = (t.closePrice - open) * dir;
  const perLot = move !== 0 && t.profit !== 0 ? Math.abs(t.profit / move) / volume : unitValuePerLot;
  return { net: (exit - open) * dir * perLot * lot + t.costs * scale, bufferedExit: true };
}
