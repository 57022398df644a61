import { dec, invalid, type Decimal, type SymbolSpec } from "../../core/index.ts";
import {
  BrokerEventEmitter,
  brokerError,
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
  type PositionChanges,
  type ReconnectHandler,
} from "../broker/index.ts";
import { PAPER_CLIENT_ID_MAX } from "./order-checks.ts";
import { assemblePaperEngine, initialState, type PaperEngine, type PaperVenueDeps } from "./paper-engine.ts";
import { PaperLink } from "./paper-link.ts";
import { resolvePaperSettings, type PaperSettings, type PaperSettingsInput } from "./paper-settings.ts";
import { decodeState, encodeState, type PaperVenueJson, type PaperVenueState } from "./paper-snapshot.ts";
import type { PaperFaults, PaperOrderResult, PaperSubmitOrderRequest, QuotePoint } from "./paper-types.ts";

export type { PaperVenueDeps } from "./paper-engine.ts";

/** What the paper venue offers, as data. `priceStreamIntervalMs` 0: every recorded quote is streamed. */
export const PAPER_CAPABILITIES: BrokerCapabilities = {
  orderTypes: ["MARKET", "LIMIT", "STOP", "STOP_LIMIT"],
  partialClose: true,
  hedging: true,
  clientOrderIds: true,
  clientOrderIdMaxLength: PAPER_CLIENT_ID_MAX,
  streamingPrices: true,
  priceStreamIntervalMs: 0,
  modifyPendingOrders: true,
  serverSideStops: true,
  slippageControl: true,
  dealHistory: true,
};

export interface PaperVenueOptions extends PaperVenueDeps, PaperSettingsInput {}

const RESTORE = Symbol("paper-venue-restore");

/**
 * Paper trading on recorded real prices, behind the broker port. Market requests fill at the real quote that
 * holds after their latency; pending orders, stop loss and take profit trigger on the recorded quotes; the
 * account (hedging, or netting with `hedging: false`) books balance, margin and equity in decimals and is stopped
 * out below its margin level. Same data, latency model and requests give the same fills, bit for bit. All times
 * are venue (recorded) time.
 */
export class PaperVenue implements BrokerPort {
  readonly venue = "paper";
  readonly accountId: string;
  readonly capabilities: BrokerCapabilities;
  readonly events: BrokerEventEmitter;
  readonly settings: PaperSettings;
  readonly #e: PaperEngine;
  readonly #link: PaperLink;
  readonly #subscribed = new Set<string>();

