import { CoreErrors, RiskloopError, dec, invalid, newId, notFound, type Actor, type Clock, type Decimal, type EventBus, type Logger, type SymbolSpec, type TradeIntent } from "../../core/index.ts";
import type { MarketDataReader } from "../../analysis/market-data/index.ts";
import type { AuditLog, PrismaClient } from "../../prisma/index.ts";
import type { ContextSource, DecisionRecord, MarketFacts, SrmService } from "../../srm/index.ts";
import type { AccountCredentials } from "../accounts/index.ts";
import type { BrokerRegistry, Timers } from "../broker/index.ts";
import {
  AccountProvisioning,
  BrokerSessions,
  PositionBook,
  Reconciler,
  followBrokerEvents,
  sessionMarketFacts,
  type BrokerSession,
  type OpenProvisioning,
  type TradeCloseReason,
} from "../sessions/index.ts";
import { ExecutionService, type ExecutionOutcome } from "./execution-service.ts";
import { checkOrder, checkStops, checkVolume, openQuote, type PlaceOrderRequest } from "./order-checks.ts";
import { RiskFollowUp, type RiskMonitorPort } from "./risk-follow-up.ts";
import type { TradingSettings } from "./trading.config.ts";
import { TradingQueries } from "./trading-queries.ts";

export interface TradingServiceOptions {
  prisma: PrismaClient;
  srm: Pick<SrmService, "decide">;
  registry: BrokerRegistry;
  credentials(accountId: string): Promise<AccountCredentials | null>;
  bus: EventBus;
  audit: AuditLog;
  clock: Clock;
  logger: Logger;
  settings: TradingSettings;
  paper: { reader: MarketDataReader; instruments(): Promise<readonly SymbolSpec[]> };
  /** The market context source SRM decides with; execution logs of exits and stop fills read the same one. */
  context?: ContextSource;
  riskMonitor?: RiskMonitorPort;
  /** MetaApi provisioning (deploy/undeploy/test of MT4/MT5 accounts). */
  openProvisioning?: OpenProvisioning;
  timers?: Timers;
}

/** A command's answer: SRM's decision and, when it approved, what execution did. */
export interface TradeOutcome {
  decision: DecisionRecord;
  outcome: ExecutionOutcome | null;
}

/**
 * Trading for the API and the risk monitor. Every command — open, close (full or partial), SL/TP change,
 * cancel — becomes a TradeIntent, is decided by SRM (exits always pass) and only an approval is executed.
 * Bad input is refused with a 4xx reason before SRM is asked and before anything is sent.
 */
export class TradingService {
  readonly sessions: BrokerSessions;
  readonly book: PositionBook;
  readonly reconciler: Reconciler;
  readonly execution: ExecutionService;
  readonly provisioning: AccountProvisioning;
  readonly read: TradingQueries;
  readonly #o: TradingServiceOptions;
  readonly #context: ContextSource;

