import { CoreErrors, GroupCommit, RiskloopError, hotPath, newTimeOrderedId, registeredErrorCodes, type Decimal, type Side } from "../../core/index.ts";
import { insertRows, Prisma, rawSqlOf, type ExecutionLog, type PrismaClient } from "../../prisma/index.ts";
import type { ContextColumns } from "../sessions/index.ts";
import { ExecutionErrors } from "./execution.errors.ts";

/** The execution log row written before anything is sent. */
export interface PendingExecution {
  clientOrderId: string;
  decisionId: string;
  intentId: string;
  accountId: string;
  positionId?: string | null;
  symbol: string;
  side: Side;
  kind: "OPEN" | "CLOSE" | "MODIFY";
  volume: Decimal;
  requestedPrice: Decimal | undefined;
  context: ContextColumns;
  origin: "LIVE" | "PAPER";
  /** The decision's time: training pairs each execution with what the decision knew then. */
  requestedAt: number;
}

/** What to do with a request whose client order id already has a log. */
export type Start =
  | { mode: "send"; log: ExecutionLog; written?: Promise<void> }
  | { mode: "recover"; log: ExecutionLog }
  | { mode: "done"; log: ExecutionLog };

/** True when a failure proved nothing executed and the same client order id may be sent again. */
export function retryable(errorCode: string | null): boolean {
  if (!errorCode || errorCode === "TRD_ERR_OUTCOME_UNKNOWN") return false;
  const kind = registeredErrorCodes().get(errorCode)?.kind;
  return kind === "transient" || kind === "rate_limited";
}

/**
 * The execution log's state machine around one client order id: PENDING is written before sending; FILLED,
 * CANCELLED and a non-retryable REJECTED are final (a retry answers them again, sending nothing); PENDING and
 * TIMEOUT left by an earlier attempt mean "look the order up at the venue first"; a retryable REJECTED is sent
 * again under the same id.
 */
export class ExecutionJournal {
  /** PENDING rows written before sending: concurrent requests' rows go out in one statement once the loop turns. */
  readonly #pending: GroupCommit<ExecutionLog, boolean>;
  /** PENDING rows of orders already sent (the hot path): they wait for the fan-out's other orders to go out (`HotPath`). */
  readonly #behind: GroupCommit<ExecutionLog, boolean>;

  constructor(private readonly prisma: PrismaClient) {
    const sql = rawSqlOf(prisma);
    const insert = async (logs: ExecutionLog[]) => {
      const inserted = await insertRows<{ id: string }>(sql, "execution_logs", logs, { onConflict: "(client_order_id) DO NOTHING", returning: "id::text AS id" });
      const ids = new Set(inserted.map((r) => r.id));
      return logs.map((l) => ids.has(l.id));
    };
    this.#pending = new GroupCommit(insert);
    this.#behind = new GroupCommit(insert, { gate: () => hotPath.calm() });
  }

