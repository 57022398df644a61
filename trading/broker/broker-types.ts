import type { Decimal, ErrorKind, Side } from "../../core/index.ts";
import type { BrokerErrorCode } from "./broker-errors.ts";

/** How an order executes: at market, or pending at a price. */
export type OrderType = "MARKET" | "LIMIT" | "STOP" | "STOP_LIMIT";

/** A quote: `time` is the venue's quote time, `receivedAt` ours (both epoch ms). */
export interface BrokerPrice {
  symbol: string;
  bid: Decimal;
  ask: Decimal;
  time: number;
  receivedAt: number;
}

/** Account money as the venue reports it, in the account currency. */
export interface AccountInfo {
  balance: Decimal;
  equity: Decimal;
  margin: Decimal;
  freeMargin: Decimal;
  /** Margin level in percent (equity / margin × 100); undefined while no margin is used. */
  marginLevel?: Decimal;
  leverage: number;
  currency: string;
  tradeAllowed: boolean;
  /** Whether the account may hold opposite positions on one symbol (MT5 netting accounts may not). */
  hedging: boolean;
  receivedAt: number;
}

/** An open position. Prices and volumes are exact decimals; times are epoch ms. */
export interface BrokerPosition {
  id: string;
  symbol: string;
  side: Side;
  volume: Decimal;
  openPrice: Decimal;
  currentPrice?: Decimal;
  stopLoss?: Decimal;
  takeProfit?: Decimal;
  /** Unrealised profit of the open part, in account currency. */
  profit: Decimal;
  swap: Decimal;
  commission: Decimal;
  openTime: number;
  updateTime: number;
  /** The client order id given when the position was opened (our idempotency key). */
  clientOrderId?: string;
  comment?: string;
}

/** Lifecycle of an order at the venue. */
export type OrderState = "pending" | "placed" | "partial" | "filled" | "canceled" | "rejected" | "expired";

/** A working (pending) order, or a past one when read from history. */
export interface BrokerOrder {
  id: string;
  symbol: string;
  side: Side;
  type: OrderType;
  state: OrderState;
  volume: Decimal;
  /** Volume not yet filled. */
  remainingVolume: Decimal;
  /** Limit or stop price; the fill price for a done market order. */
  price?: Decimal;
  /** Limit price a STOP_LIMIT order places once its stop `price` triggers. */
  stopLimitPrice?: Decimal;
  stopLoss?: Decimal;
  takeProfit?: Decimal;
  createdAt: number;
  doneAt?: number;
  positionId?: string;
  clientOrderId?: string;
  comment?: string;
}

/** Why a deal happened; lets execution tell a stop-out or a take-profit from our own close. */
export type DealReason = "client" | "expert" | "stop_loss" | "take_profit" | "stop_out" | "other";

/** A booked transaction: a fill (`kind: "trade"`) or a balance operation. */
export interface BrokerDeal {
  id: string;
  kind: "trade" | "balance" | "credit" | "fee" | "other";
  /** Fill direction, for trades. */
  side?: Side;
  /** Whether the fill opened (`in`), closed (`out`) or reversed (`inout`) a position. */
  entry?: "in" | "out" | "inout";
  symbol?: string;
  volume?: Decimal;
  price?: Decimal;
  /** Realised profit, or the amount of a balance operation, in account currency. */
  profit: Decimal;
  commission: Decimal;
  swap: Decimal;
  positionId?: string;
  orderId?: string;
  clientOrderId?: string;
  reason: DealReason;
  time: number;
}

/** A request to open a position or place a pending order. */
export interface SubmitOrderRequest {
  /** Caller-chosen idempotency key; see `BrokerCapabilities.clientOrderIdMaxLength` and `clientOrderIdFor`. */
  clientOrderId: string;
  symbol: string;
  side: Side;
  type: OrderType;
  volume: Decimal;
  /** Limit or stop price; required for every type but MARKET. */
  price?: Decimal;
  /** Limit price placed when a STOP_LIMIT triggers; required for STOP_LIMIT. */
  stopLimitPrice?: Decimal;
  stopLoss?: Decimal;
  takeProfit?: Decimal;
  comment?: string;
  /** Maximum accepted deviation from the requested price for market orders, in points. */
  slippagePoints?: number;
}

/** Timing the execution log needs: when we sent the request and when the venue answered (epoch ms). */
export interface ResultTiming {
  requestedAt: number;
  respondedAt: number;
}

