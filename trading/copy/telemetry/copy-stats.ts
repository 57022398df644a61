import type { CopyEvent, CopyEventStatus, PrismaClient } from "../../../prisma/index.ts";
import { copyEventView } from "../replication/copy-recorder.ts";
import type { CopyReason } from "../rules/lot-scaling.ts";

/** p50 and p99 of a latency stage in milliseconds (null without samples), and how many samples there were. */
export interface Percentiles {
  p50: number | null;
  p99: number | null;
  n: number;
}

/** Copy statistics of one link or of several together. */
export interface CopyStatsView {
  copies: Record<"total" | "copied" | "adjusted" | "repaired" | "skipped" | "failed", number>;
  /** Skips by the reason that decided them (the last reason logged). */
  skippedByReason: Record<string, number>;
  failedByReason: Record<string, number>;
  latencyMs: Record<"detection" | "queue" | "decision" | "dispatch" | "ack" | "internal" | "total", Percentiles>;
  slippagePips: Percentiles & { mean: number | null };
  window: { events: number; from: string | null; to: string | null };
}

/** Linear-interpolated quantile (type 7) of sorted values. */
function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return Math.round((sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!)) * 1000) / 1000;
}

function percentiles(values: Array<number | null>): Percentiles {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
  return { p50: quantile(v, 0.5), p99: quantile(v, 0.99), n: v.length };
}

const sum = (...xs: Array<number | null>) => (xs.some((x) => x === null) ? null : xs.reduce<number>((a, b) => a + b!, 0));
const COPIED: ReadonlySet<CopyEventStatus> = new Set(["COPIED", "ADJUSTED", "REPAIRED"]);

/** Aggregates copy log rows: counts by status and reason, p50/p99 per latency stage, slippage of filled copies. */
export function copyStats(events: readonly CopyEvent[]): CopyStatsView {
  const count = (s: CopyEventStatus) => events.filter((e) => e.status === s).length;
  const byReason = (status: CopyEventStatus) => {
    const out: Record<string, number> = {};
    for (const e of events) {
      if (e.status !== status) continue;
      const code = (e.reasons as unknown as CopyReason[]).at(-1)?.code ?? "UNKNOWN";
      out[code] = (out[code] ?? 0) + 1;
    }
    return out;
  };
  const done = events.filter((e) => COPIED.has(e.status));
  const slips = done.map((e) => e.slippagePips).filter((x): x is number => x !== null);
  const internal = done.map((e) => sum(e.queueMs, e.decisionMs, e.dispatchMs));
  const times = events.map((e) => e.createdAt.getTime());
  return {
    copies: { total: events.length, copied: count("COPIED"), adjusted: count("ADJUSTED"), repaired: count("REPAIRED"), skipped: count("SKIPPED"), failed: count("FAILED") },
    skippedByReason: byReason("SKIPPED"),
    failedByReason: byReason("FAILED"),
    latencyMs: {
      detection: percentiles(done.map((e) => e.detectionMs)),
      queue: percentiles(done.map((e) => e.queueMs)),
      decision: percentiles(done.map((e) => e.decisionMs)),
      dispatch: percentiles(done.map((e) => e.dispatchMs)),
      ack: percentiles(done.map((e) => e.ackMs)),
      internal: percentiles(internal),
      total: percentiles(done.map((e, i) => sum(e.detectionMs, internal[i]!, e.ackMs))),
    },
    slippagePips: { ...percentiles(slips), mean: slips.length === 0 ? null : Math.round((slips.reduce((a, b) => a + b, 0) / slips.length) * 10_000) / 10_000 },
    window: { events: events.length, from: times.length ? new Date(Math.min(...times)).toISOString() : null, to: times.length ? new Date(Math.max(...times)).toISOString() : null },
  };
}

/** Reads the copy log for the API: statistics over a recent window and the paged log itself. */
export class CopyStats {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly window = 10_000,
  ) {}

  async of(linkIds: readonly string[]): Promise<CopyStatsView> {
    const events = linkIds.length === 0 ? [] : await this.prisma.copyEvent.findMany({ where: { linkId: { in: [...linkIds] } }, orderBy: { createdAt: "desc" }, take: this.window });
    return copyStats(events);
  }

  /** A link's copy log, newest first, with every skip's and adjustment's reasons. */
  async log(linkId: string, q: { limit: number; cursor?: string; status?: CopyEventStatus }) {
    const rows = await this.prisma.copyEvent.findMany({
      where: { linkId, ...(q.status ? { status: q.status } : {}) },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: q.limit + 1,
      ...(q.cursor ? { cursor: { id: q.cursor } } : {}),
    });
    // As the other paged logs: the cursor is the first row of the next page.
    return { items: rows.slice(0, q.limit).map(copyEventView), nextCursor: rows[q.limit]?.id ?? null };
  }
}
