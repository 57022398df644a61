import type { Clock, Decimal, Logger } from "../../core/index.ts";
import {
  brokerError,
  delay,
  isBrokerError,
  rejection,
  withTimeout,
  type BrokerDeal,
  type BrokerErrorCode,
  type OrderAccepted,
  type OrderResult,
  type SubmitOrderRequest,
  type Timers,
} from "../broker/index.ts";
import type { MetatraderTradeResponse } from "./metaapi-client.ts";
import { mapMetaapiError, toBrokerError } from "./metaapi-errors.ts";
import type { MetaapiEventBridge } from "./metaapi-event-bridge.ts";
import type { MetaapiRawClient } from "./metaapi-raw-client.ts";
import type { MetaapiSettings } from "./metaapi.config.ts";
import { parseDeal } from "./parse-deal.ts";
import { parseOrder } from "./parse-order.ts";
import { parsePosition } from "./parse-position.ts";
import { parseTradeResponse, type TradeAnswer } from "./parse-trade-response.ts";

/** MetaTrader keeps clientId + comment intact up to 26 characters on deals (https://metaapi.cloud/docs/client/clientIdUsage/). */
export const METAAPI_CLIENT_ID_BUDGET = 26;
/** Broker clocks and ours differ; history searches start this much before our request time. */
const CLOCK_SKEW_MS = 5 * 60_000;
const REMEMBERED = 10_000;

type Located = { kind: "found"; result: OrderAccepted } | { kind: "absent" } | { kind: "unknown"; reason: string };

type Action = "open" | "close";

interface Memory {
  /** Which request used the id: an id is one request, so an open's id reused for a close is refused. */
  action: Action;
  inflight?: Promise<OrderResult>;
  result?: OrderAccepted;
  /** Request time of an attempt whose outcome is still unknown: the next call looks it up before sending. */
  unresolvedSince?: number;
}

/** The submitter's collaborators; the adapter wires them. */
export interface SubmitterDeps {
  raw: MetaapiRawClient;
  bridge: MetaapiEventBridge;
  clock: Clock;
  timers: Timers;
  settings: Pick<MetaapiSettings, "requestTimeoutMs" | "lookupDelayMs" | "submitMaxAttempts" | "fillWaitMs">;
  /** Throws TRD_ERR_NOT_CONNECTED unless the link is up; called before anything is sent. */
  ensureConnected(): void;
  logger?: Logger;
}

/**
 * Sends orders and closes so that none executes twice. A call that fails ambiguously (timeout, lost link,
 * MetaApi's "unknown" codes) is never simply retried: after `lookupDelayMs` the order is looked up by client id
 * in positions, working orders and deal history, and resent only when that proves it absent. Results are
 * remembered per client id, so a repeated call returns the first outcome.
 */
export class MetaapiOrderSubmitter {
  readonly #memory = new Map<string, Memory>();

  constructor(private readonly d: SubmitterDeps) {}

