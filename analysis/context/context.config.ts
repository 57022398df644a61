import { field, loadConfig, type SectionValue } from "../../core/index.ts";

/** Windows and staleness thresholds of the market context. */
export const contextConfig = {
  atrPeriod: field.int("ANALYSIS_CONTEXT_ATR_PERIOD", "ATR period (Wilder) on M1, M5 and H1.", { default: 14, min: 2, max: 200 }),
  volatilityTimeframe: field.oneOf(
    "ANALYSIS_CONTEXT_VOLATILITY_TIMEFRAME",
    "Timeframe whose ATR is ranked for the volatility index (M5 reacts within the hour; H1 is steadier).",
    ["M5", "H1"] as const,
    { default: "M5" },
  ),
  volatilityWindowDays: field.int(
    "ANALYSIS_CONTEXT_VOLATILITY_WINDOW_DAYS",
    "Days of closed-bar ATR values the volatility index ranks the current ATR against.",
    { default: 30, min: 1, max: 365 },
  ),
  volatilityMinSamples: field.int(
    "ANALYSIS_CONTEXT_VOLATILITY_MIN_SAMPLES",
    "ATR values the volatility window needs before the index is reported (288 = one day of M5 bars).",
    { default: 288, min: 1 },
  ),
  spreadWindowMinutes: field.int(
    "ANALYSIS_CONTEXT_SPREAD_WINDOW_MINUTES",
    "Minutes of quotes, up to the last one, whose median spread is the typical spread.",
    { default: 60, min: 1, max: 10_080 },
  ),
  quoteStaleMs: field.int(
    "ANALYSIS_CONTEXT_QUOTE_STALE_MS",
    "Age of the last quote beyond which the spread is flagged stale (MetaApi streams quotes every 2.5 s by default).",
    { default: 10_000, min: 1 },
  ),
  barStaleBars: field.number(
    "ANALYSIS_CONTEXT_BAR_STALE_BARS",
    "A timeframe is flagged stale when its last closed bar ended more than this many bar lengths ago.",
    { default: 3, min: 1 },
  ),
  warmBars: field.int(
    "ANALYSIS_CONTEXT_WARM_BARS",
    "Closed bars per timeframe streamed before an instant so Wilder's seed has decayed ((13/14)^500 ≈ 1e-16).",
    { default: 500, min: 50, max: 100_000 },
  ),
  clockSkewMs: field.int(
    "ANALYSIS_CONTEXT_CLOCK_SKEW_MS",
    "How far a live feed's source clock may run ahead of ours before a live lookup at `now` is refused as look-ahead.",
    { default: 5_000, min: 0 },
  ),
};

/** The market context's parameters as loaded (or the defaults). */
export type ContextParams = SectionValue<typeof contextConfig>;

/** The declared defaults, for callers and tests that do not load the environment. */
export const DEFAULT_CONTEXT_PARAMS: ContextParams = loadConfig({ context: contextConfig }, {}, []).value.context;
