import type { Decimal, SymbolSpec } from "../../core/index.ts";
import type { BrokerEvents } from "./broker-events.ts";
import type {
  AccountInfo,
  BrokerCapabilities,
  BrokerDeal,
  BrokerHealth,
  BrokerOrder,
  BrokerPosition,
  BrokerPrice,
  ChangeResult,
  ConnectionState,
  OrderChanges,
  OrderResult,
  PositionChanges,
  ReconnectHandler,
  SubmitOrderRequest,
} from "./broker-types.ts";

/**
 * The one door to a venue: every order reaches a broker through this interface. Rules every adapter keeps
 * (the conformance suite in test/conformance/broker-adapter.ts checks them):
 *
 * - Reads (`fetch*`) and actions throw a RiskloopError with a `TRD_ERR_*` code when the venue cannot be asked
 *   (not connected, timeout, rate limit, auth); a refusal by the venue is a value: `{ status: "rejected", errorCode }`.
 * - `submitOrder` and `closePosition` are idempotent per `clientOrderId`: a second call with the same id never
 *   executes twice. It returns the first result (`duplicate: true`) or, after an ambiguous failure, what a lookup
 *   by client id found (`recovered: true`). A request whose outcome cannot be established throws
 *   `TRD_ERR_OUTCOME_UNKNOWN`; retrying it with the same id is safe. One id names one request: an open's id
 *   reused for a close is refused (`TRD_ERR_INVALID_REQUEST`); derive ids with `clientOrderIdFor(key)`.
 * - History reads never pass incomplete data off as complete: while the venue still synchronises history they
 *   throw `TRD_ERR_NOT_SYNCHRONIZED`, so "not found" can be trusted.
 * - Nothing is sent while `connectionState` is not "connected" (`TRD_ERR_NOT_CONNECTED`).
 * - Money, prices and volumes are Decimals; every event carries the venue's time and our receive time.
 */
export interface BrokerPort {
  /** Venue name, e.g. "metaapi" or "paper". */
  readonly venue: string;
  /** Riskloop's broker account id this adapter trades. */
  readonly accountId: string;
  readonly capabilities: BrokerCapabilities;
  readonly events: BrokerEvents;
  readonly connectionState: ConnectionState;
  health(): BrokerHealth;

  /**
   * Connects and waits for account state to synchronise. From this call until `disconnect()` the adapter keeps
   * the link up by itself (reconnecting with backoff), even when the first attempt rejects.
   */
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /**
   * Adds a handler called after the first connect and after every reconnect, with fresh positions and orders,
   * so execution can reconcile its database. Returns the function that removes it.
   */
  onReconnected(handler: ReconnectHandler): () => void;

  fetchSymbolSpec(symbol: string): Promise<SymbolSpec>;
  fetchPrice(symbol: string): Promise<BrokerPrice>;
  /** Starts `price` events for the symbols (see `capabilities.priceStreamIntervalMs` for their pace). */
  subscribePrices(symbols: readonly string[]): Promise<void>;
  unsubscribePrices(symbols: readonly string[]): Promise<void>;
  fetchAccountInfo(): Promise<AccountInfo>;
  fetchPositions(): Promise<BrokerPosition[]>;
  /** Working (pending) orders. */
  fetchOrders(): Promise<BrokerOrder[]>;
  /** Deals with `from <= time < to` (epoch ms), oldest first. */
  fetchDeals(from: number, to: number): Promise<BrokerDeal[]>;
  /** The order submitted with this client id: a working order, else a recent one from history (`since`, epoch ms). */
  fetchOrderByClientId(clientOrderId: string, options?: { since?: number }): Promise<BrokerOrder | undefined>;
  /** The open position opened with this client id. */
  fetchPositionByClientId(clientOrderId: string): Promise<BrokerPosition | undefined>;

  submitOrder(request: SubmitOrderRequest): Promise<OrderResult>;
  modifyPosition(positionId: string, changes: PositionChanges): Promise<ChangeResult>;
  /** Closes the position, or `volume` of it when given (see `capabilities.partialClose`). */
  closePosition(positionId: string, volume: Decimal | undefined, clientOrderId: string): Promise<OrderResult>;
  modifyOrder(orderId: string, changes: OrderChanges): Promise<ChangeResult>;
  cancelOrder(orderId: string): Promise<ChangeResult>;
}