/** The venue executed (`filled`) or accepted (`placed`) the request. */
export interface OrderAccepted extends ResultTiming {
  status: "filled" | "placed";
  clientOrderId: string;
  orderId?: string;
  positionId?: string;
  dealId?: string;
  fillPrice?: Decimal;
  fillVolume?: Decimal;
  fillTime?: number;
  brokerCode?: string;
  message?: string;
  /** True when the result was found by client id after an ambiguous failure, not from the venue's answer. */
  recovered?: boolean;
  /** True when an earlier request with this client id already succeeded and nothing new was sent. */
  duplicate?: boolean;
}

/** The venue (or the adapter's own checks) refused the request; nothing was executed. */
export interface Rejection extends ResultTiming {
  status: "rejected";
  errorCode: BrokerErrorCode;
  errorKind: ErrorKind;
  /** The venue's own code (e.g. `TRADE_RETCODE_INVALID_VOLUME`), kept for the execution log. */
  brokerCode?: string;
  message: string;
}

/** A refused order or close, with the client id it was sent under. */
export type OrderRejected = Rejection & { clientOrderId: string };

/** Result of `submitOrder` and `closePosition`. */
export type OrderResult = OrderAccepted | OrderRejected;

/** Result of a modify or cancel. */
export type ChangeResult = ({ status: "done" } & ResultTiming) | Rejection;

/** New protective levels: `undefined` keeps the current level, `null` removes it. */
export interface PositionChanges {
  stopLoss?: Decimal | null;
  takeProfit?: Decimal | null;
}

/** New levels for a pending order; omitted fields keep their current value, `null` removes SL/TP. */
export interface OrderChanges {
  price?: Decimal;
  stopLimitPrice?: Decimal;
  stopLoss?: Decimal | null;
  takeProfit?: Decimal | null;
}

/** Where the venue link stands; only "connected" sends anything. */
export type ConnectionState = "disconnected" | "connecting" | "synchronizing" | "connected" | "failed";

/** A queryable picture of the venue link. */
export interface BrokerHealth {
  state: ConnectionState;
  /** When the current state began (epoch ms). */
  since: number;
  lastError?: { code: BrokerErrorCode; message: string; at: number };
  /** Failed attempts in the current outage; 0 while connected. */
  reconnectAttempts: number;
  /** When the next reconnect attempt is due, while waiting between attempts. */
  nextAttemptAt?: number;
}

/** What the venue supports, declared as data so callers branch on it rather than on the venue name. */
export interface BrokerCapabilities {
  orderTypes: readonly OrderType[];
  partialClose: boolean;
  /** "account" when it depends on the account (MT5 hedging vs netting): read `AccountInfo.hedging`. */
  hedging: boolean | "account";
  clientOrderIds: boolean;
  /** Longest client order id the venue keeps intact, comment included. */
  clientOrderIdMaxLength: number;
  streamingPrices: boolean;
  /** Typical gap between streamed quotes; spread features must say how fresh a quote is. */
  priceStreamIntervalMs: number;
  modifyPendingOrders: boolean;
  /** SL/TP are held by the venue, so they trigger while we are disconnected. */
  serverSideStops: boolean;
  slippageControl: boolean;
  dealHistory: boolean;
}

/** Every reconnect (and the first connect) hands this to `onReconnected` handlers for reconciliation. */
export interface ReconnectSnapshot {
  accountId: string;
  reason: "initial" | "reconnect";
  /** When the link was lost; undefined for the first connect. */
  lostAt?: number;
  reconnectedAt: number;
  /** Failed attempts before this success. */
  attempts: number;
  positions: BrokerPosition[];
  orders: BrokerOrder[];
  /** How long reading the snapshot took, in ms. */
  snapshotMs: number;
}

/** Reconciliation hook; the adapter awaits it and logs its failures. */
export type ReconnectHandler = (snapshot: ReconnectSnapshot) => void | Promise<void>;

/** Source time and our receive time, carried by every event (`time` equals `receivedAt` when the venue gives none). */
export interface EventTiming {
  time: number;
  receivedAt: number;
}

/** The typed event stream every adapter emits. */
export interface BrokerEventMap {
  price: BrokerPrice;
  positionOpened: { position: BrokerPosition } & EventTiming;
  /** Volume or protective levels changed (not emitted for price moves alone). */
  positionUpdated: { position: BrokerPosition } & EventTiming;
  /** `position` is the last known state, when the adapter had seen it. */
  positionClosed: { positionId: string; position?: BrokerPosition } & EventTiming;
  order: { orderId: string; status: "updated" | "completed"; order?: BrokerOrder } & EventTiming;
  deal: { deal: BrokerDeal } & EventTiming;
  account: { account: AccountInfo } & EventTiming;
  connection: { health: BrokerHealth; previous: ConnectionState } & EventTiming;
}

/** Names of the events in `BrokerEventMap`. */
export type BrokerEventName = keyof BrokerEventMap;
