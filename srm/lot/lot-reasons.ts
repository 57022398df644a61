import type { Decimal } from "../../core/index.ts";

/** Stable codes of the changes the lot engine can make, in the order it makes them. */
export const LOT_ADJUSTMENT_CODES = {
  LOT_SCORE_REDUCED: "The provider score is below the low threshold: the lot is scaled down.",
  LOT_SCORE_INCREASED: "The provider score is above the high threshold and predicted slippage is low: the lot is scaled up.",
  LOT_SLIPPAGE_REDUCED: "Predicted p90 slippage is large relative to the SL distance: the lot is scaled down.",
  LOT_MAX_POSITION: "The position's margin would exceed the max position size (a share of equity).",
  LOT_MAX_LEVERAGE: "The position's notional value would exceed the max leverage times equity.",
  LOT_MAX_RISK: "The loss at the SL would exceed the max risk per trade (a share of equity).",
  LOT_FREE_MARGIN: "The position's margin would exceed the free margin.",
  LOT_SYMBOL_MAX_VOLUME: "The lot exceeds the symbol's max volume.",
  LOT_VOLUME_STEP: "The lot is rounded down to the symbol's volume step.",
} as const;

/** Stable codes of the reasons the lot engine refuses to size a trade. */
export const LOT_REJECT_CODES = {
  LOT_BELOW_MIN_VOLUME: "After all limits the lot is below the symbol's min volume; it is never rounded up into more risk.",
  LOT_INVALID_STOP_LOSS: "The stop loss is missing, on the wrong side of the entry, or at the entry price.",
  LOT_NO_EQUITY: "The account has no positive equity to size against.",
} as const;

export type LotAdjustmentCode = keyof typeof LOT_ADJUSTMENT_CODES;
export type LotRejectCode = keyof typeof LOT_REJECT_CODES;

/** One change to the lot, with its before and after values and a sentence for people. */
export interface Adjustment {
  code: LotAdjustmentCode;
  text: string;
  before: Decimal;
  after: Decimal;
}

/** Why a trade cannot be sized. */
export interface LotRejection {
  code: LotRejectCode;
  text: string;
}

/** A lot for people: at least two decimals, more only where the value has them (up to 5). */
export function formatLot(lot: Decimal): string {
  const places = Math.min(5, Math.max(2, lot.decimalPlaces()));
  return lot.toFixed(places, 1);
}

/** Money for people: two decimals. */
export function formatMoney(amount: Decimal): string {
  return amount.toFixed(2);
}
