import { dec, type Clock } from "../../../core/index.ts";
import { metaapiFixtures } from "../fixtures/metaapi-fixtures.ts";
import type {
  MetaapiSyncHandler,
  MetatraderAccountInformation,
  MetatraderDeal,
  MetatraderDeals,
  MetatraderHistoryOrders,
  MetatraderOrder,
  MetatraderPosition,
  MetatraderSymbolPrice,
  MetatraderSymbolSpecification,
  MetatraderTradeResponse,
} from "../metaapi-client.ts";
import type { MetaapiRawClient } from "../metaapi-raw-client.ts";

/** A failure the next trade call suffers, as seen in production. */
export type TradeFault =
  /** The venue executes the trade but the answer is lost (SDK TimeoutError). */
  | { kind: "timeout-after-execute" }
  /** The request is lost before the venue sees it. */
  | { kind: "timeout-before-execute" }
  /** The venue executes and never answers: only the adapter's own timeout ends the wait. */
  | { kind: "hang-after-execute" }
  | { kind: "trade-error"; numericCode: number; stringCode: string };

type Opts = { clientId?: string; comment?: string };

function sdkError(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name }, extra);
}

function tradeError(numericCode: number, stringCode: string, message: string): Error {
  return sdkError("TradeError", message, { numericCode, stringCode });
}

/**
 * Test double for the raw MetaApi client: an in-memory MT5 hedging account that enforces the venue's rules
 * (volume step, stop sides, pending prices), streams SDK callbacks like the SDK does, and can be told to fail
 * the way MetaApi fails (lost answers, lost links, slow history). Test code only.
 */
export class FakeMetaapiClient implements MetaapiRawClient {
  readonly accountId = "fake-metaapi-account";
  readonly tradeCalls: string[] = [];
  readonly tradeFaults: TradeFault[] = [];
  readonly connectFailures: Error[] = [];
  connectHangs = false;
  /** Trades produce no stream callbacks, so the adapter can only learn of them over RPC. */
  silentStream = false;
  dealsSynchronizing = false;
  rpcFailure: Error | undefined;
  connects = 0;
  readonly specs = new Map<string, MetatraderSymbolSpecification>();
  readonly prices = new Map<string, { bid: number; ask: number }>();
  positions: MetatraderPosition[] = [];
  orders: MetatraderOrder[] = [];
  historyOrders: MetatraderOrder[] = [];
  deals: MetatraderDeal[] = [];
  account: MetatraderAccountInformation;
  #handler: MetaapiSyncHandler | undefined;
  #open = false;
  #nextId = 50_000_000;
  readonly #subscribed = new Set<string>();

  constructor(private readonly clock: Clock) {
    for (const s of metaapiFixtures.symbolSpecifications()) this.specs.set(s.symbol, s);
    this.prices.set("EURUSD", { bid: 1.0812, ask: 1.0813 });
    this.prices.set("USDJPY", { bid: 155.201, ask: 155.215 });
    this.prices.set("XAUUSD", { bid: 2345.67, ask: 2345.89 });
    this.account = metaapiFixtures.accountInformation()[0]!;
  }

  async connect(handler: MetaapiSyncHandler): Promise<void> {
    this.connects++;
    if (this.connectHangs) return new Promise(() => {});
    const failure = this.connectFailures.shift();
    if (failure) throw failure;
    this.#handler = handler;
    this.#open = true;
    handler.onConnected("vint-hill:0:ps-mpa-1", 1);
  }

  async waitSynchronized(): Promise<void> {
    this.#requireOpen();
    this.#synchronize();
  }

  async disconnect(): Promise<void> {
    this.#open = false;
    this.#handler = undefined;
  }

  async close(): Promise<void> {
    await this.disconnect();
  }

  /** The SDK loses its websocket (it will try to restore it by itself). */
  dropLink(): void {
    this.#open = false;
    this.#handler?.onDisconnected("vint-hill:0:ps-mpa-1");
  }

