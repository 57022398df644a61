export { chartConfig, DEFAULT_CHART_PARAMS, type ChartParams } from "./chart.config.ts";
export { analyse, MIN_ANALYSIS_BARS } from "./analyse.ts";
export {
  ANALYSIS_KINDS,
  sectionOf,
  type AnalysisKind,
  type AnalysisResult,
  type AnalysisSection,
  type PatternsResult,
  type SummaryResult,
  type TrendResult,
} from "./analysis-result.ts";
export { AnalysisService, type AnalysisServiceOptions, type RunOptions, type StoredAnalysis } from "./analysis-service.ts";
export { detectTrend, strengthOf, type Strength, type TrendDirection, type TrendReading } from "./trend.ts";
export { findLevels, findPivots, type Level, type LevelsReading } from "./support-resistance.ts";
export { classifyRegime, type Regime, type RegimeInputs, type RegimeReading } from "./market-regime.ts";
export { detectPatterns, patternBalance, type PatternHit } from "./detect-patterns.ts";
export { CANDLE_PATTERNS } from "./candle-patterns.ts";
export { scanPattern, type CandlePattern } from "./candle-pattern.ts";
export { CANDLE_SETTINGS, type CandleSetting, type Ohlc, type RangeType } from "./candle-average.ts";
export { toSeries, type ChartSeries } from "./chart-series.ts";
