import { TIMEFRAMES, type Timeframe } from "../../core/index.ts";
import type { ChartParams } from "./chart.config.ts";
import { percentileRank, unit } from "./chart-series.ts";

export type Regime = "trending" | "ranging" | "volatile";

/** The market's state, the numbers behind it and a timeframe that suits it. */
export interface RegimeReading {
  regime: Regime;
  confidence: number;
  adx: number | null;
  /** Percentile of the last ATR(14) among the analysed bars' ATR values. */
  atrPercentile: number | null;
  /** Percentile of the last Bollinger width ((upper − lower) / middle, 20 bars, 2σ) among the analysed bars'. */
  bandWidthPercentile: number | null;
  suggestedTimeframe: Timeframe;
}

/** Inputs of the regime rule, each a series over the analysed bars (NaN in warm-up). */
export interface RegimeInputs {
  atr: Float64Array;
  bandWidth: Float64Array;
  adx: number | null;
}

function step(timeframe: Timeframe, by: -1 | 1): Timeframe {
  const i = TIMEFRAMES.indexOf(timeframe) + by;
  return TIMEFRAMES[Math.min(TIMEFRAMES.length - 1, Math.max(0, i))]!;
}

/**
 * The regime, by precedence: volatile when the current ATR ranks at or above `volatilePercentile` of the
 * analysed bars (a burst matters more than its direction), else trending when ADX ≥ `adxTrending`, else
 * ranging. Confidence is 0.5 at a threshold and grows with the distance from it (for ranging, also with
 * narrow Bollinger bands).
 *
 * Suggested timeframe: volatile → one step higher (its bars absorb the noise, so stops sized on them survive
 * it); trending → the analysed timeframe (trend signals on it are working); ranging → one step lower (a range
 * is traded at its edges, which needs finer entries).
 */
export function classifyRegime(timeframe: Timeframe, inputs: RegimeInputs, params: ChartParams): RegimeReading {
  const n = inputs.atr.length;
  const atrPercentile = percentileRank(inputs.atr, inputs.atr[n - 1]!);
  const bandWidthPercentile = percentileRank(inputs.bandWidth, inputs.bandWidth[n - 1]!);
  const adx = inputs.adx;
  const base = { adx, atrPercentile, bandWidthPercentile };
  if (atrPercentile !== null && atrPercentile >= params.volatilePercentile) {
    const room = Math.max(1e-9, 100 - params.volatilePercentile);
    const confidence = 0.5 + 0.5 * unit((atrPercentile - params.volatilePercentile) / room);
    return { regime: "volatile", confidence, ...base, suggestedTimeframe: step(timeframe, 1) };
  }
  if (adx !== null && adx >= params.adxTrending) {
    const confidence = 0.5 + 0.5 * unit((adx - params.adxTrending) / 25);
    return { regime: "trending", confidence, ...base, suggestedTimeframe: timeframe };
  }
  const calm = adx === null ? 0 : unit((params.adxTrending - adx) / 15);
  const narrow = bandWidthPercentile === null ? 0 : 1 - bandWidthPercentile / 100;
  return { regime: "ranging", confidence: 0.5 + 0.25 * calm + 0.25 * narrow, ...base, suggestedTimeframe: step(timeframe, -1) };
}
