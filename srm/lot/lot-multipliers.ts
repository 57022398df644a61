import type { LotParams } from "./lot.config.ts";

/**
 * Lot multiplier from the provider score: 1 between the low and high thresholds; below the low threshold it
 * falls linearly to `scoreFloorMultiplier` at `scoreFloorAt` (and stays there); above the high threshold it
 * rises linearly to `scoreMaxMultiplier` at 100, but only when the predicted slippage is known and at most
 * `boostMaxSlippageRatio` of the SL distance. Non-decreasing in the score.
 */
export function scoreMultiplier(score: number, slippageRatio: number | undefined, p: LotParams): number {
  if (score < p.scoreLowThreshold) {
    if (score <= p.scoreFloorAt) return p.scoreFloorMultiplier;
    const depth = (p.scoreLowThreshold - score) / (p.scoreLowThreshold - p.scoreFloorAt);
    return 1 - depth * (1 - p.scoreFloorMultiplier);
  }
  const boostable = slippageRatio !== undefined && slippageRatio <= p.boostMaxSlippageRatio;
  if (score > p.scoreHighThreshold && boostable && p.scoreHighThreshold < 100) {
    return 1 + ((Math.min(score, 100) - p.scoreHighThreshold) / (100 - p.scoreHighThreshold)) * (p.scoreMaxMultiplier - 1);
  }
  return 1;
}

/**
 * Lot multiplier from predicted p90 slippage as a share of the SL distance: 1 up to the threshold, then
 * (1 + threshold)/(1 + ratio), which keeps the risk including slippage at what it was at the threshold,
 * floored at `slippageFloorMultiplier`. Continuous and non-increasing in the ratio.
 */
export function slippageMultiplier(ratio: number, p: LotParams): number {
  if (ratio <= p.slippageRatioThreshold) return 1;
  return Math.max(p.slippageFloorMultiplier, (1 + p.slippageRatioThreshold) / (1 + ratio));
}
