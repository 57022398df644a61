import type { Logger } from "../../../core/index.ts";
import type { BrokerHealth, ReconnectSnapshot } from "../../broker/index.ts";
import type { BrokerSession } from "../../sessions/index.ts";
import type { MasterSignal } from "../master-signal.ts";
import { MasterBook } from "./master-book.ts";

/** What a watcher reports to the engine. */
export interface WatcherHooks {
  /** Signals of one master, in the order the events happened; awaited one batch at a time. */
  signals(signals: MasterSignal[], detectedAt: number): Promise<void>;
  /** The master's link went down (once per outage). */
  lost(masterAccountId: string, health: BrokerHealth): Promise<void>;
  /** The master's link came back; the signals for what changed meanwhile were already emitted. */
  restored(masterAccountId: string): Promise<void>;
}

/**
 * Watches one master account's broker events and turns them into copy signals, strictly in the order they
 * arrived (one chain per master). On start it takes the venue's positions and orders as its state and emits
 * an OPEN for positions younger than `catchUpMs` (opened while nobody watched; the persisted signal's dedup
 * key makes that harmless when they were already seen); after a reconnect it emits what changed while away.
 */
export class MasterWatcher {
  readonly book: MasterBook;
  #chain: Promise<void> = Promise.resolve();
  #offs: Array<() => void> = [];
  #down = false;

  constructor(
    readonly session: BrokerSession,
    private readonly hooks: WatcherHooks,
    private readonly logger: Logger,
  ) {
    this.book = new MasterBook(session.accountId);
  }

  async start(catchUpMs: number): Promise<void> {
    const port = this.session.port;
    const ev = port.events;
    const now = () => Date.now();
    this.#offs = [
      ev.on("positionOpened", (e) => this.#emit(this.book.opened(e.position, e), now())),
      ev.on("positionUpdated", (e) => this.#emit(this.book.updated(e.position, e), now())),
      ev.on("positionClosed", (e) => this.#emit(this.book.closed(e.positionId, e.position, e), now())),
      ev.on("order", (e) => {
        if (e.order) this.#emit(this.book.order(e.order, e.status, e), now());
      }),
      ev.on("account", (e) => this.book.account(e.account)),
      ev.on("connection", (e) => this.#connection(e.health)),
      port.onReconnected((snapshot) => this.#reconnected(snapshot)),
    ];
    const [positions, orders, account] = await Promise.all([port.fetchPositions(), port.fetchOrders(), port.fetchAccountInfo()]);
    this.book.account(account);
    const venueNow = this.session.now();
    const recent = positions.filter((p) => venueNow - p.openTime <= catchUpMs);
    this.book.seed(
      positions.filter((p) => !recent.includes(p)),
      orders,
    );
    this.#emit(
      recent.flatMap((p) => this.book.opened(p, { time: p.openTime, receivedAt: venueNow })),
      now(),
    );
    await this.#chain;
  }

  stop(): void {
    for (const off of this.#offs) off();
    this.#offs = [];
  }

  /** Resolves once every signal seen so far was handed to the engine. */
  idle(): Promise<void> {
    return this.#chain;
  }

  #emit(signals: MasterSignal[], detectedAt: number): void {
    if (signals.length === 0) return;
    this.#chain = this.#chain
      .then(() => this.hooks.signals(signals, detectedAt))
      .catch((err: unknown) => this.logger.error({ err, masterAccountId: this.session.accountId, events: signals.map((s) => s.eventId) }, "master signals could not be published"));
  }

  #connection(health: BrokerHealth): void {
    if (health.state === "connected" || this.#down) return;
    this.#down = true;
    this.#chain = this.#chain.then(() => this.hooks.lost(this.session.accountId, health)).catch((err: unknown) => this.logger.error({ err }, "master disconnection could not be reported"));
  }

  async #reconnected(snapshot: ReconnectSnapshot): Promise<void> {
    if (snapshot.reason !== "reconnect") return;
    this.#emit(this.book.resync(snapshot.positions, snapshot.orders, snapshot.reconnectedAt), Date.now());
    this.#down = false;
    this.#chain = this.#chain.then(() => this.hooks.restored(this.session.accountId)).catch((err: unknown) => this.logger.error({ err }, "master reconnection could not be handled"));
    await this.#chain;
  }
}
