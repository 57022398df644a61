import { RiskloopError, invalid, type Decimal, type Side, type SymbolSpec } from "../../core/index.ts";
import type { MarketFacts } from "../../srm/index.ts";
import { ExecutionErrors } from "./execution.errors.ts";

/** A manual order as the API takes it. */
export interface PlaceOrderRequest {
  symbol: string;
  side: Side;
  type: "MARKET" | "LIMIT" | "STOP" | "STOP_LIMIT";
  volume: Decimal;
  /** Limit or stop price of a pending order. */
  price?: Decimal;
  /** Limit price a STOP_LIMIT places once its stop price triggers. */
  stopLimitPrice?: Decimal;
  stopLoss?: Decimal;
  takeProfit?: Decimal;
  /** Pending orders only: when the order expires (venue time, epoch ms). */
  expiresAt?: number;
  /** Makes retries idempotent: the same id on the same account returns the first outcome, sending nothing again. */
  clientRequestId?: string;
}

export interface CheckLimits {
  marketClosedAfterMs: number;
  /** Largest distance of a pending price or SL/TP from the market, as a fraction of the price. */
  maxPriceDistance: number;
}

type Quote = NonNullable<MarketFacts["quote"]>;

/** The venue's quote, or TRD_ERR_MARKET_NOT_OPEN when it has none or only a stale one (weekend, holiday, end of data). */
export function openQuote(facts: MarketFacts, limits: CheckLimits): Quote {
  const q = facts.quote;
  const at = facts.at ?? Date.now();
  if (q && at - q.time <= limits.marketClosedAfterMs) return q;
  const age = q ? ` (last quote ${Math.round((at - q.time) / 60_000)} min old)` : "";
  throw new RiskloopError(ExecutionErrors.TRD_ERR_MARKET_NOT_OPEN, `the ${facts.spec.symbol} market is closed${age}; no order was sent`, { field: "symbol", symbol: facts.spec.symbol });
}

/** Volume within the symbol's range and on its step. */
export function checkVolume(volume: Decimal, spec: SymbolSpec, field = "volume"): void {
  if (!volume.isFinite() || volume.lte(0)) throw invalid(field, "must be greater than zero");
  if (volume.lt(spec.minVolume) || volume.gt(spec.maxVolume)) {
    throw invalid(field, `${volume.toString()} is outside ${spec.minVolume.toString()}–${spec.maxVolume.toString()} lots for ${spec.symbol}`);
  }
  if (!volume.mod(spec.volumeStep).isZero()) throw invalid(field, `${volume.toString()} is not a multiple of the ${spec.symbol} volume step ${spec.volumeStep.toString()}`);
}

/** A positive price with at most the symbol's digits, within `maxPriceDistance` of `reference`. */
export function checkPrice(field: string, value: Decimal, spec: SymbolSpec, reference: number, limits: CheckLimits): void {
  if (!value.isFinite() || value.lte(0)) throw invalid(field, "must be a positive price");
  if (value.decimalPlaces() > spec.digits) throw invalid(field, `has more than the ${spec.digits} digits ${spec.symbol} is quoted in`);
  if (Math.abs(value.toNumber() - reference) > reference * limits.maxPriceDistance) {
    throw invalid(field, `${value.toString()} is absurdly far from the market (${reference}); at most ${limits.maxPriceDistance * 100}% away is accepted`);
  }
}

/**
 * Protective levels on the side a position closes on: a long closes at the bid, so its stop loss lies below
 * `reference` and its take profit above; a short the other way round.
 */
export function checkStops(side: Side, reference: number, stops: { stopLoss?: Decimal | undefined; takeProfit?: Decimal | undefined }, spec: SymbolSpec, limits: CheckLimits): void {
  for (const [field, level] of [["stopLoss", stops.stopLoss], ["takeProfit", stops.takeProfit]] as const) {
    if (level === undefined) continue;
    checkPrice(field, level, spec, reference, limits);
    const mustBeBelow = (field === "stopLoss") === (side === "BUY");
    if ((level.toNumber() < reference) !== mustBeBelow) {
      throw invalid(field, `${level.toString()} is on the wrong side: it must lie ${mustBeBelow ? "below" : "above"} ${reference} for a ${side === "BUY" ? "long" : "short"} position`);
    }
  }
}

/**
 * Everything a venue would refuse about a new order, checked before SRM is asked and before anything is sent:
 * volume, prices (positive, on the symbol's digits, not absurd), pending prices on the right side of the market,
 * SL/TP on the right side of the entry, expiry in the future, and an open market.
 */
export function checkOrder(req: PlaceOrderRequest, facts: MarketFacts, limits: CheckLimits): void {
  const spec = facts.spec;
  checkVolume(req.volume, spec);
  const q = openQuote(facts, limits);
  const buy = req.side === "BUY";
  if (req.type === "MARKET") {
    for (const field of ["price", "stopLimitPrice", "expiresAt"] as const) if (req[field] !== undefined) throw invalid(field, "a market order takes none");
    checkStops(req.side, buy ? q.bid : q.ask, req, spec, limits);
    return;
  }
  if (!req.price) throw invalid("price", `a ${req.type} order needs a price`);
  const market = buy ? q.ask : q.bid;
  checkPrice("price", req.price, spec, market, limits);
  const price = req.price.toNumber();
  const rightSide = req.type === "LIMIT" ? (buy ? price < q.ask : price > q.bid) : buy ? price > q.ask : price < q.bid;
  if (!rightSide) {
    const needed = req.type === "LIMIT" ? (buy ? "below the ask" : "above the bid") : buy ? "above the ask" : "below the bid";
    throw invalid("price", `a ${req.side} ${req.type} must lie ${needed} (bid ${q.bid}, ask ${q.ask})`);
  }
  let entry = price;
  if (req.type === "STOP_LIMIT") {
    if (!req.stopLimitPrice) throw invalid("stopLimitPrice", "a STOP_LIMIT order needs the limit price it places when its stop triggers");
    checkPrice("stopLimitPrice", req.stopLimitPrice, spec, market, limits);
    entry = req.stopLimitPrice.toNumber();
    if (buy ? entry > price : entry < price) throw invalid("stopLimitPrice", `must lie ${buy ? "at or below" : "at or above"} the stop price ${price}`);
  } else if (req.stopLimitPrice !== undefined) {
    throw invalid("stopLimitPrice", "only a STOP_LIMIT order takes one");
  }
  if (req.expiresAt !== undefined && !(req.expiresAt > (facts.at ?? Date.now()))) throw invalid("expiresAt", "must lie in the future (venue time)");
  checkStops(req.side, entry, req, spec, limits);
}
