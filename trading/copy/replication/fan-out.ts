import { hotPath, type Clock, type Logger } from "../../../core/index.ts";
import type { PrismaClient } from "../../../prisma/index.ts";
import type { SignalStore } from "../detection/signal-store.ts";
import type { MasterSignal } from "../master-signal.ts";
import type { CopyConfig } from "../copy.config.ts";
import { copyJobId, type CopyTarget, type EnqueueCopy, type LaneOf } from "./copy-job.ts";
import type { LinkBook } from "./link-book.ts";

/** What a resume pass did. */
export interface ResumeReport {
  /** Signals still missing copies, fanned out again. */
  resumed: number;
  /** Copies queued again. */
  requeued: number;
  /** Signals found complete and marked so. */
  completed: number;
}

/**
 * Fan-out: a master signal is persisted first, then its copies (to every link but paused ones) go to the slaves'
 * ordered lanes, one job per lane. When the queue is unreachable (Redis away) the signal stays persisted and RECEIVED, and
 * `resume` (run by the supervisor, and on start) queues the copies still missing from the copy log once the
 * queue answers again; copies are idempotent, so queueing one twice is harmless.
 */
export class FanOut {
  /** Set when an enqueue failed: the next supervision pass resumes at once instead of waiting. */
  behind = false;
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: SignalStore,
    private readonly links: LinkBook,
    private readonly enqueue: EnqueueCopy,
    private readonly laneOf: LaneOf,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly config: CopyConfig,
  ) {}

  /**
   * Persists the signal, then queues its copies: one job per lane holding every link whose slave maps to that
   * lane (id `<master>.<event>.l<lane>`). Resolves once they are queued, not copied.
   */
  async publish(signal: MasterSignal, detectedAt: number): Promise<{ queued: number }> {
    const end = hotPath.begin();
    try {
      return await this.#publish(signal, detectedAt);
    } finally {
      end();
    }
  }

  async #publish(signal: MasterSignal, detectedAt: number): Promise<{ queued: number }> {
    const stored = await this.store.record(signal, detectedAt);
    if (!stored.fresh) return { queued: 0 };
    const { version, links } = await this.links.of(signal.masterAccountId, stored.linksVersion);
    // The links kept in memory carry the master's money of their read: the copies take it from the signal.
    if (!signal.master && stored.master) signal = { ...signal, master: stored.master };
    const lanes = new Map<number, CopyTarget[]>();
    for (const link of links) {
      const lane = this.laneOf(link.slaveAccountId);
      const targets = lanes.get(lane) ?? lanes.set(lane, []).get(lane)!;
      targets.push({ linkId: link.id, slaveAccountId: link.slaveAccountId });
    }
    const sent = await Promise.allSettled(
      [...lanes].map(([lane, targets]) =>
        this.enqueue(targets[0]!.slaveAccountId, { type: "copies", signal, targets, linksVersion: version, detectedAt }, copyJobId(signal.masterAccountId, signal.eventId, `l${lane}`)),
      ),
    );
    return { queued: this.#sent(sent, signal, links.length, (i) => [...lanes.values()][i]!.length) };
  }

  /**
   * Queues again the copies of persisted signals (of `masters`, or every master with links) detected between
   * the lookback and `resumeAfterMs` ago that some link has not logged yet, and marks complete signals done.
   */
  async resume(masters?: readonly string[], opts: { olderThanMs?: number } = {}): Promise<ResumeReport> {
    const now = this.clock.now();
    const ids = masters ?? (await this.prisma.copyLink.findMany({ distinct: ["masterAccountId"], select: { masterAccountId: true } })).map((l) => l.masterAccountId);
    const pending = await this.store.pending(ids, new Date(now - this.config.resumeLookbackMs), new Date(now - (opts.olderThanMs ?? this.config.resumeAfterMs)));
    const report: ResumeReport = { resumed: 0, requeued: 0, completed: 0 };
    for (const p of pending) {
      const links = await this.prisma.copyLink.findMany({
        where: { masterAccountId: p.signal.masterAccountId, status: { not: "PAUSED" }, createdAt: { lte: p.createdAt } },
        select: { id: true, slaveAccountId: true },
      });
      const logged = new Set(
        (await this.prisma.copyEvent.findMany({ where: { masterDealId: p.signal.eventId, linkId: { in: links.map((l) => l.id) } }, select: { linkId: true } })).map((e) => e.linkId),
      );
      const missing = links.filter((l) => !logged.has(l.id));
      if (missing.length === 0) {
        await this.store.complete(p.id);
        report.completed++;
        continue;
      }
      report.resumed++;
      report.requeued += await this.#queue(p.signal, p.detectedAt, missing);
    }
    if (report.requeued > 0) this.logger.info(report, "resumed unfinished copy fan-outs");
    return report;
  }

  /**
   * Resumed copies go one job per link under the id `<event>.<link>`, never used by the live fan-out: a resume
   * repeats it, which the runtime ignores while it still holds the job and accepts after it lost it.
   */
  async #queue(signal: MasterSignal, detectedAt: number, links: readonly { id: string; slaveAccountId: string }[]): Promise<number> {
    const sent = await Promise.allSettled(links.map((l) => this.enqueue(l.slaveAccountId, { type: "copy", signal, linkId: l.id, slaveAccountId: l.slaveAccountId, detectedAt }, copyJobId(signal.eventId, l.id))));
    return this.#sent(sent, signal, links.length, () => 1);
  }

  /** Counts the copies queued; a failed enqueue leaves the persisted signal to `resume`. */
  #sent(results: PromiseSettledResult<void>[], signal: MasterSignal, total: number, size: (i: number) => number): number {
    let lost = 0;
    results.forEach((r, i) => {
      if (r.status === "rejected") lost += size(i);
    });
    if (lost > 0) {
      this.behind = true;
      const err = (results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason;
      this.logger.warn({ err, eventId: signal.eventId, lost }, "copies could not be queued; the persisted signal will be resumed");
    }
    return total - lost;
  }
}
