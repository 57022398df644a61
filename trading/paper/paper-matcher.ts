import { dec, type Decimal, type Side, type SymbolSpec } from "../../core/index.ts";
import { rejection, type BrokerErrorCode, type BrokerOrder } from "../broker/index.ts";
import type { Refusal } from "./order-checks.ts";
import type { LivePosition, PaperLedger, WorkingOrder } from "./paper-ledger.ts";
import { cents, type PaperMoney } from "./paper-money.ts";
import type { CloseReason, PaperOrderResult, PaperSubmitOrderRequest, QuotePoint, SettleSink } from "./paper-types.ts";

/** A market request on its way to the venue: it fills on the first quote of its symbol at or after `dueAt`. */
export type InflightRequest = {
  clientOrderId: string;
  orderId: string;
  symbol: string;
  /** Direction of the fill (a close of a long sells). */
  side: Side;
  requestedAt: number;
  dueAt: number;
  latencyMs: number;
  /** The quote the fill side showed at request time. */
  requestedPrice: number;
} & ({ kind: "open"; request: PaperSubmitOrderRequest } | { kind: "close"; positionId: string; volume?: Decimal });

/** Swap in account currency per lot and night; charged at the 21:00 UTC rollover Monday to Friday, triple on Wednesday. */
export interface SwapRate {
  longPerLot: Decimal;
  shortPerLot: Decimal;
}

export interface MatcherOptions {
  ledger: PaperLedger;
  money: PaperMoney;
  specs: ReadonlyMap<string, SymbolSpec>;
  quotes: Map<string, QuotePoint>;
  stopOutLevel: number;
  marketClosedAfterMs: number;
  swap: ReadonlyMap<string, SwapRate>;
  settle: SettleSink;
}

const DAY_MS = 86_400_000;
const ROLLOVER_MS = 21 * 3_600_000;

/** The next 21:00 UTC strictly after `t`. */
export function nextRollover(t: number): number {
  const today = Math.floor(t / DAY_MS) * DAY_MS + ROLLOVER_MS;
  return today > t ? today : today + DAY_MS;
}

/**
 * The venue's matching, run on every replayed quote in time order: due market requests fill at the quote,
 * pending orders trigger on their side (buys on the ask, sells on the bid), stop loss and take profit close on
 * the closing side (longs on the bid, shorts on the ask) at the quote that crossed them — a gap fills at the
 * gapped price — and the stop-out closes the biggest loser while the margin level is below its threshold.
 */
export class PaperMatcher {
  inflight: InflightRequest[];
  nextRollover: number;
  readonly #o: MatcherOptions;
  #nextExpiry = Infinity;

  constructor(o: MatcherOptions, state: { inflight: InflightRequest[]; nextRollover: number }) {
    this.#o = o;
    this.inflight = [...state.inflight];
    this.nextRollover = state.nextRollover;
    for (const order of o.ledger.orders.values()) this.orderPlaced(order);
  }

  /** Tells the matcher a working order may expire. */
  orderPlaced(order: WorkingOrder): void {
    if (order.expiresAt !== undefined) this.#nextExpiry = Math.min(this.#nextExpiry, order.expiresAt);
  }

