import { conventionalPipSize, invalid, TIMEFRAME_MS, type Candle, type Timeframe } from "../../core/index.ts";
import { adx, atr, bollingerBands } from "../indicators/index.ts";
import type { AnalysisResult, SummaryResult } from "./analysis-result.ts";
import { DEFAULT_CHART_PARAMS, type ChartParams } from "./chart.config.ts";
import { toSeries } from "./chart-series.ts";
import { detectPatterns, patternBalance } from "./detect-patterns.ts";
import { classifyRegime } from "./market-regime.ts";
import { advise } from "./advise.ts";
import { findLevels } from "./support-resistance.ts";
import { detectTrend } from "./trend.ts";

/** Fewest bars an analysis accepts: ADX(14) needs 28 for its first value. */
export const MIN_ANALYSIS_BARS = 30;

/** Vote of a trend reading: its direction's sign times its confidence. */
function vote(direction: "up" | "down" | "sideways", confidence: number): number {
  return direction === "up" ? confidence : direction === "down" ? -confidence : 0;
}

/**
 * Trend, levels, candlestick patterns, regime and a summary of one symbol's closed `candles` (ascending, at
 * least MIN_ANALYSIS_BARS). Pure: the same candles give the same result.
 */
export function analyse(
  symbol: string,
  timeframe: Timeframe,
  candles: readonly Candle[],
  params: ChartParams = DEFAULT_CHART_PARAMS,
  pipSize = conventionalPipSize(symbol),
): AnalysisResult {
  if (candles.length < MIN_ANALYSIS_BARS) throw invalid("candles", `need at least ${MIN_ANALYSIS_BARS} bars, got ${candles.length}`);
  const s = toSeries(candles);
  const n = s.close.length;
  const atrSeries = atr(s.high, s.low, s.close, 14);
  const lastAtr = atrSeries[n - 1]!;
  const adxLast = adx(s.high, s.low, s.close, 14).adx[n - 1]!;
  const adxValue = Number.isNaN(adxLast) ? null : adxLast;
  const bands = bollingerBands(s.close, { period: 20, devUp: 2, devDown: 2 });
  const bandWidth = bands.upper.map((u, i) => (u - bands.lower[i]!) / bands.middle[i]!);

  const short = detectTrend(s, params.trendShortBars, lastAtr, adxValue, params);
  const long = detectTrend(s, params.trendLongBars, lastAtr, adxValue, params);
  const levels = findLevels(s, lastAtr, params);
  const hits = detectPatterns(s, params.patternBars);
  const balance = patternBalance(hits);
  const regime = classifyRegime(timeframe, { atr: atrSeries, bandWidth, adx: adxValue }, params);

  const patternConfidence = Math.abs(balance.net);
  const score = 0.5 * vote(long.direction, long.confidence) + 0.3 * vote(short.direction, short.confidence) + 0.2 * balance.net;
  const bias: SummaryResult["bias"] = score > 0.15 ? "bullish" : score < -0.15 ? "bearish" : "neutral";
  // A bias is as sure as its vote; "no bias" is at most half sure, and less the closer the vote came to one.
  const summaryConfidence = bias === "neutral" ? 0.5 * (1 - Math.abs(score) / 0.15) : Math.abs(score);
  const nearest = [levels.support[0], levels.resistance[0]].filter((l) => l !== undefined);
  const levelConfidence = nearest.length === 0 ? 0 : nearest.reduce((sum, l) => sum + l.strength, 0) / nearest.length;

  const base = {
    symbol,
    timeframe,
    bars: n,
    dataFrom: s.time[0]!,
    dataTo: s.time[n - 1]! + TIMEFRAME_MS[timeframe],
    lastClose: s.close[n - 1]!,
    atr: Number.isNaN(lastAtr) ? null : lastAtr,
  };
  const readings = {
    trend: { short, long },
    levels,
    patterns: { hits, net: balance.net },
    regime,
    summary: { bias, score },
  };
  const advice = advise(base, readings, pipSize);
  return {
    ...base,
    trend: { result: readings.trend, confidence: (short.confidence + long.confidence) / 2, recommendations: advice.trend },
    levels: { result: levels, confidence: levelConfidence, recommendations: advice.levels },
    patterns: { result: readings.patterns, confidence: patternConfidence, recommendations: advice.patterns },
    regime: { result: regime, confidence: regime.confidence, recommendations: advice.regime },
    summary: { result: readings.summary, confidence: summaryConfidence, recommendations: advice.summary },
  };
}