  submit(req: SubmitOrderRequest): Promise<OrderResult> {
    return this.#idempotent("open", req.clientOrderId, async (unresolvedSince) => {
      const requestedAt = this.d.clock.now();
      const invalid = this.#validate(req);
      if (invalid) return this.#reject(req.clientOrderId, invalid[0], invalid[1], requestedAt);
      const locate = (since: number) => this.#locateOpen(req.clientOrderId, since);
      const known = await this.#lookupFirst("open", req.clientOrderId, unresolvedSince, locate);
      if (known) return known;
      const options = this.#tradeOptions(req.clientOrderId, req.comment, req.slippagePoints);
      return this.#send(req.clientOrderId, requestedAt, () => this.#dispatch(req, options), locate, async (answer, respondedAt) => {
        const base = { clientOrderId: req.clientOrderId, requestedAt, respondedAt, brokerCode: answer.brokerCode, message: answer.message };
        const ids = { ...(answer.orderId ? { orderId: answer.orderId } : {}), ...(answer.positionId ? { positionId: answer.positionId } : {}) };
        if (answer.placed || req.type !== "MARKET") return { status: "placed", ...base, ...ids };
        const deal = answer.orderId ? await this.#fillDeal(answer.orderId, requestedAt) : undefined;
        return { status: "filled", ...base, ...ids, ...fill(deal) };
      });
    });
  }

  close(positionId: string, volume: Decimal | undefined, clientOrderId: string): Promise<OrderResult> {
    return this.#idempotent("close", clientOrderId, async (unresolvedSince) => {
      const requestedAt = this.d.clock.now();
      if (volume !== undefined && !(volume.isFinite() && volume.gt(0))) {
        return this.#reject(clientOrderId, "TRD_ERR_INVALID_VOLUME", "close volume must be positive", requestedAt);
      }
      const badId = clientIdProblem(clientOrderId);
      if (badId) return this.#reject(clientOrderId, "TRD_ERR_INVALID_REQUEST", badId, requestedAt);
      const before = this.d.bridge.position(positionId)?.volume;
      const locate = (since: number) => this.#locateClose(positionId, clientOrderId, volume, before, since);
      const known = await this.#lookupFirst("close", clientOrderId, unresolvedSince, locate);
      if (known) return known;
      const options = this.#tradeOptions(clientOrderId, undefined, undefined);
      const call = () =>
        volume === undefined ? this.d.raw.closePosition(positionId, options) : this.d.raw.closePositionPartially(positionId, volume.toNumber(), options);
      return this.#send(clientOrderId, requestedAt, call, locate, async (answer, respondedAt) => {
        const deal = answer.orderId ? await this.#fillDeal(answer.orderId, requestedAt) : undefined;
        const ids = { positionId, ...(answer.orderId ? { orderId: answer.orderId } : {}) };
        return { status: "filled", clientOrderId, requestedAt, respondedAt, brokerCode: answer.brokerCode, message: answer.message, ...ids, ...fill(deal) };
      });
    });
  }

  #idempotent(action: Action, clientOrderId: string, run: (unresolvedSince: number | undefined) => Promise<OrderResult>): Promise<OrderResult> {
    const memory = this.#memory.get(clientOrderId);
    if (memory && memory.action !== action) {
      const now = this.d.clock.now();
      return Promise.resolve(this.#reject(clientOrderId, "TRD_ERR_INVALID_REQUEST", `clientOrderId ${clientOrderId} was already used to ${memory.action} a position`, now));
    }
    if (memory?.inflight) return memory.inflight;
    if (memory?.result) return Promise.resolve({ ...memory.result, duplicate: true });
    const unresolvedSince = memory?.unresolvedSince;
    const inflight = run(unresolvedSince).then(
      (result) => {
        if (result.status === "rejected") this.#memory.delete(clientOrderId);
        else this.#remember(clientOrderId, { action, result });
        return result;
      },
      (err: unknown) => {
        const since = isBrokerError(err) && err.code === "TRD_ERR_OUTCOME_UNKNOWN" ? (err.details?.since as number) : undefined;
        const stillUnknown = unresolvedSince ?? since;
        if (stillUnknown === undefined) this.#memory.delete(clientOrderId);
        else this.#remember(clientOrderId, { action, unresolvedSince: stillUnknown });
        throw err;
      },
    );
    this.#remember(clientOrderId, { action, inflight, ...(unresolvedSince === undefined ? {} : { unresolvedSince }) });
    return inflight;
  }

  /** Before sending: what this process already saw for the id, and for an earlier unknown outcome a full lookup. */
  async #lookupFirst(action: Action, clientOrderId: string, unresolvedSince: number | undefined, locate: (since: number) => Promise<Located>): Promise<OrderAccepted | undefined> {
    const local = this.d.bridge.findByClientId(clientOrderId);
    const now = this.d.clock.now();
    const timing = { clientOrderId, requestedAt: now, respondedAt: now, recovered: true as const };
    if (action === "open" && local.position) return { status: "filled", ...timing, positionId: local.position.id, ...fromPosition(local.position) };
    if (action === "open" && local.order) return { status: "placed", ...timing, orderId: local.order.id };
    const opened = local.deals.find((d) => d.kind === "trade" && matchesAction(d, action));
    if (opened) return { status: "filled", ...timing, ...fill(opened) };
    if (unresolvedSince === undefined) return undefined;
    this.d.ensureConnected();
    const located = await locate(unresolvedSince).catch((err: unknown) => ({ kind: "unknown" as const, reason: messageOf(err) }));
    if (located.kind === "found") return located.result;
    if (located.kind === "unknown") throw outcomeUnknown(clientOrderId, unresolvedSince, located.reason);
    return undefined;
  }

  async #send(
    clientOrderId: string,
    requestedAt: number,
    call: () => Promise<MetatraderTradeResponse>,
    locate: (since: number) => Promise<Located>,
    accept: (answer: TradeAnswer, respondedAt: number) => Promise<OrderAccepted>,
  ): Promise<OrderResult> {
    const { requestTimeoutMs, submitMaxAttempts, lookupDelayMs } = this.d.settings;
    for (let attempt = 1; ; attempt++) {
      this.d.ensureConnected();
      let response: MetatraderTradeResponse;
      try {
        response = await withTimeout(call(), requestTimeoutMs, this.d.timers, () =>
          brokerError("TRD_ERR_TIMEOUT", `MetaApi gave no answer within ${requestTimeoutMs} ms`, { venue: "metaapi" }),
        );
      } catch (err) {
        const mapped = mapMetaapiError(err, { now: this.d.clock.now() });
        if (mapped.refused) return this.#reject(clientOrderId, mapped.code, mapped.message, requestedAt, mapped.brokerCode);
        if (!mapped.ambiguous) throw toBrokerError(mapped, err, { clientOrderId });
        this.d.logger?.warn({ clientOrderId, attempt, code: mapped.code, brokerCode: mapped.brokerCode }, "ambiguous trade failure; looking the order up by client id");
        await delay(this.d.timers, lookupDelayMs);
        const located = await locate(requestedAt).catch((e: unknown) => ({ kind: "unknown" as const, reason: messageOf(e) }));
        if (located.kind === "found") return located.result;
        if (located.kind === "unknown") throw outcomeUnknown(clientOrderId, requestedAt, located.reason, err);
        if (attempt >= submitMaxAttempts) {
          throw brokerError("TRD_ERR_TIMEOUT", `not executed after ${attempt} attempt(s) (lookup proved it absent); retry with the same client order id`, {
            venue: "metaapi",
            clientOrderId,
            attempts: attempt,
            ...(mapped.brokerCode ? { brokerCode: mapped.brokerCode } : {}),
          }, err);
        }
        continue;
      }
      return accept(parseTradeResponse(response), this.d.clock.now());
    }
  }

  /** Where an opening order with this client id went: an open position, a working order, or a fill in history. */
  async #locateOpen(clientOrderId: string, since: number): Promise<Located> {
    const now = this.d.clock.now();
    const timing = { clientOrderId, requestedAt: since, respondedAt: now, recovered: true as const };
    const [positions, orders] = await Promise.all([this.d.raw.getPositions(), this.d.raw.getOrders()]);
    const position = positions.map(parsePosition).find((p) => p.clientOrderId === clientOrderId);
    if (position) return { kind: "found", result: { status: "filled", ...timing, positionId: position.id, ...fromPosition(position) } };
    const order = orders.map(parseOrder).find((o) => o?.clientOrderId === clientOrderId);
    if (order) return { kind: "found", result: { status: "placed", ...timing, orderId: order.id } };
    const history = await this.#dealsSince(since);
    const deal = history.deals.find((d) => d.clientOrderId === clientOrderId && d.kind === "trade" && matchesAction(d, "open"));
    if (deal) return { kind: "found", result: { status: "filled", ...timing, ...fill(deal) } };
    return history.synchronizing ? { kind: "unknown", reason: "deal history is still synchronising" } : { kind: "absent" };
  }

  /** Whether a close with this client id happened: its deal, or the position gone or reduced by the volume. */
  async #locateClose(positionId: string, clientOrderId: string, volume: Decimal | undefined, before: Decimal | undefined, since: number): Promise<Located> {
    const timing = { clientOrderId, positionId, requestedAt: since, respondedAt: this.d.clock.now(), recovered: true as const };
    const history = await this.#dealsSince(since);
    const deal = history.deals.find((d) => d.clientOrderId === clientOrderId && d.kind === "trade" && matchesAction(d, "close"));
    if (deal) return { kind: "found", result: { status: "filled", ...timing, ...fill(deal) } };
    const current = (await this.d.raw.getPositions()).map(parsePosition).find((p) => p.id === positionId);
    if (!current) return { kind: "found", result: { status: "filled", ...timing, message: "position is no longer open" } };
    if (volume && !before) return { kind: "unknown", reason: "the position's volume before the partial close is not known" };
    if (volume && before && current.volume.lte(before.minus(volume))) {
      return { kind: "found", result: { status: "filled", ...timing, message: "position volume already reduced" } };
    }
    return history.synchronizing ? { kind: "unknown", reason: "deal history is still synchronising" } : { kind: "absent" };
  }

  async #dealsSince(since: number): Promise<{ deals: BrokerDeal[]; synchronizing: boolean }> {
    const now = this.d.clock.now();
    const page = await this.d.raw.getDealsByTimeRange(new Date(since - CLOCK_SKEW_MS), new Date(now + CLOCK_SKEW_MS));
    return { deals: page.deals.map(parseDeal), synchronizing: page.synchronizing };
  }

  /** The fill's deal: from the stream when it arrives in time, else from deal history; undefined when neither has it. */
  async #fillDeal(orderId: string, requestedAt: number): Promise<BrokerDeal | undefined> {
    const match = (d: BrokerDeal) => d.orderId === orderId && d.kind === "trade";
    const streamed = await this.d.bridge.waitForDeal(match, this.d.settings.fillWaitMs, this.d.timers);
    if (streamed) return streamed;
    try {
      return (await this.#dealsSince(requestedAt)).deals.find(match);
    } catch {
      return undefined;
    }
  }

  #dispatch(req: SubmitOrderRequest, options: { clientId: string; comment?: string; slippage?: number }): Promise<MetatraderTradeResponse> {
    const r = this.d.raw;
    const volume = req.volume.toNumber();
    const sl = req.stopLoss?.toNumber();
    const tp = req.takeProfit?.toNumber();
    const price = req.price?.toNumber() ?? 0;
    const buy = req.side === "BUY";
    switch (req.type) {
      case "MARKET":
        return buy ? r.createMarketBuyOrder(req.symbol, volume, sl, tp, options) : r.createMarketSellOrder(req.symbol, volume, sl, tp, options);
      case "LIMIT":
        return buy ? r.createLimitBuyOrder(req.symbol, volume, price, sl, tp, options) : r.createLimitSellOrder(req.symbol, volume, price, sl, tp, options);
      case "STOP":
        return buy ? r.createStopBuyOrder(req.symbol, volume, price, sl, tp, options) : r.createStopSellOrder(req.symbol, volume, price, sl, tp, options);
      case "STOP_LIMIT": {
        const limit = req.stopLimitPrice?.toNumber() ?? 0;
        return buy
          ? r.createStopLimitBuyOrder(req.symbol, volume, price, limit, sl, tp, options)
          : r.createStopLimitSellOrder(req.symbol, volume, price, limit, sl, tp, options);
      }
    }
  }

  /** clientId plus the comment cut to what is left of MetaTrader's 26-character budget. */
  #tradeOptions(clientId: string, comment: string | undefined, slippage: number | undefined): { clientId: string; comment?: string; slippage?: number } {
    const room = METAAPI_CLIENT_ID_BUDGET - clientId.length;
    const cut = comment && room > 0 ? comment.slice(0, room) : undefined;
    return { clientId, ...(cut ? { comment: cut } : {}), ...(slippage !== undefined ? { slippage } : {}) };
  }

  #validate(req: SubmitOrderRequest): [BrokerErrorCode, string] | undefined {
    const badId = clientIdProblem(req.clientOrderId);
    if (badId) return ["TRD_ERR_INVALID_REQUEST", badId];
    if (!(req.volume.isFinite() && req.volume.gt(0))) return ["TRD_ERR_INVALID_VOLUME", "volume must be positive"];
    if (req.type !== "MARKET" && !(req.price && req.price.gt(0))) return ["TRD_ERR_INVALID_PRICE", `${req.type} orders need a positive price`];
    if (req.type === "STOP_LIMIT" && !(req.stopLimitPrice && req.stopLimitPrice.gt(0))) return ["TRD_ERR_INVALID_PRICE", "STOP_LIMIT orders need a stopLimitPrice"];
    if ((req.stopLoss && !req.stopLoss.gt(0)) || (req.takeProfit && !req.takeProfit.gt(0))) return ["TRD_ERR_INVALID_STOPS", "stop loss and take profit must be positive"];
    return undefined;
  }

  #reject(clientOrderId: string, code: BrokerErrorCode, message: string, requestedAt: number, brokerCode?: string): OrderResult {
    return { ...rejection(code, message, { requestedAt, respondedAt: this.d.clock.now() }, brokerCode), clientOrderId };
  }

  #remember(clientOrderId: string, memory: Memory): void {
    this.#memory.delete(clientOrderId);
    this.#memory.set(clientOrderId, memory);
    if (this.#memory.size > REMEMBERED) this.#memory.delete(this.#memory.keys().next().value!);
  }
}

