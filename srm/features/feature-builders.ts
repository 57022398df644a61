import type { Side } from "../../core/index.ts";
import { sessionAt } from "../../analysis/session/index.ts";
import type { FeatureInput, FillKind } from "./feature-input.ts";

/** The market context fields SRM reads, in price units (the analysis side's context provides them). */
export interface ContextFields {
  atr: number | null;
  volatilityIndex: number | null;
  spread: number | null;
  session: string;
}

function clock(t: number): { dayOfWeek: number; minuteOfDay: number } {
  const d = new Date(t);
  return { dayOfWeek: d.getUTCDay(), minuteOfDay: d.getUTCHours() * 60 + d.getUTCMinutes() };
}

const pips = (v: number | null | undefined, pipSize: number) => (v === null || v === undefined ? null : v / pipSize);

/** Serving path: a trade about to be sent, with the context at decision time. */
export function featuresForOrder(o: {
  symbol: string;
  side: Side;
  fillKind: FillKind;
  at: number;
  pipSize: number;
  context: ContextFields | null;
  referencePrice: number;
  stopLoss: number | null;
  signalTime: number;
  volumeLots: number;
  providerScore: number | null;
  providerTradeCount: number;
  accountDrawdown: number | null;
}): FeatureInput {
  const at = new Date(o.at);
  // Fields written out (no spread of `clock`): this runs once per copy on the fan-out's way to the broker.
  return {
    symbol: o.symbol,
    side: o.side,
    fillKind: o.fillKind,
    // The session depends on the clock alone, so it is known even when market data is not.
    session: o.context?.session ?? sessionAt(o.at).primary,
    dayOfWeek: at.getUTCDay(),
    minuteOfDay: at.getUTCHours() * 60 + at.getUTCMinutes(),
    atrPips: pips(o.context?.atr, o.pipSize),
    volatilityIndex: o.context?.volatilityIndex ?? null,
    spreadPips: pips(o.context?.spread, o.pipSize),
    slDistancePips: o.stopLoss === null ? null : Math.abs(o.referencePrice - o.stopLoss) / o.pipSize,
    signalAgeMs: Math.max(0, o.at - o.signalTime),
    volumeLots: o.volumeLots,
    providerScore: o.providerScore,
    providerTradeCount: o.providerTradeCount,
    accountDrawdown: o.accountDrawdown,
  };
}

/**
 * Training path: one stored execution (the execution log's own context columns, plus what it was joined
 * with). An execution recorded by the live path yields the same vector the decision used.
 */
export interface ExecutionFeatureRow {
  symbol: string;
  side: Side;
  kind: "OPEN" | "CLOSE" | "SL_FILL" | "TP_FILL" | "MODIFY";
  requestedAt: number;
  pipSize: number;
  marketAtr: number | null;
  volatilityIndex: number | null;
  spread: number | null;
  tradingSession: string | null;
  requestedPrice: number | null;
  /** The stop loss the order carried (SL fills: the SL level itself is the requested price; use the entry's SL distance). */
  slDistancePips: number | null;
  signalTime: number | null;
  volume: number;
  providerScore: number | null;
  providerTradeCount: number;
  accountDrawdown: number | null;
}

export const FILL_KIND_OF: Readonly<Record<ExecutionFeatureRow["kind"], FillKind>> = {
  OPEN: "MARKET",
  CLOSE: "MARKET",
  MODIFY: "MARKET",
  SL_FILL: "STOP",
  TP_FILL: "LIMIT",
};

export function featuresFromExecution(r: ExecutionFeatureRow): FeatureInput {
  return {
    symbol: r.symbol,
    side: r.side,
    fillKind: FILL_KIND_OF[r.kind],
    session: r.tradingSession ?? sessionAt(r.requestedAt).primary,
    ...clock(r.requestedAt),
    atrPips: pips(r.marketAtr, r.pipSize),
    volatilityIndex: r.volatilityIndex,
    spreadPips: pips(r.spread, r.pipSize),
    slDistancePips: r.slDistancePips,
    signalAgeMs: r.signalTime === null ? null : Math.max(0, r.requestedAt - r.signalTime),
    volumeLots: r.volume,
    providerScore: r.providerScore,
    providerTradeCount: r.providerTradeCount,
    accountDrawdown: r.accountDrawdown,
  };
}
