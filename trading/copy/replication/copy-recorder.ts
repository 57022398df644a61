import type { EventBus } from "../../../core/index.ts";
import type { CopyEvent, CopyEventStatus, Prisma, PrismaClient } from "../../../prisma/index.ts";
import type { CopyReason } from "../rules/lot-scaling.ts";

/** Where the time of one copy went, in milliseconds (null for stages it never reached). */
export interface CopyTiming {
  /** Master event's venue time → our adapter's receive time. */
  detectionMs: number | null;
  /** Our receive → the slave's job starting (persisting the signal and the queue hop). */
  queueMs: number | null;
  /** Job start → SRM decision (reading the link, planning, deciding). */
  decisionMs: number | null;
  /** Decision → the order handed to the slave's broker. */
  dispatchMs: number | null;
  /** Order sent → the broker's acknowledgement (fill or placement) recorded. */
  ackMs: number | null;
}

/** One copy's outcome as the copy log keeps it. */
export interface CopyOutcome {
  linkId: string;
  slaveAccountId: string;
  /** The slave's owner: copy events are published to them. */
  userId: string;
  eventId: string;
  intentId: string | null;
  status: CopyEventStatus;
  reasons: CopyReason[];
  timing: CopyTiming;
  slippagePips: number | null;
  /** What the live feed shows besides the log row (symbol, side, lot, kind, positions). */
  detail: Record<string, unknown>;
}

/** Statuses that end a copy; only FAILED may be overwritten by a later attempt. */
const FINAL: ReadonlySet<CopyEventStatus> = new Set(["COPIED", "SKIPPED", "ADJUSTED", "REPAIRED"]);

export const NO_TIMING: CopyTiming = { detectionMs: null, queueMs: null, decisionMs: null, dispatchMs: null, ackMs: null };

/** The API's and the live feed's view of a copy log row. */
export function copyEventView(e: CopyEvent) {
  return {
    id: e.id,
    linkId: e.linkId,
    intentId: e.intentId,
    slaveAccountId: e.slaveAccountId,
    masterEventId: e.masterDealId,
    status: e.status,
    reasons: e.reasons as unknown as CopyReason[],
    latency: { detectionMs: e.detectionMs, queueMs: e.queueMs, decisionMs: e.decisionMs, dispatchMs: e.dispatchMs, ackMs: e.ackMs },
    slippagePips: e.slippagePips,
    createdAt: e.createdAt.toISOString(),
  };
}

/**
 * Writes the copy log: one CopyEvent per (link, master event), updated by later attempts while it is FAILED and
 * left alone once final, so a redelivered job neither duplicates a row nor overwrites the first timing. Each
 * write is published as `copy.<status>` to the slave's owner.
 */
export class CopyRecorder {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly bus: EventBus,
    private readonly now: () => number,
  ) {}

  async record(o: CopyOutcome): Promise<CopyEvent> {
    const existing = await this.prisma.copyEvent.findFirst({ where: { linkId: o.linkId, masterDealId: o.eventId }, orderBy: { createdAt: "asc" } });
    if (existing && FINAL.has(existing.status)) return existing;
    const data = {
      intentId: o.intentId,
      status: o.status,
      reasons: o.reasons as unknown as Prisma.InputJsonValue,
      ...o.timing,
      slippagePips: o.slippagePips,
    };
    const row = existing
      ? await this.prisma.copyEvent.update({ where: { id: existing.id }, data })
      : await this.prisma.copyEvent.create({ data: { ...data, linkId: o.linkId, slaveAccountId: o.slaveAccountId, masterDealId: o.eventId } });
    this.bus.publish({ type: `copy.${o.status.toLowerCase()}`, userId: o.userId, accountId: o.slaveAccountId, at: this.now(), data: { ...copyEventView(row), ...o.detail } });
    return row;
  }
}
