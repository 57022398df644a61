import { CoreErrors, RiskloopError, dec, notFound, type Decimal, type Logger } from "../../core/index.ts";
import type { AuditLog, ClosedTrade, ExecutionLog, Order, Position, PrismaClient } from "../../prisma/index.ts";
import { isApproved, type ApprovedDecision, type ContextSource, type FeatureInput, type MarketFacts } from "../../srm/index.ts";
import { clientOrderIdFor, isBrokerError, type BrokerOrder, type BrokerPosition, type ChangeResult, type OrderChanges, type OrderResult } from "../broker/index.ts";
import type { PaperOrderAccepted } from "../paper/index.ts";
import {
  columnsFromContext,
  columnsFromFeatures,
  executionView,
  findOpenFill,
  openFillOf,
  slippagePips,
  type BrokerSession,
  type BrokerSessions,
  type ContextColumns,
  type OpenFillFound,
  type PositionBook,
  type TradeCloseReason,
} from "../sessions/index.ts";
import { ExecutionErrors } from "./execution.errors.ts";
import { ExecutionJournal, type PendingExecution, type Start } from "./execution-journal.ts";

/** Terms of a pending order; a TradeIntent has no order type, so they travel beside the approval. */
export interface PendingTerms {
  type: "LIMIT" | "STOP" | "STOP_LIMIT";
  price: Decimal;
  stopLimitPrice?: Decimal;
  expiresAt?: number;
}

export interface ExecuteOptions {
  /** The quote the decision saw: the requested price of a market order when the venue reports none. */
  quote?: MarketFacts["quote"];
  /** The decision's features (`DecisionRecord.decision.features`); read from the stored decision when omitted. */
  features?: FeatureInput | null;
  pending?: PendingTerms;
  /** Why a position is closed (default MANUAL; the emergency stop passes EMERGENCY). */
  closeReason?: TradeCloseReason;
  /** Called once the request is handed to the venue, before its outcome is awaited or recorded. */
  onSent?: (() => void) | undefined;
  /** Called once the venue answered (filled, placed, rejected or failed), before anything of the answer is recorded. */
  onAnswered?: (() => void) | undefined;
}

/** What happened to an approved decision at the venue. */
export interface ExecutionOutcome {
  /** FILLED (market fill or close), PLACED (pending order working), DONE (modify/cancel), REJECTED, or UNKNOWN (reconciliation will settle it). */
  status: "FILLED" | "PLACED" | "DONE" | "REJECTED" | "UNKNOWN";
  execution: ExecutionLog;
  /** An earlier attempt with this client order id already ended; nothing was sent. */
  duplicate: boolean;
  /** The venue's answer was lost and the result was found by client order id. */
  recovered: boolean;
  position?: Position | null;
  closedTrade?: ClosedTrade | null;
  order?: Order | null;
}

/**
 * The only way an order reaches a broker. It takes an `ApprovedDecision` — a type only SRM can create, checked
 * again at run time — derives the client order id from the decision's intent, writes a PENDING execution log
 * (for an approval issued on its key's claim, right after sending, before anything else is recorded), sends
 * through the account's session, and records the outcome (fill, slippage in pips adverse-positive,
 * latency from intent received to broker acknowledgement, the decision's market context). A lost answer is
 * looked up by client order id, never sent blindly again; a retry reuses the id, so nothing executes twice.
 */
