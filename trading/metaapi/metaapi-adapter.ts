import { systemClock, type Clock, type Decimal, type Logger, type SymbolSpec } from "../../core/index.ts";
import {
  BrokerEventEmitter,
  ConnectionSupervisor,
  brokerError,
  delay,
  rejection,
  systemTimers,
  withTimeout,
  type AccountInfo,
  type BrokerCapabilities,
  type BrokerDeal,
  type BrokerHealth,
  type BrokerOrder,
  type BrokerPort,
  type BrokerPosition,
  type BrokerPrice,
  type ChangeResult,
  type ConnectionState,
  type OrderChanges,
  type OrderResult,
  type PositionChanges,
  type ReconnectHandler,
  type SubmitOrderRequest,
  type Timers,
} from "../broker/index.ts";
import type { MetatraderTradeResponse } from "./metaapi-client.ts";
import { mapMetaapiError, toBrokerError, type MapContext } from "./metaapi-errors.ts";
import { MetaapiEventBridge } from "./metaapi-event-bridge.ts";
import { MetaapiOrderSubmitter, METAAPI_CLIENT_ID_BUDGET } from "./metaapi-order-submitter.ts";
import type { MetaapiRawClient } from "./metaapi-raw-client.ts";
import type { MetaapiSettings } from "./metaapi.config.ts";
import { parseAccountInformation } from "./parse-account-information.ts";
import { parseDeal } from "./parse-deal.ts";
import { parseOrder } from "./parse-order.ts";
import { parsePosition } from "./parse-position.ts";
import { parseSymbolPrice } from "./parse-symbol-price.ts";
import { parseSymbolSpecification } from "./parse-symbol-specification.ts";

/** What MetaApi offers, by platform: MT4 has no stop-limit orders and always hedges. */
export function metaapiCapabilities(platform: "MT4" | "MT5"): BrokerCapabilities {
  return {
    orderTypes: platform === "MT4" ? ["MARKET", "LIMIT", "STOP"] : ["MARKET", "LIMIT", "STOP", "STOP_LIMIT"],
    partialClose: true,
    hedging: platform === "MT4" ? true : "account",
    clientOrderIds: true,
    clientOrderIdMaxLength: METAAPI_CLIENT_ID_BUDGET,
    streamingPrices: true,
    priceStreamIntervalMs: 2_500,
    modifyPendingOrders: true,
    serverSideStops: true,
    slippageControl: true,
    dealHistory: true,
  };
}

const SPEC_TTL_MS = 3_600_000;
const DEAL_PAGE = 1_000;

/** What one MetaApi adapter needs: our account id, its platform, a raw client and settings. */
export interface MetaapiAdapterOptions {
  /** Riskloop's broker account id. */
  accountId: string;
  platform: "MT4" | "MT5";
  raw: MetaapiRawClient;
  settings: MetaapiSettings;
  clock?: Clock;
  timers?: Timers;
  /** Jitter source for reconnect delays; tests pass a fixed one. */
  random?: () => number;
  logger?: Logger;
}

/**
 * The MetaApi (MT4/MT5) broker adapter. A ConnectionSupervisor keeps the link up (SDK timeouts wrapped in ours,
 * reconnect with backoff, queryable health); an event bridge turns SDK callbacks into port events; the order
 * submitter makes sends safe to retry. After every (re)connect, `onReconnected` handlers get a fresh snapshot.
 */
export class MetaapiAdapter implements BrokerPort {
  readonly venue = "metaapi";
  readonly accountId: string;
  readonly capabilities: BrokerCapabilities;
  readonly events: BrokerEventEmitter;
  readonly #raw: MetaapiRawClient;
  readonly #s: MetaapiSettings;
  readonly #clock: Clock;
  readonly #timers: Timers;
  readonly #logger: Logger | undefined;
  readonly #supervisor: ConnectionSupervisor;
  readonly #bridge: MetaapiEventBridge;
  readonly #submitter: MetaapiOrderSubmitter;
  readonly #reconnectHandlers = new Set<ReconnectHandler>();
  readonly #specs = new Map<string, { spec: SymbolSpec; at: number }>();
  /** Quote subscriptions to restore on a rebuilt connection. */
  readonly #subscribed = new Set<string>();
  #leverage: number | undefined;

