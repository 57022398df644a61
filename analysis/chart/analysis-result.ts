import type { Timeframe } from "../../core/index.ts";
import type { PatternHit } from "./detect-patterns.ts";
import type { RegimeReading } from "./market-regime.ts";
import type { LevelsReading } from "./support-resistance.ts";
import type { TrendReading } from "./trend.ts";

/** The kinds of stored analysis, one `AiAnalysis` row each. */
export const ANALYSIS_KINDS = ["TREND", "LEVELS", "PATTERNS", "REGIME", "SUMMARY"] as const;
export type AnalysisKind = (typeof ANALYSIS_KINDS)[number];

/** One part of an analysis as it is stored: the reading, a 0–1 confidence and short sentences for traders. */
export interface AnalysisSection<T> {
  result: T;
  confidence: number;
  recommendations: string[];
}

export interface TrendResult {
  short: TrendReading;
  long: TrendReading;
}

export interface PatternsResult {
  hits: PatternHit[];
  /** Net direction of the directional hits, −1 (all bearish) to 1 (all bullish). */
  net: number;
}

export interface SummaryResult {
  bias: "bullish" | "bearish" | "neutral";
  /** Weighted vote in [−1, 1]: 0.5 × long trend and 0.3 × short trend (sign × confidence), 0.2 × the patterns' net direction. */
  score: number;
}

/** Chart analysis of one symbol and timeframe over closed bars. */
export interface AnalysisResult {
  symbol: string;
  timeframe: Timeframe;
  bars: number;
  /** Open time of the first bar, epoch ms. */
  dataFrom: number;
  /** Close time of the last bar (its open plus the timeframe), epoch ms. */
  dataTo: number;
  lastClose: number;
  /** ATR(14) at the last bar in price units; null when the bars are too few. */
  atr: number | null;
  trend: AnalysisSection<TrendResult>;
  levels: AnalysisSection<LevelsReading>;
  patterns: AnalysisSection<PatternsResult>;
  regime: AnalysisSection<RegimeReading>;
  summary: AnalysisSection<SummaryResult>;
}

/** The section of `result` stored under `kind`. */
export function sectionOf(result: AnalysisResult, kind: AnalysisKind): AnalysisSection<unknown> {
  switch (kind) {
    case "TREND":
      return result.trend;
    case "LEVELS":
      return result.levels;
    case "PATTERNS":
      return result.patterns;
    case "REGIME":
      return result.regime;
    case "SUMMARY":
      return result.summary;
  }
}
