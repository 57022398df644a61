import type { Decimal, Side } from "../../core/index.ts";
import type { ContextFields, FeatureInput } from "../../srm/index.ts";
import { sessionAt } from "../../analysis/session/index.ts";

/**
 * Slippage of a fill in pips, signed so that an adverse fill is positive: a buy filled above the requested
 * price, or a sell filled below it. `side` is the fill's direction (a close of a long is a sell).
 */
export function slippagePips(side: Side, requested: Decimal, filled: Decimal, pipSize: number): number {
  const diff = side === "BUY" ? filled.minus(requested) : requested.minus(filled);
  return round(diff.toNumber() / pipSize, 4);
}

/** The execution log's market-context columns. */
export interface ContextColumns {
  marketAtr: number | null;
  tradingSession: string | null;
  dayOfWeek: number;
  volatilityIndex: number | null;
  spread: string | null;
}

/**
 * Context columns from the features the SRM decision computed, so the execution log repeats exactly what the
 * decision saw (the slippage model trains on these rows; any other source would skew training from serving).
 */
export function columnsFromFeatures(features: FeatureInput, pipSize: number): ContextColumns {
  return {
    marketAtr: features.atrPips === null ? null : features.atrPips * pipSize,
    tradingSession: features.session,
    dayOfWeek: features.dayOfWeek,
    volatilityIndex: features.volatilityIndex,
    spread: features.spreadPips === null ? null : String(round(features.spreadPips * pipSize, 10)),
  };
}

/**
 * Context columns for executions no decision features exist for (exits, venue-side SL/TP fills): the same
 * context source SRM reads, at the same instant; the session label falls back to the FX session clock.
 */
export function columnsFromContext(context: ContextFields | null, at: number): ContextColumns {
  return {
    marketAtr: context?.atr ?? null,
    tradingSession: context?.session ?? sessionAt(at).primary,
    dayOfWeek: new Date(at).getUTCDay(),
    volatilityIndex: context?.volatilityIndex ?? null,
    spread: context?.spread === null || context?.spread === undefined ? null : String(context.spread),
  };
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
