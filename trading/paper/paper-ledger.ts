import { dec, type Decimal, type Side, type SymbolSpec } from "../../core/index.ts";
import type { AccountInfo, BrokerOrder, BrokerPosition, DealReason, OrderState, OrderType } from "../broker/index.ts";
import { cents, type PaperMoney } from "./paper-money.ts";
import type { CloseReason, EventSink, PaperDeal, PaperPositionClosed, QuotePoint } from "./paper-types.ts";

/** An open position; `sl`, `tp`, `volumeNum`, `swapNum` mirror the decimals for the per-quote checks (`sl`/`tp` NaN when unset). */
export interface LivePosition {
  id: string;
  symbol: string;
  side: Side;
  volume: Decimal;
  openPrice: number;
  openTime: number;
  updateTime: number;
  stopLoss?: Decimal;
  takeProfit?: Decimal;
  commission: Decimal;
  swap: Decimal;
  clientOrderId?: string;
  comment?: string;
  sl: number;
  tp: number;
  volumeNum: number;
  swapNum: number;
}

/** A working pending order; `trigger` mirrors `price` as a number. */
export interface WorkingOrder {
  id: string;
  symbol: string;
  side: Side;
  type: Exclude<OrderType, "MARKET">;
  volume: Decimal;
  price: Decimal;
  stopLimitPrice?: Decimal;
  stopLoss?: Decimal;
  takeProfit?: Decimal;
  createdAt: number;
  expiresAt?: number;
  clientOrderId: string;
  comment?: string;
  trigger: number;
}

export type PositionRecord = Omit<LivePosition, "sl" | "tp" | "volumeNum" | "swapNum">;
export type WorkingOrderRecord = Omit<WorkingOrder, "trigger">;

/** Everything the ledger needs to resume. */
export interface LedgerState {
  balance: Decimal;
  seq: number;
  positions: PositionRecord[];
  orders: WorkingOrderRecord[];
  history: BrokerOrder[];
  deals: PaperDeal[];
}

export interface LedgerContext {
  specs: ReadonlyMap<string, SymbolSpec>;
  quotes: ReadonlyMap<string, QuotePoint>;
  money: PaperMoney;
  currency: string;
  leverage: number;
  commissionPerLot: Decimal;
  /** False for a netting account: one position per symbol (see `openPosition`). */
  hedging: boolean;
  emit: EventSink;
}

/** Extras a fill carries into its deal and the result. */
export interface FillExtras {
  orderId?: string;
  clientOrderId?: string;
  requestedPrice?: number;
  latencyMs?: number;
}

export interface OpenArgs extends FillExtras {
  positionId: string;
  symbol: string;
  side: Side;
  volume: Decimal;
  price: number;
  time: number;
  stopLoss?: Decimal;
  takeProfit?: Decimal;
  comment?: string;
}

interface DealFigures {
  side: Side;
  entry: "in" | "out";
  volume: Decimal;
  price: number;
  profit: Decimal;
  commission: Decimal;
  swap: Decimal;
  reason: DealReason;
  time: number;
}

const DEAL_REASON: Record<CloseReason, DealReason> = { MANUAL: "client", SL: "stop_loss", TP: "take_profit", STOP_OUT: "stop_out" };

/** A fresh account: the initial deposit booked as a balance deal at the start of the replay. */
export function initialLedger(balance: Decimal, time: number): LedgerState {
  const deposit: PaperDeal = { id: "1", kind: "balance", profit: balance, commission: dec(0), swap: dec(0), reason: "other", time };
  return { balance, seq: 1, positions: [], orders: [], history: [], deals: [deposit] };
}

/**
 * The account's books: balance, open positions, working orders, order history and deals. Every change is
 * booked here, in decimals, and announced as port events (deal, position, order, account). A hedging account
 * opens a position per fill; a netting account holds one per symbol, which fills add to, reduce or reverse.
 */
export class PaperLedger {
  readonly positions = new Map<string, LivePosition>();
  readonly orders = new Map<string, WorkingOrder>();
  readonly history: BrokerOrder[];
  readonly deals: PaperDeal[];
  #balance!: Decimal;
  #balanceNum = 0;
  #seq: number;

  constructor(
    private readonly ctx: LedgerContext,
    state: LedgerState,
  ) {
    this.balance = state.balance;
    this.#seq = state.seq;
    this.history = [...state.history];
    this.deals = [...state.deals];
    for (const p of state.positions) {
      const live = { ...p, sl: NaN, tp: NaN, volumeNum: 0, swapNum: 0 };
      refresh(live);
      this.positions.set(p.id, live);
    }
    for (const o of state.orders) this.orders.set(o.id, { ...o, trigger: o.price.toNumber() });
  }

