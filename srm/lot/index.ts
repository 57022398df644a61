export { lotConfig, DEFAULT_LOT_PARAMS, type LotParams } from "./lot.config.ts";
export { computeLot, type LotInput, type LotResult, type LotSizing, type LotLimits } from "./compute-lot.ts";
export { scoreMultiplier, slippageMultiplier } from "./lot-multipliers.ts";
export {
  LOT_ADJUSTMENT_CODES,
  LOT_REJECT_CODES,
  formatLot,
  type Adjustment,
  type LotRejection,
  type LotAdjustmentCode,
  type LotRejectCode,
} from "./lot-reasons.ts";
