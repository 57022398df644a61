import { field, loadConfig, type SectionValue } from "../../core/index.ts";

/** Thresholds, multipliers and account limits of the lot engine. */
export const lotConfig = {
  scoreLowThreshold: field.number("SRM_LOT_SCORE_LOW_THRESHOLD", "Provider score below which the lot is reduced.", { default: 60, min: 0, max: 100 }),
  scoreFloorAt: field.number("SRM_LOT_SCORE_FLOOR_AT", "Provider score at and below which the reduction reaches its floor.", { default: 30, min: 0, max: 100 }),
  scoreFloorMultiplier: field.number("SRM_LOT_SCORE_FLOOR_MULTIPLIER", "Smallest multiplier a low provider score applies.", {
    default: 0.25,
    min: 0,
    max: 1,
  }),
  scoreHighThreshold: field.number("SRM_LOT_SCORE_HIGH_THRESHOLD", "Provider score above which the lot may be increased.", {
    default: 80,
    min: 0,
    max: 100,
  }),
  scoreMaxMultiplier: field.number("SRM_LOT_SCORE_MAX_MULTIPLIER", "Largest multiplier a provider score of 100 applies.", { default: 1.25, min: 1, max: 3 }),
  boostMaxSlippageRatio: field.number(
    "SRM_LOT_BOOST_MAX_SLIPPAGE_RATIO",
    "Highest predicted p90 slippage, as a share of the SL distance, at which a high score may increase the lot (unknown slippage never does).",
    { default: 0.05, min: 0 },
  ),
  slippageRatioThreshold: field.number(
    "SRM_LOT_SLIPPAGE_RATIO_THRESHOLD",
    "Predicted p90 slippage, as a share of the SL distance, above which the lot is reduced.",
    { default: 0.1, min: 0 },
  ),
  slippageFloorMultiplier: field.number("SRM_LOT_SLIPPAGE_FLOOR_MULTIPLIER", "Smallest multiplier high predicted slippage applies.", {
    default: 0.25,
    min: 0,
    max: 1,
  }),
  maxPositionMarginPercent: field.number(
    "SRM_LOT_MAX_POSITION_MARGIN_PERCENT",
    "Max position size: the margin one position may tie up, in percent of equity.",
    { default: 5, min: 0 },
  ),
  maxLeverage: field.number("SRM_LOT_MAX_LEVERAGE", "Max leverage of one position: its notional value over equity.", { default: 20, min: 0 }),
  maxRiskPercent: field.number("SRM_LOT_MAX_RISK_PERCENT", "Max risk per trade: money lost at the (buffered) SL, in percent of equity.", {
    default: 2,
    min: 0,
  }),
};

/** The lot engine's parameters as loaded (or the defaults). */
export type LotParams = SectionValue<typeof lotConfig>;

/** The declared defaults, for callers and tests that do not load the environment. */
export const DEFAULT_LOT_PARAMS: LotParams = loadConfig({ lot: lotConfig }, {}, []).value.lot;
