import { field, loadConfig, type SectionValue } from "../../core/index.ts";

/** Horizons, tolerances and thresholds of the chart analysis. */
export const chartConfig = {
  bars: field.int("ANALYSIS_CHART_BARS", "Closed bars loaded for one analysis.", { default: 300, min: 60, max: 5_000 }),
  trendShortBars: field.int("ANALYSIS_CHART_TREND_SHORT_BARS", "Bars of the short trend horizon.", { default: 20, min: 5, max: 1_000 }),
  trendLongBars: field.int("ANALYSIS_CHART_TREND_LONG_BARS", "Bars of the long trend horizon.", { default: 100, min: 10, max: 5_000 }),
  trendMinMoveAtr: field.number(
    "ANALYSIS_CHART_TREND_MIN_MOVE_ATR",
    "Distance the fitted regression line must travel over a horizon, in ATR(14), to call a trend.",
    { default: 2, min: 0 },
  ),
  trendMinR2: field.number("ANALYSIS_CHART_TREND_MIN_R2", "Share of price variance the regression line must explain to call a trend.", {
    default: 0.3,
    min: 0,
    max: 1,
  }),
  pivotBars: field.int("ANALYSIS_CHART_PIVOT_BARS", "Bars on each side a swing high or low must exceed (2 = Williams fractals).", {
    default: 2,
    min: 1,
    max: 20,
  }),
  levelToleranceAtr: field.number("ANALYSIS_CHART_LEVEL_TOLERANCE_ATR", "Pivots closer than this many ATR(14) form one level.", {
    default: 0.5,
    min: 0.01,
    max: 10,
  }),
  levelsPerSide: field.int("ANALYSIS_CHART_LEVELS_PER_SIDE", "Support and resistance levels reported on each side of the last close.", {
    default: 3,
    min: 1,
    max: 20,
  }),
  patternBars: field.int("ANALYSIS_CHART_PATTERN_BARS", "Most recent bars whose candlestick patterns are reported.", { default: 3, min: 1, max: 50 }),
  adxTrending: field.number("ANALYSIS_CHART_ADX_TRENDING", "ADX(14) at and above which the regime is trending.", { default: 25, min: 0, max: 100 }),
  volatilePercentile: field.number(
    "ANALYSIS_CHART_VOLATILE_PERCENTILE",
    "Percentile of the current ATR(14) among the analysed bars' ATR at and above which the regime is volatile.",
    { default: 80, min: 0, max: 100 },
  ),
};

/** The chart analysis's parameters as loaded (or the defaults). */
export type ChartParams = SectionValue<typeof chartConfig>;

/** The declared defaults, for callers and tests that do not load the environment. */
export const DEFAULT_CHART_PARAMS: ChartParams = loadConfig({ chart: chartConfig }, {}, []).value.chart;