export class ExecutionService {
  readonly #journal: ExecutionJournal;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly sessions: BrokerSessions,
    private readonly book: PositionBook,
    private readonly audit: AuditLog,
    private readonly context: ContextSource,
    private readonly logger: Logger,
  ) {
    this.#journal = new ExecutionJournal(prisma);
  }

  async execute(approved: ApprovedDecision, options: ExecuteOptions = {}): Promise<ExecutionOutcome> {
    if (!isApproved(approved)) {
      this.logger.error({ decisionId: (approved as { decisionId?: unknown } | null)?.decisionId }, "execution refused an object SRM did not approve");
      throw new RiskloopError(ExecutionErrors.TRD_ERR_NOT_APPROVED, "execution accepts only an approval issued by SRM; nothing was sent");
    }
    const intent = approved.intent;
    const session = await this.sessions.get(intent.accountId);
    if (session.userId !== approved.userId) throw new RiskloopError(ExecutionErrors.TRD_ERR_NOT_APPROVED, "the approval names another owner than the account's; nothing was sent");
    const clientOrderId = clientOrderIdFor(`${intent.dedupKey}:${intent.kind}`);
    const outcome =
      intent.kind === "OPEN"
        ? await this.#open(session, approved, clientOrderId, options)
        : await this.#exitOrModify(session, approved, clientOrderId, options);
    await this.sessions.persist(session);
    return outcome;
  }

  async #open(session: BrokerSession, a: ApprovedDecision, id: string, o: ExecuteOptions): Promise<ExecutionOutcome> {
    const intent = a.intent;
    const spec = await session.spec(intent.symbol);
    const requested = o.pending?.price ?? (o.quote ? dec(intent.side === "BUY" ? o.quote.ask : o.quote.bid) : intent.price);
    const start = await this.#start(session, a, id, { kind: "OPEN", side: intent.side, volume: a.lot, requestedPrice: requested, symbol: spec.symbol }, o, spec.pipSize);
    if (start.mode === "done") return this.#answer(start.log, "done");
    session.inflight.add(id);
    try {
      if (start.mode === "recover") {
        const found = await this.#lookupOpen(session, start.log);
        if (found) return await this.#settleOpen(session, a, start.log, found, true);
        if (found === null) return this.#unknown(start.log, "the venue could not be asked whether the order executed");
      }
      const sending = Promise.resolve().then(() => {
        const sent = session.port.submitOrder({
          clientOrderId: id,
          symbol: spec.symbol,
          side: intent.side,
          type: o.pending?.type ?? "MARKET",
          volume: a.lot,
          ...(o.pending ? { price: o.pending.price } : {}),
          ...(o.pending?.stopLimitPrice ? { stopLimitPrice: o.pending.stopLimitPrice } : {}),
          ...(o.pending?.expiresAt !== undefined ? { expiresAt: o.pending.expiresAt } : {}),
          ...(a.stopLoss ? { stopLoss: a.stopLoss } : {}),
          ...(a.takeProfit ? { takeProfit: a.takeProfit } : {}),
        });
        o.onSent?.();
        return sent;
      });
      if (o.onAnswered) void sending.then(o.onAnswered, o.onAnswered);
      // The hot path sent before writing its records; nothing of the outcome is recorded until they exist. If they
      // cannot be written this throws, and the next attempt finds the key claimed without a decision and looks
      // the order up at the venue before sending anything.
      if (start.mode === "send" && start.written) await Promise.allSettled([sending]).then(() => start.written);
      let result: OrderResult;
      try {
        result = await sending;
      } catch (err) {
        if (!isBrokerError(err) || err.code !== "TRD_ERR_OUTCOME_UNKNOWN") throw await this.#sendFailed(start.log, err);
        const found = await this.#lookupOpen(session, start.log);
        if (found) return await this.#settleOpen(session, a, start.log, found, true);
        return this.#unknown(start.log, err.message);
      }
      if (result.status === "rejected") return this.#rejected(session, start.log, result);
      if (result.status === "placed") {
        const log = await session.serial(async () => {
          const placed = await this.#journal.placed(start.log, result.orderId);
          this.#publish(session, placed);
          this.#audit(a, "order.place", placed);
          return placed;
        });
        return { ...(await this.#answer(log, "PLACED")), order: await this.prisma.order.findFirst({ where: { accountId: session.accountId, clientOrderId: id } }) };
      }
      return await this.#settleOpen(session, a, start.log, { result }, false);
    } finally {
      session.inflight.delete(id);
    }
  }

  /** Settles a market fill (from the venue's answer, or a position found by client order id). */
  async #settleOpen(session: BrokerSession, a: ApprovedDecision, log: ExecutionLog, found: { result?: OrderResult; position?: BrokerPosition; order?: BrokerOrder }, recovered: boolean): Promise<ExecutionOutcome> {
    const received = a.intent.receivedAt;
    return session.serial(async () => {
      const r = found.result?.status === "filled" ? (found.result as PaperOrderAccepted) : undefined;
      const brokerPositionId = r?.positionId ?? found.position!.id;
      const key = { accountId_brokerPositionId: { accountId: session.accountId, brokerPositionId } };
      const row =
        (await this.prisma.position.findUnique({ where: key })) ??
        (await this.book.positionSeen(session, found.position ?? positionFromFill(a, r!, brokerPositionId)));
      const looked = r ? undefined : openFillOf({ position: found.position!, order: found.order });
      const fill = r
        ? {
            price: r.fillPrice ?? dec(row.openPrice.toString()),
            volume: r.fillVolume ?? a.lot,
            time: r.fillTime ?? r.respondedAt,
            latencyMs: r.respondedAt - received,
            ...(r.requestedPrice ? { requestedPrice: r.requestedPrice } : {}),
            ...(r.orderId ? { orderId: r.orderId } : {}),
            ...(r.dealId ? { dealId: r.dealId } : {}),
            recovered,
          }
        : { ...looked!, latencyMs: looked!.time - received, recovered };
      const srm = {
        predictedSlippage: a.predictedSlippageP50,
        performanceScoreAtEntry: a.providerScore,
        srmAdjustedLot: a.lot,
        copyLinkId: a.intent.copyLinkId ?? null,
        masterPositionId: a.intent.masterPositionId ?? null,
      };
      const { execution, position } = await this.book.settleOpen(session, log, row, fill, srm);
      this.#audit(a, "order.fill", execution);
      return { status: "FILLED", execution, duplicate: false, recovered, position };
    });
  }

  /**
   * Looks an opening order up by client order id (`findOpenFill`): the position it opened or was filled into.
   * Undefined when the venue proves it absent; null when it cannot tell, or cannot be asked.
   */
  async #lookupOpen(session: BrokerSession, log: ExecutionLog): Promise<OpenFillFound | undefined | null> {
    try {
      return await findOpenFill(session, log.clientOrderId, log.createdAt);
    } catch (err) {
      this.logger.warn({ err, clientOrderId: log.clientOrderId }, "lookup by client order id failed");
      return null;
    }
  }

  async #exitOrModify(session: BrokerSession, a: ApprovedDecision, id: string, o: ExecuteOptions): Promise<ExecutionOutcome> {
    const intent = a.intent;
    const target = intent.positionId;
    if (!target) throw new RiskloopError(CoreErrors.CORE_ERR_INVALID, "positionId: an exit or modification names its position or order", { field: "positionId" });
    const position = await this.prisma.position.findFirst({ where: { id: target, accountId: session.accountId } });
    const order = position ? null : await this.prisma.order.findFirst({ where: { id: target, accountId: session.accountId } });
    if (!position && !order) throw notFound("position", target);
    const spec = await session.spec((position ?? order)!.symbol);
    const side = position ? position.side : order!.type.startsWith("BUY") ? "BUY" : "SELL";
    const exitSide = side === "BUY" ? "SELL" : "BUY";
    const closing = intent.kind !== "MODIFY" && position !== null;
    const requested = closing && o.quote ? dec(exitSide === "BUY" ? o.quote.ask : o.quote.bid) : undefined;
    const volume = closing ? (intent.kind === "CLOSE" ? dec(position!.volume.toString()) : a.lot) : dec((position ?? order)!.volume.toString());
    if (position?.status === "CLOSED" && !(await this.prisma.executionLog.findUnique({ where: { clientOrderId: id }, select: { id: true } }))) {
      throw new RiskloopError(CoreErrors.CORE_ERR_CONFLICT, `position ${position.id} is already closed`, { positionId: position.id });
    }
    const kind = intent.kind === "MODIFY" ? "MODIFY" : "CLOSE";
    const start = await this.#start(session, a, id, { kind, side: closing ? exitSide : side, volume, requestedPrice: requested, symbol: spec.symbol, positionId: position?.id ?? null }, o, spec.pipSize);
    if (start.mode === "done") return this.#answer(start.log, "done");
    const log = start.log;
    session.inflight.add(id);
    try {
      if (closing) {
        // The port keeps closes idempotent per client order id: sending again after an unknown outcome returns the first fill.
        this.book.expectClose(id, o.closeReason ?? "MANUAL");
        let result: OrderResult;
        try {
          const closing = session.port.closePosition(position!.brokerPositionId, intent.kind === "CLOSE" ? undefined : a.lot, id);
          o.onSent?.();
          if (o.onAnswered) void closing.then(o.onAnswered, o.onAnswered);
          result = await closing;
        } catch (err) {
          if (isBrokerError(err) && err.code === "TRD_ERR_OUTCOME_UNKNOWN") return this.#unknown(log, err.message);
          throw await this.#sendFailed(log, err);
        }
        if (result.status === "rejected") {
          this.book.expectClose(id, undefined);
          return this.#rejected(session, log, result);
        }
        return await this.#settleClose(session, a, log, result, spec.pipSize);
      }
      const changes = levelChanges(a, order !== null);
      let result: ChangeResult;
      try {
        const changing = position
          ? session.port.modifyPosition(position.brokerPositionId, changes)
          : kind === "MODIFY"
            ? session.port.modifyOrder(order!.brokerOrderId, changes)
            : session.port.cancelOrder(order!.brokerOrderId);
        o.onSent?.();
        if (o.onAnswered) void changing.then(o.onAnswered, o.onAnswered);
        result = await changing;
      } catch (err) {
        throw await this.#sendFailed(log, err);
      }
      if (result.status === "rejected") return this.#rejected(session, log, result);
      const done = await session.serial(async () => {
        const written = await this.#journal.done(log, kind === "MODIFY" ? "FILLED" : "CANCELLED", result.respondedAt, result.respondedAt - intent.receivedAt);
        this.book.publish(session, "execution", executionView(written));
        this.#audit(a, kind === "MODIFY" ? (position ? "position.modify" : "order.modify") : "order.cancel", written);
        return written;
      });
      return { ...(await this.#answer(done, "DONE")), order: order ? await this.prisma.order.findUnique({ where: { id: order.id } }) : null };
    } finally {
      session.inflight.delete(id);
    }
  }

  async #settleClose(session: BrokerSession, a: ApprovedDecision, log: ExecutionLog, r: OrderResult & { status: "filled" | "placed" }, pipSize: number): Promise<ExecutionOutcome> {
    const venue = r as PaperOrderAccepted;
    return session.serial(async () => {
      const requested = venue.requestedPrice ?? (log.requestedPrice ? dec(log.requestedPrice.toString()) : undefined);
      const price = r.fillPrice;
      const closed = await this.#journal.closed(log, {
        price: price ?? dec(0),
        volume: r.fillVolume ?? dec(log.volume.toString()),
        time: r.fillTime ?? r.respondedAt,
        requestedPrice: requested,
        slippagePips: requested && price ? slippagePips(log.side, requested, price, pipSize) : null,
        latencyMs: r.respondedAt - a.intent.receivedAt,
        orderId: r.orderId,
        dealId: r.dealId,
      });
      this.#publish(session, closed);
      this.#audit(a, "position.close", closed);
      const closedTrade = r.dealId ? await this.prisma.closedTrade.findUnique({ where: { accountId_ticket: { accountId: session.accountId, ticket: r.dealId } } }) : null;
      const position = log.positionId ? await this.prisma.position.findUnique({ where: { id: log.positionId } }) : null;
      return { status: "FILLED", execution: closed, duplicate: false, recovered: r.recovered === true, position, closedTrade };
    });
  }

  async #start(
    session: BrokerSession,
    a: ApprovedDecision,
    clientOrderId: string,
    d: { kind: "OPEN" | "CLOSE" | "MODIFY"; side: "BUY" | "SELL"; volume: Decimal; requestedPrice: Decimal | undefined; symbol: string; positionId?: string | null },
    o: ExecuteOptions,
    pipSize: number,
  ): Promise<Start> {
    // The hot path's features are at hand: its row is built once the order is out, not before.
    const known = o.features;
    if (a.stored && known) return this.#journal.startBehind(clientOrderId, () => pendingExecution(session, a, clientOrderId, d, columnsFromFeatures(known, pipSize)), a.stored, session.inflight);
    const features = known !== undefined ? known : await this.#storedFeatures(a.decisionId);
    const context = features ? columnsFromFeatures(features, pipSize) : columnsFromContext(await this.context(d.symbol, a.decidedAt), a.decidedAt);
    const draft = pendingExecution(session, a, clientOrderId, d, context);
    if (a.stored) return this.#journal.startBehind(clientOrderId, () => draft, a.stored, session.inflight);
    const start = await this.#journal.start(draft, session.inflight);
    // An attempt that claimed this decision's key stopped before recording anything: its order may exist.
    return a.mayHaveBeenSent && start.mode === "send" ? { mode: "recover", log: start.log } : start;
  }

  async #storedFeatures(decisionId: string): Promise<FeatureInput | null> {
    const row = await this.prisma.srmDecision.findUnique({ where: { id: decisionId }, select: { features: true } });
    const f = row?.features as Partial<FeatureInput> | null | undefined;
    return f && typeof f.session === "string" ? (f as FeatureInput) : null;
  }

  async #rejected(session: BrokerSession, log: ExecutionLog, r: { errorCode: string; message: string; brokerCode?: string }): Promise<ExecutionOutcome> {
    const failed = await this.#journal.failed(log, { code: r.errorCode, message: r.message, brokerCode: r.brokerCode });
    this.#publish(session, failed);
    return { status: "REJECTED", execution: failed, duplicate: false, recovered: false };
  }

  /** The outcome cannot be established now: the log says TIMEOUT; reconciliation (or a retry, which looks first) settles it. */
  async #unknown(log: ExecutionLog, message: string): Promise<ExecutionOutcome> {
    const failed = await this.#journal.failed(log, { code: "TRD_ERR_OUTCOME_UNKNOWN", message, status: "TIMEOUT" });
    return { status: "UNKNOWN", execution: failed, duplicate: false, recovered: false };
  }

  /** Records a send that failed before the venue could execute anything, and returns the error to rethrow. */
  async #sendFailed(log: ExecutionLog, err: unknown): Promise<unknown> {
    const code = err instanceof RiskloopError ? err.code : "CORE_ERR_INTERNAL";
    await this.#journal.failed(log, { code, message: err instanceof Error ? err.message : String(err), brokerCode: (err as RiskloopError).details?.brokerCode as string | undefined });
    return err;
  }

  async #answer(log: ExecutionLog, status: ExecutionOutcome["status"] | "done"): Promise<ExecutionOutcome> {
    const duplicate = status === "done";
    const resolved = duplicate ? statusOf(log) : status;
    const position = log.positionId ? await this.prisma.position.findUnique({ where: { id: log.positionId } }) : null;
    const closedTrade = log.kind === "CLOSE" && log.brokerDealId ? await this.prisma.closedTrade.findUnique({ where: { accountId_ticket: { accountId: log.accountId, ticket: log.brokerDealId } } }) : null;
    return { status: resolved, execution: log, duplicate, recovered: false, position, closedTrade };
  }

  #publish(session: BrokerSession, log: ExecutionLog): void {
    this.book.publish(session, "execution", executionView(log));
  }

  #audit(a: ApprovedDecision, action: string, log: ExecutionLog): void {
    void this.audit.record({ actorUserId: a.userId, action, entityType: "execution_log", entityId: log.id, after: executionView(log) }).catch((err: unknown) => this.logger.error({ err }, "audit write failed"));
  }
}