function clientIdProblem(id: string): string | undefined {
  return id.length === 0 || id.length > METAAPI_CLIENT_ID_BUDGET ? `clientOrderId must be 1–${METAAPI_CLIENT_ID_BUDGET} characters` : undefined;
}

/** An opening request shows as an `in` deal, a close as `out`; a reversal (`inout`) counts for both. */
function matchesAction(deal: BrokerDeal, action: Action): boolean {
  return deal.entry === "inout" || deal.entry === undefined || (action === "open" ? deal.entry === "in" : deal.entry === "out");
}

/** What a fill's deal tells the caller: ids, price, volume and time. */
function fill(deal: BrokerDeal | undefined): Partial<OrderAccepted> {
  if (!deal) return {};
  return {
    dealId: deal.id,
    ...(deal.orderId ? { orderId: deal.orderId } : {}),
    ...(deal.positionId ? { positionId: deal.positionId } : {}),
    ...(deal.price ? { fillPrice: deal.price } : {}),
    ...(deal.volume ? { fillVolume: deal.volume } : {}),
    fillTime: deal.time,
  };
}

function fromPosition(p: { openPrice: Decimal; volume: Decimal; openTime: number }): Partial<OrderAccepted> {
  return { fillPrice: p.openPrice, fillVolume: p.volume, fillTime: p.openTime };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function outcomeUnknown(clientOrderId: string, since: number, reason: string, cause?: unknown) {
  return brokerError(
    "TRD_ERR_OUTCOME_UNKNOWN",
    `outcome of ${clientOrderId} is unknown (${reason}); it will be looked up before any resend with the same client order id`,
    { venue: "metaapi", clientOrderId, since },
    cause,
  );
}
