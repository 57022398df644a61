import type { Decimal, Side, SymbolSpec } from "../../core/index.ts";
import type { BrokerErrorCode } from "../broker/index.ts";
import type { PaperSubmitOrderRequest, QuotePoint } from "./paper-types.ts";

/** Longest client order id the paper venue keeps. */
export const PAPER_CLIENT_ID_MAX = 64;

/** Why the venue refuses a request (turned into a rejection value by the caller). */
export interface Refusal {
  code: BrokerErrorCode;
  message: string;
}

export interface CheckContext {
  spec: SymbolSpec | undefined;
  quote: QuotePoint | undefined;
  now: number;
  marketClosedAfterMs: number;
}

const refuse = (code: BrokerErrorCode, message: string): Refusal => ({ code, message });

/** The checks a MetaTrader server makes on a new order, against the quote at request time. */
export function checkSubmit(req: PaperSubmitOrderRequest, ctx: CheckContext): Refusal | undefined {
  if (!req.clientOrderId || req.clientOrderId.length > PAPER_CLIENT_ID_MAX) {
    return refuse("TRD_ERR_INVALID_REQUEST", `clientOrderId must be 1–${PAPER_CLIENT_ID_MAX} characters`);
  }
  const spec = ctx.spec;
  if (!spec) return refuse("TRD_ERR_UNKNOWN_SYMBOL", `symbol ${req.symbol} is not offered by this paper account`);
  const bad = volumeRefusal(req.volume, spec) ?? closedRefusal(ctx);
  if (bad) return bad;
  const q = ctx.quote!;
  if (req.type === "MARKET") return stopsRefusal(req.side, req.side === "BUY" ? q.bid : q.ask, req.stopLoss, req.takeProfit, spec);
  if (req.expiresAt !== undefined && !(req.expiresAt > ctx.now)) return refuse("TRD_ERR_INVALID_REQUEST", "expiresAt must lie after the request time");
  return checkPending({ ...req, type: req.type }, q, spec);
}

/** A pending order's prices, where they lie against the market, and its stops against its entry price. */
export interface PendingLevels {
  type: "LIMIT" | "STOP" | "STOP_LIMIT";
  side: Side;
  price?: Decimal | undefined;
  stopLimitPrice?: Decimal | undefined;
  stopLoss?: Decimal | null | undefined;
  takeProfit?: Decimal | null | undefined;
}

/** The checks on a new or modified pending order against the current quote. */
export function checkPending(o: PendingLevels, q: QuotePoint, spec: SymbolSpec): Refusal | undefined {
  const entry = o.type === "STOP_LIMIT" ? o.stopLimitPrice : o.price;
  return pricesRefusal(o, spec) ?? pendingSideRefusal(o, q) ?? stopsRefusal(o.side, entry!.toNumber(), o.stopLoss, o.takeProfit, spec);
}

/** Volume within the symbol's range and on its step. */
export function volumeRefusal(volume: Decimal, spec: SymbolSpec): Refusal | undefined {
  if (!volume.isFinite() || volume.lte(0)) return refuse("TRD_ERR_INVALID_VOLUME", "volume must be positive");
  if (volume.lt(spec.minVolume) || volume.gt(spec.maxVolume)) {
    return refuse("TRD_ERR_INVALID_VOLUME", `volume ${volume.toString()} is outside ${spec.minVolume.toString()}–${spec.maxVolume.toString()}`);
  }
  if (!volume.mod(spec.volumeStep).isZero()) return refuse("TRD_ERR_INVALID_VOLUME", `volume ${volume.toString()} is not a multiple of ${spec.volumeStep.toString()}`);
  return undefined;
}

/** A close of `volume` (all when undefined) must leave nothing or at least the minimum volume. */
export function closeVolumeRefusal(volume: Decimal | undefined, open: Decimal, spec: SymbolSpec): Refusal | undefined {
  if (volume === undefined) return undefined;
  if (!volume.isFinite() || volume.lte(0) || !volume.mod(spec.volumeStep).isZero() || volume.gt(open)) {
    return refuse("TRD_ERR_INVALID_VOLUME", `cannot close ${volume.toString()} of a ${open.toString()} lot position`);
  }
  const rest = open.minus(volume);
  if (rest.gt(0) && rest.lt(spec.minVolume)) return refuse("TRD_ERR_INVALID_VOLUME", `closing ${volume.toString()} would leave less than the minimum volume`);
  return undefined;
}

/** No quote within the configured window means the market is closed (weekend, holiday, end of data). */
export function closedRefusal(ctx: CheckContext): Refusal | undefined {
  const q = ctx.quote;
  if (q && ctx.now - q.time <= ctx.marketClosedAfterMs) return undefined;
  const symbol = ctx.spec?.symbol ?? "the symbol";
  return refuse("TRD_ERR_MARKET_CLOSED", `no quote for ${symbol} in the last ${Math.round(ctx.marketClosedAfterMs / 60_000)} min: the market is closed`);
}

/**
 * Protective levels on the side a position closes on: a long closes at the bid, so its stop loss lies below
 * `reference` and its take profit above; a short the other way round. `null` means "remove" and passes.
 */
export function stopsRefusal(side: Side, reference: number, stopLoss: Decimal | null | undefined, takeProfit: Decimal | null | undefined, spec: SymbolSpec): Refusal | undefined {
  for (const [name, level] of [["stop loss", stopLoss], ["take profit", takeProfit]] as const) {
    if (level === null || level === undefined) continue;
    if (!level.isFinite() || level.lte(0) || level.decimalPlaces() > spec.digits) return refuse("TRD_ERR_INVALID_STOPS", `${name} ${level.toString()} is not a valid price`);
    const below = level.toNumber() < reference;
    const mustBeBelow = (name === "stop loss") === (side === "BUY");
    if (below !== mustBeBelow) {
      return refuse("TRD_ERR_INVALID_STOPS", `${name} ${level.toString()} must lie ${mustBeBelow ? "below" : "above"} ${reference} for a ${side === "BUY" ? "long" : "short"} position`);
    }
  }
  return undefined;
}

function pricesRefusal(o: PendingLevels, spec: SymbolSpec): Refusal | undefined {
  const prices = o.type === "STOP_LIMIT" ? [o.price, o.stopLimitPrice] : [o.price];
  for (const p of prices) {
    if (!p || !p.isFinite() || p.lte(0) || p.decimalPlaces() > spec.digits) return refuse("TRD_ERR_INVALID_PRICE", `a ${o.type} order needs valid prices with at most ${spec.digits} digits`);
  }
  return undefined;
}

/** Where a pending price may lie: limits better than the market, stops worse, as MetaTrader requires. */
function pendingSideRefusal(req: PendingLevels, q: QuotePoint): Refusal | undefined {
  const price = req.price!.toNumber();
  const buy = req.side === "BUY";
  const ok =
    req.type === "LIMIT" ? (buy ? price < q.ask : price > q.bid) : buy ? price > q.ask : price < q.bid;
  if (!ok) return refuse("TRD_ERR_INVALID_PRICE", `a ${req.side} ${req.type} at ${price} is on the wrong side of the market (bid ${q.bid}, ask ${q.ask})`);
  if (req.type === "STOP_LIMIT") {
    const limit = req.stopLimitPrice!.toNumber();
    if (buy ? limit > price : limit < price) return refuse("TRD_ERR_INVALID_PRICE", `the limit price of a ${req.side} STOP_LIMIT must lie ${buy ? "at or below" : "at or above"} its stop price`);
  }
  return undefined;
}
