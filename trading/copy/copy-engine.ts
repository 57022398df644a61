import type { Clock, EventBus, Logger, ServiceEvent } from "../../core/index.ts";
import type { Prisma, PrismaClient } from "../../prisma/index.ts";
import { RISK_STATE_CHANGED_EVENT, type SrmService } from "../../srm/index.ts";
import type { BrokerHealth } from "../broker/index.ts";
import type { TradingService } from "../execution/index.ts";
import { ACCOUNT_SYNCED_EVENT } from "../sessions/index.ts";
import type { CopyConfig } from "./copy.config.ts";
import { MasterWatcher } from "./detection/master-watcher.ts";
import { SignalStore } from "./detection/signal-store.ts";
import type { MasterSignal } from "./master-signal.ts";
import { runBatch } from "./replication/copy-batch.ts";
import { copyJobId, type AttemptInfo, type CopyJobData, type EnqueueCopy, type LaneOf, type RepairTask } from "./replication/copy-job.ts";
import { CopyRecorder } from "./replication/copy-recorder.ts";
import { FanOut, type ResumeReport } from "./replication/fan-out.ts";
import { LinkBook } from "./replication/link-book.ts";
import { LinkRepair } from "./replication/link-repair.ts";
import { Replicator } from "./replication/replicator.ts";
import { SlaveTargets } from "./replication/slave-targets.ts";

export interface CopyEngineOptions {
  prisma: PrismaClient;
  trading: Pick<TradingService, "sessions" | "execution">;
  srm: Pick<SrmService, "decide" | "claimAhead" | "releaseAhead">;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  config: CopyConfig;
  /** Sends a copy job to the slave's lane of the `copy-fanout` partitioned job (wired to the job runtime). */
  enqueue: EnqueueCopy;
  /** The lane the runtime gives a slave account's key, so one signal's copies are batched per lane. */
  laneOf: LaneOf;
}

/** Sessions opened at once when this worker takes up lanes (each may connect to a broker). */
const SESSION_BATCH = 20;

/**
 * The copy-trading loop: master watchers detect and persist signals, the fan-out queues each signal's copies in
 * the slaves' ordered lanes (one job per lane), the replicator copies through SRM and execution, and repair closes the gaps (missed opens
 * within the signal's TTL, orphaned copies) on start and after any master or slave reconnect. It also follows
 * risk: a HALTED slave's active links become STOPPED_BY_RISK (exits still follow) until a reset.
 */
export class CopyEngine {
  readonly replicator: Replicator;
  readonly fanOut: FanOut;
  readonly repairs: LinkRepair;
  readonly #o: CopyEngineOptions;
  /** The masters' links kept in memory, shared by this process' fan-out and its copy batches. */
  readonly #links: LinkBook;
  readonly #watchers = new Map<string, Promise<MasterWatcher>>();
  #offs: Array<() => void> = [];
  #started: Promise<void> | undefined;

