import * as sdkRuntime from "metaapi.cloud-sdk/esm-node";
// The esm-node entry's .d.mts files do not resolve under NodeNext, so types come from the CJS declarations.
import type * as MetaApiModule from "metaapi.cloud-sdk/dist/metaApi/metaApi";
import type * as AccountModule from "metaapi.cloud-sdk/dist/metaApi/metatraderAccount";
import type * as StreamingModule from "metaapi.cloud-sdk/dist/metaApi/streamingMetaApiConnectionInstance";
import type * as RpcModule from "metaapi.cloud-sdk/dist/metaApi/rpcMetaApiConnectionInstance";
import type * as ListenerModule from "metaapi.cloud-sdk/dist/clients/metaApi/synchronizationListener";
import type {
  MetatraderAccountInformation,
  MetatraderDeal,
  MetatraderDeals,
  MetatraderHistoryOrders,
  MetatraderOrder,
  MetatraderPosition,
  MetatraderSymbolPrice,
  MetatraderSymbolSpecification,
  MetatraderTradeResponse,
} from "metaapi.cloud-sdk/dist/clients/metaApi/metaApiWebsocket.client";
import type {
  CreateMarketTradeOptions,
  MarketTradeOptions,
  ModifyOrderOptions,
  PendingTradeOptions,
  StopLimitPendingTradeOptions,
} from "metaapi.cloud-sdk/dist/metaApi/metaApiConnectionInstance";
import type { ConnectionStatus, NewMetatraderAccountDto, State } from "metaapi.cloud-sdk/dist/clients/metaApi/metatraderAccount.client";

/** The SDK's payload and option types, for parse functions, fixtures and test doubles (type-only: no SDK load). */
export type {
  MetatraderAccountInformation,
  MetatraderDeal,
  MetatraderDeals,
  MetatraderHistoryOrders,
  MetatraderOrder,
  MetatraderPosition,
  MetatraderSymbolPrice,
  MetatraderSymbolSpecification,
  MetatraderTradeResponse,
  CreateMarketTradeOptions,
  MarketTradeOptions,
  ModifyOrderOptions,
  PendingTradeOptions,
  StopLimitPendingTradeOptions,
  NewMetatraderAccountDto,
};

type MetaApi = MetaApiModule.default;
type Streaming = StreamingModule.default;
type Rpc = RpcModule.default;
const sdk = sdkRuntime as unknown as {
  default: typeof MetaApiModule.default.default;
  SynchronizationListener: typeof ListenerModule.default.default;
};

/** The SDK's synchronisation callbacks the adapter consumes (same names and arguments as SynchronizationListener). */
export interface MetaapiSyncHandler {
  onConnected(instanceIndex: string, replicas: number): void;
  onDisconnected(instanceIndex: string): void;
  onBrokerConnectionStatusChanged(instanceIndex: string, connected: boolean): void;
  onSynchronizationStarted(instanceIndex: string, synchronizationId: string): void;
  onAccountInformationUpdated(instanceIndex: string, accountInformation: MetatraderAccountInformation): void;
  onPositionsReplaced(instanceIndex: string, positions: MetatraderPosition[]): void;
  onPositionUpdated(instanceIndex: string, position: MetatraderPosition): void;
  onPositionRemoved(instanceIndex: string, positionId: string): void;
  onPendingOrdersReplaced(instanceIndex: string, orders: MetatraderOrder[]): void;
  onPendingOrderUpdated(instanceIndex: string, order: MetatraderOrder): void;
  onPendingOrderCompleted(instanceIndex: string, orderId: string): void;
  onDealAdded(instanceIndex: string, deal: MetatraderDeal): void;
  onDealsSynchronized(instanceIndex: string, synchronizationId: string): void;
  onSymbolPriceUpdated(instanceIndex: string, price: MetatraderSymbolPrice): void;
}

/**
 * Forwards SDK callbacks to a plain handler (see https://metaapi.cloud/docs/client/websocket/synchronizationListener/).
 * A handler that throws must not break the SDK's packet processing, so calls are isolated.
 */
