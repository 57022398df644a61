import type { PrimarySession, SessionName, SessionOverlap } from "../session/index.ts";

/** The timeframes whose ATR the context reports. */
export const CONTEXT_TIMEFRAMES = ["M1", "M5", "H1"] as const;
export type ContextTimeframe = (typeof CONTEXT_TIMEFRAMES)[number];

/** ATR of one timeframe over closed bars only. */
export interface AtrReading {
  /** Wilder ATR in price units; null until the period has been filled. */
  value: number | null;
  pips: number | null;
  /** Open time of the last closed bar included, epoch ms; null before the first bar. */
  lastBarTime: number | null;
}

/** The trading-session facts of the instant (from `sessionAt`). */
export interface SessionReading {
  primary: PrimarySession;
  open: readonly SessionName[];
  overlap: SessionOverlap | null;
  marketOpen: boolean;
  /** UTC day of the week, 0 = Sunday. */
  dayOfWeek: number;
  lastOpened: SessionName;
  minutesSinceOpen: number;
  nextOpening: SessionName;
  minutesToNextOpen: number;
}

/** Where the current ATR of the volatility timeframe ranks within its own trailing window. */
export interface VolatilityReading {
  timeframe: "M5" | "H1";
  /** Percent of the window's ATR values at or below the current one (100 = the highest); null while warming up. */
  percentile: number | null;
  /** ATR values in the window. */
  samples: number;
  windowDays: number;
}

/** The last quote and the spread around it. */
export interface SpreadReading {
  bid: number;
  ask: number;
  /** Ask − bid of the last quote (negative on a crossed quote). */
  current: number;
  currentPips: number;
  /** Median spread of the quotes in the trailing window ending at the last quote. */
  typical: number;
  typicalPips: number;
  samples: number;
  quoteTime: number;
  /** Milliseconds between the last quote's source time and the instant (never negative). */
  ageMs: number;
}

/** Labels for the parts of the context that are not yet trustworthy. */
export type WarmingPart = "ATR_M1" | "ATR_M5" | "ATR_H1" | "VOLATILITY";

/** What a consumer must know before trusting the numbers; `ok` is true only when every flag is clear. */
export interface DataQuality {
  ok: boolean;
  /** Quotes exist but the last one is older than the staleness threshold. */
  staleQuote: boolean;
  /** No quote has been seen: spread fields are absent. */
  noQuotes: boolean;
  crossedQuote: boolean;
  /** Timeframes without any closed bar. */
  missingTimeframes: ContextTimeframe[];
  /** Timeframes whose last closed bar ended more than the threshold's bar lengths ago. */
  staleTimeframes: ContextTimeframe[];
  warmingUp: WarmingPart[];
}

/** The market at one instant, computed only from data available at or before it. */
export interface MarketContext {
  symbol: string;
  /** The instant, epoch ms UTC. */
  at: number;
  pipSize: number;
  atr: Record<ContextTimeframe, AtrReading>;
  session: SessionReading;
  volatility: VolatilityReading;
  spread: SpreadReading | null;
  dataQuality: DataQuality;
}