  constructor(o: CopyEngineOptions) {
    this.#o = o;
    const targets = new SlaveTargets(o.prisma);
    const recorder = new CopyRecorder(o.prisma, o.bus, () => o.clock.now());
    this.replicator = new Replicator({ prisma: o.prisma, trading: o.trading, srm: o.srm, recorder, targets, config: o.config, logger: o.logger });
    const signals = new SignalStore(o.prisma);
    this.repairs = new LinkRepair(o.prisma, o.trading, this.replicator, targets, signals, o.config, o.logger);
    this.#links = new LinkBook(o.prisma);
    this.fanOut = new FanOut(o.prisma, signals, this.#links, o.enqueue, o.laneOf, o.clock, o.logger, o.config);
  }

  /** Starts once per process: watches every master with an unpaused link, resumes unfinished fan-outs, repairs every link. */
  start(): Promise<void> {
    this.#started ??= this.#start().catch((err: unknown) => {
      this.#started = undefined;
      throw err;
    });
    return this.#started;
  }

  /** The job handler of `copy-fanout`. */
  handle(data: CopyJobData, attempt: AttemptInfo): Promise<unknown> {
    if (data.type === "repair") return this.repairs.run(data, attempt);
    if (data.type === "copies") return runBatch(data, this.replicator, this.#links, attempt, { attempts: this.#o.config.attempts, backoffMs: 250, logger: this.#o.logger, srm: this.#o.srm });
    return this.replicator.copy(data, attempt);
  }

  /** Watches a master's broker events (idempotent); resolves once its current state is taken. */
  watch(masterAccountId: string): Promise<MasterWatcher> {
    let w = this.#watchers.get(masterAccountId);
    if (!w) {
      w = this.#watch(masterAccountId);
      this.#watchers.set(masterAccountId, w);
      w.catch(() => this.#watchers.delete(masterAccountId));
    }
    return w;
  }

  async unwatch(masterAccountId: string): Promise<void> {
    const w = this.#watchers.get(masterAccountId);
    this.#watchers.delete(masterAccountId);
    (await w?.catch(() => undefined))?.stop();
  }

  /** Resolves once every master event seen so far was persisted and fanned out (tests, benchmarks). */
  async idle(): Promise<void> {
    await Promise.all([...this.#watchers.values()].map(async (w) => (await w.catch(() => undefined))?.idle()));
  }

  /** The periodic pass: starts the engine if needed, watches new masters, resumes unfinished fan-outs. */
  async supervise(): Promise<ResumeReport> {
    await this.start();
    for (const m of await this.#masters()) if (!this.#watchers.has(m)) await this.watch(m).catch((err: unknown) => this.#o.logger.warn({ err, masterAccountId: m }, "master could not be watched"));
    const report = await this.fanOut.resume(undefined, this.fanOut.behind ? { olderThanMs: 0 } : {});
    this.fanOut.behind = false;
    return report;
  }

  /** Queues a repair of these links (default: every unpaused link) in their slaves' lanes. */
  async repair(why: RepairTask["why"], where: Prisma.CopyLinkWhereInput = {}): Promise<number> {
    const links = await this.#o.prisma.copyLink.findMany({ where: { ...where, status: { not: "PAUSED" } }, select: { id: true, slaveAccountId: true } });
    const at = this.#o.clock.now();
    await Promise.all(links.map((l) => this.#o.enqueue(l.slaveAccountId, { type: "repair", linkId: l.id, slaveAccountId: l.slaveAccountId, why }, copyJobId("repair", l.id, String(at)))));
    return links.length;
  }

  /**
   * This worker now consumes these copy lanes (where worker processes share them): it opens the sessions of
   * their slaves, so each slave's broker events (fills, stops, money) are followed, and reconciled, by the one
   * process that copies to it.
   */
  async lanesTaken(lanes: readonly number[]): Promise<void> {
    const slaves = await this.#slavesIn(lanes, { status: { not: "PAUSED" } });
    for (let i = 0; i < slaves.length; i += SESSION_BATCH) {
      await Promise.all(
        slaves.slice(i, i + SESSION_BATCH).map((id) => this.#o.trading.sessions.get(id).catch((err: unknown) => this.#o.logger.warn({ err, accountId: id }, "slave session of a taken lane could not be opened"))),
      );
    }
    if (slaves.length > 0) this.#o.logger.info({ lanes, slaves: slaves.length }, "opened the sessions of the slaves in lanes taken up");
  }

  /**
   * Another worker took these copy lanes over: the sessions of their slaves are closed here (paper state saved),
   * except masters this process watches, so no account is followed by two processes (nor connected twice).
   */
  async lanesReleased(lanes: readonly number[]): Promise<void> {
    const open = new Set(this.#o.trading.sessions.openAccountIds());
    const slaves = (await this.#slavesIn(lanes, {})).filter((id) => open.has(id) && !this.#watchers.has(id));
    await Promise.all(slaves.map((id) => this.#o.trading.sessions.close(id).catch((err: unknown) => this.#o.logger.warn({ err, accountId: id }, "slave session of a handed-back lane did not close cleanly"))));
    if (slaves.length > 0) this.#o.logger.info({ lanes, slaves: slaves.length }, "closed the sessions of the slaves in lanes handed back");
  }

  async #slavesIn(lanes: readonly number[], where: Prisma.CopyLinkWhereInput): Promise<string[]> {
    const wanted = new Set(lanes);
    const rows = await this.#o.prisma.copyLink.findMany({ where, distinct: ["slaveAccountId"], select: { slaveAccountId: true } });
    return rows.map((r) => r.slaveAccountId).filter((id) => wanted.has(this.#o.laneOf(id)));
  }

  stop(): void {
    for (const off of this.#offs) off();
    this.#offs = [];
    for (const id of [...this.#watchers.keys()]) void this.unwatch(id);
    this.#started = undefined;
  }

  async #start(): Promise<void> {
    this.#offs.push(this.#o.bus.subscribe((e) => this.#onBus(e)));
    for (const m of await this.#masters()) await this.watch(m).catch((err: unknown) => this.#o.logger.warn({ err, masterAccountId: m }, "master could not be watched"));
    await this.fanOut.resume(undefined, { olderThanMs: 0 });
    await this.repair("startup");
  }

  async #masters(): Promise<string[]> {
    const rows = await this.#o.prisma.copyLink.findMany({ where: { status: { not: "PAUSED" } }, distinct: ["masterAccountId"], select: { masterAccountId: true } });
    return rows.map((r) => r.masterAccountId);
  }

  async #watch(masterAccountId: string): Promise<MasterWatcher> {
    const session = await this.#o.trading.sessions.get(masterAccountId);
    const watcher = new MasterWatcher(
      session,
      {
        signals: (signals, detectedAt) => this.#publish(signals, detectedAt),
        lost: (id, health) => this.#masterLost(id, health),
        restored: async (id) => {
          await this.#notifySlaves(id, "copy.master_reconnected", "INFO", "COPY_MASTER_RECONNECTED", "reconnected; copies missed meanwhile are being repaired");
          await this.repair("master-reconnect", { masterAccountId: id });
        },
      },
      this.#o.logger.child({ masterAccountId }),
    );
    session.onStop(() => {
      watcher.stop();
      this.#watchers.delete(masterAccountId);
    });
    await watcher.start(this.#o.config.signalTtlSeconds * 1000);
    return watcher;
  }

  async #publish(signals: MasterSignal[], detectedAt: number): Promise<void> {
    for (const s of signals) await this.fanOut.publish(s, detectedAt);
  }

  async #masterLost(masterAccountId: string, health: BrokerHealth): Promise<void> {
    await this.#notifySlaves(masterAccountId, "copy.master_disconnected", "WARNING", "COPY_MASTER_DISCONNECTED", `is disconnected (${health.state}${health.lastError ? `: ${health.lastError.message}` : ""}); its trades cannot be copied until it reconnects`);
  }

  /** Tells each slave owner of a master's links what happened to the master: an Alert row and a bus event. */
  async #notifySlaves(masterAccountId: string, type: string, severity: "INFO" | "WARNING", code: string, what: string): Promise<void> {
    const links = await this.#o.prisma.copyLink.findMany({ where: { masterAccountId }, select: { id: true, slaveAccountId: true, slaveAccount: { select: { userId: true } }, masterAccount: { select: { name: true } } } });
    if (links.length === 0) return;
    const at = this.#o.clock.now();
    const message = `master account ${links[0]!.masterAccount.name} ${what}`;
    await this.#o.prisma.alert.createMany({
      data: links.map((l) => ({ userId: l.slaveAccount.userId, accountId: l.slaveAccountId, severity, code, message, details: { masterAccountId, linkId: l.id }, createdAt: new Date(at) })),
    });
    for (const l of links) this.#o.bus.publish({ type, userId: l.slaveAccount.userId, accountId: l.slaveAccountId, at, data: { masterAccountId, linkId: l.id, message } });
  }

  #onBus(e: ServiceEvent): void {
    if (!e.accountId) return;
    const accountId = e.accountId;
    const fail = (err: unknown) => this.#o.logger.warn({ err, accountId, event: e.type }, "copy follow-up of a service event failed");
    if (e.type === RISK_STATE_CHANGED_EVENT) void this.#riskChanged(accountId, e.data as { to?: string; text?: string }).catch(fail);
    else if (e.type === ACCOUNT_SYNCED_EVENT && (e.data as { kind?: string }).kind === "RECONNECT") {
      void this.repair("slave-reconnect", { slaveAccountId: accountId }).catch(fail);
    }
  }

  async #riskChanged(accountId: string, change: { to?: string; text?: string }): Promise<void> {
    const [from, to] = change.to === "HALTED" ? (["ACTIVE", "STOPPED_BY_RISK"] as const) : change.to === "ACTIVE" ? (["STOPPED_BY_RISK", "ACTIVE"] as const) : [undefined, undefined];
    if (!from) return;
    const links = await this.#o.prisma.copyLink.findMany({ where: { slaveAccountId: accountId, status: from }, select: { id: true, slaveAccount: { select: { userId: true } } } });
    if (links.length === 0) return;
    await this.#o.prisma.copyLink.updateMany({ where: { id: { in: links.map((l) => l.id) } }, data: { status: to, statusReason: to === "ACTIVE" ? null : (change.text ?? "risk protection halted the account") } });
    for (const l of links) this.#o.bus.publish({ type: "copy.link_status", userId: l.slaveAccount.userId, accountId, at: this.#o.clock.now(), data: { linkId: l.id, status: to } });
  }
}
