import type { Logger, SymbolSpec } from "../../core/index.ts";
import { brokerError, rejection, type ChangeResult, type OrderChanges, type PositionChanges } from "../broker/index.ts";
import type { LatencyModel } from "./latency-model.ts";
import { checkPending, checkSubmit, closeVolumeRefusal, closedRefusal, PAPER_CLIENT_ID_MAX, stopsRefusal, type Refusal } from "./order-checks.ts";
import type { PaperLedger, WorkingOrder } from "./paper-ledger.ts";
import type { InflightRequest, PaperMatcher } from "./paper-matcher.ts";
import type { PaperReplay } from "./paper-replay.ts";
import type { PaperCloseRequest, PaperFaults, PaperOrderAccepted, PaperOrderResult, PaperSubmitOrderRequest, QuotePoint } from "./paper-types.ts";

export interface DeskOptions {
  ledger: PaperLedger;
  matcher: PaperMatcher;
  replay: PaperReplay;
  specs: ReadonlyMap<string, SymbolSpec>;
  quotes: ReadonlyMap<string, QuotePoint>;
  latency: LatencyModel;
  marketClosedAfterMs: number;
  /** Accepted results by client order id, from a snapshot. */
  results: Record<string, PaperOrderAccepted>;
  logger?: Logger;
}

type Step = { result: PaperOrderResult } | { wait: Promise<PaperOrderResult> };
type Dispatch = DistributiveOmit<InflightRequest, "orderId" | "requestedAt" | "dueAt" | "latencyMs">;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * Order entry of the paper venue: the broker's checks against the quote at request time, a latency per market
 * request, idempotency by client order id, and the lost-acknowledgement fault. Every action runs under the
 * replay lock, so it sees (and acts at) one consistent venue time.
 */
export class PaperDesk {
  faults: PaperFaults = {};
  readonly results: Map<string, PaperOrderAccepted>;
  readonly #o: DeskOptions;
  readonly #running = new Map<string, Promise<PaperOrderResult>>();
  readonly #waiters = new Map<string, (result: PaperOrderResult) => void>();

  constructor(o: DeskOptions) {
    this.#o = o;
    this.results = new Map(Object.entries(o.results));
  }