  get balance(): Decimal {
    return this.#balance;
  }

  set balance(value: Decimal) {
    this.#balance = value;
    this.#balanceNum = value.toNumber();
  }

  /** The balance as a float, for the stop-out check on every quote. */
  get balanceNum(): number {
    return this.#balanceNum;
  }

  /** The next ticket: orders, positions and deals share one sequence, as MetaTrader tickets do. */
  nextId(): string {
    return String(++this.#seq);
  }

  /**
   * The position a fill of `volume` lots on `side` lands in: on a netting account, the symbol's position when it
   * takes the whole fill (an addition, a reduction, a close); else a new one under `newId`.
   */
  positionFor(symbol: string, side: Side, volume: Decimal, newId: string): string {
    const held = this.#netted(symbol);
    return held && (held.side === side || volume.lte(held.volume)) ? held.id : newId;
  }

  /** The lots a fill adds to the account's exposure: on a netting account an opposite fill first offsets the position held. */
  exposureAdded(symbol: string, side: Side, volume: Decimal): Decimal {
    const held = this.#netted(symbol);
    if (!held || held.side === side) return volume;
    return volume.gt(held.volume) ? volume.minus(held.volume) : dec(0);
  }

  /**
   * Books a fill at `price` with its deal and commission: a new position on a hedging account. On a netting
   * account a fill on the side held adds to the symbol's position (open price averaged by volume, the fill's own
   * SL/TP replacing the position's), an opposite fill reduces or closes it, and a larger one closes it and opens
   * the rest the other way (two deals, where MT5 books one in/out deal). Returns the fill's last deal.
   */
  openPosition(a: OpenArgs): PaperDeal {
    const held = this.#netted(a.symbol);
    if (held && held.side === a.side) return this.#add(held, a);
    if (held && a.volume.lte(held.volume)) return this.closeVolume(held, a.volume, a.price, a.time, "MANUAL", a);
    if (held) {
      const rest = a.volume.minus(held.volume);
      this.closeVolume(held, held.volume, a.price, a.time, "MANUAL", a);
      return this.#open({ ...a, volume: rest });
    }
    return this.#open(a);
  }

  #netted(symbol: string): LivePosition | undefined {
    if (this.ctx.hedging) return undefined;
    for (const p of this.positions.values()) if (p.symbol === symbol) return p;
    return undefined;
  }

