import type { Clock, Decimal } from "../../core/index.ts";
import type { BrokerDeal, BrokerEventEmitter, BrokerOrder, BrokerPosition, Timers } from "../broker/index.ts";
import type {
  MetaapiSyncHandler,
  MetatraderAccountInformation,
  MetatraderDeal,
  MetatraderOrder,
  MetatraderPosition,
  MetatraderSymbolPrice,
} from "./metaapi-client.ts";
import { parseAccountInformation } from "./parse-account-information.ts";
import { parseDeal } from "./parse-deal.ts";
import { parseOrder } from "./parse-order.ts";
import { parsePosition } from "./parse-position.ts";
import { parseSymbolPrice } from "./parse-symbol-price.ts";

/** Link signals the bridge passes on (a ConnectionSupervisor in the adapter). */
export interface LinkSignals {
  linkLost(message: string): void;
  linkSynchronizing(): void;
  linkRestored(): void;
  brokerLink(connected: boolean): void;
}

/** Deals kept for lookups by client id and for fill prices; older ones fall out first. */
const DEAL_MEMORY = 5_000;

const same = (a: Decimal | undefined, b: Decimal | undefined) => (a === undefined ? b === undefined : b !== undefined && a.eq(b));

/**
 * Turns SDK synchronisation callbacks into port events and keeps the local picture the adapter needs:
 * open positions (to tell opened from updated), working orders, recent deals (fills, client ids). MetaApi
 * can deliver each packet once per replica (instance), so repeats that change nothing are dropped.
 */
export class MetaapiEventBridge implements MetaapiSyncHandler {
  readonly #positions = new Map<string, BrokerPosition>();
  readonly #orders = new Map<string, BrokerOrder>();
  readonly #deals = new Map<string, BrokerDeal>();
  readonly #lastPrice = new Map<string, string>();
  readonly #instances = new Set<string>();
  readonly #dealWaiters = new Set<{ match: (d: BrokerDeal) => boolean; resolve: (d: BrokerDeal) => void }>();
  #seeded = false;

  constructor(
    private readonly events: BrokerEventEmitter,
    private readonly clock: Clock,
    private readonly link: LinkSignals,
  ) {}

  position(id: string): BrokerPosition | undefined {
    return this.#positions.get(id);
  }

  order(id: string): BrokerOrder | undefined {
    return this.#orders.get(id);
  }