  submit(req: PaperSubmitOrderRequest): Promise<PaperOrderResult> {
    return this.#once(req.clientOrderId, req, () =>
      this.#step((now) => {
        const spec = this.#o.specs.get(req.symbol);
        const quote = this.#o.quotes.get(req.symbol);
        const refusal =
          checkSubmit(req, { spec, quote, now, marketClosedAfterMs: this.#o.marketClosedAfterMs }) ??
          this.#o.matcher.fundingRefusal(spec!, req.type === "MARKET" ? this.#o.ledger.exposureAdded(req.symbol, req.side, req.volume) : undefined, now);
        if (refusal) return { result: refused(req.clientOrderId, refusal, now) };
        if (req.type !== "MARKET") return { result: this.#place(req, now) };
        const requestedPrice = req.side === "BUY" ? quote!.ask : quote!.bid;
        return { wait: this.#dispatch({ kind: "open", request: req, clientOrderId: req.clientOrderId, symbol: req.symbol, side: req.side, requestedPrice }) };
      }),
    );
  }

  close(r: PaperCloseRequest): Promise<PaperOrderResult> {
    return this.#once(r.clientOrderId, r, () =>
      this.#step((now) => {
        const p = this.#o.ledger.positions.get(r.positionId);
        const spec = p && this.#o.specs.get(p.symbol);
        const quote = p && this.#o.quotes.get(p.symbol);
        let refusal: Refusal | undefined;
        if (!r.clientOrderId || r.clientOrderId.length > PAPER_CLIENT_ID_MAX) refusal = { code: "TRD_ERR_INVALID_REQUEST", message: `clientOrderId must be 1–${PAPER_CLIENT_ID_MAX} characters` };
        else if (!p || !spec) refusal = { code: "TRD_ERR_POSITION_NOT_FOUND", message: `position ${r.positionId} is not open` };
        else refusal = closeVolumeRefusal(r.volume, p.volume, spec) ?? closedRefusal({ spec, quote, now, marketClosedAfterMs: this.#o.marketClosedAfterMs });
        if (refusal || !p) return { result: refused(r.clientOrderId, refusal!, now) };
        const long = p.side === "BUY";
        const volume = r.volume === undefined ? {} : { volume: r.volume };
        return { wait: this.#dispatch({ kind: "close", positionId: p.id, ...volume, clientOrderId: r.clientOrderId, symbol: p.symbol, side: long ? "SELL" : "BUY", requestedPrice: long ? quote!.bid : quote!.ask }) };
      }),
    );
  }

  modifyPosition(positionId: string, changes: PositionChanges): Promise<ChangeResult> {
    return this.#change((now) => {
      const p = this.#o.ledger.positions.get(positionId);
      if (!p) return { code: "TRD_ERR_POSITION_NOT_FOUND", message: `position ${positionId} is not open` };
      const spec = this.#o.specs.get(p.symbol)!;
      const quote = this.#o.quotes.get(p.symbol);
      const refusal =
        closedRefusal({ spec, quote, now, marketClosedAfterMs: this.#o.marketClosedAfterMs }) ??
        stopsRefusal(p.side, p.side === "BUY" ? quote!.bid : quote!.ask, changes.stopLoss, changes.takeProfit, spec);
      if (refusal) return refusal;
      this.#o.ledger.setProtection(p, level(changes.stopLoss, p.stopLoss), level(changes.takeProfit, p.takeProfit), now);
      return undefined;
    });
  }

  modifyOrder(orderId: string, changes: OrderChanges): Promise<ChangeResult> {
    return this.#change((now) => {
      const o = this.#o.ledger.orders.get(orderId);
      if (!o) return { code: "TRD_ERR_ORDER_NOT_FOUND", message: `order ${orderId} is not working` };
      const spec = this.#o.specs.get(o.symbol)!;
      const quote = this.#o.quotes.get(o.symbol);
      const next = {
        type: o.type,
        side: o.side,
        price: changes.price ?? o.price,
        stopLimitPrice: changes.stopLimitPrice ?? o.stopLimitPrice,
        stopLoss: level(changes.stopLoss, o.stopLoss),
        takeProfit: level(changes.takeProfit, o.takeProfit),
      };
      const refusal = closedRefusal({ spec, quote, now, marketClosedAfterMs: this.#o.marketClosedAfterMs }) ?? checkPending(next, quote!, spec);
      if (refusal) return refusal;
      Object.assign(o, next);
      for (const key of ["stopLimitPrice", "stopLoss", "takeProfit"] as const) if (o[key] === undefined) delete o[key];
      this.#o.ledger.orderChanged(o, now);
      return undefined;
    });
  }

  cancelOrder(orderId: string): Promise<ChangeResult> {
    return this.#change((now) => {
      const o = this.#o.ledger.orders.get(orderId);
      if (!o) return { code: "TRD_ERR_ORDER_NOT_FOUND", message: `order ${orderId} is not working` };
      this.#o.ledger.finishOrder(o, "canceled", now);
      return undefined;
    });
  }

  /** The latency generator's state, for snapshots. */
  get latencyState(): number {
    return this.#o.latency.state;
  }

  /** Where the matcher hands back the outcome of a market request. */
  settle(clientOrderId: string, result: PaperOrderResult): void {
    if (result.status !== "rejected") this.results.set(clientOrderId, result);
    const waiter = this.#waiters.get(clientOrderId);
    if (!waiter) return;
    this.#waiters.delete(clientOrderId);
    waiter(result);
  }

  /** Idempotency by client order id: a done request answers again with `duplicate: true`, a running one shares its outcome. */
  async #once(id: string, request: PaperSubmitOrderRequest | PaperCloseRequest, run: () => Promise<PaperOrderResult>): Promise<PaperOrderResult> {
    const done = this.results.get(id);
    if (done) return { ...done, duplicate: true };
    const running = this.#running.get(id);
    if (running) return running.then((r) => (r.status === "rejected" ? r : { ...r, duplicate: true }));
    const work = run();
    this.#running.set(id, work);
    let result: PaperOrderResult;
    try {
      result = await work;
    } finally {
      this.#running.delete(id);
    }
    if (result.status !== "rejected" && this.faults.failAcknowledgement?.(request)) {
      throw brokerError("TRD_ERR_OUTCOME_UNKNOWN", `simulated lost acknowledgement: the paper venue executed ${id}, but the answer never arrived`, {
        venue: "paper",
        clientOrderId: id,
        since: result.requestedAt,
      });
    }
    return result;
  }

  /** Runs one request at venue time under the replay lock; a market request's outcome is awaited after the lock is released. */
  async #step(act: (now: number) => Step): Promise<PaperOrderResult> {
    const replay = this.#o.replay;
    const step = await replay.exclusive(async () => {
      await replay.catchUp();
      const taken = act(replay.now);
      if ("wait" in taken && !replay.playing) await this.#driveToSettlement(replay);
      return taken;
    });
    return "result" in step ? step.result : step.wait;
  }

  /** As fast as possible, the replay runs on until every request in flight has settled. */
  async #driveToSettlement(replay: PaperReplay): Promise<void> {
    try {
      await replay.driveWhile(() => this.#waiters.size > 0);
    } catch (err) {
      this.#o.logger?.error({ err }, "paper replay failed while an order was in flight");
      this.#o.matcher.abandon("TRD_ERR_BROKER_BUSY", (err as Error).message, replay.now);
    }
  }

  /** Sends a market request with a freshly drawn latency; it fills on the first quote at or after now + latency. */
  #dispatch(partial: Dispatch): Promise<PaperOrderResult> {
    const now = this.#o.replay.now;
    const latencyMs = this.#o.latency.draw();
    const request = { ...partial, orderId: this.#o.ledger.nextId(), requestedAt: now, dueAt: now + latencyMs, latencyMs } as InflightRequest;
    const settled = new Promise<PaperOrderResult>((resolve) => this.#waiters.set(request.clientOrderId, resolve));
    this.#o.matcher.inflight.push(request);
    return settled;
  }

  #place(req: PaperSubmitOrderRequest, now: number): PaperOrderAccepted {
    const order: WorkingOrder = {
      id: this.#o.ledger.nextId(),
      symbol: req.symbol,
      side: req.side,
      type: req.type as WorkingOrder["type"],
      volume: req.volume,
      price: req.price!,
      ...(req.type === "STOP_LIMIT" ? { stopLimitPrice: req.stopLimitPrice! } : {}),
      ...(req.stopLoss ? { stopLoss: req.stopLoss } : {}),
      ...(req.takeProfit ? { takeProfit: req.takeProfit } : {}),
      createdAt: now,
      ...(req.expiresAt === undefined ? {} : { expiresAt: req.expiresAt }),
      clientOrderId: req.clientOrderId,
      ...(req.comment ? { comment: req.comment } : {}),
      trigger: req.price!.toNumber(),
    };
    this.#o.ledger.placeOrder(order, now);
    this.#o.matcher.orderPlaced(order);
    const result: PaperOrderAccepted = { status: "placed", clientOrderId: req.clientOrderId, orderId: order.id, requestedAt: now, respondedAt: now };
    this.results.set(req.clientOrderId, result);
    return result;
  }

  /** Modify and cancel act at once, at venue time; a refusal becomes a rejection value. */
  #change(apply: (now: number) => Refusal | undefined): Promise<ChangeResult> {
    const replay = this.#o.replay;
    return replay.exclusive(async () => {
      await replay.catchUp();
      const now = replay.now;
      const refusal = apply(now);
      return refusal ? rejection(refusal.code, refusal.message, { requestedAt: now, respondedAt: now }) : { status: "done", requestedAt: now, respondedAt: now };
    });
  }
}

function refused(clientOrderId: string, refusal: Refusal, now: number): PaperOrderResult {
  return { ...rejection(refusal.code, refusal.message, { requestedAt: now, respondedAt: now }), clientOrderId };
}

/** A protective level after a change: undefined keeps the current one, null removes it. */
function level<T>(change: T | null | undefined, current: T | undefined): T | undefined {
  return change === undefined ? current : (change ?? undefined);
}