  #add(p: LivePosition, a: OpenArgs): PaperDeal {
    const commission = this.ctx.commissionPerLot.mul(a.volume);
    const charged = debit(commission);
    const volume = p.volume.plus(a.volume);
    const digits = this.ctx.specs.get(p.symbol)!.digits;
    p.openPrice = dec(p.openPrice).mul(p.volume).plus(dec(a.price).mul(a.volume)).div(volume).toDecimalPlaces(digits + 3).toNumber();
    p.volume = volume;
    p.commission = p.commission.plus(charged);
    if (a.stopLoss) p.stopLoss = a.stopLoss;
    if (a.takeProfit) p.takeProfit = a.takeProfit;
    p.updateTime = a.time;
    refresh(p);
    this.balance = this.balance.minus(commission);
    const deal = this.#deal(p, { side: a.side, entry: "in", volume: a.volume, price: a.price, profit: dec(0), commission: charged, swap: dec(0), reason: "client", time: a.time }, a);
    this.ctx.emit("positionUpdated", { position: this.brokerPosition(p), time: a.time, receivedAt: a.time });
    this.#announce(deal);
    return deal;
  }

  #open(a: OpenArgs): PaperDeal {
    const commission = this.ctx.commissionPerLot.mul(a.volume);
    const charged = debit(commission);
    const position: LivePosition = {
      id: a.positionId,
      symbol: a.symbol,
      side: a.side,
      volume: a.volume,
      openPrice: a.price,
      openTime: a.time,
      updateTime: a.time,
      ...(a.stopLoss ? { stopLoss: a.stopLoss } : {}),
      ...(a.takeProfit ? { takeProfit: a.takeProfit } : {}),
      commission: charged,
      swap: dec(0),
      ...(a.clientOrderId ? { clientOrderId: a.clientOrderId } : {}),
      ...(a.comment ? { comment: a.comment } : {}),
      sl: NaN,
      tp: NaN,
      volumeNum: 0,
      swapNum: 0,
    };
    refresh(position);
    this.positions.set(position.id, position);
    this.balance = this.balance.minus(commission);
    const deal = this.#deal(position, { side: a.side, entry: "in", volume: a.volume, price: a.price, profit: dec(0), commission: charged, swap: dec(0), reason: "client", time: a.time }, a);
    this.ctx.emit("positionOpened", { position: this.brokerPosition(position), time: a.time, receivedAt: a.time });
    this.#announce(deal);
    return deal;
  }

  /** Closes `volume` of a position at `price`: realises profit, commission and the matching share of swap. */
  closeVolume(p: LivePosition, volume: Decimal, price: number, time: number, reason: CloseReason, extras: FillExtras = {}): PaperDeal {
    const full = volume.gte(p.volume);
    const profit = this.ctx.money.profit(p, dec(price), volume);
    const commission = debit(this.ctx.commissionPerLot.mul(volume));
    const swap = full ? p.swap : cents(p.swap.mul(volume).div(p.volume));
    this.balance = this.balance.plus(profit).plus(commission).plus(swap);
    const side: Side = p.side === "BUY" ? "SELL" : "BUY";
    const deal = this.#deal(p, { side, entry: "out", volume, price, profit, commission, swap, reason: DEAL_REASON[reason], time }, extras, reason);
    if (full) {
      this.positions.delete(p.id);
      const closed: PaperPositionClosed = { positionId: p.id, position: this.brokerPosition(p, price), reason, dealId: deal.id, time, receivedAt: time };
      this.ctx.emit("positionClosed", closed);
    } else {
      p.volume = p.volume.minus(volume);
      p.swap = p.swap.minus(swap);
      p.updateTime = time;
      refresh(p);
      this.ctx.emit("positionUpdated", { position: this.brokerPosition(p), time, receivedAt: time });
    }
    this.#announce(deal);
    return deal;
  }

  setProtection(p: LivePosition, stopLoss: Decimal | undefined, takeProfit: Decimal | undefined, time: number): void {
    if (stopLoss) p.stopLoss = stopLoss;
    else delete p.stopLoss;
    if (takeProfit) p.takeProfit = takeProfit;
    else delete p.takeProfit;
    p.updateTime = time;
    refresh(p);
    this.ctx.emit("positionUpdated", { position: this.brokerPosition(p), time, receivedAt: time });
  }

  /** Adds a rollover's swap to every open position (`perLot` in account currency, signed: negative is a charge). */
  chargeSwap(perLot: (p: LivePosition) => Decimal | undefined, time: number): void {
    for (const p of this.positions.values()) {
      const rate = perLot(p);
      if (!rate) continue;
      p.swap = cents(p.swap.plus(rate.mul(p.volume)));
      p.updateTime = time;
      refresh(p);
    }
  }

  placeOrder(order: WorkingOrder, time: number): void {
    this.orders.set(order.id, order);
    this.ctx.emit("order", { orderId: order.id, status: "updated", order: this.brokerOrder(order), time, receivedAt: time });
  }

  /** Announces a changed working order (new price, a stop-limit turned limit). */
  orderChanged(order: WorkingOrder, time: number): void {
    order.trigger = order.price.toNumber();
    this.ctx.emit("order", { orderId: order.id, status: "updated", order: this.brokerOrder(order), time, receivedAt: time });
  }

  /** Ends a working order (filled, canceled, expired, rejected) and files it in history. */
  finishOrder(order: WorkingOrder, state: OrderState, time: number, positionId?: string): void {
    this.orders.delete(order.id);
    const done: BrokerOrder = { ...this.brokerOrder(order), state, doneAt: time, remainingVolume: state === "filled" ? dec(0) : order.volume };
    if (positionId) done.positionId = positionId;
    this.recordOrder(done);
  }

  /** Files a finished order in history and announces it. */
  recordOrder(order: BrokerOrder): void {
    this.history.push(order);
    const time = order.doneAt ?? order.createdAt;
    this.ctx.emit("order", { orderId: order.id, status: "completed", order, time, receivedAt: time });
  }

  brokerPosition(p: LivePosition, closePrice?: number): BrokerPosition {
    const q = this.ctx.quotes.get(p.symbol);
    const current = closePrice ?? (q ? (p.side === "BUY" ? q.bid : q.ask) : undefined);
    return {
      id: p.id,
      symbol: p.symbol,
      side: p.side,
      volume: p.volume,
      openPrice: dec(p.openPrice),
      ...(current === undefined ? {} : { currentPrice: dec(current) }),
      ...(p.stopLoss ? { stopLoss: p.stopLoss } : {}),
      ...(p.takeProfit ? { takeProfit: p.takeProfit } : {}),
      profit: current === undefined ? dec(0) : this.ctx.money.profit(p, dec(current)),
      swap: p.swap,
      commission: p.commission,
      openTime: p.openTime,
      updateTime: p.updateTime,
      ...(p.clientOrderId ? { clientOrderId: p.clientOrderId } : {}),
      ...(p.comment ? { comment: p.comment } : {}),
    };
  }

  brokerOrder(o: WorkingOrder): BrokerOrder {
    return {
      id: o.id,
      symbol: o.symbol,
      side: o.side,
      type: o.type,
      state: "placed",
      volume: o.volume,
      remainingVolume: o.volume,
      price: o.price,
      ...(o.stopLimitPrice ? { stopLimitPrice: o.stopLimitPrice } : {}),
      ...(o.stopLoss ? { stopLoss: o.stopLoss } : {}),
      ...(o.takeProfit ? { takeProfit: o.takeProfit } : {}),
      createdAt: o.createdAt,
      clientOrderId: o.clientOrderId,
      ...(o.comment ? { comment: o.comment } : {}),
    };
  }

  /** Balance, equity (balance + floating profit + swap at current quotes), margin and margin level, in decimals. */
  accountInfo(time: number): AccountInfo {
    let floating = dec(0);
    let margin = dec(0);
    for (const p of this.positions.values()) {
      floating = floating.plus(this.ctx.money.floating(p)).plus(p.swap);
      margin = margin.plus(this.ctx.money.margin(this.ctx.specs.get(p.symbol)!, p.volume));
    }
    margin = cents(margin);
    const equity = this.balance.plus(floating);
    return {
      balance: this.balance,
      equity,
      margin,
      freeMargin: equity.minus(margin),
      ...(margin.gt(0) ? { marginLevel: equity.div(margin).mul(100).toDecimalPlaces(2) } : {}),
      leverage: this.ctx.leverage,
      currency: this.ctx.currency,
      tradeAllowed: true,
      hedging: this.ctx.hedging,
      receivedAt: time,
    };
  }

  snapshot(): LedgerState {
    return {
      balance: this.balance,
      seq: this.#seq,
      positions: [...this.positions.values()].map(({ sl: _sl, tp: _tp, volumeNum: _v, swapNum: _s, ...record }) => record),
      orders: [...this.orders.values()].map(({ trigger: _t, ...record }) => record),
      history: [...this.history],
      deals: [...this.deals],
    };
  }

  #deal(p: LivePosition, d: DealFigures, extras: FillExtras, closeReason?: CloseReason): PaperDeal {
    const deal: PaperDeal = {
      id: this.nextId(),
      kind: "trade",
      side: d.side,
      entry: d.entry,
      symbol: p.symbol,
      volume: d.volume,
      price: dec(d.price),
      profit: d.profit,
      commission: d.commission,
      swap: d.swap,
      positionId: p.id,
      ...(extras.orderId ? { orderId: extras.orderId } : {}),
      ...(extras.clientOrderId ? { clientOrderId: extras.clientOrderId } : {}),
      reason: d.reason,
      time: d.time,
      ...(extras.requestedPrice === undefined ? {} : { requestedPrice: dec(extras.requestedPrice) }),
      ...(extras.latencyMs === undefined ? {} : { latencyMs: extras.latencyMs }),
      ...(closeReason ? { closeReason } : {}),
    };
    this.deals.push(deal);
    return deal;
  }

  #announce(deal: PaperDeal): void {
    this.ctx.emit("deal", { deal, time: deal.time, receivedAt: deal.time });
    this.ctx.emit("account", { account: this.accountInfo(deal.time), time: deal.time, receivedAt: deal.time });
  }
}

/** A charge as a negative amount; zero stays +0, so a JSON round trip cannot turn -0 into 0 and break bit-for-bit equality. */
function debit(amount: Decimal): Decimal {
  return dec(0).minus(amount);
}

function refresh(p: LivePosition): void {
  p.sl = p.stopLoss ? p.stopLoss.toNumber() : NaN;
  p.tp = p.takeProfit ? p.takeProfit.toNumber() : NaN;
  p.volumeNum = p.volume.toNumber();
  p.swapNum = p.swap.toNumber();
}