  constructor(options: PaperVenueOptions) {
    const restored = (options as PaperVenueOptions & { [RESTORE]?: PaperVenueState })[RESTORE];
    const settings = resolvePaperSettings(restored?.settings ?? options, options.instruments);
    const state = restored ?? initialState(settings);
    this.settings = settings;
    this.capabilities = settings.hedging ? PAPER_CAPABILITIES : { ...PAPER_CAPABILITIES, hedging: false };
    this.accountId = settings.accountId;
    const logger = options.logger;
    this.events = new BrokerEventEmitter((name, err) => logger?.error({ err, event: name, accountId: this.accountId }, "broker event listener failed"));
    this.#link = new PaperLink({
      accountId: this.accountId,
      now: state.now,
      onHealth: (health, previous) => this.events.emit("connection", { health, previous, time: this.now, receivedAt: this.now }),
      state: () => ({ positions: this.#positions(), orders: this.#orders() }),
      ...(logger ? { logger } : {}),
    });
    this.#e = assemblePaperEngine({
      settings,
      state,
      deps: options,
      emit: (name, event) => {
        if (this.#link.state === "connected") this.events.emit(name, event);
      },
      onTime: (t) => this.#onTime(t),
      onPoint: (p) => this.#onPoint(p),
      nextWake: () => this.#link.reconnectAt ?? Infinity,
    });
  }

  /** Resumes a venue from `toJSON()` output; the snapshot holds the settings, `deps` the services. */
  static fromJSON(json: unknown, deps: PaperVenueDeps): PaperVenue {
    const state = decodeState(json);
    return new PaperVenue({ ...state.settings, ...deps, [RESTORE]: state } as PaperVenueOptions);
  }

  // ---- replay control -------------------------------------------------------------------------------------

  /** Venue time (epoch ms): the recorded time the replay has reached. */
  get now(): number {
    return this.#e.replay.now;
  }

  /** True once every recorded quote of the range was replayed. */
  get ended(): boolean {
    return this.#e.replay.ended;
  }

  /** True while the recorded-speed mode runs. */
  get playing(): boolean {
    return this.#e.replay.playing;
  }

  /** The last replayed quote of a symbol. */
  lastQuote(symbol: string): QuotePoint | undefined {
    return this.#e.quotes.get(symbol);
  }

  /** Replays every quote up to and including `t` as fast as possible; venue time becomes `t`. */
  async advanceTo(t: number): Promise<void> {
    this.#byHand();
    await this.#e.replay.exclusive(() => this.#e.replay.driveTo(t));
    await this.#link.handlersDone();
  }

  advanceBy(ms: number): Promise<void> {
    return this.advanceTo(this.now + ms);
  }

  /** Replays the next quote; undefined at the end of the range. */
  async step(): Promise<QuotePoint | undefined> {
    this.#byHand();
    const p = await this.#e.replay.exclusive(() => this.#e.replay.step());
    await this.#link.handlersDone();
    return p;
  }

  /** Replays quotes until `condition` holds (checked before each quote) or venue time would pass `limit`; true when it held. */
  async runUntil(condition: () => boolean, limit = this.settings.to): Promise<boolean> {
    this.#byHand();
    const met = await this.#e.replay.exclusive(() => this.#e.replay.driveWhile(() => !condition(), limit));
    await this.#link.handlersDone();
    return met;
  }

  /** Replays the rest of the range. */
  runToEnd(): Promise<void> {
    return this.advanceTo(this.settings.to);
  }

  /** Replays at recorded speed × `speed` on the injected clock and timers until `pause()` or the end of the range. */
  play(options: { speed?: number } = {}): void {
    this.#e.replay.play(options.speed ?? 1);
  }

  pause(): void {
    this.#e.replay.pause();
  }

  /** Replaces the fault hooks (see `PaperFaults`). */
  setFaults(faults: PaperFaults): void {
    this.#e.desk.faults = faults;
  }

  /** Simulates a lost link: events stop, calls throw TRD_ERR_NOT_CONNECTED; it heals after `reconnectAfterMs` of venue time, or on `restoreConnection()`. */
  dropConnection(options: { reconnectAfterMs?: number; failedAttempts?: number } = {}): void {
    if (this.#link.state !== "connected") throw invalid("connection", "only a connected venue can drop its link");
    const now = this.now;
    this.#link.drop(now, options.reconnectAfterMs === undefined ? undefined : now + options.reconnectAfterMs, options.failedAttempts ?? 0);
  }

  /** Heals a simulated drop now; `onReconnected` handlers run with a fresh snapshot before this resolves. */
  restoreConnection(): Promise<void> {
    if (this.#link.state !== "connecting") return Promise.resolve();
    return this.#link.up(this.now);
  }

  /** The whole account and replay position as JSON, for `BrokerAccount.paperSettings`; resume with `fromJSON`. */
  toJSON(): PaperVenueJson {
    return encodeState({
      format: 1,
      settings: this.settings,
      now: this.now,
      cursors: this.#e.replay.cursors() ?? null,
      ended: this.ended,
      latencyState: this.#e.desk.latencyState,
      ledger: this.#e.ledger.snapshot(),
      inflight: this.#e.matcher.inflight,
      quotes: [...this.#e.quotes.values()],
      results: Object.fromEntries(this.#e.desk.results),
      nextRollover: this.#e.matcher.nextRollover,
    });
  }

  // ---- port: connection -----------------------------------------------------------------------------------

  get connectionState(): ConnectionState {
    return this.#link.state;
  }

  health(): BrokerHealth {
    return this.#link.health();
  }

  async connect(): Promise<void> {
    if (this.#link.state === "connected") return;
    this.#link.connecting(this.now);
    try {
      await this.#e.replay.exclusive(() => this.#e.replay.open());
    } catch (err) {
      this.#link.close(this.now);
      throw err;
    }
    await this.#link.up(this.now);
  }

  async disconnect(): Promise<void> {
    this.#link.close(this.now);
  }

  onReconnected(handler: ReconnectHandler): () => void {
    return this.#link.onReconnected(handler);
  }

  // ---- port: reads ----------------------------------------------------------------------------------------

  async fetchSymbolSpec(symbol: string): Promise<SymbolSpec> {
    this.#ensureConnected();
    return this.#spec(symbol);
  }

  async fetchPrice(symbol: string): Promise<BrokerPrice> {
    await this.#fresh();
    this.#spec(symbol);
    const q = this.#e.quotes.get(symbol);
    if (!q) throw brokerError("TRD_ERR_NO_PRICES", `no quote for ${symbol} has been replayed yet`, { venue: this.venue, symbol });
    return { symbol, bid: dec(q.bid), ask: dec(q.ask), time: q.time, receivedAt: q.receivedAt };
  }

  async subscribePrices(symbols: readonly string[]): Promise<void> {
    this.#ensureConnected();
    for (const s of symbols) this.#spec(s);
    for (const s of symbols) this.#subscribed.add(s);
  }

  async unsubscribePrices(symbols: readonly string[]): Promise<void> {
    this.#ensureConnected();
    for (const s of symbols) this.#subscribed.delete(s);
  }

  async fetchAccountInfo(): Promise<AccountInfo> {
    await this.#fresh();
    return this.#e.ledger.accountInfo(this.now);
  }

  async fetchPositions(): Promise<BrokerPosition[]> {
    await this.#fresh();
    return this.#positions();
  }

  async fetchOrders(): Promise<BrokerOrder[]> {
    await this.#fresh();
    return this.#orders();
  }

  async fetchDeals(from: number, to: number): Promise<BrokerDeal[]> {
    await this.#fresh();
    return this.#e.ledger.deals.filter((d) => d.time >= from && d.time < to);
  }

  async fetchOrderByClientId(clientOrderId: string, options: { since?: number } = {}): Promise<BrokerOrder | undefined> {
    await this.#fresh();
    const working = [...this.#e.ledger.orders.values()].find((o) => o.clientOrderId === clientOrderId);
    if (working) return this.#e.ledger.brokerOrder(working);
    const inflight = this.#e.matcher.inflightOrder(clientOrderId);
    if (inflight) return inflight;
    const since = options.since ?? -Infinity;
    return this.#e.ledger.history.findLast((o) => o.clientOrderId === clientOrderId && o.createdAt >= since);
  }

  async fetchPositionByClientId(clientOrderId: string): Promise<BrokerPosition | undefined> {
    await this.#fresh();
    const p = [...this.#e.ledger.positions.values()].find((x) => x.clientOrderId === clientOrderId);
    return p ? this.#e.ledger.brokerPosition(p) : undefined;
  }

  // ---- port: actions --------------------------------------------------------------------------------------

  async submitOrder(request: PaperSubmitOrderRequest): Promise<PaperOrderResult> {
    this.#ensureConnected();
    return this.#e.desk.submit({ ...request });
  }

  async closePosition(positionId: string, volume: Decimal | undefined, clientOrderId: string): Promise<PaperOrderResult> {
    this.#ensureConnected();
    return this.#e.desk.close({ positionId, clientOrderId, ...(volume === undefined ? {} : { volume }) });
  }

  async modifyPosition(positionId: string, changes: PositionChanges): Promise<ChangeResult> {
    this.#ensureConnected();
    return this.#e.desk.modifyPosition(positionId, changes);
  }

  async modifyOrder(orderId: string, changes: OrderChanges): Promise<ChangeResult> {
    this.#ensureConnected();
    return this.#e.desk.modifyOrder(orderId, changes);
  }

  async cancelOrder(orderId: string): Promise<ChangeResult> {
    this.#ensureConnected();
    return this.#e.desk.cancelOrder(orderId);
  }

  // ---- internals ------------------------------------------------------------------------------------------

  #onTime(t: number): void {
    const healAt = this.#link.reconnectAt;
    if (healAt !== undefined && t >= healAt) void this.#link.up(healAt);
  }

  #onPoint(p: QuotePoint): void {
    if (this.#subscribed.size > 0 && this.#subscribed.has(p.symbol) && this.#link.state === "connected") {
      this.events.emit("price", { symbol: p.symbol, bid: dec(p.bid), ask: dec(p.ask), time: p.time, receivedAt: p.receivedAt });
    }
  }

  #positions(): BrokerPosition[] {
    return [...this.#e.ledger.positions.values()].map((p) => this.#e.ledger.brokerPosition(p));
  }

  #orders(): BrokerOrder[] {
    return [...this.#e.ledger.orders.values()].map((o) => this.#e.ledger.brokerOrder(o));
  }

  #spec(symbol: string): SymbolSpec {
    const spec = this.#e.specs.get(symbol);
    if (!spec) throw brokerError("TRD_ERR_UNKNOWN_SYMBOL", `symbol ${symbol} is not offered by this paper account`, { venue: this.venue, symbol });
    return spec;
  }

  /** Reads need a connection; at recorded speed they first catch the replay up with the clock. */
  async #fresh(): Promise<void> {
    this.#ensureConnected();
    if (this.#e.replay.playing) await this.#e.replay.exclusive(() => this.#e.replay.catchUp());
  }

  #ensureConnected(): void {
    const state = this.#link.state;
    if (state !== "connected") {
      throw brokerError("TRD_ERR_NOT_CONNECTED", `paper account ${this.accountId} is ${state}; nothing was sent`, { venue: this.venue, accountId: this.accountId, state });
    }
  }

  #byHand(): void {
    if (this.#e.replay.playing) throw invalid("replay", "pause the recorded-speed replay before driving it by hand");
  }
}
