import { CoreErrors, RiskloopError, dec, type Decimal, type EventBus, type Logger } from "../../core/index.ts";
import type { ContextSource } from "../../srm/index.ts";
import { Prisma, rawSqlOf, type ClosedTrade, type ExecutionLog, type Position, type PrismaClient, type RawSql } from "../../prisma/index.ts";
import { clientOrderIdFor, type AccountInfo, type BrokerDeal, type BrokerHealth, type BrokerOrder, type BrokerPosition, type DealReason } from "../broker/index.ts";
import type { BrokerSession } from "./broker-session.ts";
import { columnsFromContext, slippagePips } from "./slippage.ts";
import { closedTradeView, executionView, orderView, positionView } from "./trading-views.ts";

/** Why a trade closed, as ClosedTrade stores it. */
export type TradeCloseReason = "SL" | "TP" | "MANUAL" | "STOP_OUT" | "COPY" | "EMERGENCY" | "UNKNOWN";

/** SRM facts kept on a position opened through a decision. */
export interface SrmPositionFields {
  predictedSlippage: number | null;
  performanceScoreAtEntry: number | null;
  srmAdjustedLot: Decimal;
  copyLinkId?: string | null;
  masterPositionId?: string | null;
}

/** A fill to write into a pending execution log. */
export interface Fill {
  price: Decimal;
  volume: Decimal;
  time: number;
  requestedPrice?: Decimal;
  latencyMs?: number | null;
  orderId?: string;
  dealId?: string;
  recovered?: boolean;
}

/** Follow-ups other areas hang on the book: risk monitoring and provider scoring. */
export interface BookHooks {
  /** A closing deal was booked (runs in the account's queue: database work only, never venue calls). */
  tradeClosed?(session: BrokerSession, trade: ClosedTrade): Promise<void>;
  /** The account's money changed; started outside the queue, so it may close positions. */
  accountUpdated?(session: BrokerSession, money: { balance: Decimal; equity: Decimal; at: number }): Promise<void>;
}

const CLOSE_REASON: Record<DealReason, TradeCloseReason | undefined> = {
  stop_loss: "SL",
  take_profit: "TP",
  stop_out: "STOP_OUT",
  client: undefined,
  expert: undefined,
  other: "UNKNOWN",
};

const ORDER_STATE = { pending: "PLACED", placed: "PLACED", partial: "PLACED", filled: "FILLED", canceled: "CANCELLED", expired: "EXPIRED", rejected: "REJECTED" } as const;

const str = (d: Decimal | undefined | null) => (d === undefined || d === null ? null : d.toString());

/**
 * The database's picture of each account's venue state: positions, pending orders, closed trades and money,
 * written from broker events, fills and reconciliation. Every method runs inside the account's queue
 * (`BrokerSession.serial`) and publishes what changed on the bus for the owner's WebSocket.
 */