  constructor(o: MetaapiAdapterOptions) {
    this.accountId = o.accountId;
    this.capabilities = metaapiCapabilities(o.platform);
    this.#raw = o.raw;
    this.#s = o.settings;
    this.#clock = o.clock ?? systemClock;
    this.#timers = o.timers ?? systemTimers;
    this.#logger = o.logger;
    this.events = new BrokerEventEmitter((name, err) => this.#logger?.error({ err, event: name, accountId: this.accountId }, "broker event listener failed"));
    this.#supervisor = new ConnectionSupervisor({
      clock: this.#clock,
      timers: this.#timers,
      ...(o.random ? { random: o.random } : {}),
      backoff: { baseMs: o.settings.reconnectBaseMs, maxMs: o.settings.reconnectMaxMs, jitter: o.settings.reconnectJitter },
      maxAttempts: o.settings.reconnectMaxAttempts,
      graceMs: o.settings.reconnectGraceMs,
      open: () => this.#open(),
      close: () => this.#raw.disconnect().catch(() => {}),
      classify: (err) => toBrokerError(mapMetaapiError(err, { now: this.#clock.now() }), err, { accountId: this.accountId }),
      onHealth: (health, previous) => {
        const now = this.#clock.now();
        this.events.emit("connection", { health, previous, time: now, receivedAt: now });
      },
      onUp: (up) => void this.#afterUp(up.reason, up.attempts, up.upAt, up.lostAt),
    });
    this.#bridge = new MetaapiEventBridge(this.events, this.#clock, this.#supervisor);
    this.#submitter = new MetaapiOrderSubmitter({
      raw: this.#raw,
      bridge: this.#bridge,
      clock: this.#clock,
      timers: this.#timers,
      settings: o.settings,
      ensureConnected: () => this.#ensureConnected(),
      ...(o.logger ? { logger: o.logger } : {}),
    });
  }

  get connectionState(): ConnectionState {
    return this.#supervisor.state;
  }

  health(): BrokerHealth {
    return this.#supervisor.health();
  }

  connect(): Promise<void> {
    return this.#supervisor.start();
  }

  async disconnect(): Promise<void> {
    await this.#supervisor.stop();
    await this.#raw.close();
  }

  onReconnected(handler: ReconnectHandler): () => void {
    this.#reconnectHandlers.add(handler);
    return () => this.#reconnectHandlers.delete(handler);
  }

