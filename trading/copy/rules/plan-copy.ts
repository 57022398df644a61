import { dec, type Decimal, type Side } from "../../../core/index.ts";
import type { MasterSignal } from "../master-signal.ts";
import type { EffectiveSettings } from "./copy-settings.ts";
import type { CopyReason } from "./lot-scaling.ts";
import { mapSymbol } from "./symbol-mapping.ts";

/** Where and how a master's opening trade lands on the slave, before sizing. */
export interface OpenRoute {
  symbol: string;
  side: Side;
  stopLoss: Decimal | undefined;
  takeProfit: Decimal | undefined;
  pending?: { type: "LIMIT" | "STOP" | "STOP_LIMIT"; price: Decimal; stopLimitPrice?: Decimal };
}

/** A route, or why there is none. */
export type Routed<T> = { route: T; skip?: undefined } | { skip: CopyReason; route?: undefined };

const flip = (side: Side): Side => (side === "BUY" ? "SELL" : "BUY");
const optional = (v: string | undefined) => (v === undefined ? undefined : dec(v));

/** The slave's SL and TP from the master's: swapped when copying in reverse, dropped when the rules turn them off. */
export function protectiveLevels(signal: Pick<MasterSignal, "stopLoss" | "takeProfit">, s: EffectiveSettings): { stopLoss: Decimal | undefined; takeProfit: Decimal | undefined } {
  const sl = optional(s.reverse ? signal.takeProfit : signal.stopLoss);
  const tp = optional(s.reverse ? signal.stopLoss : signal.takeProfit);
  return { stopLoss: s.copyStopLoss ? sl : undefined, takeProfit: s.copyTakeProfit ? tp : undefined };
}

/** What a master's modification changes on the slave's copy. */
export interface ModificationPlan {
  stopLoss: Decimal | undefined;
  takeProfit: Decimal | undefined;
  /** Levels the copy holds that the master took away (only levels the rules copy). */
  removeLevels: ("stopLoss" | "takeProfit")[];
  /** A pending order's new price, when the master moved its order. */
  price: Decimal | undefined;
}

/**
 * A master's modification (MODIFY, ORDER_MODIFIED) as it lands on the slave's copy: the levels the rules copy
 * (swapped when copying in reverse), those levels removed where the master dropped one the copy holds, and a
 * pending order's new price. Undefined when the copy needs no change. Pure.
 */
export function planModification(
  signal: Pick<MasterSignal, "kind" | "stopLoss" | "takeProfit" | "price">,
  s: EffectiveSettings,
  copy: { hasStopLoss: boolean; hasTakeProfit: boolean; price: Decimal | undefined },
): ModificationPlan | undefined {
  const { stopLoss, takeProfit } = protectiveLevels(signal, s);
  const removeLevels: ModificationPlan["removeLevels"] = [];
  if (s.copyStopLoss && !stopLoss && copy.hasStopLoss) removeLevels.push("stopLoss");
  if (s.copyTakeProfit && !takeProfit && copy.hasTakeProfit) removeLevels.push("takeProfit");
  const moved = signal.kind === "ORDER_MODIFIED" && signal.price !== undefined && copy.price !== undefined && !copy.price.eq(signal.price);
  const price = moved ? dec(signal.price!) : undefined;
  if (!stopLoss && !takeProfit && removeLevels.length === 0 && !price) return undefined;
  return { stopLoss, takeProfit, removeLevels, price };
}

/**
 * Routes an opening signal (a market open or a pending order): close-only and the pending-order switch, the
 * symbol filters (on the master's symbol), the mapping, reversal (side flipped, SL and TP swapped, LIMIT and
 * STOP exchanged), the allowed sides (of the slave's trade) and the copy-SL/TP switches. Pure.
 */
export function routeOpen(signal: MasterSignal, s: EffectiveSettings): Routed<OpenRoute> {
  if (s.closeOnly) return { skip: { code: "COPY_CLOSE_ONLY", text: "the subscription is in close-only mode: new trades are not copied" } };
  const pending = signal.kind === "ORDER_PLACED";
  if (pending && !s.copyPendingOrders) return { skip: { code: "COPY_PENDING_OFF", text: "copying pending orders is turned off" } };
  if (s.includeSymbols && !s.includeSymbols.includes(signal.symbol)) return { skip: { code: "COPY_SYMBOL_NOT_INCLUDED", text: `${signal.symbol} is not among the included symbols` } };
  if (s.excludeSymbols.includes(signal.symbol)) return { skip: { code: "COPY_SYMBOL_EXCLUDED", text: `${signal.symbol} is excluded` } };
  const mapped = mapSymbol(signal.symbol, s.symbolMapping, s.symbolNaming);
  if (mapped.symbol === undefined) return { skip: { code: "COPY_MAPPING_CYCLE", text: `the symbol mapping loops: ${mapped.cycle.join(" → ")}` } };
  const side = s.reverse ? flip(signal.side) : signal.side;
  if (!s.allowedSides.includes(side)) return { skip: { code: "COPY_SIDE_NOT_ALLOWED", text: `${side} trades are not allowed by the subscription` } };
  const route: OpenRoute = { symbol: mapped.symbol, side, ...protectiveLevels(signal, s) };
  if (pending) {
    const type = signal.orderType ?? "LIMIT";
    if (s.reverse && type === "STOP_LIMIT") return { skip: { code: "COPY_REVERSE_STOP_LIMIT", text: "a stop-limit order has no reverse counterpart" } };
    route.pending = {
      type: s.reverse ? (type === "LIMIT" ? "STOP" : "LIMIT") : type,
      price: dec(signal.price!),
      ...(signal.stopLimitPrice ? { stopLimitPrice: dec(signal.stopLimitPrice) } : {}),
    };
  }
  return { route };
}

/** Skips a signal older than the maximum signal delay, measured on the slave venue's clock. */
export function staleness(signal: Pick<MasterSignal, "time">, s: EffectiveSettings, slaveNow: number): CopyReason | undefined {
  const age = (slaveNow - signal.time) / 1000;
  if (age <= s.maxSignalDelaySeconds) return undefined;
  return { code: "COPY_SIGNAL_STALE", text: `the signal is ${age.toFixed(1)} s old, more than the ${s.maxSignalDelaySeconds} s allowed` };
}

/**
 * Skips a market copy whose entry moved against the slave, relative to the master's fill, by more than the
 * maximum price deviation (pips of the slave's symbol); a move in the slave's favour never skips.
 */
export function deviation(side: Side, masterPrice: Decimal | undefined, quote: { bid: number; ask: number } | null, pipSize: number, s: EffectiveSettings): CopyReason | undefined {
  if (s.maxPriceDeviationPips === undefined || !masterPrice || !quote) return undefined;
  const entry = side === "BUY" ? quote.ask : quote.bid;
  const moved = ((entry - masterPrice.toNumber()) * (side === "BUY" ? 1 : -1)) / pipSize;
  if (moved <= s.maxPriceDeviationPips + 1e-9) return undefined;
  return { code: "COPY_PRICE_DEVIATION", text: `the price moved ${moved.toFixed(1)} pips against the copy since the master's fill, more than the ${s.maxPriceDeviationPips} allowed` };
}
