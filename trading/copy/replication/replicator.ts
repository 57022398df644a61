import { dec, floorToStep, newTimeOrderedId, type Decimal, type Logger, type Side, type TradeIntent } from "../../../core/index.ts";
import type { Order, Position, PrismaClient } from "../../../prisma/index.ts";
import type { MarketFacts, SrmService } from "../../../srm/index.ts";
import type { ExecuteOptions, TradingService } from "../../execution/index.ts";
import { sessionMarketFacts, slippagePips, type BrokerSession } from "../../sessions/index.ts";
import { copyDedupKey, eventIds, OPENING_KINDS } from "../master-signal.ts";
import type { CopyConfig } from "../copy.config.ts";
import { combineSettings } from "../rules/combine-settings.ts";
import { parseCopySettings } from "../rules/copy-settings.ts";
import { sizeCopy } from "../rules/lot-scaling.ts";
import { deviation, planModification, routeOpen, staleness } from "../rules/plan-copy.ts";
import { combinedResult, decisionReasons, errorResult, failedExecution, markAnswered, markSent, skipped, timingOf, type CopyContext, type CopyResult } from "./copy-context.ts";
import type { AttemptInfo, CopyTask } from "./copy-job.ts";
import type { CopyRecorder } from "./copy-recorder.ts";
import { linkSnapshots, type LinkSnapshot, type SlaveSnapshot } from "./link-snapshot.ts";
import { copyExitKey, type SlaveTargets } from "./slave-targets.ts";

export interface ReplicatorDeps {
  prisma: PrismaClient;
  trading: Pick<TradingService, "sessions" | "execution">;
  srm: Pick<SrmService, "decide">;
  recorder: CopyRecorder;
  targets: SlaveTargets;
  config: CopyConfig;
  logger: Logger;
}

const STATUS_SKIP = {
  PAUSED: { code: "COPY_LINK_PAUSED", text: "the copy link is paused" },
  CLOSE_ONLY: { code: "COPY_LINK_CLOSE_ONLY", text: "the copy link is winding down (close-only): new trades are not copied" },
  STOPPED_BY_RISK: { code: "COPY_LINK_STOPPED_BY_RISK", text: "the slave account was halted by risk protection: new trades are not copied" },
} as const;

const exitSide = (side: Side): Side => (side === "BUY" ? "SELL" : "BUY");

/**
 * Copies one master signal to one link's slave: plans it by the combined rules, asks SRM (source COPY), sends
 * an approval through the execution service and logs a CopyEvent with the latency split and slippage. Opens
 * (market or pending) follow the link only while it is ACTIVE; closes, partial closes (the same share of the
 * slave's position), modifications and cancellations follow unless it is PAUSED. Everything is keyed by
 * `copy:<master>:<event>:<slave>`, so a replayed task finds what the first attempt did instead of redoing it.
 */
export class Replicator {
  constructor(private readonly d: ReplicatorDeps) {}

  /**
   * Copies one signal to one link's slave: on `link` (with its slave's account) when the caller has it, else on
   * the link read now. Null when the link is gone.
   */
  async copy(task: CopyTask, attempt: AttemptInfo, given?: LinkSnapshot): Promise<CopyResult | null> {
    const startedAt = Date.now();
    const link = given ?? (await linkSnapshots(this.d.prisma, { id: task.linkId }))[0];
    if (!link) return null;
    const ctx: CopyContext = { task, link, slave: undefined, startedAt, abort: attempt.signal, onSent: undefined, settings: combineSettings(link.providerSettings, parseCopySettings(link.rules), this.d.config.signalTtlSeconds) };
    ctx.onSent = markSent(ctx, attempt.onSent);
    let result: CopyResult;
    try {
      result = await this.#route(ctx);
    } catch (err) {
      if (attempt.signal?.aborted) throw err;
      result = errorResult(err, this.d.logger, ctx);
    }
    attempt.signal?.throwIfAborted();
    if (task.repair && (result.status === "COPIED" || result.status === "ADJUSTED")) result = { ...result, status: "REPAIRED" };
    await this.d.recorder.record({
      linkId: link.id,
      slaveAccountId: link.slaveAccountId,
      userId: link.slave.userId,
      eventId: task.signal.eventId,
      intentId: result.intentId ?? null,
      status: result.status,
      reasons: result.reasons,
      timing: timingOf(ctx),
      slippagePips: result.slippagePips ?? null,
      detail: { masterAccountId: link.masterAccountId, kind: task.signal.kind, masterPositionId: task.signal.masterPositionId ?? null, ...result.detail },
    });
    if (result.retry !== undefined && !attempt.last) throw result.retry;
    return result;
  }