  async start(draft: PendingExecution, inflight: ReadonlySet<string>): Promise<Start> {
    if (inflight.has(draft.clientOrderId)) throw inFlight(draft.clientOrderId);
    // Insert first: a new request costs (a share of) one round trip; the unique client order id catches every repeat.
    const log = row(draft);
    if (await this.#pending.submit(log)) return { mode: "send", log };
    if (inflight.has(draft.clientOrderId)) throw inFlight(draft.clientOrderId);
    return this.#resume(await this.prisma.executionLog.findUniqueOrThrow({ where: { clientOrderId: draft.clientOrderId } }));
  }

  /**
   * The hot path: the request's key is claimed and its decision is being stored (`decided`), so the order goes
   * out now and its PENDING row follows the decision. The row is built from `draft` when first needed (the
   * write, or `log`), which is after the order is out; the caller awaits `written` before recording the outcome.
   */
  startBehind(clientOrderId: string, draft: () => PendingExecution, decided: Promise<void>, inflight: ReadonlySet<string>): Start & { mode: "send"; written: Promise<void> } {
    if (inflight.has(clientOrderId)) throw inFlight(clientOrderId);
    let log: ExecutionLog | undefined;
    const written = decided
      .then(() => this.#behind.submit((log ??= row(draft()))))
      .then((inserted) => {
        if (!inserted) throw new RiskloopError(CoreErrors.CORE_ERR_CONFLICT, `client order id ${clientOrderId} was journaled by another attempt`, { clientOrderId });
      });
    written.catch(() => {});
    return {
      mode: "send",
      get log() {
        return (log ??= row(draft()));
      },
      written,
    };
  }

  /** The venue refused (a value) or the call failed before anything could execute. */
  async failed(log: ExecutionLog, failure: { code: string; message: string; brokerCode?: string | undefined; status?: "REJECTED" | "TIMEOUT" }): Promise<ExecutionLog> {
    const status = failure.status ?? "REJECTED";
    const updated = await this.prisma.executionLog.update({
      where: { id: log.id },
      data: { status, errorCode: failure.code, error: failure.message.slice(0, 1000), brokerCode: failure.brokerCode ?? null },
    });
    if (log.intentId && status === "REJECTED" && !retryable(failure.code)) {
      await this.prisma.tradeIntent.updateMany({ where: { id: log.intentId }, data: { status: "FAILED" } });
    }
    return updated;
  }

  /** A pending order was accepted and works at the venue; its fill settles the log later. */
  async placed(log: ExecutionLog, brokerOrderId: string | undefined): Promise<ExecutionLog> {
    const updated = await this.prisma.executionLog.update({ where: { id: log.id }, data: { brokerOrderId: brokerOrderId ?? null, errorCode: null, error: null } });
    if (log.intentId) await this.prisma.tradeIntent.updateMany({ where: { id: log.intentId }, data: { status: "EXECUTED" } });
    return updated;
  }

  /** A modify or cancel the venue carried out (no price to fill: the log records that it was done and when). */
  async done(log: ExecutionLog, status: "FILLED" | "CANCELLED", at: number, latencyMs: number): Promise<ExecutionLog> {
    const updated = await this.prisma.executionLog.update({ where: { id: log.id }, data: { status, filledAt: new Date(at), latencyMs, errorCode: null, error: null } });
    if (log.intentId) await this.prisma.tradeIntent.updateMany({ where: { id: log.intentId }, data: { status: "EXECUTED" } });
    return updated;
  }

  /** A closing fill: price, slippage against the requested price, latency and the broker's ids. */
  async closed(log: ExecutionLog, fill: { price: Decimal; volume: Decimal; time: number; slippagePips: number | null; requestedPrice: Decimal | undefined; latencyMs: number | null; orderId?: string | undefined; dealId?: string | undefined }): Promise<ExecutionLog> {
    const updated = await this.prisma.executionLog.update({
      where: { id: log.id },
      data: {
        status: "FILLED",
        filledPrice: fill.price.toString(),
        volume: fill.volume.toString(),
        requestedPrice: fill.requestedPrice?.toString() ?? null,
        slippagePips: fill.slippagePips,
        latencyMs: fill.latencyMs,
        brokerOrderId: fill.orderId ?? null,
        brokerDealId: fill.dealId ?? null,
        filledAt: new Date(fill.time),
        errorCode: null,
        error: null,
      },
    });
    if (log.intentId) await this.prisma.tradeIntent.updateMany({ where: { id: log.intentId }, data: { status: "EXECUTED" } });
    return updated;
  }

  async #resume(log: ExecutionLog): Promise<Start> {
    if (log.status === "FILLED" || log.status === "CANCELLED") return { mode: "done", log };
    if (log.status === "PENDING" && log.brokerOrderId && log.kind === "OPEN") return { mode: "done", log };
    if (log.status === "REJECTED") {
      if (!retryable(log.errorCode)) return { mode: "done", log };
      return { mode: "send", log: await this.prisma.executionLog.update({ where: { id: log.id }, data: { status: "PENDING", errorCode: null, error: null } }) };
    }
    return { mode: "recover", log };
  }
}

/** The PENDING row exactly as the database will hold it, so the caller needs no read-back. */
function row(d: PendingExecution): ExecutionLog {
  return {
    id: newTimeOrderedId(),
    decisionId: d.decisionId,
    intentId: d.intentId,
    positionId: d.positionId ?? null,
    accountId: d.accountId,
    clientOrderId: d.clientOrderId,
    brokerOrderId: null,
    brokerDealId: null,
    symbol: d.symbol,
    side: d.side,
    kind: d.kind,
    volume: column(d.volume.toString(), 4),
    requestedPrice: d.requestedPrice ? column(d.requestedPrice.toString(), 10) : null,
    filledPrice: null,
    slippagePips: null,
    latencyMs: null,
    marketAtr: d.context.marketAtr,
    tradingSession: d.context.tradingSession,
    dayOfWeek: d.context.dayOfWeek,
    volatilityIndex: d.context.volatilityIndex,
    spread: d.context.spread === null ? null : column(d.context.spread, 10),
    status: "PENDING",
    errorCode: null,
    error: null,
    brokerCode: null,
    origin: d.origin,
    requestedAt: new Date(d.requestedAt),
    filledAt: null,
    createdAt: new Date(),
  };
}

/** A decimal as its column (`Decimal(20, places)`) stores it. */
const column = (v: string, places: number) => new Prisma.Decimal(v).toDecimalPlaces(places);

function inFlight(clientOrderId: string): RiskloopError {
  return new RiskloopError(ExecutionErrors.TRD_ERR_IN_FLIGHT, `order ${clientOrderId} is being executed right now`, { clientOrderId });
}