  /** The SDK restores its websocket and re-synchronises. */
  healLink(): void {
    if (!this.#handler) return;
    this.#open = true;
    this.#handler.onConnected("vint-hill:0:ps-mpa-1", 1);
    this.#synchronize();
  }

  /** Moves the market; subscribed symbols stream the quote. */
  setPrice(symbol: string, bid: number, ask: number): void {
    this.prices.set(symbol, { bid, ask });
    if (this.#subscribed.has(symbol)) this.#handler?.onSymbolPriceUpdated("vint-hill:0:ps-mpa-1", this.#quote(symbol));
  }

  async subscribeToMarketData(symbol: string): Promise<void> {
    this.#requireOpen();
    if (!this.specs.has(symbol)) throw sdkError("ValidationError", `Cannot subscribe to market data for symbol ${symbol} because symbol does not exist`);
    this.#subscribed.add(symbol);
  }

  async unsubscribeFromMarketData(symbol: string): Promise<void> {
    this.#subscribed.delete(symbol);
  }

  async getAccountInformation(): Promise<MetatraderAccountInformation> {
    this.#read();
    return { ...this.account };
  }

  async getPositions(): Promise<MetatraderPosition[]> {
    this.#read();
    return this.positions.map((p) => ({ ...p }));
  }

  async getOrders(): Promise<MetatraderOrder[]> {
    this.#read();
    return this.orders.map((o) => ({ ...o }));
  }

  async getHistoryOrdersByTimeRange(start: Date, end: Date, offset = 0, limit = 1000): Promise<MetatraderHistoryOrders> {
    this.#read();
    const inRange = this.historyOrders.filter((o) => o.time >= start && o.time <= end);
    return { historyOrders: inRange.slice(offset, offset + limit), synchronizing: this.dealsSynchronizing };
  }

  async getDealsByTimeRange(start: Date, end: Date, offset = 0, limit = 1000): Promise<MetatraderDeals> {
    this.#read();
    const inRange = this.deals.filter((d) => d.time >= start && d.time <= end);
    return { deals: inRange.slice(offset, offset + limit).map((d) => ({ ...d })), synchronizing: this.dealsSynchronizing };
  }

  async getSymbolSpecification(symbol: string): Promise<MetatraderSymbolSpecification> {
    this.#read();
    const spec = this.specs.get(symbol);
    if (!spec) throw sdkError("NotFoundError", `Specification for ${symbol} symbol not found`);
    return spec;
  }

  async getSymbolPrice(symbol: string): Promise<MetatraderSymbolPrice> {
    this.#read();
    if (!this.prices.has(symbol)) throw sdkError("NotFoundError", `Price for ${symbol} symbol not found`);
    return this.#quote(symbol);
  }

  createMarketBuyOrder(symbol: string, volume: number, sl?: number, tp?: number, o?: Opts) {
    return this.#trade("createMarketBuyOrder", () => this.#market("BUY", symbol, volume, sl, tp, o));
  }
  createMarketSellOrder(symbol: string, volume: number, sl?: number, tp?: number, o?: Opts) {
    return this.#trade("createMarketSellOrder", () => this.#market("SELL", symbol, volume, sl, tp, o));
  }
  createLimitBuyOrder(symbol: string, volume: number, price: number, sl?: number, tp?: number, o?: Opts) {
    return this.#trade("createLimitBuyOrder", () => this.#pending("ORDER_TYPE_BUY_LIMIT", symbol, volume, price, sl, tp, o));
  }
  createLimitSellOrder(symbol: string, volume: number, price: number, sl?: number, tp?: number, o?: Opts) {
    return this.#trade("createLimitSellOrder", () => this.#pending("ORDER_TYPE_SELL_LIMIT", symbol, volume, price, sl, tp, o));
  }
  createStopBuyOrder(symbol: string, volume: number, price: number, sl?: number, tp?: number, o?: Opts) {
    return this.#trade("createStopBuyOrder", () => this.#pending("ORDER_TYPE_BUY_STOP", symbol, volume, price, sl, tp, o));
  }
  createStopSellOrder(symbol: string, volume: number, price: number, sl?: number, tp?: number, o?: Opts) {
    return this.#trade("createStopSellOrder", () => this.#pending("ORDER_TYPE_SELL_STOP", symbol, volume, price, sl, tp, o));
  }
  createStopLimitBuyOrder(symbol: string, volume: number, price: number, limit: number, sl?: number, tp?: number, o?: Opts) {
    return this.#trade("createStopLimitBuyOrder", () => this.#pending("ORDER_TYPE_BUY_STOP_LIMIT", symbol, volume, price, sl, tp, o, limit));
  }
  createStopLimitSellOrder(symbol: string, volume: number, price: number, limit: number, sl?: number, tp?: number, o?: Opts) {
    return this.#trade("createStopLimitSellOrder", () => this.#pending("ORDER_TYPE_SELL_STOP_LIMIT", symbol, volume, price, sl, tp, o, limit));
  }

  modifyPosition(positionId: string, stopLoss?: number, takeProfit?: number) {
    return this.#trade("modifyPosition", () => {
      const p = this.#position(positionId);
      this.#checkStops(p.type === "POSITION_TYPE_BUY" ? "BUY" : "SELL", p.symbol, stopLoss, takeProfit);
      Object.assign(p, { stopLoss: stopLoss ?? 0, takeProfit: takeProfit ?? 0, updateTime: this.#now() });
      this.#stream((h) => h.onPositionUpdated("vint-hill:0:ps-mpa-1", { ...p }));
      return done(undefined, positionId);
    });
  }

  closePosition(positionId: string, options: Opts) {
    return this.#trade("closePosition", () => this.#reduce(positionId, undefined, options));
  }

  closePositionPartially(positionId: string, volume: number, options: Opts) {
    return this.#trade("closePositionPartially", () => this.#reduce(positionId, volume, options));
  }

  modifyOrder(orderId: string, openPrice: number, stopLoss?: number, takeProfit?: number) {
    return this.#trade("modifyOrder", () => {
      const o = this.orders.find((x) => String(x.id) === orderId);
      if (!o) throw tradeError(4754, "ERR_TRADE_ORDER_NOT_FOUND", "Order not found");
      Object.assign(o, { openPrice, stopLoss: stopLoss ?? 0, takeProfit: takeProfit ?? 0 });
      this.#stream((h) => h.onPendingOrderUpdated("vint-hill:0:ps-mpa-1", { ...o }));
      return done(orderId);
    });
  }