  #route(ctx: CopyContext): Promise<CopyResult> {
    const { kind } = ctx.task.signal;
    const status = ctx.link.status;
    if (status === "PAUSED" || (OPENING_KINDS.has(kind) && status !== "ACTIVE")) return Promise.resolve(skipped(STATUS_SKIP[status as keyof typeof STATUS_SKIP]));
    if (OPENING_KINDS.has(kind)) return this.#open(ctx);
    if (kind === "CLOSE" || kind === "CLOSE_PARTIAL") return this.#close(ctx);
    if (kind === "ORDER_CANCELLED") return this.#cancel(ctx, ctx.task.signal.eventId);
    return this.#modify(ctx);
  }

  async #open(ctx: CopyContext): Promise<CopyResult> {
    const { signal } = ctx.task;
    const s = ctx.settings;
    const routed = routeOpen(signal, s);
    if (!routed.route) return skipped(routed.skip);
    const route = routed.route;
    if (signal.kind === "INCREASE" && !(signal.masterPositionId && (await this.d.targets.copyOf(ctx.link, signal.masterPositionId)))) {
      return skipped({ code: "COPY_NOTHING_TO_INCREASE", text: "the slave holds no open copy of this master position to add to" });
    }
    const session = await this.d.trading.sessions.get(ctx.link.slaveAccountId);
    if (signal.masterOrderId && signal.kind === "OPEN") {
      const followed = await this.#pendingCopyFilled(ctx, session, signal.masterOrderId);
      if (followed) return followed;
    }
    const facts = await sessionMarketFacts(session, route.symbol);
    const stale = staleness(signal, s, facts.at ?? session.now());
    if (stale) return skipped(stale);
    const masterPrice = !route.pending && signal.price ? dec(signal.price) : undefined;
    const moved = route.pending ? undefined : deviation(route.side, masterPrice, facts.quote, facts.spec.pipSize, s);
    if (moved) return skipped(moved);
    const entry = route.pending?.price.toNumber() ?? (facts.quote ? (route.side === "BUY" ? facts.quote.ask : facts.quote.bid) : masterPrice?.toNumber());
    if (entry === undefined) return skipped({ code: "COPY_NO_PRICE", text: `the slave's broker has no quote for ${route.symbol}` });
    const m = signal.master ?? ctx.link.master;
    const slave = this.#slave(ctx, session);
    const sized = sizeCopy(
      {
        masterLot: dec(signal.volume),
        master: { balance: dec(m.balance), equity: dec(m.equity) },
        slave: { balance: dec(slave.balance), equity: dec(slave.equity) },
        spec: facts.spec,
        entryPrice: entry,
        stopLoss: route.stopLoss,
        quoteToAccountRate: facts.quoteToAccountRate,
      },
      s,
    );
    if (!sized.lot) return skipped(sized.skip);
    const intent = this.#intent(ctx, copyDedupKey(signal.masterAccountId, signal.eventId, ctx.link.slaveAccountId), {
      symbol: facts.spec.symbol,
      side: route.side,
      kind: "OPEN",
      volume: sized.lot,
      price: masterPrice,
      stopLoss: route.stopLoss,
      takeProfit: route.takeProfit,
    });
    const pending = route.pending ? { type: route.pending.type, price: route.pending.price, ...(route.pending.stopLimitPrice ? { stopLimitPrice: route.pending.stopLimitPrice } : {}) } : undefined;
    const done = await this.#decideAndExecute(ctx, session, intent, facts, pending ? { pending } : {}, sized.adjustments);
    if (done.status !== "COPIED") return done;
    const e = done.execution!;
    if (e.positionId && signal.masterPositionId && !(done.position?.copyLinkId && done.position.masterPositionId)) await this.#linkPosition(e.positionId, ctx, signal.masterPositionId);
    const lot = e.volume ? dec(e.volume.toString()) : sized.lot;
    const adjusted = sized.adjustments.length > 0 || !lot.eq(sized.lot);
    const slip = masterPrice && e.filledPrice ? slippagePips(route.side, masterPrice, dec(e.filledPrice.toString()), facts.spec.pipSize) : null;
    return { ...done, status: adjusted ? "ADJUSTED" : "COPIED", slippagePips: slip, detail: { ...done.detail, requestedLot: sized.lot.toString() } };
  }

  /** Closes (or partially closes) every open copy of the master position, one after another. */
  async #close(ctx: CopyContext): Promise<CopyResult> {
    const { signal } = ctx.task;
    const copies = signal.masterPositionId ? await this.d.targets.copiesOf(ctx.link, signal.masterPositionId) : null;
    if (!copies?.open.length) return skipped({ code: "COPY_NOTHING_TO_CLOSE", text: "the slave holds no open copy of this master position" });
    const base = copyDedupKey(signal.masterAccountId, signal.eventId, ctx.link.slaveAccountId);
    const results: CopyResult[] = [];
    for (const position of copies.open) results.push(await this.#closeOne(ctx, position, copyExitKey(base, position, copies.first)));
    return combinedResult(results);
  }

  async #closeOne(ctx: CopyContext, position: Position, base: string): Promise<CopyResult> {
    const { signal } = ctx.task;
    const session = await this.d.trading.sessions.get(ctx.link.slaveAccountId);
    const facts = await sessionMarketFacts(session, position.symbol);
    const open = dec(position.volume.toString());
    // A position that also holds other copies (a netting slave) gives up only this master position's lots; a
    // hedging account holds one copy per position, so its share is not counted. Where the mode is the account's
    // (MT5), the one its broker last reported is used; unknown yet, the share is counted.
    const venue = session.port.capabilities.hedging;
    const hedges = venue === "account" ? this.#slave(ctx, session).hedging : venue;
    const mine = hedges === true ? null : await this.d.targets.shareOf(ctx.link, signal.masterPositionId!, position);
    const ours = mine && mine.lt(open) ? floorToStep(mine, facts.spec.volumeStep) : open;
    if (ours.isZero()) return skipped({ code: "COPY_NOTHING_TO_CLOSE", text: "this master position's share of the slave's netted position is already closed" });
    const closing = signal.kind === "CLOSE_PARTIAL" ? floorToStep(ours.mul(signal.closedShare ?? "1"), facts.spec.volumeStep) : ours;
    if (closing.lt(facts.spec.minVolume)) {
      const what = signal.kind === "CLOSE_PARTIAL" ? `${signal.closedShare} of ${ours.toString()} lots` : `this master position's share of ${ours.toString()} lots`;
      return skipped({ code: "COPY_PARTIAL_BELOW_MINIMUM", text: `${what} is below the broker's minimum of ${facts.spec.minVolume.toString()}` });
    }
    // What would stay open below the broker's minimum goes too.
    const whole = open.minus(closing).lt(facts.spec.minVolume);
    const kind: "CLOSE" | "CLOSE_PARTIAL" = whole ? "CLOSE" : "CLOSE_PARTIAL";
    const volume = whole ? open : closing;
    const key = await this.d.targets.exitKey(session, base, kind);
    if (key.done) return { status: "COPIED", reasons: [{ code: "COPY_ALREADY_DONE", text: "this exit was already carried out" }], execution: key.done, intentId: key.done.intentId ?? undefined, detail: { slavePositionId: position.id } };
    const masterPrice = signal.price ? dec(signal.price) : undefined;
    const intent = this.#intent(ctx, key.key, { symbol: position.symbol, side: position.side, kind, volume, price: masterPrice, positionId: position.id });
    const done = await this.#decideAndExecute(ctx, session, intent, facts, { closeReason: "COPY" }, []);
    const e = done.execution;
    const slip = done.status === "COPIED" && masterPrice && e?.filledPrice ? slippagePips(exitSide(position.side), masterPrice, dec(e.filledPrice.toString()), facts.spec.pipSize) : null;
    return { ...done, slippagePips: slip, detail: { ...done.detail, slavePositionId: position.id } };
  }

  /** Moves a working order copy, or the levels of every open copy of the master position. */
  async #modify(ctx: CopyContext): Promise<CopyResult> {
    const { signal } = ctx.task;
    const nothing = { code: "COPY_NOTHING_TO_MODIFY", text: "the slave holds no copy to modify" };
    const base = copyDedupKey(signal.masterAccountId, signal.eventId, ctx.link.slaveAccountId);
    if (signal.kind === "ORDER_MODIFIED") {
      const order = await this.#workingOrderCopy(ctx, signal.masterOrderId);
      return order ? this.#modifyOne(ctx, order, base) : skipped(nothing);
    }
    const copies = signal.masterPositionId ? await this.d.targets.copiesOf(ctx.link, signal.masterPositionId) : null;
    if (!copies?.open.length) return skipped(nothing);
    const results: CopyResult[] = [];
    for (const position of copies.open) results.push(await this.#modifyOne(ctx, position, copyExitKey(base, position, copies.first)));
    return combinedResult(results);
  }

  async #modifyOne(ctx: CopyContext, target: Position | Order, base: string): Promise<CopyResult> {
    const { signal } = ctx.task;
    const change = planModification(signal, ctx.settings, {
      hasStopLoss: target.stopLoss !== null,
      hasTakeProfit: target.takeProfit !== null,
      price: "side" in target ? undefined : dec(target.openPrice.toString()),
    });
    if (!change) return skipped({ code: "COPY_NOTHING_TO_MODIFY", text: "the rules copy none of the master's changes" });
    const session = await this.d.trading.sessions.get(ctx.link.slaveAccountId);
    const facts = await sessionMarketFacts(session, target.symbol);
    const key = await this.d.targets.exitKey(session, base, "MODIFY");
    if (key.done) return { status: "COPIED", reasons: [{ code: "COPY_ALREADY_DONE", text: "this modification was already carried out" }], execution: key.done };
    const side = "side" in target ? target.side : target.type.startsWith("BUY") ? "BUY" : "SELL";
    const intent = this.#intent(ctx, key.key, { symbol: target.symbol, side, kind: "MODIFY", volume: dec(target.volume.toString()), price: change.price, stopLoss: change.stopLoss, takeProfit: change.takeProfit, positionId: target.id });
    if (change.removeLevels.length > 0) intent.removeLevels = change.removeLevels;
    return this.#decideAndExecute(ctx, session, intent, facts, {}, []);
  }

  /** Cancels the slave's working copy of a master pending order (under the given event's key). */
  async #cancel(ctx: CopyContext, eventId: string): Promise<CopyResult> {
    const order = await this.#workingOrderCopy(ctx, ctx.task.signal.masterOrderId);
    if (!order) return skipped({ code: "COPY_NOTHING_TO_CANCEL", text: "the slave holds no working copy of this order" });
    const session = await this.d.trading.sessions.get(ctx.link.slaveAccountId);
    const facts = await sessionMarketFacts(session, order.symbol);
    const key = await this.d.targets.exitKey(session, copyDedupKey(ctx.task.signal.masterAccountId, eventId, ctx.link.slaveAccountId), "CLOSE");
    if (key.done) return { status: "COPIED", reasons: [{ code: "COPY_ALREADY_DONE", text: "the order copy was already cancelled" }], execution: key.done };
    const side = order.type.startsWith("BUY") ? "BUY" : "SELL";
    const intent = this.#intent(ctx, key.key, { symbol: order.symbol, side, kind: "CLOSE", volume: dec(order.volume.toString()), positionId: order.id });
    return this.#decideAndExecute(ctx, session, intent, facts, {}, []);
  }

  /**
   * A master position opened by one of its pending orders: when the slave's copy of that order has filled too,
   * its position is the copy; when it still works it is cancelled and the open is copied at market, following
   * the master. Undefined means "copy at market".
   */
  async #pendingCopyFilled(ctx: CopyContext, session: BrokerSession, masterOrderId: string): Promise<CopyResult | undefined> {
    const findFilled = async () => {
      await session.idle();
      return this.d.targets.positionOfOrder(ctx.link, masterOrderId);
    };
    let position = await this.d.targets.positionOfOrder(ctx.link, masterOrderId);
    if (!position && (await this.#workingOrderCopy(ctx, masterOrderId))) {
      const cancelled = await this.#cancel(ctx, `${eventIds.orderCancel(masterOrderId)}.triggered`);
      if (cancelled.status === "FAILED") position = await findFilled();
    }
    if (!position) return undefined;
    await this.#linkPosition(position.id, ctx, ctx.task.signal.masterPositionId!);
    return { status: "COPIED", reasons: [{ code: "COPY_PENDING_FILLED_AT_SLAVE", text: "the slave's copy of the pending order filled at its own broker" }], detail: { slavePositionId: position.id } };
  }

  async #workingOrderCopy(ctx: CopyContext, masterOrderId: string | undefined): Promise<Order | null> {
    if (!masterOrderId) return null;
    const order = await this.d.targets.orderCopyOf(ctx.link, masterOrderId);
    return order?.state === "PLACED" ? order : null;
  }

  /**
   * The slave's account as this copy decides on it: its risk state and day-start balance as the link was read,
   * its money and hedging mode from its live session (reported by its venue, so never older than the stored
   * row), and a high-water mark no lower than that equity (the one read may lag: it is not versioned).
   */
  #slave(ctx: CopyContext, session: BrokerSession): SlaveSnapshot {
    if (ctx.slave) return ctx.slave;
    const s = ctx.link.slave;
    const m = session.money;
    if (!m) return (ctx.slave = s);
    const hwm = s.equityHighWaterMark !== null && Number(m.equity) > Number(s.equityHighWaterMark) ? m.equity : s.equityHighWaterMark;
    ctx.slave = { id: s.id, userId: s.userId, balance: m.balance, equity: m.equity, freeMargin: m.freeMargin, riskState: s.riskState, dayStartBalance: s.dayStartBalance, equityHighWaterMark: hwm, hedging: m.hedging ?? s.hedging };
    return ctx.slave;
  }

  async #decideAndExecute(ctx: CopyContext, session: BrokerSession, intent: TradeIntent, facts: MarketFacts, options: Pick<ExecuteOptions, "pending" | "closeReason">, adjustments: CopyResult["reasons"]): Promise<CopyResult> {
    ctx.abort?.throwIfAborted();
    const decision = await this.d.srm.decide(intent, facts, { account: this.#slave(ctx, session), writeBehind: true });
    ctx.decidedAt = Date.now();
    ctx.abort?.throwIfAborted();
    const reasons = [...adjustments, ...decisionReasons(decision)];
    const detail = { symbol: intent.symbol, side: intent.side, lot: decision.decision.lot.toString(), decisionId: decision.id };
    if (!decision.approved) return { status: "SKIPPED", reasons, intentId: decision.decision.intent.id, detail };
    // Options named one by one: spreading differently shaped objects at one site costs microseconds per copy.
    const outcome = await this.d.trading.execution.execute(decision.approved, {
      quote: facts.quote,
      features: decision.duplicate ? undefined : decision.decision.features,
      onSent: ctx.onSent,
      onAnswered: markAnswered(ctx),
      pending: options.pending,
      closeReason: options.closeReason,
    });
    ctx.finishedAt = Date.now();
    if (outcome.status === "REJECTED" || outcome.status === "UNKNOWN") return { ...failedExecution(outcome, reasons), detail };
    return { status: "COPIED", reasons, intentId: outcome.execution.intentId ?? undefined, execution: outcome.execution, position: outcome.position ?? null, detail };
  }

  /** Records the link and master position on the slave's position (a replayed decision does not carry them). */
  async #linkPosition(positionId: string, ctx: CopyContext, masterPositionId: string): Promise<void> {
    await this.d.prisma.position.updateMany({
      where: { id: positionId, OR: [{ copyLinkId: null }, { masterPositionId: null }] },
      data: { copyLinkId: ctx.link.id, masterPositionId },
    });
  }

  #intent(
    ctx: CopyContext,
    dedupKey: string,
    t: Pick<TradeIntent, "symbol" | "side" | "kind" | "volume"> & { price?: Decimal | undefined; stopLoss?: Decimal | undefined; takeProfit?: Decimal | undefined; positionId?: string },
  ): TradeIntent {
    const { signal } = ctx.task;
    const { link } = ctx;
    const intent: TradeIntent = {
      id: newTimeOrderedId(),
      source: "COPY",
      dedupKey,
      accountId: link.slaveAccountId,
      symbol: t.symbol,
      side: t.side,
      kind: t.kind,
      volume: t.volume,
      copyLinkId: link.id,
      masterAccountId: signal.masterAccountId,
      masterDealId: signal.eventId,
      signalTime: signal.time,
      receivedAt: signal.receivedAt,
      ttlSeconds: Math.round(ctx.settings.maxSignalDelaySeconds),
    };
    // Optional fields only when present (assigned, not spread: this runs once per copy).
    if (t.price) intent.price = t.price;
    if (t.stopLoss) intent.stopLoss = t.stopLoss;
    if (t.takeProfit) intent.takeProfit = t.takeProfit;
    if (t.positionId) intent.positionId = t.positionId;
    if (link.providerId) intent.providerId = link.providerId;
    if (signal.masterPositionId) intent.masterPositionId = signal.masterPositionId;
    return intent;
  }
}