  async fetchSymbolSpec(symbol: string): Promise<SymbolSpec> {
    const cached = this.#specs.get(symbol);
    if (cached && this.#clock.now() - cached.at < SPEC_TTL_MS) return cached.spec;
    const raw = await this.#rpc(() => this.#raw.getSymbolSpecification(symbol), { notFound: "TRD_ERR_UNKNOWN_SYMBOL" });
    if (!raw) throw brokerError("TRD_ERR_UNKNOWN_SYMBOL", `symbol ${symbol} is not offered on this account`, { venue: this.venue, symbol });
    this.#leverage ??= (await this.fetchAccountInfo()).leverage;
    const spec = parseSymbolSpecification(raw, { leverage: this.#leverage });
    this.#specs.set(symbol, { spec, at: this.#clock.now() });
    return spec;
  }

  async fetchPrice(symbol: string): Promise<BrokerPrice> {
    const raw = await this.#rpc(() => this.#raw.getSymbolPrice(symbol), { notFound: "TRD_ERR_UNKNOWN_SYMBOL" });
    if (!raw) throw brokerError("TRD_ERR_UNKNOWN_SYMBOL", `no price for ${symbol}`, { venue: this.venue, symbol });
    return parseSymbolPrice(raw, this.#clock.now());
  }

  async subscribePrices(symbols: readonly string[]): Promise<void> {
    for (const symbol of symbols) {
      await this.#rpc(() => this.#raw.subscribeToMarketData(symbol), { notFound: "TRD_ERR_UNKNOWN_SYMBOL" });
      this.#subscribed.add(symbol);
    }
  }

  async unsubscribePrices(symbols: readonly string[]): Promise<void> {
    for (const symbol of symbols) {
      this.#subscribed.delete(symbol);
      await this.#rpc(() => this.#raw.unsubscribeFromMarketData(symbol));
    }
  }

  async fetchAccountInfo(): Promise<AccountInfo> {
    const info = parseAccountInformation(await this.#rpc(() => this.#raw.getAccountInformation()), this.#clock.now());
    this.#leverage = info.leverage;
    return info;
  }

  async fetchPositions(): Promise<BrokerPosition[]> {
    return (await this.#rpc(() => this.#raw.getPositions())).map(parsePosition);
  }

  async fetchOrders(): Promise<BrokerOrder[]> {
    return (await this.#rpc(() => this.#raw.getOrders())).map(parseOrder).filter((o) => o !== undefined);
  }

  async fetchDeals(from: number, to: number): Promise<BrokerDeal[]> {
    const out: BrokerDeal[] = [];
    for (let offset = 0; ; offset += DEAL_PAGE) {
      const page = await this.#rpc(() => this.#raw.getDealsByTimeRange(new Date(from), new Date(to), offset, DEAL_PAGE));
      if (page.synchronizing) throw this.#historySyncing();
      out.push(...page.deals.map(parseDeal));
      if (page.deals.length < DEAL_PAGE) break;
    }
    return out.filter((d) => d.time >= from && d.time < to).sort((a, b) => a.time - b.time);
  }

  async fetchOrderByClientId(clientOrderId: string, options: { since?: number } = {}): Promise<BrokerOrder | undefined> {
    const working = (await this.fetchOrders()).find((o) => o.clientOrderId === clientOrderId);
    if (working) return working;
    const now = this.#clock.now();
    const since = options.since ?? now - this.#s.historyLookbackMs;
    const history = await this.#rpc(() => this.#raw.getHistoryOrdersByTimeRange(new Date(since), new Date(now + 60_000)));
    const found = history.historyOrders.map(parseOrder).find((o) => o?.clientOrderId === clientOrderId);
    if (!found && history.synchronizing) throw this.#historySyncing();
    return found;
  }

  /** Incomplete history must not read as "absent": reconciliation would act on it. */
  #historySyncing() {
    return brokerError("TRD_ERR_NOT_SYNCHRONIZED", "MetaApi is still synchronising history; retry shortly", { venue: this.venue, accountId: this.accountId });
  }

  async fetchPositionByClientId(clientOrderId: string): Promise<BrokerPosition | undefined> {
    return (await this.fetchPositions()).find((p) => p.clientOrderId === clientOrderId);
  }

  submitOrder(request: SubmitOrderRequest): Promise<OrderResult> {
    return this.#submitter.submit(request);
  }

  closePosition(positionId: string, volume: Decimal | undefined, clientOrderId: string): Promise<OrderResult> {
    return this.#submitter.close(positionId, volume, clientOrderId);
  }

  async modifyPosition(positionId: string, changes: PositionChanges): Promise<ChangeResult> {
    const requestedAt = this.#clock.now();
    const current = this.#bridge.position(positionId) ?? (await this.fetchPositions()).find((p) => p.id === positionId);
    if (!current) return rejection("TRD_ERR_POSITION_NOT_FOUND", `position ${positionId} is not open`, { requestedAt, respondedAt: this.#clock.now() });
    const sl = level(changes.stopLoss, current.stopLoss);
    const tp = level(changes.takeProfit, current.takeProfit);
    return this.#change(
      requestedAt,
      () => this.#raw.modifyPosition(positionId, sl, tp),
      async () => {
        const p = (await this.fetchPositions()).find((x) => x.id === positionId);
        return p !== undefined && (p.stopLoss?.toNumber() ?? 0) === sl && (p.takeProfit?.toNumber() ?? 0) === tp;
      },
    );
  }

  async modifyOrder(orderId: string, changes: OrderChanges): Promise<ChangeResult> {
    const requestedAt = this.#clock.now();
    const current = this.#bridge.order(orderId) ?? (await this.fetchOrders()).find((o) => o.id === orderId);
    if (!current?.price) return rejection("TRD_ERR_ORDER_NOT_FOUND", `order ${orderId} is not working`, { requestedAt, respondedAt: this.#clock.now() });
    const price = (changes.price ?? current.price).toNumber();
    const sl = level(changes.stopLoss, current.stopLoss);
    const tp = level(changes.takeProfit, current.takeProfit);
    const stopLimit = changes.stopLimitPrice ?? current.stopLimitPrice;
    return this.#change(
      requestedAt,
      () => this.#raw.modifyOrder(orderId, price, sl, tp, stopLimit ? { stopLimitPrice: stopLimit.toNumber() } : {}),
      async () => {
        const o = (await this.fetchOrders()).find((x) => x.id === orderId);
        return o !== undefined && o.price?.toNumber() === price && (o.stopLoss?.toNumber() ?? 0) === sl && (o.takeProfit?.toNumber() ?? 0) === tp;
      },
    );
  }

  cancelOrder(orderId: string): Promise<ChangeResult> {
    return this.#change(
      this.#clock.now(),
      () => this.#raw.cancelOrder(orderId),
      async () => !(await this.fetchOrders()).some((o) => o.id === orderId),
    );
  }

  /** Modify and cancel are idempotent, so after an ambiguous failure the state is read back and the call sent once more at most. */
  async #change(requestedAt: number, call: () => Promise<MetatraderTradeResponse>, applied: () => Promise<boolean>): Promise<ChangeResult> {
    for (let attempt = 1; ; attempt++) {
      this.#ensureConnected();
      try {
        await withTimeout(call(), this.#s.requestTimeoutMs, this.#timers, () => brokerError("TRD_ERR_TIMEOUT", `MetaApi gave no answer within ${this.#s.requestTimeoutMs} ms`));
        return { status: "done", requestedAt, respondedAt: this.#clock.now() };
      } catch (err) {
        const mapped = mapMetaapiError(err, { now: this.#clock.now() });
        if (mapped.refused) return rejection(mapped.code, mapped.message, { requestedAt, respondedAt: this.#clock.now() }, mapped.brokerCode);
        if (!mapped.ambiguous || attempt >= 2) throw toBrokerError(mapped, err, { accountId: this.accountId });
        await delay(this.#timers, this.#s.lookupDelayMs);
        if (await applied().catch(() => false)) return { status: "done", requestedAt, respondedAt: this.#clock.now() };
      }
    }
  }

  async #open(): Promise<void> {
    const { connectTimeoutMs, syncTimeoutMs } = this.#s;
    this.#bridge.resetLink();
    await withTimeout(this.#raw.connect(this.#bridge), connectTimeoutMs, this.#timers, () =>
      brokerError("TRD_ERR_NOT_CONNECTED", `MetaApi connection not open after ${connectTimeoutMs} ms`, { venue: this.venue }),
    );
    this.#supervisor.linkSynchronizing();
    await withTimeout(this.#raw.waitSynchronized(Math.ceil(syncTimeoutMs / 1000)), syncTimeoutMs, this.#timers, () =>
      brokerError("TRD_ERR_NOT_SYNCHRONIZED", `MetaApi terminal state not synchronised after ${syncTimeoutMs} ms`, { venue: this.venue }),
    );
  }

  async #afterUp(reason: "initial" | "reconnect", attempts: number, reconnectedAt: number, lostAt: number | undefined): Promise<void> {
    for (const symbol of this.#subscribed) {
      await this.#rpc(() => this.#raw.subscribeToMarketData(symbol)).catch((err: unknown) =>
        this.#logger?.warn({ err, symbol, accountId: this.accountId }, "quote subscription not restored"),
      );
    }
    if (this.#reconnectHandlers.size === 0) return;
    const started = this.#clock.monotonic();
    let positions: BrokerPosition[];
    let orders: BrokerOrder[];
    try {
      [positions, orders] = await Promise.all([this.fetchPositions(), this.fetchOrders()]);
    } catch (err) {
      this.#logger?.error({ err, accountId: this.accountId }, "snapshot after reconnect failed; reconciliation skipped");
      return;
    }
    const snapshot = {
      accountId: this.accountId,
      reason,
      ...(lostAt === undefined ? {} : { lostAt }),
      reconnectedAt,
      attempts,
      positions,
      orders,
      snapshotMs: this.#clock.monotonic() - started,
    };
    for (const handler of this.#reconnectHandlers) {
      try {
        await handler(snapshot);
      } catch (err) {
        this.#logger?.error({ err, accountId: this.accountId }, "onReconnected handler failed");
      }
    }
  }

  async #rpc<T>(fn: () => Promise<T>, context: MapContext = {}): Promise<T> {
    this.#ensureConnected();
    try {
      return await withTimeout(fn(), this.#s.requestTimeoutMs, this.#timers, () =>
        brokerError("TRD_ERR_TIMEOUT", `MetaApi gave no answer within ${this.#s.requestTimeoutMs} ms`),
      );
    } catch (err) {
      throw toBrokerError(mapMetaapiError(err, { ...context, now: this.#clock.now() }), err, { accountId: this.accountId });
    }
  }

  #ensureConnected(): void {
    const state = this.#supervisor.state;
    if (state !== "connected") {
      throw brokerError("TRD_ERR_NOT_CONNECTED", `MetaApi account ${this.accountId} is ${state}; nothing was sent`, { venue: this.venue, accountId: this.accountId, state });
    }
  }
}

/** A protective level to send: keep the current one (undefined), remove it (null → 0), or set it. */
function level(change: Decimal | null | undefined, current: Decimal | undefined): number {
  if (change === null) return 0;
  return (change ?? current)?.toNumber() ?? 0;
}