  constructor(o: TradingServiceOptions) {
    this.#o = o;
    this.#context = o.context ?? (() => null);
    const followUp = new RiskFollowUp(o.prisma, o.logger, o.riskMonitor, async (accountId) => {
      await this.closeAllPositions(accountId, "EMERGENCY");
    });
    this.book = new PositionBook(o.prisma, o.bus, o.logger, this.#context, followUp);
    this.reconciler = new Reconciler(o.prisma, this.book, o.bus, o.clock, o.logger);
    this.sessions = new BrokerSessions({
      prisma: o.prisma,
      registry: o.registry,
      credentials: o.credentials,
      clock: o.clock,
      logger: o.logger,
      ...(o.timers ? { timers: o.timers } : {}),
      paper: { ...o.paper, replaySpeed: o.settings.paperReplaySpeed },
      attach: (session) => this.#attach(session),
    });
    this.execution = new ExecutionService(o.prisma, this.sessions, this.book, o.audit, this.#context, o.logger);
    const unavailable: OpenProvisioning = async () => {
      throw new RiskloopError(CoreErrors.CORE_ERR_UNAVAILABLE, "MetaApi provisioning is not configured");
    };
    this.provisioning = new AccountProvisioning(o.prisma, this.sessions, o.credentials, o.openProvisioning ?? unavailable, o.logger);
    this.read = new TradingQueries(o.prisma, this.sessions);
  }

  /** Market facts for SRM from the account's broker session (spec, quote and conversion as the venue states them). */
  async marketFacts(accountId: string, symbol: string): Promise<MarketFacts> {
    return sessionMarketFacts(await this.sessions.get(accountId), symbol);
  }

  /** Places a market or pending order through SRM. */
  async placeOrder(actor: Actor, accountId: string, req: PlaceOrderRequest): Promise<TradeOutcome> {
    const session = await this.#owned(actor, accountId);
    const facts = await sessionMarketFacts(session, req.symbol);
    const dedupKey = req.clientRequestId ? `order:${accountId}:${req.clientRequestId}` : `order:${newId()}`;
    // A retry of a decided request skips the checks: the market may have moved, but the answer must not change.
    if (!(req.clientRequestId && (await this.#decided(dedupKey)))) checkOrder(req, facts, this.#o.settings);
    const pending = req.type === "MARKET" ? undefined : { type: req.type, price: req.price!, ...(req.stopLimitPrice ? { stopLimitPrice: req.stopLimitPrice } : {}), ...(req.expiresAt !== undefined ? { expiresAt: req.expiresAt } : {}) };
    return this.#decideAndExecute(this.#intent(session, facts, dedupKey, { symbol: facts.spec.symbol, side: req.side, kind: "OPEN", volume: req.volume, stopLoss: req.stopLoss, takeProfit: req.takeProfit }), facts, pending ? { pending } : {});
  }

  /** Closes a position, or `volume` of it. */
  async closePosition(actor: Actor, accountId: string, positionId: string, req: { volume?: Decimal; clientRequestId?: string } = {}, reason: TradeCloseReason = "MANUAL"): Promise<TradeOutcome> {
    const session = await this.#owned(actor, accountId);
    return this.#close(session, positionId, req, reason);
  }

  /** Moves a position's stop loss and/or take profit; a level given as null is removed (refused when the position has none). */
  async modifyPosition(actor: Actor, accountId: string, positionId: string, req: { stopLoss?: Decimal | null; takeProfit?: Decimal | null; clientRequestId?: string }): Promise<TradeOutcome> {
    const session = await this.#owned(actor, accountId);
    if (req.stopLoss === undefined && req.takeProfit === undefined) throw invalid("body", "give stopLoss, takeProfit or both");
    const dedupKey = `modify:${accountId}:${req.clientRequestId ?? newId()}`;
    const retry = req.clientRequestId !== undefined && (await this.#decided(dedupKey));
    const p = await this.#o.prisma.position.findFirst({ where: { id: positionId, accountId, ...(retry ? {} : { status: "OPEN" as const }) } });
    if (!p) throw notFound("position", positionId);
    const set = { stopLoss: req.stopLoss ?? undefined, takeProfit: req.takeProfit ?? undefined };
    const removeLevels = (["stopLoss", "takeProfit"] as const).filter((level) => req[level] === null);
    const facts = await sessionMarketFacts(session, p.symbol);
    if (!retry) {
      for (const level of removeLevels) if (p[level] === null) throw invalid(level, `the position has no ${level === "stopLoss" ? "stop loss" : "take profit"} to remove`);
      const q = openQuote(facts, this.#o.settings);
      checkStops(p.side, p.side === "BUY" ? q.bid : q.ask, set, facts.spec, this.#o.settings);
    }
    const intent = this.#intent(session, facts, dedupKey, { symbol: p.symbol, side: p.side, kind: "MODIFY", volume: dec(p.volume.toString()), ...set, positionId: p.id });
    if (removeLevels.length > 0) intent.removeLevels = removeLevels;
    return this.#decideAndExecute(intent, facts, {});
  }

  /** Cancels a working pending order (an exit: SRM lets it pass). */
  async cancelOrder(actor: Actor, accountId: string, orderId: string, req: { clientRequestId?: string } = {}): Promise<TradeOutcome> {
    const session = await this.#owned(actor, accountId);
    const dedupKey = `cancel:${accountId}:${req.clientRequestId ?? newId()}`;
    const retry = req.clientRequestId !== undefined && (await this.#decided(dedupKey));
    const o = await this.#o.prisma.order.findFirst({ where: { id: orderId, accountId, ...(retry ? {} : { state: "PLACED" as const }) } });
    if (!o) throw notFound("order", orderId);
    const facts = await sessionMarketFacts(session, o.symbol);
    const side = o.type.startsWith("BUY") ? "BUY" : "SELL";
    // TradeIntent has no "cancel" kind: a cancel is an exit (CLOSE) naming the order in positionId.
    const intent = this.#intent(session, facts, dedupKey, { symbol: o.symbol, side, kind: "CLOSE", volume: dec(o.volume.toString()), positionId: o.id });
    return this.#decideAndExecute(intent, facts, {});
  }

  /** Emergency stop: closes every open position of the account through SRM (exits pass even when halted). */
  async closeAllPositions(accountId: string, reason: TradeCloseReason = "EMERGENCY"): Promise<TradeOutcome[]> {
    const session = await this.sessions.get(accountId);
    const open = await this.#o.prisma.position.findMany({ where: { accountId, status: "OPEN" }, orderBy: { openedAt: "asc" } });
    const out: TradeOutcome[] = [];
    for (const p of open) {
      try {
        out.push(await this.#close(session, p.id, { clientRequestId: `${reason.toLowerCase()}:${p.id}` }, reason));
      } catch (err) {
        this.#o.logger.error({ err, accountId, positionId: p.id }, "could not close a position");
      }
    }
    return out;
  }

  /** Reads the account's money from the venue now (the equity poll between broker account events). */
  async refreshAccount(accountId: string): Promise<void> {
    await this.#refresh(await this.sessions.get(accountId));
  }

  /** Reconciles the account with its venue now and returns the SyncLog. */
  async syncNow(actor: Actor, accountId: string) {
    return this.reconciler.syncNow(await this.#owned(actor, accountId), "MANUAL");
  }

  async close(): Promise<void> {
    await this.sessions.closeAll();
  }

  async #close(session: BrokerSession, positionId: string, req: { volume?: Decimal; clientRequestId?: string }, reason: TradeCloseReason): Promise<TradeOutcome> {
    const p = await this.#o.prisma.position.findFirst({ where: { id: positionId, accountId: session.accountId } });
    if (!p) throw notFound("position", positionId);
    const facts = await sessionMarketFacts(session, p.symbol);
    const open = dec(p.volume.toString());
    const volume = req.volume ?? open;
    const dedupKey = `close:${session.accountId}:${req.clientRequestId ?? newId()}`;
    if (!(req.clientRequestId && (await this.#decided(dedupKey)))) {
      if (p.status !== "OPEN") throw new RiskloopError(CoreErrors.CORE_ERR_CONFLICT, `position ${positionId} is already closed`, { positionId });
      checkVolume(volume, { ...facts.spec, maxVolume: open });
      const rest = open.minus(volume);
      if (rest.gt(0) && rest.lt(facts.spec.minVolume)) throw invalid("volume", `closing ${volume.toString()} would leave ${rest.toString()} lots, below the minimum ${facts.spec.minVolume.toString()}`);
      openQuote(facts, this.#o.settings);
    }
    const kind = volume.lt(open) ? "CLOSE_PARTIAL" : "CLOSE";
    const intent = this.#intent(session, facts, dedupKey, { symbol: p.symbol, side: p.side, kind, volume, positionId: p.id });
    return this.#decideAndExecute(intent, facts, { closeReason: reason });
  }

  async #decideAndExecute(intent: TradeIntent, facts: MarketFacts, extra: { pending?: NonNullable<Parameters<ExecutionService["execute"]>[1]>["pending"]; closeReason?: TradeCloseReason }): Promise<TradeOutcome> {
    const decision = await this.#o.srm.decide(intent, facts);
    if (!decision.approved) return { decision, outcome: null };
    const outcome = await this.execution.execute(decision.approved, { quote: facts.quote, features: decision.duplicate ? undefined : decision.decision.features, ...extra });
    return { decision, outcome };
  }

  #intent(
    session: BrokerSession,
    facts: MarketFacts,
    dedupKey: string,
    t: Pick<TradeIntent, "symbol" | "side" | "kind" | "volume"> & { stopLoss?: Decimal | undefined; takeProfit?: Decimal | undefined; positionId?: string },
  ): TradeIntent {
    const now = facts.at ?? session.now();
    return {
      id: newId(),
      source: "MANUAL",
      dedupKey,
      accountId: session.accountId,
      symbol: t.symbol,
      side: t.side,
      kind: t.kind,
      volume: t.volume,
      ...(t.stopLoss ? { stopLoss: t.stopLoss } : {}),
      ...(t.takeProfit ? { takeProfit: t.takeProfit } : {}),
      ...(t.positionId ? { positionId: t.positionId } : {}),
      signalTime: now,
      receivedAt: now,
    };
  }

  async #refresh(session: BrokerSession): Promise<void> {
    const info = await session.port.fetchAccountInfo();
    await session.serial(() => this.book.accountSeen(session, info, session.now()));
  }

  async #decided(dedupKey: string): Promise<boolean> {
    return (await this.#o.prisma.tradeIntent.count({ where: { dedupKey } })) > 0;
  }

  /** The caller's account as a connected session; another user's account is a 404, like a missing one. */
  async #owned(actor: Actor, accountId: string): Promise<BrokerSession> {
    await this.read.assertOwned(actor, accountId);
    return this.sessions.get(accountId);
  }

  #attach(session: BrokerSession): void {
    session.onStop(followBrokerEvents(session, this.book));
    session.onStop(session.port.onReconnected((snapshot) => this.reconciler.onReconnected(session, snapshot).then(() => this.sessions.persist(session))));
    const every = this.#o.settings.equityCheckMs;
    if (every > 0) {
      const timer = setInterval(() => {
        if (session.port.connectionState === "connected") void this.#refresh(session).catch((err: unknown) => this.#o.logger.warn({ err, accountId: session.accountId }, "equity check failed"));
      }, every);
      timer.unref();
      session.onStop(() => clearInterval(timer));
    }
  }
}