  /** What the local picture holds for a client order id: an open position, a working order, deals. */
  findByClientId(clientOrderId: string): { position?: BrokerPosition; order?: BrokerOrder; deals: BrokerDeal[] } {
    const position = [...this.#positions.values()].find((p) => p.clientOrderId === clientOrderId);
    const order = [...this.#orders.values()].find((o) => o.clientOrderId === clientOrderId);
    const deals = [...this.#deals.values()].filter((d) => d.clientOrderId === clientOrderId);
    return { ...(position ? { position } : {}), ...(order ? { order } : {}), deals };
  }

  /** The first deal matching `match`, already seen or arriving within `timeoutMs`; undefined on timeout. */
  waitForDeal(match: (d: BrokerDeal) => boolean, timeoutMs: number, timers: Timers): Promise<BrokerDeal | undefined> {
    const seen = [...this.#deals.values()].find(match);
    if (seen || timeoutMs <= 0) return Promise.resolve(seen);
    return new Promise((resolve) => {
      const waiter = {
        match,
        resolve: (d: BrokerDeal) => {
          timers.clearTimeout(handle);
          this.#dealWaiters.delete(waiter);
          resolve(d);
        },
      };
      const handle = timers.setTimeout(() => {
        this.#dealWaiters.delete(waiter);
        resolve(undefined);
      }, timeoutMs);
      this.#dealWaiters.add(waiter);
    });
  }

  /** Forgets replica links before the adapter opens a fresh connection (the old one reports nothing more). */
  resetLink(): void {
    this.#instances.clear();
  }

  onConnected(instanceIndex: string): void {
    this.#instances.add(instanceIndex);
    this.link.linkSynchronizing();
  }

  onDisconnected(instanceIndex: string): void {
    this.#instances.delete(instanceIndex);
    if (this.#instances.size === 0) this.link.linkLost("MetaApi streaming connection lost");
  }

  onBrokerConnectionStatusChanged(_instanceIndex: string, connected: boolean): void {
    this.link.brokerLink(connected);
  }

  onSynchronizationStarted(_instanceIndex: string, _synchronizationId: string): void {}

  onDealsSynchronized(_instanceIndex: string): void {
    this.#seeded = true;
    this.link.linkRestored();
  }

  onAccountInformationUpdated(_instanceIndex: string, info: MetatraderAccountInformation): void {
    const receivedAt = this.clock.now();
    this.events.emit("account", { account: parseAccountInformation(info, receivedAt), time: receivedAt, receivedAt });
  }

  /** A full position list after (re)synchronisation: seeds silently the first time, reports differences after. */
  onPositionsReplaced(_instanceIndex: string, positions: MetatraderPosition[]): void {
    const fresh = new Map(positions.map((p) => [String(p.id), parsePosition(p)]));
    if (this.#seeded) {
      for (const [id, old] of this.#positions) if (!fresh.has(id)) this.#closed(id, old);
      for (const p of fresh.values()) this.#upsert(p);
    } else {
      this.#positions.clear();
      for (const [id, p] of fresh) this.#positions.set(id, p);
    }
  }

  onPositionUpdated(_instanceIndex: string, position: MetatraderPosition): void {
    this.#upsert(parsePosition(position));
  }

  onPositionRemoved(_instanceIndex: string, positionId: string): void {
    const known = this.#positions.get(String(positionId));
    if (known) this.#closed(String(positionId), known);
  }

  onPendingOrdersReplaced(_instanceIndex: string, orders: MetatraderOrder[]): void {
    this.#orders.clear();
    for (const o of orders) {
      const order = parseOrder(o);
      if (order) this.#orders.set(order.id, order);
    }
  }

  onPendingOrderUpdated(_instanceIndex: string, raw: MetatraderOrder): void {
    const order = parseOrder(raw);
    if (!order) return;
    const old = this.#orders.get(order.id);
    this.#orders.set(order.id, order);
    const unchanged =
      old && old.state === order.state && same(old.price, order.price) && same(old.stopLoss, order.stopLoss) &&
      same(old.takeProfit, order.takeProfit) && old.remainingVolume.eq(order.remainingVolume);
    if (unchanged) return;
    const receivedAt = this.clock.now();
    const time = order.doneAt ?? (old ? receivedAt : order.createdAt || receivedAt);
    this.events.emit("order", { orderId: order.id, status: "updated", order, time, receivedAt });
  }

  onPendingOrderCompleted(_instanceIndex: string, orderId: string): void {
    const id = String(orderId);
    const order = this.#orders.get(id);
    if (!order) return;
    this.#orders.delete(id);
    const receivedAt = this.clock.now();
    this.events.emit("order", { orderId: id, status: "completed", order, time: receivedAt, receivedAt });
  }

  onDealAdded(_instanceIndex: string, raw: MetatraderDeal): void {
    const deal = parseDeal(raw);
    if (this.#deals.has(deal.id)) return;
    this.#deals.set(deal.id, deal);
    if (this.#deals.size > DEAL_MEMORY) this.#deals.delete(this.#deals.keys().next().value!);
    for (const w of [...this.#dealWaiters]) if (w.match(deal)) w.resolve(deal);
    // History replayed during the first synchronisation is state, not news.
    if (this.#seeded) this.events.emit("deal", { deal, time: deal.time, receivedAt: this.clock.now() });
  }

  onSymbolPriceUpdated(_instanceIndex: string, raw: MetatraderSymbolPrice): void {
    const receivedAt = this.clock.now();
    const price = parseSymbolPrice(raw, receivedAt);
    const key = `${price.time}|${price.bid.toString()}|${price.ask.toString()}`;
    if (this.#lastPrice.get(price.symbol) === key) return;
    this.#lastPrice.set(price.symbol, key);
    this.events.emit("price", price);
  }

  #upsert(p: BrokerPosition): void {
    const old = this.#positions.get(p.id);
    this.#positions.set(p.id, p);
    const receivedAt = this.clock.now();
    if (!old && !this.#seeded) return;
    if (!old) {
      this.events.emit("positionOpened", { position: p, time: p.openTime || receivedAt, receivedAt });
      return;
    }
    const material = !old.volume.eq(p.volume) || !same(old.stopLoss, p.stopLoss) || !same(old.takeProfit, p.takeProfit) || !old.openPrice.eq(p.openPrice);
    if (material) this.events.emit("positionUpdated", { position: p, time: p.updateTime || receivedAt, receivedAt });
  }

  #closed(id: string, last: BrokerPosition): void {
    this.#positions.delete(id);
    const receivedAt = this.clock.now();
    this.events.emit("positionClosed", { positionId: id, position: last, time: receivedAt, receivedAt });
  }
}
