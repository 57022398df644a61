import type { Side } from "../../core/index.ts";

/** How the order met the market: a market entry or exit, or a resting stop (SL) / limit (TP) exit. */
export type FillKind = "MARKET" | "STOP" | "LIMIT";

/**
 * Everything the slippage model may know about one execution, in plain units. Serving builds it from an
 * intent, the market context and the provider; training builds it from a stored execution log. Both then go
 * through the one encoder (`encodeFeatures`), so training and serving cannot drift apart.
 */
export interface FeatureInput {
  symbol: string;
  side: Side;
  fillKind: FillKind;
  /** Primary session label from analysis/session (e.g. "LONDON", "OVERLAP_LONDON_NY"). */
  session: string;
  /** 0 = Sunday … 6 = Saturday, UTC. */
  dayOfWeek: number;
  /** Minutes after 00:00 UTC. */
  minuteOfDay: number;
  atrPips: number | null;
  /** Percentile of the current ATR in its trailing distribution, 0–1. */
  volatilityIndex: number | null;
  spreadPips: number | null;
  /** Distance from the reference price to the stop loss, in pips. */
  slDistancePips: number | null;
  /** Time from the signal to the order, in ms (copy delay, manual hesitation). */
  signalAgeMs: number | null;
  volumeLots: number;
  /** Provider score 0–100 (null without a provider or before any trade). */
  providerScore: number | null;
  providerTradeCount: number;
  /** Account drawdown from its equity high-water mark, as a fraction. */
  accountDrawdown: number | null;
}
