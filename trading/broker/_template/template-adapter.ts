import { systemClock, type Clock, type Decimal, type SymbolSpec } from "../../../core/index.ts";
import {
  BrokerEventEmitter,
  ConnectionSupervisor,
  brokerError,
  systemTimers,
  type AccountInfo,
  type BrokerCapabilities,
  type BrokerDeal,
  type BrokerHealth,
  type BrokerOrder,
  type BrokerPort,
  type BrokerPlatform,
  type BrokerPosition,
  type BrokerPrice,
  type BrokerRegistry,
  type ChangeResult,
  type ConnectionState,
  type OrderChanges,
  type OrderResult,
  type PositionChanges,
  type ReconnectHandler,
  type SubmitOrderRequest,
} from "../index.ts";
import { parseTemplatePosition } from "./parse-template-position.ts";
import { TemplateClient } from "./template-client.ts";

/** What the venue supports, as data. */
export const TEMPLATE_CAPABILITIES: BrokerCapabilities = {
  orderTypes: ["MARKET", "LIMIT", "STOP"],
  partialClose: true,
  hedging: true,
  clientOrderIds: true,
  clientOrderIdMaxLength: 32,
  streamingPrices: true,
  priceStreamIntervalMs: 1000,
  modifyPendingOrders: true,
  serverSideStops: true,
  slippageControl: false,
  dealHistory: true,
};

const todo = (what: string) => brokerError("TRD_ERR_UNSUPPORTED", `template adapter: ${what} is not implemented yet`, { venue: "template" });

/** Skeleton adapter: connection handling and reads are wired; each remaining method says what to build. */
export class TemplateAdapter implements BrokerPort {
  readonly venue = "template";
  readonly capabilities = TEMPLATE_CAPABILITIES;
  readonly events = new BrokerEventEmitter();
  readonly #handlers = new Set<ReconnectHandler>();
  readonly #supervisor: ConnectionSupervisor;

  constructor(
    readonly accountId: string,
    private readonly client: TemplateClient,
    clock: Clock = systemClock,
  ) {
    this.#supervisor = new ConnectionSupervisor({
      clock,
      timers: systemTimers,
      backoff: { baseMs: 1000, maxMs: 60_000, jitter: 0.2 },
      maxAttempts: 0,
      graceMs: 30_000,
      open: () => this.client.connect(),
      close: () => this.client.disconnect().catch(() => {}),
      classify: (err) => brokerError("TRD_ERR_NOT_CONNECTED", String(err), { venue: "template" }, err),
      onHealth: (health, previous) => this.events.emit("connection", { health, previous, time: clock.now(), receivedAt: clock.now() }),
      onUp: (up) =>
        void this.fetchPositions().then(async (positions) => {
          const snapshot = { accountId, reason: up.reason, reconnectedAt: up.upAt, attempts: up.attempts, positions, orders: [], snapshotMs: 0 };
          for (const h of this.#handlers) await h(snapshot);
        }),
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
  disconnect(): Promise<void> {
    return this.#supervisor.stop();
  }
  onReconnected(handler: ReconnectHandler): () => void {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }
  async fetchPositions(): Promise<BrokerPosition[]> {
    return (await this.client.getPositions()).map(parseTemplatePosition);
  }
  async fetchPositionByClientId(clientOrderId: string): Promise<BrokerPosition | undefined> {
    return (await this.fetchPositions()).find((p) => p.clientOrderId === clientOrderId);
  }
  async fetchSymbolSpec(_symbol: string): Promise<SymbolSpec> {
    throw todo("fetchSymbolSpec (parse the venue's specification; pip size via pipSizeFor)");
  }
  async fetchPrice(_symbol: string): Promise<BrokerPrice> {
    throw todo("fetchPrice");
  }
  async subscribePrices(_symbols: readonly string[]): Promise<void> {
    throw todo("subscribePrices (emit `price` events with time and receivedAt)");
  }
  async unsubscribePrices(_symbols: readonly string[]): Promise<void> {
    throw todo("unsubscribePrices");
  }
  async fetchAccountInfo(): Promise<AccountInfo> {
    throw todo("fetchAccountInfo");
  }
  async fetchOrders(): Promise<BrokerOrder[]> {
    throw todo("fetchOrders");
  }
  async fetchDeals(_from: number, _to: number): Promise<BrokerDeal[]> {
    throw todo("fetchDeals");
  }
  async fetchOrderByClientId(_clientOrderId: string): Promise<BrokerOrder | undefined> {
    throw todo("fetchOrderByClientId (working orders, then history)");
  }
  async submitOrder(_request: SubmitOrderRequest): Promise<OrderResult> {
    throw todo("submitOrder (idempotent per clientOrderId; look up before any resend)");
  }
  async modifyPosition(_positionId: string, _changes: PositionChanges): Promise<ChangeResult> {
    throw todo("modifyPosition");
  }
  async closePosition(_positionId: string, _volume: Decimal | undefined, _clientOrderId: string): Promise<OrderResult> {
    throw todo("closePosition (idempotent per clientOrderId)");
  }
  async modifyOrder(_orderId: string, _changes: OrderChanges): Promise<ChangeResult> {
    throw todo("modifyOrder");
  }
  async cancelOrder(_orderId: string): Promise<ChangeResult> {
    throw todo("cancelOrder");
  }
}

/** Registers the venue's factory for its platform (add a new platform to `BrokerPlatform`); the composition root calls this once. */
export function registerTemplateBroker(registry: BrokerRegistry, platform: BrokerPlatform): void {
  registry.register(platform, (account) => new TemplateAdapter(account.accountId, new TemplateClient(account.accountId)));
}