class ForwardingListener extends sdk.SynchronizationListener {
  constructor(private readonly handler: MetaapiSyncHandler) {
    super();
  }
  #call(fn: () => void): Promise<void> {
    try {
      fn();
    } catch {
      // The adapter reports its own failures through health and the logger.
    }
    return Promise.resolve();
  }
  override onConnected(i: string, replicas: number) { return this.#call(() => this.handler.onConnected(i, replicas)); }
  override onDisconnected(i: string) { return this.#call(() => this.handler.onDisconnected(i)); }
  override onBrokerConnectionStatusChanged(i: string, c: boolean) { return this.#call(() => this.handler.onBrokerConnectionStatusChanged(i, c)); }
  override onSynchronizationStarted(i: string, _s: string, _p: string, _o: string, id: string) { return this.#call(() => this.handler.onSynchronizationStarted(i, id)); }
  override onAccountInformationUpdated(i: string, a: MetatraderAccountInformation) { return this.#call(() => this.handler.onAccountInformationUpdated(i, a)); }
  override onPositionsReplaced(i: string, p: MetatraderPosition[]) { return this.#call(() => this.handler.onPositionsReplaced(i, p)); }
  override onPositionUpdated(i: string, p: MetatraderPosition) { return this.#call(() => this.handler.onPositionUpdated(i, p)); }
  override onPositionRemoved(i: string, id: string) { return this.#call(() => this.handler.onPositionRemoved(i, id)); }
  override onPendingOrdersReplaced(i: string, o: MetatraderOrder[]) { return this.#call(() => this.handler.onPendingOrdersReplaced(i, o)); }
  override onPendingOrderUpdated(i: string, o: MetatraderOrder) { return this.#call(() => this.handler.onPendingOrderUpdated(i, o)); }
  override onPendingOrderCompleted(i: string, id: string) { return this.#call(() => this.handler.onPendingOrderCompleted(i, id)); }
  override onDealAdded(i: string, d: MetatraderDeal) { return this.#call(() => this.handler.onDealAdded(i, d)); }
  override onDealsSynchronized(i: string, id: string) { return this.#call(() => this.handler.onDealsSynchronized(i, id)); }
  override onSymbolPriceUpdated(i: string, p: MetatraderSymbolPrice) { return this.#call(() => this.handler.onSymbolPriceUpdated(i, p)); }
}

/** Options for one MetaApi SDK instance. */
export interface MetaapiApiOptions {
  token: string;
  region?: string;
  requestTimeoutMs: number;
  connectTimeoutMs: number;
  restRetries: number;
}

/** Options for one account's connections. */
export interface MetaapiClientOptions extends MetaapiApiOptions {
  /** How much deal and order history the streaming connection replays on connect (the SDK default is all of it). */
  historyLookbackMs?: number;
}

const pool = new Map<string, { api: MetaApi; refs: number }>();

/**
 * One SDK instance (one websocket client) per token and region, shared by every account using it: the SDK
 * starts timers on construction, so the last release calls `close()` (https://metaapi.cloud/docs/client/).
 */
function acquireApi(o: MetaapiApiOptions): { api: MetaApi; release(): void } {
  const key = JSON.stringify([o.token, o.region ?? "", o.requestTimeoutMs, o.connectTimeoutMs, o.restRetries]);
  let entry = pool.get(key);
  if (!entry) {
    const api = new sdk.default(o.token, {
      ...(o.region ? { region: o.region } : {}),
      requestTimeout: Math.ceil(o.requestTimeoutMs / 1000),
      connectTimeout: Math.ceil(o.connectTimeoutMs / 1000),
      retryOpts: { retries: o.restRetries },
    });
    entry = { api, refs: 0 };
    pool.set(key, entry);
  }
  entry.refs++;
  let released = false;
  return {
    api: entry.api,
    release() {
      if (released) return;
      released = true;
      const e = pool.get(key);
      if (e && --e.refs === 0) {
        pool.delete(key);
        e.api.close();
      }
    },
  };
}

function notConnected(accountId: string): Error {
  const err = new Error(`MetaApi account ${accountId} has no open connection`);
  err.name = "NotConnectedError";
  return err;
}

/** Raw client for one MetaApi account: mirrors the SDK's streaming, RPC and trading calls one to one. */
export class MetaapiClient {
  readonly #options: MetaapiClientOptions;
  #lease: { api: MetaApi; release(): void } | undefined;
  #streaming: Streaming | undefined;
  #rpc: Rpc | undefined;
  #listener: ForwardingListener | undefined;
  #epoch = 0;

  /** Makes no request and starts no timer: the shared SDK instance is taken on the first `connect`. */
  constructor(
    readonly accountId: string,
    options: MetaapiClientOptions,
  ) {
    this.#options = options;
  }

  /**
   * Opens the streaming and RPC connections (https://metaapi.cloud/docs/client/websocket/connectionInstances/).
   * A `disconnect()` while this is still running (the adapter's timeout fired) wins: nothing opened here survives it.
   */
  async connect(handler: MetaapiSyncHandler): Promise<void> {
    await this.disconnect();
    const epoch = this.#epoch;
    const superseded = () => epoch !== this.#epoch;
    this.#lease ??= acquireApi(this.#options);
    const account: AccountModule.default = await this.#lease.api.metatraderAccountApi.getAccount(this.accountId);
    if (superseded()) throw notConnected(this.accountId);
    this.#listener = new ForwardingListener(handler);
    const lookback = this.#options.historyLookbackMs;
    this.#streaming = account.getStreamingConnection(undefined, lookback === undefined ? undefined : new Date(Date.now() - lookback));
    this.#streaming.addSynchronizationListener(this.#listener);
    await this.#streaming.connect();
    if (superseded()) throw notConnected(this.accountId);
    this.#rpc = account.getRPCConnection();
    await this.#rpc.connect();
    if (superseded()) throw notConnected(this.accountId);
  }

  /** Waits until terminal state and history are synchronised (https://metaapi.cloud/docs/client/websocket/synchronizationListener/). */
  async waitSynchronized(timeoutInSeconds: number): Promise<void> {
    await this.#stream().waitSynchronized({ timeoutInSeconds });
    await this.#rpcConn().waitSynchronized(timeoutInSeconds);
  }

  /** Closes both connections; the SDK instance stays for other accounts. */
  async disconnect(): Promise<void> {
    this.#epoch++;
    const streaming = this.#streaming;
    const rpc = this.#rpc;
    this.#streaming = undefined;
    this.#rpc = undefined;
    if (streaming && this.#listener) streaming.removeSynchronizationListener(this.#listener);
    this.#listener = undefined;
    await Promise.allSettled([streaming?.close(), rpc?.close()]);
  }

  /** Disconnects and releases the shared SDK instance (its timers stop with the last user). */
  async close(): Promise<void> {
    await this.disconnect();
    this.#lease?.release();
    this.#lease = undefined;
  }

  /** https://metaapi.cloud/docs/client/websocket/marketDataStreaming/subscribeToMarketData/ */
  async subscribeToMarketData(symbol: string): Promise<void> {
    await this.#stream().subscribeToMarketData(symbol, [{ type: "quotes" }], undefined);
  }

  /** https://metaapi.cloud/docs/client/websocket/marketDataStreaming/unsubscribeFromMarketData/ */
  async unsubscribeFromMarketData(symbol: string): Promise<void> {
    await this.#stream().unsubscribeFromMarketData(symbol, [{ type: "quotes" }]);
  }

  /** https://metaapi.cloud/docs/client/websocket/api/readTradingTerminalState/readAccountInformation/ */
  getAccountInformation(): Promise<MetatraderAccountInformation> {
    return this.#rpcConn().getAccountInformation();
  }

  /** https://metaapi.cloud/docs/client/websocket/api/readTradingTerminalState/readPositions/ */
  getPositions(): Promise<MetatraderPosition[]> {
    return this.#rpcConn().getPositions();
  }

  /** https://metaapi.cloud/docs/client/websocket/api/readTradingTerminalState/readOrders/ */
  getOrders(): Promise<MetatraderOrder[]> {
    return this.#rpcConn().getOrders();
  }

  /** https://metaapi.cloud/docs/client/websocket/api/retrieveHistoricalData/readHistoryOrdersByTimeRange/ */
  getHistoryOrdersByTimeRange(startTime: Date, endTime: Date, offset?: number, limit?: number): Promise<MetatraderHistoryOrders> {
    return this.#rpcConn().getHistoryOrdersByTimeRange(startTime, endTime, offset, limit);
  }

  /** https://metaapi.cloud/docs/client/websocket/api/retrieveHistoricalData/readDealsByTimeRange/ */
  getDealsByTimeRange(startTime: Date, endTime: Date, offset?: number, limit?: number): Promise<MetatraderDeals> {
    return this.#rpcConn().getDealsByTimeRange(startTime, endTime, offset, limit);
  }

  /** https://metaapi.cloud/docs/client/websocket/api/retrieveMarketData/readSymbolSpecification/ */
  getSymbolSpecification(symbol: string): Promise<MetatraderSymbolSpecification> {
    return this.#rpcConn().getSymbolSpecification(symbol);
  }

  /** https://metaapi.cloud/docs/client/websocket/api/retrieveMarketData/readSymbolPrice/ */
  getSymbolPrice(symbol: string): Promise<MetatraderSymbolPrice> {
    return this.#rpcConn().getSymbolPrice(symbol, false);
  }

  /** https://metaapi.cloud/docs/client/websocket/api/trade/ (ORDER_TYPE_BUY) */
  createMarketBuyOrder(symbol: string, volume: number, stopLoss?: number, takeProfit?: number, options?: CreateMarketTradeOptions): Promise<MetatraderTradeResponse> {
    return this.#stream().createMarketBuyOrder(symbol, volume, stopLoss, takeProfit, options);
  }

  /** https://metaapi.cloud/docs/client/websocket/api/trade/ (ORDER_TYPE_SELL) */
  createMarketSellOrder(symbol: string, volume: number, stopLoss?: number, takeProfit?: number, options?: CreateMarketTradeOptions): Promise<MetatraderTradeResponse> {
    return this.#stream().createMarketSellOrder(symbol, volume, stopLoss, takeProfit, options);
  }

  /** https://metaapi.cloud/docs/client/websocket/api/trade/ (ORDER_TYPE_BUY_LIMIT) */
  createLimitBuyOrder(symbol: string, volume: number, openPrice: number, stopLoss?: number, takeProfit?: number, options?: PendingTradeOptions): Promise<MetatraderTradeResponse> {
    return this.#stream().createLimitBuyOrder(symbol, volume, openPrice, stopLoss, takeProfit, options);
  }

  /** https://metaapi.cloud/docs/client/websocket/api/trade/ (ORDER_TYPE_SELL_LIMIT) */
  createLimitSellOrder(symbol: string, volume: number, openPrice: number, stopLoss?: number, takeProfit?: number, options?: PendingTradeOptions): Promise<MetatraderTradeResponse> {
    return this.#stream().createLimitSellOrder(symbol, volume, openPrice, stopLoss, takeProfit, options);
  }

  /** https://metaapi.cloud/docs/client/websocket/api/trade/ (ORDER_TYPE_BUY_STOP) */
  createStopBuyOrder(symbol: string, volume: number, openPrice: number, stopLoss?: number, takeProfit?: number, options?: PendingTradeOptions): Promise<MetatraderTradeResponse> {
    return this.#stream().createStopBuyOrder(symbol, volume, openPrice, stopLoss, takeProfit, options);
  }

  /** https://metaapi.cloud/docs/client/websocket/api/trade/ (ORDER_TYPE_SELL_STOP) */
  createStopSellOrder(symbol: string, volume: number, openPrice: number, stopLoss?: number, takeProfit?: number, options?: PendingTradeOptions): Promise<MetatraderTradeResponse> {
    return this.#stream().createStopSellOrder(symbol, volume, openPrice, stopLoss, takeProfit, options);
  }

  /** https://metaapi.cloud/docs/client/websocket/api/trade/ (ORDER_TYPE_BUY_STOP_LIMIT) */
  createStopLimitBuyOrder(
    symbol: string, volume: number, openPrice: number, stopLimitPrice: number, stopLoss?: number, takeProfit?: number, options?: StopLimitPendingTradeOptions,
  ): Promise<MetatraderTradeResponse> {
    return this.#stream().createStopLimitBuyOrder(symbol, volume, openPrice, stopLimitPrice, stopLoss, takeProfit, options);
  }

  /** https://metaapi.cloud/docs/client/websocket/api/trade/ (ORDER_TYPE_SELL_STOP_LIMIT) */
  createStopLimitSellOrder(
    symbol: string, volume: number, openPrice: number, stopLimitPrice: number, stopLoss?: number, takeProfit?: number, options?: StopLimitPendingTradeOptions,
  ): Promise<MetatraderTradeResponse> {
    return this.#stream().createStopLimitSellOrder(symbol, volume, openPrice, stopLimitPrice, stopLoss, takeProfit, options);
  }

  /** https://metaapi.cloud/docs/client/websocket/api/trade/ (POSITION_MODIFY) */
  modifyPosition(positionId: string, stopLoss?: number, takeProfit?: number): Promise<MetatraderTradeResponse> {
    return this.#stream().modifyPosition(positionId, stopLoss, takeProfit);
  }

  /** https://metaapi.cloud/docs/client/websocket/api/trade/ (POSITION_CLOSE_ID) */
  closePosition(positionId: string, options: MarketTradeOptions): Promise<MetatraderTradeResponse> {
    return this.#stream().closePosition(positionId, options);
  }

  /** https://metaapi.cloud/docs/client/websocket/api/trade/ (POSITION_PARTIAL) */
  closePositionPartially(positionId: string, volume: number, options: MarketTradeOptions): Promise<MetatraderTradeResponse> {
    return this.#stream().closePositionPartially(positionId, volume, options);
  }

  /** https://metaapi.cloud/docs/client/websocket/api/trade/ (ORDER_MODIFY) */
  modifyOrder(orderId: string, openPrice: number, stopLoss?: number, takeProfit?: number, options?: ModifyOrderOptions): Promise<MetatraderTradeResponse> {
    return this.#stream().modifyOrder(orderId, openPrice, stopLoss, takeProfit, options);
  }

  /** https://metaapi.cloud/docs/client/websocket/api/trade/ (ORDER_CANCEL) */
  cancelOrder(orderId: string): Promise<MetatraderTradeResponse> {
    return this.#stream().cancelOrder(orderId);
  }

  #stream(): Streaming {
    if (!this.#streaming) throw notConnected(this.accountId);
    return this.#streaming;
  }

  #rpcConn(): Rpc {
    if (!this.#rpc) throw notConnected(this.accountId);
    return this.#rpc;
  }
}

/** Account lifecycle through MetaApi's provisioning API (https://metaapi.cloud/docs/provisioning/). */
export class MetaapiProvisioning {
  readonly #lease: { api: MetaApi; release(): void };

  constructor(options: MetaapiApiOptions) {
    this.#lease = acquireApi(options);
  }

  /** Creates a MetaTrader account and returns its MetaApi id (https://metaapi.cloud/docs/provisioning/api/account/createAccount/). */
  async createAccount(account: NewMetatraderAccountDto): Promise<string> {
    return (await this.#lease.api.metatraderAccountApi.createAccount(account)).id;
  }

  /** State and broker connection status (https://metaapi.cloud/docs/provisioning/api/account/readAccount/). */
  async readAccount(accountId: string): Promise<{ state: State; connectionStatus: ConnectionStatus }> {
    const a = await this.#account(accountId);
    return { state: a.state, connectionStatus: a.connectionStatus };
  }

  /** https://metaapi.cloud/docs/provisioning/api/account/deployAccount/ */
  async deployAccount(accountId: string): Promise<void> {
    await (await this.#account(accountId)).deploy();
  }

  /** https://metaapi.cloud/docs/provisioning/api/account/undeployAccount/ */
  async undeployAccount(accountId: string): Promise<void> {
    await (await this.#account(accountId)).undeploy();
  }

  /** Polls until the account is deployed (https://metaapi.cloud/docs/provisioning/api/account/readAccount/). */
  async waitDeployed(accountId: string, timeoutInSeconds: number): Promise<void> {
    await (await this.#account(accountId)).waitDeployed(timeoutInSeconds);
  }

  /** Polls until the account's terminal is connected to the broker (https://metaapi.cloud/docs/provisioning/api/account/readAccount/). */
  async waitConnected(accountId: string, timeoutInSeconds: number): Promise<void> {
    await (await this.#account(accountId)).waitConnected(timeoutInSeconds);
  }

  /** https://metaapi.cloud/docs/provisioning/api/account/deleteAccount/ */
  async removeAccount(accountId: string): Promise<void> {
    await (await this.#account(accountId)).remove();
  }

  close(): void {
    this.#lease.release();
  }

  #account(accountId: string): Promise<AccountModule.default> {
    return this.#lease.api.metatraderAccountApi.getAccount(accountId);
  }
}
