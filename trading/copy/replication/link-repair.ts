import type { Logger } from "../../../core/index.ts";
import type { PrismaClient } from "../../../prisma/index.ts";
import type { BrokerPosition } from "../../broker/index.ts";
import type { TradingService } from "../../execution/index.ts";
import { eventIds, type MasterSignal } from "../master-signal.ts";
import type { CopyConfig } from "../copy.config.ts";
import type { SignalStore } from "../detection/signal-store.ts";
import { combineSettings } from "../rules/combine-settings.ts";
import { parseCopySettings } from "../rules/copy-settings.ts";
import type { AttemptInfo, RepairTask } from "./copy-job.ts";
import type { CopyResult } from "./copy-context.ts";
import { linkSnapshots } from "./link-snapshot.ts";
import type { Replicator } from "./replicator.ts";
import type { SlaveTargets } from "./slave-targets.ts";

/** What one repair found and did. */
export interface RepairReport {
  linkId: string;
  opened: number;
  closed: number;
  /** Partial closes, additions, changes and cancellations that failed at the slave's broker, carried out now. */
  retried: number;
}

/**
 * Missed-trade repair for one link, run in the slave's ordered lane: every master position opened within the
 * signal's time to live (on the master venue's clock) that the slave never copied, and was not deliberately
 * skipped, is copied now; what failed at the slave's broker on copies of what the master still holds (a partial
 * close, an addition, the latest SL/TP or order change) or has cancelled is carried out now, in order; every open
 * copy whose master position is gone is closed. Each copy it makes is logged REPAIRED. Copies the slave closed
 * by itself (its stop loss, an emergency stop) are never reopened.
 */