type ExecutionDraft = Pick<PendingExecution, "kind" | "side" | "volume" | "requestedPrice" | "symbol" | "positionId">;

/** The PENDING execution log of a request, before its row is built. */
function pendingExecution(session: BrokerSession, a: ApprovedDecision, clientOrderId: string, d: ExecutionDraft, context: ContextColumns): PendingExecution {
  return { ...d, clientOrderId, decisionId: a.decisionId, intentId: a.intent.id, accountId: session.accountId, context, origin: session.origin, requestedAt: a.decidedAt };
}

/** What a modification changes: the approved levels, the levels its intent removes, and a pending order's new price. */
function levelChanges(a: ApprovedDecision, ofOrder: boolean): OrderChanges {
  const changes: OrderChanges = {};
  const removed = a.intent.removeLevels ?? [];
  if (a.stopLoss) changes.stopLoss = a.stopLoss;
  else if (removed.includes("stopLoss")) changes.stopLoss = null;
  if (a.takeProfit) changes.takeProfit = a.takeProfit;
  else if (removed.includes("takeProfit")) changes.takeProfit = null;
  if (ofOrder && a.intent.price) changes.price = a.intent.price;
  return changes;
}

function statusOf(log: ExecutionLog): ExecutionOutcome["status"] {
  if (log.status === "FILLED") return log.kind === "MODIFY" ? "DONE" : "FILLED";
  if (log.status === "CANCELLED") return log.kind === "OPEN" ? "REJECTED" : "DONE";
  if (log.status === "PENDING") return log.brokerOrderId ? "PLACED" : "UNKNOWN";
  if (log.status === "TIMEOUT") return "UNKNOWN";
  return "REJECTED";
}

function positionFromFill(a: ApprovedDecision, r: PaperOrderAccepted, id: string): BrokerPosition {
  const time = r.fillTime ?? r.respondedAt;
  return {
    id,
    symbol: a.intent.symbol,
    side: a.intent.side,
    volume: r.fillVolume ?? a.lot,
    openPrice: r.fillPrice!,
    ...(a.stopLoss ? { stopLoss: a.stopLoss } : {}),
    ...(a.takeProfit ? { takeProfit: a.takeProfit } : {}),
    profit: dec(0),
    swap: dec(0),
    commission: dec(0),
    openTime: time,
    updateTime: time,
    clientOrderId: r.clientOrderId,
  };
}