  /** Venue time of the next time-driven event (an expiry or a rollover). */
  get nextDue(): number {
    return Math.min(this.#nextExpiry, this.nextRollover);
  }

  /** Why the account cannot fund `volume` more lots now (no conversion quote, or too little free margin). */
  fundingRefusal(spec: SymbolSpec, volume: Decimal | undefined, time: number): Refusal | undefined {
    if (!this.#o.money.canConvert(spec.quoteCurrency)) return { code: "TRD_ERR_NO_PRICES", message: `no quote yet converts ${spec.quoteCurrency} to the account currency` };
    const shortfall = volume ? this.#marginShortfall(spec, volume, time) : undefined;
    return shortfall ? { code: "TRD_ERR_NO_MONEY", message: shortfall } : undefined;
  }

  onQuote(q: QuotePoint): void {
    this.#o.quotes.set(q.symbol, q);
    if (this.inflight.length > 0) this.#fillDue(q);
    const ledger = this.#o.ledger;
    if (ledger.orders.size > 0) this.#triggerPending(q);
    if (ledger.positions.size > 0) {
      this.#triggerStops(q);
      this.#stopOut(q.time);
    }
  }

  /** Time-driven work due by `t`: order expiry and swap rollovers. Run before a quote at `t` is applied. */
  onTime(t: number): void {
    if (t >= this.#nextExpiry) this.#expire(t);
    while (t >= this.nextRollover) {
      this.#rollover(this.nextRollover);
      this.nextRollover += DAY_MS;
    }
  }

  /** Rejects every request still in flight: the replay ran out of data, or could not read it, before they filled. */
  abandon(code: BrokerErrorCode, message: string, time: number): void {
    const pending = this.inflight;
    this.inflight = [];
    for (const r of pending) this.#reject(r, code, message, time);
  }

  /** The in-flight market order with this client id, as a pending order. */
  inflightOrder(clientOrderId: string): BrokerOrder | undefined {
    const r = this.inflight.find((x) => x.clientOrderId === clientOrderId);
    if (!r) return undefined;
    const volume = r.kind === "open" ? r.request.volume : (r.volume ?? this.#o.ledger.positions.get(r.positionId)?.volume ?? dec(0));
    return { id: r.orderId, symbol: r.symbol, side: r.side, type: "MARKET", state: "pending", volume, remainingVolume: volume, createdAt: r.requestedAt, clientOrderId };
  }

  #fillDue(q: QuotePoint): void {
    const due = this.inflight.filter((r) => r.symbol === q.symbol && r.dueAt <= q.time);
    if (due.length === 0) return;
    this.inflight = this.inflight.filter((r) => !due.includes(r));
    for (const r of due) {
      if (q.time - r.dueAt > this.#o.marketClosedAfterMs) this.#reject(r, "TRD_ERR_MARKET_CLOSED", `no quote for ${r.symbol} arrived while the order was in flight: the market closed`, q.time);
      else if (r.kind === "open") this.#fillOpen(r, q);
      else this.#fillClose(r, q);
    }
  }

  #fillOpen(r: InflightRequest & { kind: "open" }, q: QuotePoint): void {
    const req = r.request;
    const spec = this.#o.specs.get(req.symbol)!;
    const price = req.side === "BUY" ? q.ask : q.bid;
    if (req.slippagePoints !== undefined) {
      const adverse = (req.side === "BUY" ? price - r.requestedPrice : r.requestedPrice - price) * 10 ** spec.digits;
      if (adverse > req.slippagePoints + 1e-6) return this.#reject(r, "TRD_ERR_REQUOTE", `price moved ${adverse.toFixed(1)} points against the order (allowed ${req.slippagePoints})`, q.time);
    }
    const ledger = this.#o.ledger;
    const shortfall = this.#marginShortfall(spec, ledger.exposureAdded(req.symbol, req.side, req.volume), q.time);
    if (shortfall) return this.#reject(r, "TRD_ERR_NO_MONEY", shortfall, q.time);
    const extras = { orderId: r.orderId, clientOrderId: r.clientOrderId, requestedPrice: r.requestedPrice, latencyMs: r.latencyMs };
    const positionId = ledger.positionFor(req.symbol, req.side, req.volume, r.orderId);
    ledger.recordOrder(this.#doneOrder(r, req.volume, price, q.time, positionId));
    const deal = ledger.openPosition({
      ...extras,
      positionId: r.orderId,
      symbol: req.symbol,
      side: req.side,
      volume: req.volume,
      price,
      time: q.time,
      ...(req.stopLoss ? { stopLoss: req.stopLoss } : {}),
      ...(req.takeProfit ? { takeProfit: req.takeProfit } : {}),
      ...(req.comment ? { comment: req.comment } : {}),
    });
    this.#filled(r, positionId, deal.id, price, req.volume, q.time);
  }

  #fillClose(r: InflightRequest & { kind: "close" }, q: QuotePoint): void {
    const p = this.#o.ledger.positions.get(r.positionId);
    if (!p) return this.#reject(r, "TRD_ERR_POSITION_NOT_FOUND", `position ${r.positionId} closed while the request was in flight`, q.time);
    const volume = r.volume ?? p.volume;
    if (volume.gt(p.volume)) return this.#reject(r, "TRD_ERR_INVALID_VOLUME", `position ${p.id} has only ${p.volume.toString()} lots left`, q.time);
    const price = p.side === "BUY" ? q.bid : q.ask;
    this.#o.ledger.recordOrder(this.#doneOrder(r, volume, price, q.time, p.id));
    const deal = this.#o.ledger.closeVolume(p, volume, price, q.time, "MANUAL", {
      orderId: r.orderId,
      clientOrderId: r.clientOrderId,
      requestedPrice: r.requestedPrice,
      latencyMs: r.latencyMs,
    });
    this.#filled(r, p.id, deal.id, price, volume, q.time);
  }

  #filled(r: InflightRequest, positionId: string, dealId: string, price: number, volume: Decimal, time: number): void {
    this.#o.settle(r.clientOrderId, {
      status: "filled",
      clientOrderId: r.clientOrderId,
      orderId: r.orderId,
      positionId,
      dealId,
      fillPrice: dec(price),
      fillVolume: volume,
      fillTime: time,
      requestedAt: r.requestedAt,
      respondedAt: time,
      requestedPrice: dec(r.requestedPrice),
      latencyMs: r.latencyMs,
    });
  }

  #reject(r: InflightRequest, code: BrokerErrorCode, message: string, time: number): void {
    const result: PaperOrderResult = { ...rejection(code, message, { requestedAt: r.requestedAt, respondedAt: time }), clientOrderId: r.clientOrderId };
    this.#o.settle(r.clientOrderId, result);
  }

  #doneOrder(r: InflightRequest, volume: Decimal, price: number, time: number, positionId: string): BrokerOrder {
    const comment = r.kind === "open" ? r.request.comment : undefined;
    return {
      id: r.orderId,
      symbol: r.symbol,
      side: r.side,
      type: "MARKET",
      state: "filled",
      volume,
      remainingVolume: dec(0),
      price: dec(price),
      createdAt: r.requestedAt,
      doneAt: time,
      positionId,
      clientOrderId: r.clientOrderId,
      ...(comment ? { comment } : {}),
    };
  }

  /** Why the free margin cannot carry `volume` more lots now, or undefined when it can. */
  #marginShortfall(spec: SymbolSpec, volume: Decimal, time: number): string | undefined {
    // A netting fill that only offsets the position held needs no margin.
    if (volume.isZero()) return undefined;
    const required = cents(this.#o.money.margin(spec, volume));
    const free = this.#o.ledger.accountInfo(time).freeMargin;
    return free.gte(required) ? undefined : `not enough money: margin ${required.toString()} needed, free margin ${free.toString()}`;
  }

  #triggerPending(q: QuotePoint): void {
    const ledger = this.#o.ledger;
    for (const o of ledger.orders.values()) {
      if (o.symbol !== q.symbol) continue;
      const buy = o.side === "BUY";
      if (o.type === "STOP_LIMIT") {
        if (buy ? q.ask < o.trigger : q.bid > o.trigger) continue;
        // The stop fired: the order becomes a limit at its stop-limit price, checked against this same quote.
        o.type = "LIMIT";
        o.price = o.stopLimitPrice!;
        delete o.stopLimitPrice;
        ledger.orderChanged(o, q.time);
      }
      const hit = o.type === "LIMIT" ? (buy ? q.ask <= o.trigger : q.bid >= o.trigger) : buy ? q.ask >= o.trigger : q.bid <= o.trigger;
      if (!hit) continue;
      const shortfall = this.#marginShortfall(this.#o.specs.get(o.symbol)!, ledger.exposureAdded(o.symbol, o.side, o.volume), q.time);
      if (shortfall) {
        ledger.finishOrder(o, "rejected", q.time);
        continue;
      }
      ledger.finishOrder(o, "filled", q.time, ledger.positionFor(o.symbol, o.side, o.volume, o.id));
      ledger.openPosition({
        positionId: o.id,
        orderId: o.id,
        clientOrderId: o.clientOrderId,
        symbol: o.symbol,
        side: o.side,
        volume: o.volume,
        price: buy ? q.ask : q.bid,
        time: q.time,
        ...(o.stopLoss ? { stopLoss: o.stopLoss } : {}),
        ...(o.takeProfit ? { takeProfit: o.takeProfit } : {}),
        ...(o.comment ? { comment: o.comment } : {}),
      });
    }
  }

  #triggerStops(q: QuotePoint): void {
    const ledger = this.#o.ledger;
    for (const p of ledger.positions.values()) {
      if (p.symbol !== q.symbol) continue;
      let reason: CloseReason | undefined;
      if (p.side === "BUY") reason = q.bid <= p.sl ? "SL" : q.bid >= p.tp ? "TP" : undefined;
      else reason = q.ask >= p.sl ? "SL" : q.ask <= p.tp ? "TP" : undefined;
      if (reason) ledger.closeVolume(p, p.volume, p.side === "BUY" ? q.bid : q.ask, q.time, reason);
    }
  }

  #stopOut(time: number): void {
    const { ledger, money, specs, quotes } = this.#o;
    while (ledger.positions.size > 0) {
      let equity = ledger.balanceNum;
      let margin = 0;
      let worst: LivePosition | undefined;
      let worstProfit = Infinity;
      for (const p of ledger.positions.values()) {
        const f = money.floatingFast(p, specs.get(p.symbol)!);
        equity += f.profit + p.swapNum;
        margin += f.margin;
        if (f.profit < worstProfit) {
          worstProfit = f.profit;
          worst = p;
        }
      }
      if (margin <= 0 || (equity / margin) * 100 >= this.#o.stopOutLevel || !worst) return;
      const q = quotes.get(worst.symbol)!;
      ledger.closeVolume(worst, worst.volume, worst.side === "BUY" ? q.bid : q.ask, time, "STOP_OUT");
    }
  }

  #expire(t: number): void {
    const ledger = this.#o.ledger;
    this.#nextExpiry = Infinity;
    for (const o of [...ledger.orders.values()]) {
      if (o.expiresAt === undefined) continue;
      if (o.expiresAt <= t) ledger.finishOrder(o, "expired", o.expiresAt);
      else this.#nextExpiry = Math.min(this.#nextExpiry, o.expiresAt);
    }
  }

  #rollover(at: number): void {
    if (this.#o.swap.size === 0) return;
    const weekday = new Date(at).getUTCDay();
    if (weekday === 0 || weekday === 6) return;
    const nights = weekday === 3 ? 3 : 1;
    this.#o.ledger.chargeSwap((p) => {
      const rate = this.#o.swap.get(p.symbol);
      return rate ? (p.side === "BUY" ? rate.longPerLot : rate.shortPerLot).mul(nights) : undefined;
    }, at);
  }
}