export class PositionBook {
  readonly #closeReasons = new Map<string, TradeCloseReason>();
  readonly #sql: RawSql;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly bus: EventBus,
    private readonly logger: Logger,
    private readonly context: ContextSource,
    private readonly hooks: BookHooks = {},
  ) {
    this.#sql = rawSqlOf(prisma);
  }

  /** Remembers why we are closing with this client order id, for the closing deal's trade record; undefined forgets it. */
  expectClose(clientOrderId: string, reason: TradeCloseReason | undefined): void {
    if (reason) this.#closeReasons.set(clientOrderId, reason);
    else this.#closeReasons.delete(clientOrderId);
  }

  /** Creates or refreshes a position row from the venue; a new position settles its pending order's execution log. */
  async positionSeen(session: BrokerSession, p: BrokerPosition): Promise<Position> {
    const key = { accountId_brokerPositionId: { accountId: session.accountId, brokerPositionId: p.id } };
    const existing = await this.prisma.position.findUnique({ where: key });
    // Side and open price too: a netting account's position is averaged by additions, and MT5 reverses it in place.
    const data = {
      side: p.side,
      volume: p.volume.toString(),
      openPrice: p.openPrice.toString(),
      currentPrice: str(p.currentPrice),
      stopLoss: str(p.stopLoss),
      takeProfit: str(p.takeProfit),
      swap: p.swap.toString(),
      commission: p.commission.toString(),
      profit: p.profit.toString(),
    };
    const row = existing
      ? await this.prisma.position.update({ where: key, data })
      : await this.prisma.position.create({
          data: {
            ...data,
            accountId: session.accountId,
            brokerPositionId: p.id,
            symbol: p.symbol,
            clientOrderId: p.clientOrderId ?? null,
            openedAt: new Date(p.openTime),
          },
        });
    this.publish(session, "position", { action: existing ? "updated" : "opened", position: positionView(row) });
    if (!existing && p.clientOrderId && !session.inflight.has(p.clientOrderId)) {
      const log = await this.prisma.executionLog.findUnique({ where: { clientOrderId: p.clientOrderId } });
      if (log && log.kind === "OPEN" && (log.status === "PENDING" || log.status === "TIMEOUT")) {
        await this.settleOpen(session, log, row, { price: p.openPrice, volume: p.volume, time: p.openTime, recovered: true });
      }
    }
    return row;
  }

  /** Marks a position closed (the venue no longer holds it). */
  async positionGone(session: BrokerSession, brokerPositionId: string, at: number, last?: BrokerPosition): Promise<void> {
    const key = { accountId_brokerPositionId: { accountId: session.accountId, brokerPositionId } };
    const row = await this.prisma.position.findUnique({ where: key });
    if (!row || row.status === "CLOSED") return;
    const closed = await this.prisma.position.update({
      where: key,
      data: { status: "CLOSED", closedAt: new Date(at), ...(last ? { currentPrice: str(last.currentPrice), profit: last.profit.toString(), swap: last.swap.toString() } : {}) },
    });
    this.publish(session, "position", { action: "closed", position: positionView(closed) });
  }

  /**
   * Books a closing deal as a ClosedTrade (once per deal ticket) with P/L, pips and close reason; a venue-side
   * SL or TP fill also gets an execution log, so stop slippage becomes training data.
   */
  async dealBooked(session: BrokerSession, deal: BrokerDeal): Promise<ClosedTrade | null> {
    if (deal.kind !== "trade" || (deal.entry !== "out" && deal.entry !== "inout") || !deal.positionId || !deal.price || !deal.volume) return null;
    const row = await this.prisma.position.findUnique({ where: { accountId_brokerPositionId: { accountId: session.accountId, brokerPositionId: deal.positionId } } });
    if (!row) {
      this.logger.warn({ accountId: session.accountId, dealId: deal.id, positionId: deal.positionId }, "closing deal of a position the database never saw; not booked");
      return null;
    }
    const spec = await session.spec(row.symbol);
    const hinted = deal.clientOrderId ? this.#closeReasons.get(deal.clientOrderId) : undefined;
    if (deal.clientOrderId) this.#closeReasons.delete(deal.clientOrderId);
    const reason = CLOSE_REASON[deal.reason] ?? hinted ?? "MANUAL";
    const open = dec(row.openPrice.toString());
    const dir = row.side === "BUY" ? 1 : -1;
    const provider = await this.prisma.signalProvider.findUnique({ where: { masterAccountId: session.accountId }, select: { id: true } });
    // The entry commission belongs to the trade that ends the position; partial closes carry their exit commission.
    const entryCommission = row.status === "CLOSED" ? dec(row.commission.toString()) : dec(0);
    let trade: ClosedTrade;
    try {
      trade = await this.prisma.closedTrade.create({
        data: {
          accountId: session.accountId,
          providerId: provider?.id ?? null,
          positionId: row.id,
          ticket: deal.id,
          symbol: row.symbol,
          side: row.side,
          volume: deal.volume.toString(),
          openTime: row.openedAt,
          closeTime: new Date(deal.time),
          openPrice: row.openPrice,
          closePrice: deal.price.toString(),
          stopLoss: row.stopLoss,
          takeProfit: row.takeProfit,
          commission: deal.commission.plus(entryCommission).toString(),
          swap: deal.swap.toString(),
          profit: deal.profit.toString(),
          pips: Math.round(((deal.price.toNumber() - open.toNumber()) * dir * 10) / spec.pipSize) / 10,
          closeReason: reason,
          origin: session.platform === "PAPER" ? "PAPER" : "BROKER",
        },
      });
    } catch (err) {
      if ((err as { code?: string }).code === "P2002") return null;
      throw err;
    }
    if ((reason === "SL" || reason === "TP") && deal.side) await this.#stopFill(session, deal, row, reason, spec.pipSize);
    this.publish(session, "trade.closed", closedTradeView(trade));
    await this.hooks.tradeClosed?.(session, trade);
    return trade;
  }

  /** Mirrors a pending order (LIMIT/STOP/STOP_LIMIT) into the orders table; market orders leave no row. */
  async orderSeen(session: BrokerSession, o: BrokerOrder): Promise<void> {
    if (o.type === "MARKET") return;
    const key = { accountId_brokerOrderId: { accountId: session.accountId, brokerOrderId: o.id } };
    const state = ORDER_STATE[o.state];
    const data = {
      volume: o.volume.toString(),
      openPrice: str(o.price) ?? "0",
      stopLimitPrice: str(o.stopLimitPrice),
      stopLoss: str(o.stopLoss),
      takeProfit: str(o.takeProfit),
      state,
    };
    const row = await this.prisma.order.upsert({
      where: key,
      create: { ...data, accountId: session.accountId, brokerOrderId: o.id, clientOrderId: o.clientOrderId ?? null, symbol: o.symbol, type: `${o.side}_${o.type}` as const, createdAt: new Date(o.createdAt) },
      update: data,
    });
    if (state === "CANCELLED" || state === "EXPIRED" || state === "REJECTED") await this.#orderGone(o.clientOrderId, state);
    this.publish(session, "order", orderView(row));
  }

  /** Stores the venue's money figures and runs the account follow-up (the risk monitor keeps the high-water mark). */
  async accountSeen(session: BrokerSession, info: AccountInfo, at: number): Promise<void> {
    session.noteAccount(info);
    await this.prisma.brokerAccount.updateMany({
      where: { id: session.accountId },
      data: { balance: info.balance.toString(), equity: info.equity.toString(), margin: info.margin.toString(), freeMargin: info.freeMargin.toString(), hedging: info.hedging },
    });
    this.publish(session, "account", { balance: info.balance.toString(), equity: info.equity.toString(), margin: info.margin.toString(), freeMargin: info.freeMargin.toString(), at });
    const hooks = this.hooks;
    if (hooks.accountUpdated) session.detach(() => hooks.accountUpdated!(session, { balance: info.balance, equity: info.equity, at }));
  }

  async connectionChanged(session: BrokerSession, health: BrokerHealth): Promise<void> {
    const status = health.state === "connected" ? "CONNECTED" : health.state === "failed" ? "ERROR" : "DISCONNECTED";
    await this.prisma.brokerAccount.updateMany({ where: { id: session.accountId }, data: { status } });
    this.publish(session, "account.connection", { state: health.state, since: health.since, ...(health.lastError ? { lastError: health.lastError.message } : {}) });
  }

  /**
   * Writes a fill into an opening execution log (slippage against its requested price, latency) and links the
   * position, copying SRM fields from the decision when the caller has none at hand (reconciliation, pending fills).
   */
  async settleOpen(session: BrokerSession, log: ExecutionLog, position: Position, fill: Fill, srm?: SrmPositionFields): Promise<{ execution: ExecutionLog; position: Position }> {
    const fields = srm ?? (await this.#srmFieldsOf(log));
    const linked = fields ? await this.#linkSrm(position, fields) : position;
    const spec = await session.spec(log.symbol);
    const requested = fill.requestedPrice ?? (log.requestedPrice ? dec(log.requestedPrice.toString()) : undefined);
    // The row as written (numbers at the columns' scale), built here rather than read back: a fan-out books hundreds.
    const execution: ExecutionLog = {
      ...log,
      status: "FILLED",
      positionId: position.id,
      filledPrice: new Prisma.Decimal(fill.price.toDecimalPlaces(10).toString()),
      volume: new Prisma.Decimal(fill.volume.toDecimalPlaces(4).toString()),
      requestedPrice: requested ? new Prisma.Decimal(requested.toDecimalPlaces(10).toString()) : null,
      slippagePips: requested ? slippagePips(log.side, requested, fill.price, spec.pipSize) : null,
      latencyMs: fill.latencyMs !== undefined ? fill.latencyMs : log.latencyMs,
      brokerOrderId: fill.orderId ?? log.brokerOrderId,
      brokerDealId: fill.dealId ?? log.brokerDealId,
      filledAt: new Date(fill.time),
      errorCode: null,
      error: null,
    };
    // The fill and its intent's status in one statement.
    const updated = await this.#sql.$executeRawUnsafe(
      `WITH i AS (UPDATE "trade_intents" SET "status" = 'EXECUTED', "updated_at" = now() WHERE "id" = $11::uuid)
       UPDATE "execution_logs" SET "status" = 'FILLED', "position_id" = $2::uuid, "filled_price" = $3::numeric, "volume" = $4::numeric,
         "requested_price" = $5::numeric, "slippage_pips" = $6::float8, "latency_ms" = $7::float8, "broker_order_id" = $8,
         "broker_deal_id" = $9, "filled_at" = $10::timestamptz, "error_code" = NULL, "error" = NULL
       WHERE "id" = $1::uuid`,
      log.id,
      position.id,
      str(execution.filledPrice),
      str(execution.volume),
      str(execution.requestedPrice),
      execution.slippagePips,
      execution.latencyMs,
      execution.brokerOrderId,
      execution.brokerDealId,
      execution.filledAt!.toISOString(),
      log.intentId,
    );
    if (updated !== 1) throw new RiskloopError(CoreErrors.CORE_ERR_NOT_FOUND, `execution log ${log.id} not found to record its fill`);
    this.publish(session, "execution", { ...executionView(execution), ...(fill.recovered ? { recovered: true } : {}) });
    return { execution, position: linked };
  }

  /** Writes the decision's fields onto the position; the row comes back from what was written, not read again (a fan-out books hundreds of these). */
  async #linkSrm(position: Position, fields: SrmPositionFields): Promise<Position> {
    const data = { ...srmData(fields), updatedAt: new Date() };
    await this.prisma.position.updateMany({ where: { id: position.id }, data });
    return { ...position, ...data, srmAdjustedLot: new Prisma.Decimal(data.srmAdjustedLot) };
  }

  /** A pending order that ended unfilled leaves its opening execution log cancelled. */
  async #orderGone(clientOrderId: string | undefined, state: "CANCELLED" | "EXPIRED" | "REJECTED"): Promise<void> {
    if (!clientOrderId) return;
    await this.prisma.executionLog.updateMany({
      where: { clientOrderId, kind: "OPEN", status: "PENDING" },
      data: { status: state === "REJECTED" ? "REJECTED" : "CANCELLED", error: `pending order ${state.toLowerCase()} at the venue` },
    });
  }

  async #srmFieldsOf(log: ExecutionLog): Promise<SrmPositionFields | undefined> {
    if (!log.decisionId) return undefined;
    const d = await this.prisma.srmDecision.findUnique({ where: { id: log.decisionId }, include: { intent: { select: { copyLinkId: true, masterPositionId: true } } } });
    if (!d) return undefined;
    const p50 = (d.predictions as { p50?: number }).p50;
    return {
      predictedSlippage: p50 ?? null,
      performanceScoreAtEntry: d.providerScore,
      srmAdjustedLot: dec(d.adjustedLot.toString()),
      copyLinkId: d.intent.copyLinkId,
      masterPositionId: d.intent.masterPositionId,
    };
  }

  async #stopFill(session: BrokerSession, deal: BrokerDeal, row: Position, reason: "SL" | "TP", pipSize: number): Promise<void> {
    const level = reason === "SL" ? row.stopLoss : row.takeProfit;
    const requested = level ? dec(level.toString()) : undefined;
    try {
      await this.prisma.executionLog.create({
        data: {
          positionId: row.id,
          accountId: session.accountId,
          clientOrderId: clientOrderIdFor(`${session.accountId}:deal:${deal.id}`),
          brokerOrderId: deal.orderId ?? null,
          brokerDealId: deal.id,
          symbol: row.symbol,
          side: deal.side!,
          kind: reason === "SL" ? "SL_FILL" : "TP_FILL",
          volume: deal.volume!.toString(),
          requestedPrice: str(requested),
          filledPrice: deal.price!.toString(),
          slippagePips: requested ? slippagePips(deal.side!, requested, deal.price!, pipSize) : null,
          ...columnsFromContext(await this.context(row.symbol, deal.time), deal.time),
          status: "FILLED",
          origin: session.origin,
          requestedAt: new Date(deal.time),
          filledAt: new Date(deal.time),
        },
      });
    } catch (err) {
      if ((err as { code?: string }).code !== "P2002") throw err;
    }
  }

  /** Publishes an account event to its owner (and admins) on the bus, stamped with the venue's time. */
  publish(session: BrokerSession, type: string, data: unknown): void {
    this.bus.publish({ type, userId: session.userId, accountId: session.accountId, at: session.now(), data });
  }
}

function srmData(f: SrmPositionFields): { predictedSlippage: number | null; performanceScoreAtEntry: number | null; srmAdjustedLot: string; copyLinkId?: string | null; masterPositionId?: string | null } {
  return {
    predictedSlippage: f.predictedSlippage,
    performanceScoreAtEntry: f.performanceScoreAtEntry,
    srmAdjustedLot: f.srmAdjustedLot.toDecimalPlaces(4).toString(),
    ...(f.copyLinkId !== undefined ? { copyLinkId: f.copyLinkId } : {}),
    ...(f.masterPositionId !== undefined ? { masterPositionId: f.masterPositionId } : {}),
  };
}