export class LinkRepair {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly trading: Pick<TradingService, "sessions">,
    private readonly replicator: Replicator,
    private readonly targets: SlaveTargets,
    private readonly signals: SignalStore,
    private readonly config: CopyConfig,
    private readonly logger: Logger,
  ) {}

  async run(task: RepairTask, attempt: AttemptInfo): Promise<RepairReport> {
    const report: RepairReport = { linkId: task.linkId, opened: 0, closed: 0, retried: 0 };
    const [link] = await linkSnapshots(this.prisma, { id: task.linkId });
    if (!link || link.status === "PAUSED") return report;
    const settings = combineSettings(link.providerSettings, parseCopySettings(link.rules), this.config.signalTtlSeconds);
    const master = await this.trading.sessions.get(link.masterAccountId);
    const held = await master.port.fetchPositions();
    const masterNow = master.now();
    // Let the slave's own reconciliation (queued by its reconnect) land first, so its positions are current.
    await (await this.trading.sessions.get(link.slaveAccountId)).idle();
    await this.#adopt(link.id, link.slaveAccountId);
    const base = { masterAccountId: link.masterAccountId, master: null, receivedAt: masterNow };
    const run = (signal: MasterSignal) => this.replicator.copy({ type: "copy", signal, linkId: link.id, slaveAccountId: link.slaveAccountId, detectedAt: Date.now(), repair: true }, attempt);

    for (const p of held) {
      if (masterNow - p.openTime > settings.maxSignalDelaySeconds * 1000) continue;
      if (await this.targets.copyOf(link, p.id, { any: true })) continue;
      const logged = await this.prisma.copyEvent.findFirst({ where: { linkId: link.id, masterDealId: eventIds.open(p.id), status: { not: "FAILED" } }, select: { id: true } });
      if (logged) continue;
      const r = await run({ ...base, ...openOf(p) });
      if (r?.status === "REPAIRED") report.opened++;
    }
    const live = new Set(held.map((p) => p.id));
    const working = new Set((await master.port.fetchOrders()).map((o) => o.id));
    report.retried = await this.#retryFailed(link.id, { id: link.masterAccountId, positions: [...live], orders: working }, run);
    // Open copies of this link, including netted positions that hold one of its copies among others.
    const copies = await this.prisma.position.findMany({
      where: { accountId: link.slaveAccountId, status: "OPEN", OR: [{ copyLinkId: link.id }, { executions: { some: { kind: "OPEN", status: "FILLED", intent: { copyLinkId: link.id } } } }] },
    });
    for (const c of copies) {
      // Every master position this link still holds lots of in the position (one, unless the slave nets); the
      // position's own link fields only when its fills name none of this link's copies.
      const shares = (await this.targets.sharesOf(c)).filter((s) => s.linkId === link.id);
      const masters = shares.length > 0 ? shares.filter((s) => s.lots.gt(0)).map((s) => s.masterPositionId) : c.copyLinkId === link.id && c.masterPositionId ? [c.masterPositionId] : [];
      for (const masterPositionId of masters) {
        if (live.has(masterPositionId)) continue;
        const r = await run({
          ...base,
          eventId: eventIds.close(masterPositionId),
          kind: "CLOSE",
          symbol: c.symbol,
          side: c.side,
          volume: c.volume.toString(),
          masterPositionId,
          time: masterNow,
        });
        if (r?.status === "REPAIRED") report.closed++;
      }
    }
    if (report.opened + report.closed + report.retried > 0) this.logger.info({ ...report, why: task.why }, "copy repair made missing copies, retried failed ones and closed orphans");
    return report;
  }

  /**
   * Carries out again what failed at the slave's broker (it was away, say) on copies of what the master still
   * holds: each partial close and addition of an open position, in the order the master made them, and the
   * latest change of its SL/TP or of a working order (an older one would undo a newer); and the cancellation of
   * a master order that no longer works. A failure means the copy was there to act on (with no copy the signal
   * is skipped, not failed), so a copy opened later by repair, already sized on the master's volume then, is
   * never reduced twice; an exit the broker did carry out is found under its key, not sent again.
   */
  async #retryFailed(linkId: string, master: { id: string; positions: readonly string[]; orders: ReadonlySet<string> }, run: (signal: MasterSignal) => Promise<CopyResult | null>): Promise<number> {
    // Each group of events of one position or order, by the prefix of their ids; the last change of a group wins.
    const groups = [
      ...master.positions.flatMap((id) => [
        { prefix: `partial.${id}.`, latestOnly: false },
        { prefix: `increase.${id}.`, latestOnly: false },
        { prefix: `modify.${id}.`, latestOnly: true },
      ]),
      ...[...master.orders].map((id) => ({ prefix: `ordermod.${id}.`, latestOnly: true })),
      { prefix: "ordercancel.", latestOnly: false },
    ];
    const failed = await this.prisma.copyEvent.findMany({ where: { linkId, status: "FAILED", OR: groups.map((g) => ({ masterDealId: { startsWith: g.prefix } })) }, select: { masterDealId: true } });
    const failedEvents = new Set(failed.map((e) => e.masterDealId!));
    const wanted = groups.filter((g) => failed.some((e) => e.masterDealId!.startsWith(g.prefix)));
    // The failed signals themselves, and every change of a group whose latest change is to be found.
    const prefixes = [...wanted.filter((g) => g.latestOnly).map((g) => g.prefix), ...failed.map((e) => e.masterDealId!).filter((id) => !wanted.some((g) => g.latestOnly && id.startsWith(g.prefix)))];
    // A cancellation is redone only while the master's order is gone.
    const signals = (await this.signals.withEventPrefixes(master.id, prefixes)).filter((s) => s.kind !== "ORDER_CANCELLED" || !master.orders.has(s.masterOrderId!));
    const latest = new Map<string, string>();
    for (const s of signals) for (const g of wanted) if (g.latestOnly && s.eventId.startsWith(g.prefix)) latest.set(g.prefix, s.eventId);
    let retried = 0;
    for (const s of signals) {
      if (!failedEvents.has(s.eventId)) continue;
      const group = wanted.find((g) => s.eventId.startsWith(g.prefix))!;
      if (group.latestOnly && latest.get(group.prefix) !== s.eventId) continue;
      if ((await run(s))?.status === "REPAIRED") retried++;
    }
    return retried;
  }

  /** Puts the link back on open copies that lost it (a crash between the fill and its bookkeeping), via their intents. */
  async #adopt(linkId: string, slaveAccountId: string): Promise<void> {
    const loose = await this.prisma.position.findMany({ where: { accountId: slaveAccountId, status: "OPEN", copyLinkId: null, clientOrderId: { not: null } }, select: { id: true, clientOrderId: true } });
    if (loose.length === 0) return;
    const logs = await this.prisma.executionLog.findMany({
      where: { clientOrderId: { in: loose.map((p) => p.clientOrderId!) }, kind: "OPEN" },
      select: { clientOrderId: true, intent: { select: { copyLinkId: true, masterPositionId: true } } },
    });
    for (const log of logs) {
      const position = loose.find((p) => p.clientOrderId === log.clientOrderId);
      if (position && log.intent?.copyLinkId === linkId && log.intent.masterPositionId) {
        await this.prisma.position.update({ where: { id: position.id }, data: { copyLinkId: linkId, masterPositionId: log.intent.masterPositionId } });
      }
    }
  }
}

function openOf(p: BrokerPosition): Omit<MasterSignal, "masterAccountId" | "master" | "receivedAt"> {
  return {
    eventId: eventIds.open(p.id),
    kind: "OPEN",
    symbol: p.symbol,
    side: p.side,
    volume: p.volume.toString(),
    price: p.openPrice.toString(),
    ...(p.stopLoss ? { stopLoss: p.stopLoss.toString() } : {}),
    ...(p.takeProfit ? { takeProfit: p.takeProfit.toString() } : {}),
    masterPositionId: p.id,
    time: p.openTime,
  };
}