  cancelOrder(orderId: string) {
    return this.#trade("cancelOrder", () => {
      const o = this.orders.find((x) => String(x.id) === orderId);
      if (!o) throw tradeError(4754, "ERR_TRADE_ORDER_NOT_FOUND", "Order not found");
      this.orders = this.orders.filter((x) => x !== o);
      this.historyOrders.push({ ...o, state: "ORDER_STATE_CANCELED", doneTime: this.#now() });
      this.#stream((h) => h.onPendingOrderCompleted("vint-hill:0:ps-mpa-1", orderId));
      return done(orderId);
    });
  }

  async #trade(name: string, execute: () => MetatraderTradeResponse): Promise<MetatraderTradeResponse> {
    this.#requireOpen();
    this.tradeCalls.push(name);
    const fault = this.tradeFaults.shift();
    if (fault?.kind === "timeout-before-execute") throw sdkError("TimeoutError", "MetaApi websocket client request timed out");
    if (fault?.kind === "trade-error") throw tradeError(fault.numericCode, fault.stringCode, fault.stringCode);
    const response = execute();
    if (fault?.kind === "timeout-after-execute") throw sdkError("TimeoutError", "MetaApi websocket client request timed out");
    if (fault?.kind === "hang-after-execute") return new Promise(() => {});
    return response;
  }

  #market(side: "BUY" | "SELL", symbol: string, volume: number, sl: number | undefined, tp: number | undefined, o: Opts = {}): MetatraderTradeResponse {
    const spec = this.#spec(symbol);
    this.#checkVolume(spec, volume);
    this.#checkStops(side, symbol, sl, tp);
    const q = this.prices.get(symbol)!;
    const id = this.#nextId++;
    const now = this.#now();
    const price = side === "BUY" ? q.ask : q.bid;
    const position: MetatraderPosition = {
      id, type: side === "BUY" ? "POSITION_TYPE_BUY" : "POSITION_TYPE_SELL", symbol, magic: 0, time: now, brokerTime: "", updateTime: now,
      openPrice: price, currentPrice: price, currentTickValue: 1, stopLoss: sl ?? 0, takeProfit: tp ?? 0, volume, swap: 0, realizedSwap: 0,
      unrealizedSwap: 0, profit: 0, unrealizedProfit: 0, realizedProfit: 0, commission: 0, realizedCommission: 0, unrealizedCommission: 0,
      reason: "POSITION_REASON_EXPERT", ...(o.clientId ? { clientId: o.clientId } : {}), ...(o.comment ? { comment: o.comment } : {}),
    };
    this.positions.push(position);
    this.historyOrders.push(this.#order(id, side === "BUY" ? "ORDER_TYPE_BUY" : "ORDER_TYPE_SELL", "ORDER_STATE_FILLED", symbol, volume, price, o, String(id)));
    const deal = this.#deal(side, "DEAL_ENTRY_IN", symbol, volume, price, String(id), String(id), o.clientId);
    this.#stream((h) => {
      h.onPositionUpdated("vint-hill:0:ps-mpa-1", { ...position });
      h.onDealAdded("vint-hill:0:ps-mpa-1", deal);
    });
    return done(String(id), String(id));
  }

  #pending(type: string, symbol: string, volume: number, price: number, sl: number | undefined, tp: number | undefined, o: Opts = {}, limit?: number) {
    const spec = this.#spec(symbol);
    this.#checkVolume(spec, volume);
    const q = this.prices.get(symbol)!;
    const buy = type.includes("BUY");
    const isLimit = type === "ORDER_TYPE_BUY_LIMIT" || type === "ORDER_TYPE_SELL_LIMIT";
    const ok = buy ? (isLimit ? price < q.ask : price > q.ask) : isLimit ? price > q.bid : price < q.bid;
    if (!ok) throw tradeError(10015, "TRADE_RETCODE_INVALID_PRICE", "Invalid price");
    const id = this.#nextId++;
    const order = { ...this.#order(id, type, "ORDER_STATE_PLACED", symbol, volume, price, o, ""), stopLoss: sl ?? 0, takeProfit: tp ?? 0, ...(limit ? { stopLimitPrice: limit } : {}) };
    this.orders.push(order);
    this.historyOrders.push({ ...order });
    this.#stream((h) => h.onPendingOrderUpdated("vint-hill:0:ps-mpa-1", { ...order }));
    return { ...done(String(id)), numericCode: 10008, stringCode: "TRADE_RETCODE_PLACED", message: "Order placed" };
  }

  #reduce(positionId: string, volume: number | undefined, o: Opts): MetatraderTradeResponse {
    const p = this.#position(positionId);
    const closing = volume ?? p.volume;
    this.#checkVolume(this.#spec(p.symbol), closing);
    if (closing > p.volume) throw tradeError(10038, "TRADE_RETCODE_INVALID_CLOSE_VOLUME", "Invalid close volume");
    const q = this.prices.get(p.symbol)!;
    const buy = p.type === "POSITION_TYPE_BUY";
    const id = this.#nextId++;
    const deal = this.#deal(buy ? "SELL" : "BUY", "DEAL_ENTRY_OUT", p.symbol, closing, buy ? q.bid : q.ask, String(id), positionId, o.clientId);
    const remaining = dec(p.volume).minus(closing).toNumber();
    if (remaining <= 0) this.positions = this.positions.filter((x) => x !== p);
    else Object.assign(p, { volume: remaining, updateTime: this.#now() });
    this.#stream((h) => {
      if (remaining <= 0) h.onPositionRemoved("vint-hill:0:ps-mpa-1", positionId);
      else h.onPositionUpdated("vint-hill:0:ps-mpa-1", { ...p });
      h.onDealAdded("vint-hill:0:ps-mpa-1", deal);
    });
    return done(String(id), positionId);
  }

  #checkVolume(spec: MetatraderSymbolSpecification, volume: number): void {
    const v = dec(volume);
    const ok = v.gte(spec.minVolume) && v.lte(spec.maxVolume) && v.div(spec.volumeStep).isInteger();
    if (!ok) throw tradeError(10014, "TRADE_RETCODE_INVALID_VOLUME", "Invalid volume");
  }

  #checkStops(side: "BUY" | "SELL", symbol: string, sl: number | undefined, tp: number | undefined): void {
    const q = this.prices.get(symbol)!;
    const bad = side === "BUY" ? (!!sl && sl >= q.bid) || (!!tp && tp <= q.bid) : (!!sl && sl <= q.ask) || (!!tp && tp >= q.ask);
    if (bad) throw tradeError(10016, "TRADE_RETCODE_INVALID_STOPS", "Invalid stops");
  }

  #spec(symbol: string): MetatraderSymbolSpecification {
    const spec = this.specs.get(symbol);
    if (!spec || !this.prices.has(symbol)) throw tradeError(4301, "ERR_MARKET_UNKNOWN_SYMBOL", `Unknown symbol ${symbol}`);
    return spec;
  }

  #position(positionId: string): MetatraderPosition {
    const p = this.positions.find((x) => String(x.id) === positionId);
    if (!p) throw tradeError(4753, "ERR_TRADE_POSITION_NOT_FOUND", "Position not found");
    return p;
  }

  #order(id: number, type: string, state: string, symbol: string, volume: number, price: number, o: Opts, positionId: string): MetatraderOrder {
    const now = this.#now();
    return {
      id, type, state, symbol, magic: 0, time: now, brokerTime: "", openPrice: price, volume, currentVolume: state === "ORDER_STATE_FILLED" ? 0 : volume,
      positionId, platform: "mt5", reason: "ORDER_REASON_EXPERT", fillingMode: "ORDER_FILLING_FOK", expirationType: "ORDER_TIME_GTC",
      expirationTime: new Date(0), ...(state === "ORDER_STATE_FILLED" ? { doneTime: now } : {}),
      ...(o.clientId ? { clientId: o.clientId } : {}), ...(o.comment ? { comment: o.comment } : {}),
    };
  }

  #deal(side: "BUY" | "SELL", entryType: string, symbol: string, volume: number, price: number, orderId: string, positionId: string, clientId?: string): MetatraderDeal {
    const deal: MetatraderDeal = {
      id: String(this.#nextId++), type: side === "BUY" ? "DEAL_TYPE_BUY" : "DEAL_TYPE_SELL", entryType, symbol, time: this.#now(), brokerTime: "",
      volume, price, commission: 0, swap: 0, profit: 0, positionId, orderId, clientId: clientId ?? "", platform: "mt5", reason: "DEAL_REASON_EXPERT",
    };
    this.deals.push(deal);
    return deal;
  }

  #quote(symbol: string): MetatraderSymbolPrice {
    const q = this.prices.get(symbol)!;
    return { symbol, bid: q.bid, ask: q.ask, profitTickValue: 1, lossTickValue: 1, time: this.#now(), brokerTime: "" };
  }

  #synchronize(): void {
    const h = this.#handler;
    if (!h) return;
    const i = "vint-hill:0:ps-mpa-1";
    h.onSynchronizationStarted(i, "sync-1");
    h.onAccountInformationUpdated(i, { ...this.account });
    h.onPositionsReplaced(i, this.positions.map((p) => ({ ...p })));
    h.onPendingOrdersReplaced(i, this.orders.map((o) => ({ ...o })));
    for (const d of this.deals) h.onDealAdded(i, d);
    h.onDealsSynchronized(i, "sync-1");
  }

  #stream(fn: (h: MetaapiSyncHandler) => void): void {
    if (!this.silentStream && this.#handler) fn(this.#handler);
  }

  #requireOpen(): void {
    if (!this.#open) throw sdkError("NotConnectedError", "websocket is not connected");
  }

  #read(): void {
    this.#requireOpen();
    if (this.rpcFailure) throw this.rpcFailure;
  }

  #now(): Date {
    return new Date(this.clock.now());
  }
}

function done(orderId?: string, positionId?: string): MetatraderTradeResponse {
  return { numericCode: 10009, stringCode: "TRADE_RETCODE_DONE", message: "Request completed", orderId: orderId ?? "", positionId: positionId ?? "" };
}
